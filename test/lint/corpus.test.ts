/**
 * lint and rewrite on the vendored public histories (test/real/corpus): cloudflog's 0001 is flagged
 * with the tables it empties, cloudflare-authjs-sample gets nothing, and after `rewrite` of
 * cloudflog's 0001 the history replays D1's way, seeded before every migration, with every row kept.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigration, openD1Database } from '../../src/d1/apply.js';
import { checkIntegrity, dumpRows } from '../../src/d1/inspect.js';
import { lintFolder } from '../../src/lint/lint.js';
import { planRewrite, writeRewrite } from '../../src/rewrite/rewrite.js';
import { asD1ReadsIt, losses, prepareStep, readHistory, typeChangedColumns } from '../real/history.js';

const corpus = join(import.meta.dirname, '..', 'real', 'corpus');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function copyOf(project: string): string {
  const dir = mkdtempSync(join(tmpdir(), `drizzle-d1-${project}-`));
  dirs.push(dir);
  cpSync(join(corpus, project), dir, { recursive: true });
  return dir;
}

/**
 * Replays a folder's files D1's way, seeding rows before every migration: what each one loses.
 * drizzle-kit's files are read as D1 reads them (asD1ReadsIt); `asIs`: files drizzle-d1 wrote, which
 * rename columns in place before copying and use no double-quoted string.
 */
function replayWithRows(dir: string, asIs: ReadonlySet<string> = new Set()) {
  const h = readHistory(dir, 'history');
  const db = openD1Database();
  applyMigration(db, h.steps[0]!.sql!, h.steps[0]!.tag);
  const lost: string[] = [];
  for (let i = 1; i < h.steps.length; i++) {
    const { tag, sql, prev, cur, renames, before } = prepareStep(db, h, i);
    applyMigration(db, asIs.has(tag) ? sql : asD1ReadsIt(db, sql), tag);
    const l = losses(before, dumpRows(db), renames, typeChangedColumns(prev, cur, renames));
    lost.push(...l.emptied.map((t) => `${tag}: ${t} emptied`), ...l.lost.map((s) => `${tag}: ${s}`));
  }
  return { db, lost };
}

describe('lint on the public histories', () => {
  it("flags cloudflog's 0001, naming the tables its drops empty", () => {
    const result = lintFolder(join(corpus, 'cloudflog'));
    const errors = result.findings.filter((f) => f.severity === 'error');
    expect(new Set(errors.map((f) => f.file.split('/').pop()))).toEqual(new Set(['0001_chemical_wong.sql']));
    const emptied = errors.filter((f) => f.code === 'D1-401').flatMap((f) => /deletes every row of ([^(]+) \(/.exec(f.message)![1]!.split(', '));
    expect(new Set(emptied)).toEqual(new Set(['comment', 'post', 'post_tags', 'post_views', 'session']));
    // The lost rename: user's copy names "created_at", which the old table does not have.
    expect(errors).toContainEqual(expect.objectContaining({ code: 'D1-409', table: 'user', column: 'created_at' }));
  });

  it('finds nothing in cloudflare-authjs-sample', () => {
    expect(lintFolder(join(corpus, 'cloudflare-authjs-sample')).findings).toEqual([]);
  });

  it("after rewrite of cloudflog's 0001, the history replays with every row kept and lints clean", () => {
    const dir = copyOf('cloudflog');
    expect(replayWithRows(dir).lost).not.toEqual([]); // drizzle-kit's file, as D1 reads it
    const items = planRewrite(dir, ['0001_chemical_wong']);
    expect(items.map((i) => i.status)).toEqual(['rewrite']);
    writeRewrite(items);
    const { db, lost } = replayWithRows(dir, new Set(['0001_chemical_wong']));
    expect(lost).toEqual([]);
    expect(checkIntegrity(db)).toMatchObject({ ok: true, foreignKeyViolations: [] });
    expect(lintFolder(dir).findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});
