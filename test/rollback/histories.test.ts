/**
 * The way back along every schema history of test/history: after each migration (on a database
 * holding the rows seeded so far), its down file applied D1's way gives back the database as it was
 * before that migration: the same schema, the same rows minus what the header says cannot come back,
 * integrity clean.
 */
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigration, openD1Database } from '../../src/d1/apply.js';
import { checkIntegrity, dumpRows } from '../../src/d1/inspect.js';
import { rollbackPath } from '../../src/snapshot/layout.js';
import { TempProject } from '../support/project.js';
import { schemaOf } from '../support/scenario.js';
import { histories, versionOf } from '../history/histories.js';
import { expectRowsRestored, FORBIDDEN } from './support.js';

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.dispose()));

/** Down files that abort on the history's rows, by design: rows reference a table that comes back empty. */
const ABORTS: Record<string, string[]> = {
  'dropping tables and changing foreign keys': ['0001_v2 D1-107'],
};

/** A copy of `db` with D1's rules (foreign keys on). */
function copyOf(db: Database.Database): Database.Database {
  const copy = new Database(db.serialize());
  copy.pragma('foreign_keys = ON');
  return copy;
}

describe('rollback files along the schema histories', () => {
  for (const history of histories) {
    it(history.name, async () => {
      const project = new TempProject({ configExtra: history.configExtra });
      projects.push(project);
      const db = openD1Database();
      const aborted: string[] = [];
      for (const [i, raw] of history.versions.entries()) {
        const v = versionOf(raw);
        project.schema(v.source);
        const m = (await project.generate({ flags: { name: `v${i + 1}` }, backfill: v.backfill })).migration!;
        const down = readFileSync(rollbackPath(project.out, 'journal', m.tag), 'utf8');
        for (const re of FORBIDDEN) expect(down, m.tag).not.toMatch(re);
        const before = copyOf(db);
        applyMigration(db, m.sql, `${m.tag}.sql`);
        const back = copyOf(db);
        try {
          applyMigration(back, down, `${m.tag}.down.sql`);
        } catch (e) {
          // A down file may abort on the rows (D1 rolls it back); then its header names the condition.
          const code = /D1-\d{3}/.exec((e as Error).message)?.[0];
          expect(m.rollback!.diagnostics.map((d) => d.code), `${m.tag}: ${(e as Error).message}`).toContain(code);
          expect(dumpRows(back)).toEqual(dumpRows(db));
          aborted.push(`${m.tag} ${code}`);
          if (v.seed) db.exec(v.seed);
          continue;
        }
        expect(schemaOf(back), `${history.name}: ${m.tag}`).toEqual(schemaOf(before));
        expectRowsRestored(dumpRows(before), dumpRows(back), m.rollback!.cannotRestore);
        expect(checkIntegrity(back), m.tag).toMatchObject({ ok: true, foreignKeyViolations: [] });
        before.close();
        back.close();
        if (v.seed) db.exec(v.seed);
      }
      expect(aborted).toEqual(ABORTS[history.name] ?? []);
    });
  }
});
