/**
 * A migration's cost against D1's limits, measured on the copy it ran on: rows written, copied and
 * deleted, the bytes a rebuild holds twice (old and new table side by side until the old one is
 * dropped), the database size, the longest statement, and the time. D1 stops a query or batch after
 * 30 s, a database at 10 GB, and a statement at 100 KB.
 */
import type Database from 'better-sqlite3';
import { splitStatements } from '../sqltext/tokens.js';
import { planMigration } from '../plan/plan.js';
import { summarizePlan } from '../plan/summary.js';
import type { SchemaState } from '../snapshot/types.js';
import type { Declared } from './declared.js';
import type { Fingerprint } from './fingerprint.js';
import type { MigrationCost, TableFigures } from './types.js';

export const D1_LIMITS = {
  /** A query or batch (a migration file is one batch). */
  milliseconds: 30_000,
  databaseBytes: 10 * 1024 ** 3,
  statementBytes: 100 * 1024,
} as const;

/**
 * The rows drizzle-d1's plan for the migration's declared change copies: the rows, before the
 * migration, of every table it would rebuild or move. Undefined without snapshots to plan from, or
 * when the planner refuses the change.
 */
export function plannedCopies(input: Pick<CostInput, 'before' | 'declared'>, current: SchemaState | undefined): number | undefined {
  const { declared, before } = input;
  if (!current || declared.changes.length === 0) return undefined;
  const plan = planMigration(declared.previous, current, declared.changes);
  if (plan.diagnostics.some((d) => d.severity === 'error')) return undefined;
  const rowsOf = (table: string) => {
    for (const [name, print] of before) if ((declared.tables.get(name) ?? print.name).toLowerCase() === table.toLowerCase()) return print.count;
    return 0;
  };
  return summarizePlan(plan).rebuilds.reduce((n, r) => n + rowsOf(r.table), 0);
}

export interface CostInput {
  db: Database.Database;
  sql: string;
  before: Fingerprint;
  after: Fingerprint;
  figures: TableFigures[];
  declared: Declared;
  milliseconds: number;
  rowsWritten: number;
  /** The snapshot state after the migration, to plan the change from. */
  current?: SchemaState;
}

function databaseBytes(db: Database.Database): number {
  const pages = db.pragma('page_count', { simple: true }) as number;
  const size = db.pragma('page_size', { simple: true }) as number;
  return pages * size;
}

/** Tables whose storage the migration recreated (a new root page under the same or declared name). */
function rebuilt(input: CostInput): { rows: number; bytes: number } {
  let rows = 0;
  let bytes = 0;
  for (const [name, b] of input.before) {
    const a = input.after.get((input.declared.tables.get(name) ?? b.name).toLowerCase());
    if (!a || a.rootpage === b.rootpage) continue;
    rows += b.count; // copied before any drop deleted rows
    bytes += b.rows ? b.bytes : 0;
  }
  return { rows, bytes };
}

export function costOf(input: CostInput): MigrationCost {
  const copies = rebuilt(input);
  const planned = plannedCopies(input, input.current);
  const longest = splitStatements(input.sql).reduce((max, s) => Math.max(max, Buffer.byteLength(s.text)), 0);
  return {
    rowsWritten: input.rowsWritten,
    rowsCopied: copies.rows,
    rowsDeleted: input.figures.reduce((n, f) => n + f.lost + f.droppedOnPurpose, 0),
    rebuildBytes: copies.bytes,
    databaseBytes: databaseBytes(input.db),
    longestStatementBytes: longest,
    milliseconds: Math.round(input.milliseconds),
    ...(planned === undefined ? {} : { plannedCopies: planned }),
  };
}
