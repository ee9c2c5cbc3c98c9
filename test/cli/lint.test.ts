/**
 * `drizzle-d1 lint` and `drizzle-d1 rewrite` as users run them: the built CLI on copies of the
 * vendored cloudflog history (drizzle-kit's 0001 empties five tables on D1) and on clean ones.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openD1Database } from '../../src/d1/apply.js';
import { LOCAL_D1_STATE } from '../../src/rewrite/applied.js';
import { buildCli, drizzleD1 } from './support.js';

const corpus = join(import.meta.dirname, '..', 'real', 'corpus');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
beforeAll(() => buildCli(), 240_000);

/** A project directory whose `drizzle/` is a copy of a corpus history. */
function projectWith(history: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'drizzle-d1-cli-lint-'));
  dirs.push(dir);
  cpSync(join(corpus, history), join(dir, 'drizzle'), { recursive: true });
  return dir;
}

const files = (dir: string) => ['0001_chemical_wong.sql', 'meta/0001_snapshot.json', 'meta/_journal.json'].map((f) => readFileSync(join(dir, 'drizzle', f), 'utf8'));

describe('drizzle-d1 lint', () => {
  it('groups the findings by file, with lines and fixes, and exits 1 on an error', async () => {
    const r = await drizzleD1(projectWith('cloudflog'), ['lint', '--out', 'drizzle']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^drizzle\/0001_chemical_wong\.sql$/m);
    expect(r.stdout).toMatch(/^\s+26\s+error\s+D1-401\s+DROP TABLE user deletes every row of comment, post, post_tags, post_views, session/m);
    expect(r.stdout).toContain('fix: regenerate the migration with `drizzle-d1 rewrite`');
    expect(r.stdout).not.toContain('\u001b['); // no colour without a terminal
    expect(r.stdout).toMatch(/^\d+ errors, \d+ warnings in 4 migrations$/m);
  });

  it('--json lists every finding with code, severity, file and line', async () => {
    const r = await drizzleD1(projectWith('cloudflog'), ['lint', '--out', 'drizzle', '--json']);
    expect(r.exitCode).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.status).toBe('errors');
    expect(report.findings).toContainEqual(expect.objectContaining({ code: 'D1-401', severity: 'error', file: 'drizzle/0001_chemical_wong.sql', line: 26, table: 'user' }));
  });

  it('--format github prints one workflow command per finding', async () => {
    const r = await drizzleD1(projectWith('cloudflog'), ['lint', '--out', 'drizzle', '--format', 'github', '0001_chemical_wong']);
    expect(r.exitCode).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines.every((l) => /^::(error|warning) file=drizzle\/0001_chemical_wong\.sql(,line=\d+)?,title=D1-\d{3}::D1-\d{3} /.test(l))).toBe(true);
    expect(lines).toContainEqual(expect.stringMatching(/^::error file=drizzle\/0001_chemical_wong\.sql,line=26,title=D1-401::/));
  });

  it('exits 0 on a clean history; an unknown migration is D1-616', async () => {
    const dir = projectWith('cloudflare-authjs-sample');
    const ok = await drizzleD1(dir, ['lint', '--out', 'drizzle']);
    expect([ok.exitCode, ok.stdout.trim()]).toEqual([0, '0 errors, 0 warnings in 2 migrations']);
    const bad = await drizzleD1(dir, ['lint', '--out', 'drizzle', 'nope']);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/^Error \[D1-616\]: .*"nope"/);
  });
});

describe('drizzle-d1 rewrite', () => {
  it('shows the diff and, without a terminal or --yes, writes nothing (D1-419)', async () => {
    const dir = projectWith('cloudflog');
    const before = files(dir);
    const r = await drizzleD1(dir, ['rewrite', '--out', 'drizzle', '0001_chemical_wong']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('+ PRAGMA defer_foreign_keys = ON;--> statement-breakpoint');
    expect(r.stdout).toContain('- PRAGMA foreign_keys=OFF;--> statement-breakpoint');
    expect(r.stderr).toMatch(/^Error \[D1-419\]: .*pass --yes/);
    expect(files(dir)).toEqual(before);
  });

  it('--yes rewrites the SQL and keeps the snapshot and journal byte for byte; lint is then clean', async () => {
    const dir = projectWith('cloudflog');
    const [sql, snapshot, journal] = files(dir);
    const r = await drizzleD1(dir, ['rewrite', '--out', 'drizzle', '0001_chemical_wong', '--yes']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('[✓] rewrote drizzle/0001_chemical_wong.sql');
    const after = files(dir);
    expect(after[0]).not.toBe(sql);
    expect(after.slice(1)).toEqual([snapshot, journal]);
    const lint = await drizzleD1(dir, ['lint', '--out', 'drizzle', '--json']);
    expect(JSON.parse(lint.stdout).errors).toBe(0);
  });

  it('refuses a migration the local D1 state lists as applied (D1-418) unless --force', async () => {
    const dir = projectWith('cloudflog');
    mkdirSync(join(dir, LOCAL_D1_STATE), { recursive: true });
    const state = openD1Database(join(dir, LOCAL_D1_STATE, 'abc123.sqlite'));
    state.exec("CREATE TABLE d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL); INSERT INTO d1_migrations (name) VALUES ('0000_short_spitfire.sql'), ('0001_chemical_wong.sql');");
    state.close();
    const before = files(dir);
    const r = await drizzleD1(dir, ['rewrite', '--out', 'drizzle', '--pending-after', '0000_short_spitfire', '--yes']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/D1-418 0001_chemical_wong\.sql is listed as applied in the local D1 state: an applied migration must never be rewritten/);
    expect(files(dir)).toEqual(before);
    const forced = await drizzleD1(dir, ['rewrite', '--out', 'drizzle', '0001_chemical_wong', '--yes', '--force']);
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(files(dir)[0]).not.toBe(before[0]);
  });

  it('leaves a hand-written migration alone with a warning (D1-417)', async () => {
    const dir = projectWith('cloudflog');
    const journalPath = join(dir, 'drizzle', 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8'));
    journal.entries.push({ idx: 4, version: '6', when: 1800000000000, tag: '0004_by_hand', breakpoints: true });
    writeFileSync(journalPath, JSON.stringify(journal, null, 2));
    writeFileSync(join(dir, 'drizzle', '0004_by_hand.sql'), 'CREATE INDEX post_title ON post(title);\n');
    cpSync(join(dir, 'drizzle', 'meta', '0003_snapshot.json'), join(dir, 'drizzle', 'meta', '0004_snapshot.json'));
    const r = await drizzleD1(dir, ['rewrite', '--out', 'drizzle', '0004_by_hand', '--yes']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/D1-417 0004_by_hand does not change the snapshot/);
    expect(r.stdout).toContain('Nothing to rewrite.');
    expect(readFileSync(join(dir, 'drizzle', '0004_by_hand.sql'), 'utf8')).toBe('CREATE INDEX post_title ON post(title);\n');
  });
});
