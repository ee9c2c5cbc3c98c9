/**
 * Scenario runner: a schema before and after a change, rows seeded in between. It generates both
 * migrations with drizzle-d1, applies them the way D1 does to a real SQLite database, and returns
 * what a test needs to prove that no row was lost and that the result equals a fresh build.
 * It also runs drizzle-kit 0.31's migration for the same change on the same rows, for comparison.
 */
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { join } from 'node:path';
import { applyMigration, openD1Database } from '../../src/d1/apply.js';
import { checkIntegrity, describeSchema, dumpRows, readSequences, type Row } from '../../src/d1/inspect.js';
import type { Renames } from '../../src/diff/types.js';
import type { GenerateResult } from '../../src/generate.js';
import { summarizePlan } from '../../src/plan/summary.js';
import type { Plan } from '../../src/plan/types.js';
import { loadSchemaModules } from '../../src/schema/load.js';
import { TempProject } from './project.js';
import { migrationWrites, prepareScenario, type MigrationWrites } from './writes.js';

export { migrationWrites, prepareScenario, type MigrationWrites };
import { structureOf } from './structure.js';

export interface Scenario {
  name: string;
  before: string;
  /** SQL run after the first migration: the rows that must survive. */
  seed: string;
  after: string;
  renames?: Renames;
  backfill?: Record<string, string>;
  configExtra?: string;
}

export interface ScenarioRun {
  project: TempProject;
  first: GenerateResult;
  second: GenerateResult;
  sql: string;
  db: Database.Database;
  before: Record<string, Row[]>;
  after: Record<string, Row[]>;
  sequencesBefore: Record<string, number>;
  sequencesAfter: Record<string, number>;
  rowsWritten: number;
  /** What the migration wrote, statement by statement (replayed on a copy before it was applied). */
  writes: MigrationWrites;
}

/**
 * What the migration wrote is what its plan says: every rebuilt table copied once, all its rows;
 * DROP TABLE's row-by-row deletions only where `deletedByDrop` names the table (at least its rows
 * when certain, at most those plus the rows its actions reach); nothing else. `before`: rows by
 * previous table name; `renamedTables`: previous → current.
 */
export function expectWritesAsPlanned(
  writes: MigrationWrites,
  plan: Plan,
  before: Record<string, Row[]>,
  renamedTables: Record<string, string> = {},
  context = '',
): void {
  const prevName = (t: string) => Object.entries(renamedTables).find(([, to]) => to === t)?.[0] ?? t;
  const rowsBefore = (t: string) => before[prevName(t)]?.length ?? 0;
  const { rebuilds, deletedByDrop } = summarizePlan(plan);
  expect(Object.fromEntries(writes.copiedFrom), context).toEqual(Object.fromEntries(rebuilds.map((r) => [r.table, [rowsBefore(r.table)]])));
  const dropped = new Map([...writes.deletedByDrop].map(([t, n]) => [t.replace(/^__drop_/, ''), n]));
  for (const d of deletedByDrop) {
    const n = dropped.get(d.table) ?? 0;
    expect(n, `${context}\nDROP TABLE ${d.table}`).toBeGreaterThanOrEqual(d.certain ? rowsBefore(d.table) : 0);
    expect(n, `${context}\nDROP TABLE ${d.table}`).toBeLessThanOrEqual(rowsBefore(d.table) + d.actionsInto.reduce((sum, t) => sum + rowsBefore(t), 0));
    dropped.delete(d.table);
  }
  expect(Object.fromEntries(dropped), `${context}\nDROP TABLE deletions the plan does not name`).toEqual({});
  expect(writes.other, context).toBe(0);
}

export async function runScenario(s: Scenario): Promise<ScenarioRun> {
  const { project, first, second, db } = await prepareScenario(s);
  const before = dumpRows(db);
  const sequencesBefore = readSequences(db);
  const sql = second.migration ? readFileSync(second.migration.sqlPath, 'utf8') : '';
  const writes = migrationWrites(db, sql);
  const { rowsWritten } = sql ? applyMigration(db, sql, '0001_after.sql') : { rowsWritten: 0 };
  return {
    project, first, second, sql, db, before, after: dumpRows(db), sequencesBefore, sequencesAfter: readSequences(db), rowsWritten, writes,
  };
}

type KitApi = typeof import('drizzle-kit/api');
let kit: KitApi | undefined;
export async function drizzleKit(): Promise<KitApi> {
  kit ??= await import('drizzle-kit/api');
  return kit;
}

/** drizzle-kit's snapshot JSON (API form) of a schema source, loaded through our own loader. */
export async function kitJson(project: TempProject, source: string, tag: string, casing?: 'snake_case' | 'camelCase') {
  const file = `src/kit_${tag}.ts`;
  project.write({ [file]: source });
  const { modules } = await loadSchemaModules([join(project.dir, file)], project.dir);
  const api = await drizzleKit();
  return api.generateSQLiteDrizzleJson(modules[0]!, undefined, casing);
}

/** A database built from scratch by drizzle-kit's own single migration of `source`. */
export async function freshBuildByDrizzleKit(project: TempProject, source: string, casing?: 'snake_case' | 'camelCase') {
  const api = await drizzleKit();
  const empty = await api.generateSQLiteDrizzleJson({});
  const cur = await kitJson(project, source, `fresh_${Math.random().toString(36).slice(2)}`, casing);
  const statements = await api.generateSQLiteMigration(empty, cur);
  const db = openD1Database();
  applyMigration(db, statements.join('\n'), 'drizzle-kit-fresh.sql');
  return db;
}

/** drizzle-kit's migration for the scenario's change, applied D1-style to the same seeded rows. */
export async function runDrizzleKit(s: Scenario, project: TempProject, firstSql: string) {
  const api = await drizzleKit();
  const prev = await kitJson(project, s.before, 'before');
  const cur = await kitJson(project, s.after, 'after');
  const statements = await api.generateSQLiteMigration(prev, cur);
  const db = openD1Database();
  applyMigration(db, firstSql, '0000_before.sql');
  db.exec(s.seed);
  const before = dumpRows(db);
  let error: Error | null = null;
  try {
    applyMigration(db, statements.join('\n'), '0001_drizzle_kit.sql');
  } catch (e) {
    error = e as Error;
  }
  return { statements, before, after: dumpRows(db), error, db };
}

export const schemaOf = (db: Database.Database) => structureOf(describeSchema(db));
export { checkIntegrity };
