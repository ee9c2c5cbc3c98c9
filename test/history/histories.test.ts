/**
 * Replays every schema history of ./histories.ts with drizzle-d1 into one migrations folder and checks,
 * after each version: the snapshot equals drizzle-kit's serialisation (byte for byte apart from ids,
 * in the CLI's key order), the journal grows by one well-formed entry, and the new file applies on a
 * D1-semantics database holding the rows seeded so far, without losing any. At the end the database
 * built migration by migration, and one built from the whole folder at once, must have the same
 * schema as drizzle-kit's fresh build of the last version, and generating again must find no change,
 * with drizzle-d1 and with the real drizzle-kit CLI.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { applyFolder, openD1Database } from '../../src/d1/apply.js';
import { checkIntegrity } from '../../src/d1/inspect.js';
import { TempProject } from '../support/project.js';
import { freshBuildByDrizzleKit, kitJson, schemaOf } from '../support/scenario.js';
import { drizzleKitCli } from '../cli/support.js';
import { histories, versionOf } from './histories.js';

const ZERO_ID = '00000000-0000-0000-0000-000000000000';
const CLI_KEY_ORDER = ['version', 'dialect', 'id', 'prevId', 'tables', 'views', 'enums', '_meta', 'internal'];
const JOURNAL_ENTRY_KEYS = ['idx', 'version', 'when', 'tag', 'breakpoints'];

const scalar = (db: Database.Database, query: string): unknown => db.prepare(query).pluck().get();
const pretty = (x: unknown) => JSON.stringify(x, null, 2);

describe('schema histories', () => {
  it('the corpus has at least 15 histories of 2–5 versions', () => {
    expect(histories.length).toBeGreaterThanOrEqual(15);
    for (const h of histories) {
      expect(h.versions.length, h.name).toBeGreaterThanOrEqual(2);
      expect(h.versions.length, h.name).toBeLessThanOrEqual(5);
    }
    expect(new Set(histories.map((h) => h.name)).size).toBe(histories.length);
  });

  for (const history of histories) {
    it(history.name, async () => {
      const project = new TempProject({ configExtra: history.configExtra });
      const db = openD1Database();
      try {
        let prevId = ZERO_ID;
        let lastWhen = 0;
        for (const [i, raw] of history.versions.entries()) {
          const v = versionOf(raw);
          const label = `${history.name}, version ${i + 1}`;
          project.schema(v.source);
          const result = await project.generate({ flags: { name: `v${i + 1}` }, backfill: v.backfill });
          expect(result.migration, `${label}: generate found no change`).not.toBeNull();
          const m = result.migration!;
          const tag = `${String(i).padStart(4, '0')}_v${i + 1}`;
          expect(m.tag).toBe(tag);
          expect(m.snapshotPath).toBe(join(project.out, 'meta', `${String(i).padStart(4, '0')}_snapshot.json`));

          // (b) the snapshot file: CLI key order, ids chained, the serialised schema equals drizzle-kit's.
          const text = readFileSync(m.snapshotPath, 'utf8');
          expect(text.endsWith('}'), `${label}: no trailing newline`).toBe(true);
          const snapshot = JSON.parse(text);
          expect(Object.keys(snapshot), label).toEqual(CLI_KEY_ORDER);
          expect(snapshot.version).toBe('6');
          expect(snapshot.dialect).toBe('sqlite');
          expect(snapshot.enums).toEqual({});
          expect(snapshot._meta).toEqual({ schemas: {}, tables: {}, columns: {} });
          expect(Object.keys(snapshot._meta)).toEqual(['schemas', 'tables', 'columns']);
          expect(snapshot.prevId, label).toBe(prevId);
          expect(snapshot.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
          prevId = snapshot.id;
          const kit = await kitJson(project, v.source, `v${i + 1}`, history.casing);
          expect({ tables: snapshot.tables, views: snapshot.views, internal: snapshot.internal }, label).toEqual({
            tables: kit.tables,
            views: kit.views,
            internal: kit.internal,
          });
          // Byte-identical, key order included (the file is JSON.stringify(…, null, 2) in both tools).
          expect(pretty(snapshot.tables), label).toBe(pretty(kit.tables));
          expect(pretty(snapshot.views), label).toBe(pretty(kit.views));
          expect(pretty(snapshot.internal), label).toBe(pretty(kit.internal));

          // The journal: one more entry, in drizzle-kit's shape, `when` strictly increasing.
          const journal = JSON.parse(readFileSync(join(project.out, 'meta', '_journal.json'), 'utf8'));
          expect(Object.keys(journal)).toEqual(['version', 'dialect', 'entries']);
          expect(journal.entries).toHaveLength(i + 1);
          const entry = journal.entries[i];
          expect(Object.keys(entry)).toEqual(JOURNAL_ENTRY_KEYS);
          expect(entry).toMatchObject({ idx: i, version: '6', tag, breakpoints: true });
          expect(entry.when).toBeGreaterThan(lastWhen);
          lastWhen = entry.when;

          // (c) apply what is new, the way wrangler does, on the database holding the rows so far.
          const sql = readFileSync(m.sqlPath, 'utf8');
          let applied: string[];
          try {
            applied = applyFolder(db, project.out);
          } catch (e) {
            throw new Error(`${label}: the migration failed on D1 semantics: ${(e as Error).message}\n--- ${tag}.sql ---\n${sql}`);
          }
          expect(applied).toEqual([`${tag}.sql`]);
          if (v.seed) db.exec(v.seed);
          for (const [table, n] of Object.entries(v.rows ?? {})) {
            expect(scalar(db, `SELECT count(*) FROM "${table}"`), `${label}: rows of ${table}\n${sql}`).toBe(n);
          }
          for (const [query, value] of Object.entries(v.assert ?? {})) {
            expect(scalar(db, query), `${label}: ${query}\n${sql}`).toBe(value);
          }
          const integrity = checkIntegrity(db);
          expect(integrity.ok, `${label}: ${pretty(integrity)}`).toBe(true);
        }

        const last = versionOf(history.versions.at(-1)!).source;
        const fresh = schemaOf(await freshBuildByDrizzleKit(project, last, history.casing));
        expect(schemaOf(db), `${history.name}: migrated step by step vs drizzle-kit's fresh build`).toEqual(fresh);

        // The whole folder at once on an empty database.
        const whole = openD1Database();
        expect(applyFolder(whole, project.out)).toEqual(project.sqlFiles());
        expect(schemaOf(whole)).toEqual(fresh);
        expect(checkIntegrity(whole).ok).toBe(true);

        // Nothing left to do, for drizzle-d1 and for the real drizzle-kit CLI reading our snapshots.
        const again = await project.generate();
        expect(again.migration).toBeNull();
        const before = project.listTree();
        const kit = await drizzleKitCli(project.dir, ['generate']);
        expect(kit.exitCode, kit.stderr).toBe(0);
        expect(kit.stdout, `drizzle-kit saw changes:\n${kit.stdout}`).toContain('No schema changes, nothing to migrate');
        expect(project.listTree()).toEqual(before);
      } finally {
        db.close();
        project.dispose();
      }
    });
  }
});
