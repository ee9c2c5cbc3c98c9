/**
 * What `drizzle-d1 verify` finds, as plain data: per migration, per table, the rows lost, changed
 * and added, what the migration drops on purpose, the guards that fire, its cost against D1's
 * limits; and at the end the schema difference. The CLI renders it; `--json` prints it.
 */
import type { Diagnostic } from '../diagnostics/types.js';

/** One table's figures across one migration. `table`: its name after the migration (before, when dropped). */
export interface TableFigures {
  table: string;
  /** Its name before the migration, when the migration renamed it. */
  renamedFrom?: string;
  rowsBefore: number;
  rowsAfter: number;
  /** Rows gone that the migration should have kept. */
  lost: number;
  /** Rows kept whose values in kept columns differ (after the new column's type affinity). */
  changed: number;
  /** Rows that were not there before. */
  added: number;
  /** Rows the migration deletes on purpose: the table is dropped. */
  droppedOnPurpose: number;
  /** Columns the migration drops on purpose, with the count of non-NULL values they held. */
  droppedColumns: { column: string; values: number }[];
  /** Columns gone although the migration does not drop them, with the non-NULL values lost. */
  lostColumns: { column: string; values: number }[];
  /** Changed rows by column (after the migration's names). */
  changedColumns: { column: string; rows: number }[];
}

/** A migration's cost against D1's limits, measured on the copy. */
export interface MigrationCost {
  /** Rows the file wrote (SQLite's total_changes: copies, deletions, cascades, inserts); 0 through --wrangler, which does not report it. */
  rowsWritten: number;
  /** Rows copied into rebuilt tables (the rows of every table whose storage was recreated). */
  rowsCopied: number;
  /** Rows drizzle-d1's plan for the declared change copies (its formula on these counts); absent without snapshots. */
  plannedCopies?: number;
  /** Rows deleted (lost, or dropped on purpose). */
  rowsDeleted: number;
  /** Bytes the rebuilt tables occupy twice while the old and new tables coexist (estimate). */
  rebuildBytes: number;
  /** Database size after the migration (page_count × page_size). */
  databaseBytes: number;
  /** Longest statement of the file, in bytes. */
  longestStatementBytes: number;
  /** Wall time applying the file on the copy. */
  milliseconds: number;
}

export interface MigrationReport {
  tag: string;
  file: string;
  /** 'failed': it failed on these rows (rolled back); later migrations were not tried. */
  status: 'applied' | 'failed';
  /** Tables with anything to say (rows lost, changed, added, dropped). */
  tables: TableFigures[];
  /** The failure, when the migration failed on these rows. */
  failure?: { message: string; statement?: string };
  /** Guard codes that fired (`CHECK constraint failed: D1-1xx: …`). */
  guards: { code: string; message: string }[];
  cost?: MigrationCost;
  /** Double-quoted names D1 reads as string literals in this file. */
  doubleQuotedLiterals: string[];
  diagnostics: Diagnostic[];
}

export interface VerifyReport {
  mode: 'synthetic' | 'against' | 'wrangler';
  /** The database verified against (`--against`). */
  against?: string;
  /** Migrations already applied to it (from its d1_migrations ledger). */
  alreadyApplied: string[];
  migrations: MigrationReport[];
  /** The schema difference between the migrations and schema.ts, in words. */
  drift: string[];
  /** Every finding, in order (also inside each migration report). */
  diagnostics: Diagnostic[];
  /** 0 clean, 1 data loss / guard / drift. */
  exitCode: 0 | 1;
}
