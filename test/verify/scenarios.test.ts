/**
 * verify on the scenario suite: each change's history written twice, once by drizzle-d1 and once with
 * drizzle-kit 0.31's migration for the change. Against a database holding the scenario's rows,
 * verify must name exactly the tables whose rows drizzle-kit's migration loses or changes, with the
 * rows lost; on synthetic rows it must flag the same history; on drizzle-d1's histories, nothing.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigration, openD1Database } from '../../src/d1/apply.js';
import { resolveConfig } from '../../src/config/index.js';
import { loadSchemaState } from '../../src/generate.js';
import { verifyAgainst } from '../../src/verify/against.js';
import type { TableFigures, VerifyReport } from '../../src/verify/types.js';
import { verifyFolder } from '../../src/verify/verify.js';
import { prepareScenario, runDrizzleKit } from '../support/scenario.js';
import type { TempProject } from '../support/project.js';
import { scenarios, type PlannerScenario } from '../scenarios/scenarios.js';
import { survivingRows } from '../scenarios/rows.js';

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.dispose()));

/** The scenario's rows after its first migration, as a SQLite file with wrangler's ledger. */
function seededDatabase(project: TempProject, s: PlannerScenario, firstSql: string): string {
  const db = openD1Database();
  applyMigration(db, firstSql, '0000_before.sql');
  db.exec(s.seed);
  db.exec("CREATE TABLE d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL); INSERT INTO d1_migrations (name) VALUES ('0000_before.sql')");
  const file = join(project.dir, 'seeded.sqlite');
  writeFileSync(file, db.serialize());
  db.close();
  return file;
}

/** Tables verify says lose or change rows they should keep. */
const harmed = (r: VerifyReport) =>
  r.migrations.flatMap((m) => m.tables).filter((f: TableFigures) => f.lost > 0 || f.changed > 0).map((f) => f.table).sort();

// drizzle-kit's API asks about renames on a terminal: scenarios with renames have no drizzle-kit history here.
const KIT_READS_AS_STRING = /should this be a string literal/;

describe('verify on drizzle-kit histories of the scenario suite', () => {
  for (const s of scenarios.filter((x) => !x.renames)) {
    it(s.name, async () => {
      const { project, first, second } = await prepareScenario(s);
      projects.push(project);
      const firstSql = readFileSync(first.migration!.sqlPath, 'utf8');
      const kit = await runDrizzleKit(s, project, firstSql);
      kit.db.close();
      // drizzle-kit's history: the same folder, with drizzle-kit's SQL for the change.
      const kitOut = join(project.dir, 'kit');
      cpSync(project.out, kitOut, { recursive: true });
      writeFileSync(join(kitOut, `${second.migration!.tag}.sql`), kit.statements.join('\n--> statement-breakpoint\n'));
      const seeded = seededDatabase(project, s, firstSql);
      const report = verifyAgainst({ out: kitOut, against: seeded, cwd: project.dir });
      const failed = report.migrations.find((m) => m.status === 'failed');
      if (kit.error && KIT_READS_AS_STRING.test(kit.error.message)) {
        // SQLite proper fails; D1 writes the name as text (verify applies it as D1 does and says so),
        // or, in a view, fails too.
        expect(report.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining([expect.stringMatching(/D1-465|D1-452/)]));
        expect(report.exitCode).toBe(1);
        return;
      }
      if (kit.error) {
        expect(failed?.diagnostics.map((d) => d.code), kit.error.message).toEqual([expect.stringMatching(/D1-45[23]/)]);
        return;
      }
      const expected = survivingRows(s, kit.before, kit.after).filter((t) => JSON.stringify(t.before) !== JSON.stringify(t.after));
      expect(harmed(report), s.name).toEqual(expected.map((t) => t.table).sort());
      for (const t of expected) {
        const figures = report.migrations[0]!.tables.find((f) => f.table === t.table)!;
        expect(figures.lost, `${t.table}`).toBe(Math.max(0, t.before.length - t.after.length));
      }
      // drizzle-kit's SQL may also not build the snapshot's schema (a stored generated column it skips).
      expect(report.exitCode).toBe(expected.length > 0 || report.drift.length > 0 ? 1 : 0);
      // On synthetic rows, the same history is flagged whenever the seeded rows show a loss.
      const synthetic = verifyFolder({ out: kitOut, rows: 40 });
      if (expected.length > 0) expect(synthetic.exitCode, s.name).toBe(1);
      // … and every table emptied on the seeded rows is emptied on the synthetic ones, all its rows
      // (unless the synthetic rows make the migration fail: a NULL in a column it makes NOT NULL).
      const change = synthetic.migrations[1]!;
      if (change.status === 'failed') expect(change.diagnostics.map((d) => d.code)).toEqual(['D1-452']);
      else {
        for (const t of expected.filter((e) => e.after.length === 0 && e.before.length > 0)) {
          const figures = change.tables.find((f) => f.table === t.table);
          expect(figures && [figures.lost, figures.rowsAfter], `${s.name}: ${t.table}`).toEqual([figures?.rowsBefore, 0]);
        }
      }
    });
  }
});

describe("verify on drizzle-d1's own histories of the scenario suite", () => {
  for (const s of scenarios) {
    it(s.name, async () => {
      const { project, first } = await prepareScenario(s);
      projects.push(project);
      const current = await loadSchemaState(await resolveConfig({}, project.dir));
      const synthetic = verifyFolder({ out: project.out, rows: 40, current });
      expect(synthetic.diagnostics.filter((d) => d.severity === 'error'), s.name).toEqual([]);
      const seeded = seededDatabase(project, s, readFileSync(first.migration!.sqlPath, 'utf8'));
      const real = verifyAgainst({ out: project.out, against: seeded, cwd: project.dir, current });
      expect(real.diagnostics.filter((d) => d.severity === 'error'), s.name).toEqual([]);
      expect(real.alreadyApplied).toEqual(['0000_before.sql']);
    });
  }
});
