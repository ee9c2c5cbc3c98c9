/**
 * The way back, proven on the planner scenarios (rebuilds with cascading children, type changes, a
 * dropped indexed column, views, renamed tables and columns): the migration applied D1's way, then
 * its down file (one transaction, foreign keys on). The schema equals a fresh build of the previous
 * version, every table of it holds its rows minus what the header says cannot come back, and
 * integrity is clean. Where the down file must abort (a foreign key into a table the migration
 * dropped, which comes back empty), the header names the condition and the way out, the error names
 * its code, the database is left as the migration left it, and after the way out the file applies.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigration } from '../../src/d1/apply.js';
import { rollbackCommand } from '../../src/rollback/command.js';
import { dumpRows } from '../../src/d1/inspect.js';
import type { TempProject } from '../support/project.js';
import { checkIntegrity, freshBuildByDrizzleKit, runScenario, schemaOf } from '../support/scenario.js';
import { scenarios } from '../scenarios/scenarios.js';
import { downOf, expectHeaderNames, expectRowsRestored, FORBIDDEN } from './support.js';

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.dispose()));

/**
 * Scenarios whose down file must abort on the seeded rows (they reference a table that comes back
 * empty), and the way out its header gives: set the referencing column to NULL first.
 */
const ABORTS: Record<string, { code: string; table: string; column: string }> = {
  'parent dropped while its child drops the foreign key': { code: 'D1-107', table: 'members', column: 'team_id' },
  'a table renamed into the name of a dropped table takes over its children': { code: 'D1-107', table: 'posts', column: 'author_id' },
};

describe('rollback files of the planner scenarios', () => {
  for (const s of scenarios) {
    it(s.name, async () => {
      const run = await runScenario(s);
      projects.push(run.project);
      const { sql, diagnostics, cannotRestore } = downOf(run);
      for (const re of FORBIDDEN) expect(sql).not.toMatch(re);
      expect(sql.trimEnd().endsWith(';')).toBe(true);
      expectHeaderNames(sql, diagnostics);
      // From the snapshots alone (renames read back from _meta), the rollback command writes the same file.
      const again = await rollbackCommand({ cwd: run.project.dir, tag: '0001_after', print: true });
      expect(again.text).toBe(sql);
      expect(again.status).toBe('printed');

      const abort = ABORTS[s.name];
      const lost = [...cannotRestore];
      if (abort) {
        expect(diagnostics.map((d) => d.code)).toContain(abort.code);
        expect(sql).toContain(`Set \`${abort.column}\` to NULL in those rows, or delete them, before running it.`);
        expect(() => applyMigration(run.db, sql, '0001_after.down.sql')).toThrow(abort.code);
        expect(dumpRows(run.db)).toEqual(run.after);
        // The header's way out, then the file again.
        run.db.exec(`UPDATE ${abort.table} SET ${abort.column} = NULL`);
        lost.push({ code: 'D1-480', severity: 'warning', table: abort.table, column: abort.column, message: 'set to NULL by hand' });
      }
      applyMigration(run.db, sql, '0001_after.down.sql');
      expect(checkIntegrity(run.db)).toMatchObject({ ok: true, foreignKeyViolations: [] });
      const fresh = await freshBuildByDrizzleKit(run.project, s.before, s.configExtra ? 'snake_case' : undefined);
      expect(schemaOf(run.db)).toEqual(schemaOf(fresh));
      expectRowsRestored(run.before, dumpRows(run.db), lost);
    });
  }
});
