/**
 * The acceptance of `lint` and `rewrite` on the planner scenarios: for each change, the folder
 * drizzle-kit 0.31 would have written (drizzle-d1's snapshots, drizzle-kit's SQL for the change) and
 * the one drizzle-d1 wrote. lint must flag every drizzle-kit migration that loses rows or fails when
 * applied the D1 way to the seeded rows (no miss), and nothing error-level in drizzle-d1's own
 * folder (no false alarm). After rewrite, drizzle-kit's folder applies with every row kept and the
 * schema drizzle-kit intended (a fresh build of the new schema by drizzle-kit itself).
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigration, openD1Database } from '../../src/d1/apply.js';
import { dumpRows } from '../../src/d1/inspect.js';
import { lintFolder } from '../../src/lint/lint.js';
import { planRewrite, writeRewrite } from '../../src/rewrite/rewrite.js';
import type { TempProject } from '../support/project.js';
import { checkIntegrity, freshBuildByDrizzleKit, runDrizzleKit, runScenario, schemaOf } from '../support/scenario.js';
import { scenarios } from '../scenarios/scenarios.js';
import { survivingRows } from '../scenarios/rows.js';

const cleanup: (() => void)[] = [];
/** drizzle-kit migrations that broke on D1, and how many of them lint flagged. */
const tally = { compared: 0, broken: 0, flagged: 0 };
afterAll(() => cleanup.forEach((f) => f()));

const errorsIn = (findings: ReturnType<typeof lintFolder>['findings'], file?: string) =>
  findings.filter((f) => f.severity === 'error' && (file === undefined || f.file.endsWith(file))).map((f) => `${f.code} ${f.message}`);

/** drizzle-d1's folder with the change's SQL replaced by drizzle-kit's. */
function kitFolder(project: TempProject, secondFile: string, statements: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'drizzle-d1-kit-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(project.out, dir, { recursive: true });
  writeFileSync(join(dir, secondFile), statements.join('--> statement-breakpoint\n'));
  return dir;
}

describe('lint and rewrite on drizzle-kit and drizzle-d1 histories of the scenarios', () => {
  for (const s of scenarios) {
    it(s.name, async () => {
      const run = await runScenario(s);
      cleanup.push(() => run.project.dispose());
      const [firstFile, secondFile] = run.project.sqlFiles() as [string, string];
      const firstSql = run.project.read(`drizzle/${firstFile}`);
      // No false alarm: drizzle-d1's own migrations carry no error-level finding.
      expect(errorsIn(lintFolder(run.project.out).findings)).toEqual([]);
      // drizzle-kit's API asks a renamed table or column on a terminal: those scenarios stop here
      // (the corpus test covers drizzle-kit's lost renames, D1-409).
      if (s.renames) return;
      const kit = await runDrizzleKit(s, run.project, firstSql);

      // No miss: drizzle-kit's migration that fails or loses rows on D1 is flagged.
      const dir = kitFolder(run.project, secondFile, kit.statements);
      const lost = kit.error ? [] : survivingRows(s, kit.before, kit.after).filter((t) => JSON.stringify(t.before) !== JSON.stringify(t.after));
      const flagged = errorsIn(lintFolder(dir).findings, secondFile);
      tally.compared++;
      if (kit.error || lost.length) {
        tally.broken++;
        expect(flagged, `${kit.error?.message ?? ''} ${lost.map((t) => t.table).join(', ')}`).not.toEqual([]);
        tally.flagged++;
      }

      // rewrite regenerates drizzle-d1's migration from the snapshots; it keeps every row.
      const tag = secondFile.slice(0, -'.sql'.length);
      const items = planRewrite(dir, [tag], { backfill: s.backfill });
      expect(items.map((i) => i.status)).toEqual([kit.statements.join('--> statement-breakpoint\n') === run.sql ? 'unchanged' : 'rewrite']);
      expect(items[0]!.after).toBe(run.sql);
      writeRewrite(items);
      expect(errorsIn(lintFolder(dir).findings)).toEqual([]);

      const db = openD1Database();
      applyMigration(db, firstSql, firstFile);
      db.exec(s.seed);
      const before = dumpRows(db);
      applyMigration(db, items[0]!.after!, secondFile);
      for (const t of survivingRows(s, before, dumpRows(db))) expect({ table: t.table, rows: t.after }).toEqual({ table: t.table, rows: t.before });
      expect(checkIntegrity(db)).toMatchObject({ ok: true, foreignKeyViolations: [] });
      const fresh = await freshBuildByDrizzleKit(run.project, s.after, s.configExtra ? 'snake_case' : undefined);
      expect(schemaOf(db)).toEqual(schemaOf(fresh));
    });
  }

  it('compared drizzle-kit on every scenario without renames, and flagged each one that broke', () => {
    expect(tally.compared).toBe(scenarios.filter((s) => !s.renames).length);
    expect(tally.broken).toBeGreaterThanOrEqual(scenarios.filter((s) => s.kitBreaks && !s.renames).length);
    expect(tally.flagged).toBe(tally.broken);
    console.log(`drizzle-kit migrations compared: ${tally.compared}; broken on D1: ${tally.broken}; flagged by lint: ${tally.flagged}`);
  });
});
