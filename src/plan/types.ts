import type { Column, ForeignKey, Index, Table, View } from '../snapshot/types.js';

/** One column of a rebuild copy: the value comes from an old column, a backfill expression, or both (coalesce). */
export interface CopyColumn {
  name: string;
  /** Column of the old table to read (its name after this migration's renames). */
  from?: string;
  /** SQL expression used where `from` is NULL, or alone for a column the old table lacks. */
  fallback?: string;
}

/** The ordered, typed steps of one migration; `sql/` renders each as SQLite text. */
export type Step =
  | { kind: 'deferForeignKeys'; on: boolean }
  | { kind: 'dropView'; name: string }
  | { kind: 'renameTable'; from: string; to: string }
  | { kind: 'renameColumn'; table: string; from: string; to: string }
  | { kind: 'dropIndex'; name: string }
  /** `as` is the physical name (`__new_t` in a rebuild); `references` redirects FK targets to rebuilt tables. */
  | { kind: 'createTable'; table: Table; as?: string; references?: Record<string, string> }
  | { kind: 'addColumn'; table: string; column: Column; foreignKey?: ForeignKey }
  | { kind: 'dropColumn'; table: string; column: string }
  | { kind: 'copyRows'; from: string; to: string; columns: CopyColumn[] }
  | { kind: 'carrySequence'; from: string; to: string }
  | { kind: 'dropTable'; name: string }
  | { kind: 'createIndex'; table: string; index: Index; expressions: string[] }
  | { kind: 'createView'; view: View }
  /** Fails the file when a `checked` table holds a reference to a missing parent row. */
  | { kind: 'foreignKeyGuard'; table: string; checked: string[] };

export type StepKind = Step['kind'];

/** Why a table is rebuilt: its own definition changed, or it must move off a rebuilt/dropped parent. */
export interface RebuildStep {
  table: string;
  /** The table's own changes that ALTER TABLE cannot make; empty for a moved child. */
  reasons: string[];
  /** For a moved child: the parents whose DROP TABLE would fire its ON DELETE action. */
  movedOffParents: { parent: string; onDelete: string }[];
}

export interface Plan {
  steps: Step[];
  rebuilds: RebuildStep[];
  /** New tables, parents before children (the order they are created in). */
  createdTables: string[];
  droppedTables: string[];
  renamedTables: { from: string; to: string }[];
  droppedColumns: { table: string; column: string }[];
  /**
   * Tables whose old rows `DROP TABLE` deletes one by one: `certain` (all of them) when a foreign key
   * still names the table and no earlier drop's action reached it; otherwise up to all of them (pending
   * deferred violations, or rows a cycle's cascade already deleted). `actionsInto`: old tables
   * (the table itself, or one dropped after it) whose rows those deletions' ON DELETE actions may change.
   */
  deletedByDrop: { table: string; certain: boolean; actionsInto: string[] }[];
  /** Notes for the user that do not stop generation. */
  warnings: string[];
}

export interface PlanOptions {
  /** `table.column` → SQL expression filling NOT NULL columns (new, or made NOT NULL) on existing rows. */
  backfill?: Record<string, string>;
  /**
   * `table.column` made NOT NULL without a default that the user checked holds no NULL: copied as is
   * (a NULL would fail the migration, and D1 would roll the whole file back).
   */
  assumeNotNull?: string[];
}
