/**
 * Migration cost: rows each generated migration rewrites (drizzle-d1's plan and what the D1 applier
 * counts), next to the detach/reattach workaround and the minimum, for every planner scenario and for
 * the 300-table change; and the wall time to apply that change with 1,000,000 rows in a child table.
 */
import Database from 'better-sqlite3';
import { copyFileSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { applyMigration, openD1Database } from '../src/d1/apply.js';
import { summarizePlan, type PlanSummary } from '../src/plan/summary.js';
import { scenarios } from '../test/scenarios/scenarios.js';
import { runTool, sqlFiles } from './child.js';
import { applyReps, base, bigRows, log, median } from './env.js';
import { CHANGED, seedSql, TABLES, tname } from './schemas.js';
import { migrationWrites, prepareScenario } from '../test/support/writes.js';

/** Rows per table for the row counts, and per table besides the big child for the apply timing. */
export const COST_ROWS = 10;
export const BASE_ROWS = 1_000;
/** A child of a changed table (t024 → t011) that does not change itself, so drizzle-d1 must move it. */
export const BIG_CHILD = 24;

export interface Cost {
  name: string;
  own: string[];
  moved: string[];
  /** Rows of the tables whose own definition changed (the minimum). */
  minimum: number;
  /** drizzle-d1's plan: sum of rows of every rebuilt table (own + moved). */
  plan: number;
  /** Rows written by the INSERT … SELECT copies. */
  copied: number;
  /** Rows SQLite deletes one by one in DROP TABLE of a table some foreign key still names (foreign keys on). */
  dropDeletes: number;
  /** What the plan says of those (`deletedByDrop`): the rows of the tables it names as certain… */
  planDeletes: number;
  /** …and at most the rows of every table it names plus those their ON DELETE actions reach in old tables. */
  planDeletesAtMost: number;
  /** Any other write (foreign-key actions, UPDATEs). */
  other: number;
  /** Most times one source table was copied. */
  maxCopies: number;
  /** detach + reattach: rebuilt tables once, every moved child twice. */
  workaround: number;
  /** Some other table references a table whose own definition changed. */
  referenced: boolean;
  ok: boolean;
}

interface CostPlan {
  rebuilds: { table: string; reasons: string[] }[];
  deletedByDrop: PlanSummary['deletedByDrop'];
}

const quoteId = (s: string) => `"${s.replace(/"/g, '""')}"`;
export const countRows = (db: Database.Database, t: string) => (db.prepare(`SELECT count(*) AS n FROM ${quoteId(t)}`).get() as { n: number }).n;

/** What the plan predicts, from the rows in `db` before the migration. */
function planned(db: Database.Database, plan: CostPlan, renamedTables: Record<string, string>) {
  const oldName = new Map(Object.entries(renamedTables).map(([from, to]) => [to, from]));
  const before = (t: string) => oldName.get(t) ?? t;
  const rowsOf = (t: string) => countRows(db, before(t));
  const own = plan.rebuilds.filter((r) => r.reasons.length).map((r) => r.table);
  const moved = plan.rebuilds.filter((r) => !r.reasons.length).map((r) => r.table);
  const minimum = own.reduce((s, t) => s + rowsOf(t), 0);
  const movedRows = moved.reduce((s, t) => s + rowsOf(t), 0);
  const planDeletes = plan.deletedByDrop.reduce((s, d) => s + (d.certain ? rowsOf(d.table) : 0), 0);
  const planDeletesAtMost = plan.deletedByDrop.reduce((s, d) => s + rowsOf(d.table) + d.actionsInto.reduce((n, t) => n + rowsOf(t), 0), 0);
  const referencedSql = `SELECT count(*) AS n FROM sqlite_schema m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table' AND m.name <> ? AND f."table" = ?`;
  const referenced = own.some((t) => (db.prepare(referencedSql).get(before(t), before(t)) as { n: number }).n > 0);
  return { own, moved, minimum, movedRows, planDeletes, planDeletesAtMost, referenced };
}

/**
 * Apply `sql` to `db` (seeded, pre-migration) with the D1 applier, after replaying it on a copy one
 * statement at a time to tell copies, DROP TABLE's deletions and bookkeeping writes apart.
 */
export function migrationCost(name: string, db: Database.Database, sql: string, plan: CostPlan, renamedTables: Record<string, string> = {}): Cost {
  const p = planned(db, plan, renamedTables);
  const writes = migrationWrites(db, sql);
  const { rowsWritten } = applyMigration(db, sql, `${name}.sql`);
  if (rowsWritten !== writes.total) throw new Error(`${name}: applier counted ${rowsWritten} rows, replay ${writes.total}`);
  const copied = [...writes.copiedFrom.values()].flat().reduce((s, n) => s + n, 0);
  const dropDeletes = [...writes.deletedByDrop.values()].reduce((s, n) => s + n, 0);
  const maxCopies = Math.max(0, ...[...writes.copiedFrom.values()].map((c) => c.length));
  const plannedRows = p.minimum + p.movedRows;
  const ok =
    copied === plannedRows &&
    dropDeletes >= p.planDeletes &&
    dropDeletes <= p.planDeletesAtMost &&
    writes.other === 0 &&
    maxCopies <= 1 &&
    (p.referenced || copied === p.minimum);
  return { name, ...p, plan: plannedRows, copied, dropDeletes, other: writes.other, maxCopies, workaround: p.minimum + 2 * p.movedRows, ok };
}

/** Every planner scenario, generated in-process and applied with its seed rows. */
export async function scenarioCosts(): Promise<Cost[]> {
  log(`migration cost of ${scenarios.length} planner scenarios`);
  const costs: Cost[] = [];
  for (const s of scenarios) {
    const { project, second, db } = await prepareScenario(s);
    try {
      const m = second.migration!;
      costs.push(migrationCost(s.name, db, m.sql, m.plan ? summarizePlan(m.plan) : { rebuilds: [], deletedByDrop: [] }, s.renames?.tables));
      db.close();
    } finally {
      project.dispose();
    }
  }
  return costs;
}

interface JsonPlan {
  status: string;
  sql: string;
  plan: { rebuilt: { table: string; reasons: string[]; movedOffParents: { parent: string }[] }[]; deletedByDrop: PlanSummary['deletedByDrop'] };
}

export interface BigChange {
  cost: Cost;
  /** drizzle-kit's own migration for the same change, applied the same way on the same rows. */
  kitOutcome: string;
  initialSql: string;
  changeSql: string;
  rebuilt: Set<string>;
}

/** drizzle-kit's migration for the change applied on `seededImage`: what happens to the rows. */
function kitOutcome(seededImage: Buffer, kitChangeSql: string): string {
  const kitDb = new Database(seededImage);
  kitDb.pragma('foreign_keys = ON');
  const totalRows = () => Array.from({ length: TABLES }, (_, i) => countRows(kitDb, tname(i))).reduce((a, b) => a + b, 0);
  const before = totalRows();
  try {
    applyMigration(kitDb, kitChangeSql, '0001_drizzle_kit.sql');
    const lost = before - totalRows();
    const int = (n: number) => n.toLocaleString('en-US');
    return lost > 0 ? `applies, but ON DELETE CASCADE deletes ${int(lost)} of ${int(before)} rows` : 'applies without losing rows';
  } catch (e) {
    return `fails: ${(e as Error).message.split('\n')[0]}`;
  } finally {
    kitDb.close();
  }
}

/** The 50-of-300-table change (`change300`, the folder holding drizzle-kit's initial migration), both tools. */
export function bigChangeCost(change300: string): BigChange {
  log(`migration cost of the ${CHANGED.size}-table change`);
  const d1Change = runTool('drizzle-d1', change300, { args: ['--json'], keep: true });
  const json = JSON.parse(d1Change.stdout) as JsonPlan;
  const changeSql = readFileSync(join(d1Change.dir, json.sql), 'utf8');
  const initialSql = readFileSync(join(change300, 'drizzle', sqlFiles(change300)[0]!), 'utf8');
  const kitChange = runTool('drizzle-kit', change300, { keep: true });
  const kitChangeSql = readFileSync(join(kitChange.dir, 'drizzle', sqlFiles(kitChange.dir)[1]!), 'utf8');
  rmSync(d1Change.dir, { recursive: true, force: true });
  rmSync(kitChange.dir, { recursive: true, force: true });

  const seeded = openD1Database();
  applyMigration(seeded, initialSql, '0000_initial.sql');
  seeded.exec(seedSql(TABLES, () => COST_ROWS));
  const seededImage = seeded.serialize();
  const plan = { rebuilds: json.plan.rebuilt, deletedByDrop: json.plan.deletedByDrop };
  const cost = migrationCost(`${CHANGED.size} of ${TABLES} tables change a column type`, seeded, changeSql, plan);
  seeded.close();
  if (!cost.moved.includes(tname(BIG_CHILD))) throw new Error(`${tname(BIG_CHILD)} is not moved by the plan; pick another big child`);
  return { cost, kitOutcome: kitOutcome(seededImage, kitChangeSql), initialSql, changeSql, rebuilt: new Set(json.plan.rebuilt.map((r) => r.table)) };
}

export interface ApplyTiming {
  ms: number[];
  rowsWritten: number;
  totalRows: number;
  rewritten: number;
  minimum: number;
  dbMB: number;
}

const rowsFor = (i: number) => (i === BIG_CHILD ? bigRows : BASE_ROWS);

/** The change applied `applyReps` times to copies of a database with `bigRows` rows in one moved child. */
export function applyTiming(big: BigChange): ApplyTiming {
  log(`apply timing: seeding ${bigRows.toLocaleString('en-US')} rows in ${tname(BIG_CHILD)} and ${BASE_ROWS} in every other table`);
  const bigDbFile = join(base, 'big.db');
  const db = openD1Database(bigDbFile);
  applyMigration(db, big.initialSql, '0000_initial.sql');
  db.exec('BEGIN');
  db.exec(seedSql(TABLES, rowsFor));
  db.exec('COMMIT');
  db.close();
  const all = Array.from({ length: TABLES }, (_, i) => i);
  const ms: number[] = [];
  let rowsWritten = 0;
  for (let i = 0; i < applyReps; i++) {
    const file = join(base, `apply-${i}.db`);
    copyFileSync(bigDbFile, file);
    const copy = openD1Database(file);
    const t0 = performance.now();
    rowsWritten = applyMigration(copy, big.changeSql, '0001_change.sql').rowsWritten;
    ms.push(performance.now() - t0);
    if (countRows(copy, tname(BIG_CHILD)) !== bigRows) throw new Error('rows lost in the apply timing run');
    copy.close();
    rmSync(file);
  }
  log(`applied in ${Math.round(median(ms))} ms`);
  return {
    ms,
    rowsWritten,
    totalRows: all.reduce((s, i) => s + rowsFor(i), 0),
    rewritten: all.filter((i) => big.rebuilt.has(tname(i))).reduce((s, i) => s + rowsFor(i), 0),
    minimum: [...CHANGED].reduce((s, i) => s + rowsFor(i), 0),
    dbMB: statSync(bigDbFile).size / 2 ** 20,
  };
}
