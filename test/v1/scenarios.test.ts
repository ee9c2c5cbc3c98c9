/**
 * The planner scenario suite (test/scenarios/scenarios.ts, all of them) with drizzle-orm 1.0.0-rc.5
 * as the project's drizzle-orm, in both layouts:
 * - 0.31 layout (drizzle-kit absent from the project's view: a journal folder): the migration is
 *   the very SQL drizzle-orm 0.45 gives for the same change, and the rows survive on D1's rules;
 * - 1.0 layout (drizzle-kit 1.0 installed): the rows survive, integrity is clean, no forbidden
 *   statement is written, drizzle-kit 1.0 finds no changes afterwards, and the schema matches what
 *   drizzle-kit 1.0 builds from scratch (by behaviour: see schemaShape).
 */
import { readFileSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigration, openD1Database } from '../../src/d1/apply.js';
import { checkIntegrity, dumpRows } from '../../src/d1/inspect.js';
import type { TempProject } from '../support/project.js';
import { prepareScenario } from '../support/scenario.js';
import { applyFolders, drizzleKitV1, schemaShape, v1Project } from '../support/v1.js';
import { scenarios, type PlannerScenario } from '../scenarios/scenarios.js';
import { survivingRows } from '../scenarios/rows.js';

const FORBIDDEN = [/(?<!defer_)foreign_keys\s*=\s*off/i, /\bBEGIN\b/i, /\bCOMMIT\b/i, /\bSAVEPOINT\b/i, /\bTEMP(ORARY)?\b/i];

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.dispose()));

/** The scenario's two migrations generated in `project`, applied D1's way around its seed. */
async function run(s: PlannerScenario, project: TempProject) {
  projects.push(project);
  project.schema(s.before);
  const first = await project.generate({ flags: { name: 'before' } });
  project.schema(s.after);
  const second = await project.generate({ flags: { name: 'after' }, renames: s.renames, backfill: s.backfill });
  const db = openD1Database();
  applyMigration(db, readFileSync(first.migration!.sqlPath, 'utf8'), 'before.sql');
  db.exec(s.seed);
  const before = dumpRows(db);
  const sql = second.migration ? readFileSync(second.migration.sqlPath, 'utf8') : '';
  if (sql) applyMigration(db, sql, 'after.sql');
  return { first, second, sql, db, before, after: dumpRows(db) };
}

function expectRowsKept(s: PlannerScenario, r: { db: Database.Database; before: ReturnType<typeof dumpRows>; after: ReturnType<typeof dumpRows>; sql: string }) {
  for (const re of FORBIDDEN) expect(r.sql).not.toMatch(re);
  for (const t of survivingRows(s, r.before, r.after)) expect({ table: t.table, rows: t.after }).toEqual({ table: t.table, rows: t.before });
  expect(checkIntegrity(r.db)).toMatchObject({ ok: true, foreignKeyViolations: [] });
  s.verify?.(r.db);
}

describe('scenarios with drizzle-orm 1.0, 0.31 layout', () => {
  for (const s of scenarios) {
    it(s.name, async () => {
      const r = await run(s, v1Project({ configExtra: s.configExtra, kit: false }));
      expect(r.first.migration!.sqlPath).toMatch(/\/\d{4}_before\.sql$/);
      expectRowsKept(s, r);
      const orm045 = await prepareScenario(s);
      projects.push(orm045.project);
      expect(r.sql).toBe(orm045.second.migration ? readFileSync(orm045.second.migration.sqlPath, 'utf8') : '');
    });
  }
});

describe('scenarios with drizzle-orm 1.0 and drizzle-kit 1.0, 1.0 layout', () => {
  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      // drizzle-kit 1.0 ignores the config's casing (D1-635): the columns keep their keys' names.
      const camel = (n: string) => n.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
      const s = scenario.configExtra?.includes('casing') ? { ...scenario, loose: scenario.loose?.map(camel), filled: scenario.filled?.map(camel) } : scenario;
      const project = v1Project({ configExtra: s.configExtra });
      const r = await run(s, project);
      if (s !== scenario) expect(r.second.warnings.join('\n')).toContain('D1-635');
      expect(r.second.migration!.sqlPath).toMatch(/\/\d{14}_after\/migration\.sql$/);
      expectRowsKept(s, r);
      // drizzle-kit 1.0 reads the folder as its own: no changes left.
      const check = await drizzleKitV1(project.dir, ['generate']);
      expect(check.stdout + check.stderr).toContain('No schema changes, nothing to migrate');
      // And the schema is the one drizzle-kit 1.0 builds from scratch.
      const fresh = v1Project({ configExtra: s.configExtra }).schema(s.after);
      projects.push(fresh);
      const built = await drizzleKitV1(fresh.dir, ['generate', '--name', 'fresh']);
      expect(built.exitCode, built.stderr).toBe(0);
      const db = openD1Database();
      applyFolders(db, fresh.out);
      expect(schemaShape(r.db)).toEqual(schemaShape(db));
    }, 60_000);
  }
});
