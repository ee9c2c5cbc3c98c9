import type { Diagnostic } from '../diagnostics/types.js';
import type { Change } from '../diff/types.js';
import type { Column, ForeignKey, Index, Table, View } from '../snapshot/types.js';

/** One column of a rebuild copy: the value comes from an old column, a backfill expression, or both (coalesce). */
export interface CopyColumn {
  name: string;
  /** Column of the old table to read (its name after this migration's renames). */
  from?: string;
  /** SQL expression used where `from` is NULL, or alone for a column the old table lacks. */
  fallback?: string;
}

/** Why a table is rebuilt: its own definition changed, or it must move off a rebuilt/dropped parent. */
export interface Rebuild {
  table: string;
  /** The table's own changes that ALTER TABLE cannot make; empty for a moved child. */
  reasons: string[];
  /** For a moved child: the parents whose DROP TABLE would fire its ON DELETE action. */
  movedOffParents: { parent: string; onDelete: string }[];
}

/**
 * What the implicit DELETE of an old table's `DROP TABLE` does: `certain` when it deletes all the
 * table's rows one by one (a foreign key still names the table and no earlier drop's action reached
 * it), otherwise up to all of them; `actionsInto`: old tables (the table itself, or one dropped after
 * it) whose rows those deletions' ON DELETE actions may change.
 */
export interface DropDeletes {
  certain: boolean;
  actionsInto: string[];
}

/** What a step does: `sql/` renders each as SQLite text. */
export type StepCommand =
  | { kind: 'deferForeignKeys'; on: boolean }
  | { kind: 'dropView'; name: string }
  | { kind: 'renameTable'; from: string; to: string }
  | { kind: 'renameColumn'; table: string; from: string; to: string }
  | { kind: 'dropIndex'; name: string }
  /**
   * `as` is the physical name (`__new_t` in a rebuild, with `rebuild` saying why); `references`
   * redirects foreign-key targets to rebuilt tables.
   */
  | { kind: 'createTable'; table: Table; as?: string; references?: Record<string, string>; rebuild?: Rebuild }
  | { kind: 'addColumn'; table: string; column: Column; foreignKey?: ForeignKey }
  | { kind: 'dropColumn'; table: string; column: string }
  | { kind: 'copyRows'; from: string; to: string; columns: CopyColumn[] }
  | { kind: 'carrySequence'; from: string; to: string }
  /** `shownAs`: the table's name in the previous schema when it is dropped under a spare name. */
  | { kind: 'dropTable'; name: string; shownAs?: string; deletes?: DropDeletes }
  | { kind: 'createIndex'; table: string; index: Index; expressions: string[] }
  | { kind: 'createView'; view: View }
  /** Fails the file when a `checked` table holds a reference to a missing parent row. */
  | { kind: 'foreignKeyGuard'; table: string; checked: string[] };

/**
 * One planned step: the command, why it is there, and the schema changes it carries out (none for
 * bookkeeping such as deferring foreign keys or moving a child table), as Atlas's
 * `migrate.Change{Cmd, Comment, Source}`.
 */
export type Step = StepCommand & { reason: string; sources: Change[] };

export type StepKind = Step['kind'];

export interface Plan {
  steps: Step[];
  /** Refusals (severity error: nothing may be written), warnings and guards, each with its code. */
  diagnostics: Diagnostic[];
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
