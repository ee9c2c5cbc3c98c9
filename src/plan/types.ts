import type { HandWrittenObject } from '../d1/handwritten.js';
import type { Diagnostic } from '../diagnostics/types.js';
import type { Change } from '../diff/types.js';
import type { CheckConstraint, Column, ForeignKey, Index, Table, View } from '../snapshot/types.js';
import type { Affinity } from '../sqltext/affinity.js';

/** One column of a rebuild copy: the value comes from an old column, a backfill expression, or both (coalesce). */
export interface CopyColumn {
  name: string;
  /** Column of the old table to read (its name after this migration's renames). */
  from?: string;
  /** SQL expression used where `from` is NULL, or alone for a column the old table lacks. */
  fallback?: string;
}

/** A column of the rows a check guard evaluates: as copied, converted where its affinity changes. */
export interface GuardColumn extends CopyColumn {
  /** The new column's affinity, where the old column's differs: the copy converts the value to it. */
  storedAs?: Affinity;
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

/**
 * A condition on the rows that a migration's success depends on, checked inside the migration so
 * that D1 rolls the whole file back with a message naming the object and the way out.
 */
export type GuardCheck =
  /** `column` of `table` (current names, old rows) holds no NULL: it becomes NOT NULL. */
  | { kind: 'noNulls'; code: 'D1-102'; table: string; column: string }
  /** Every row as it will be copied (`columns` read from the old table `from`) satisfies `check`: a new one, or an `existing` one over values the copy fills or converts. */
  | { kind: 'checkHolds'; code: 'D1-105'; table: string; check: CheckConstraint; from: string; columns: GuardColumn[]; existing?: true }
  /** No two rows share a value of the unique `index`: a new one, or an `existing` one over values the rebuild fills or converts. */
  | { kind: 'noDuplicates'; code: 'D1-106'; table: string; index: Index; expressions: string[]; existing?: true }
  /** Every row of `table` whose foreign-key columns are all non-NULL has a parent row (MATCH SIMPLE). */
  | { kind: 'noOrphans'; code: 'D1-107' | 'D1-109'; table: string; foreignKey: ForeignKey }
  /** `column` holds only values an INTEGER PRIMARY KEY (the rowid) accepts. */
  | { kind: 'integerKey'; code: 'D1-108'; table: string; column: string };

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
  /** `rowid`: the name the old rows' rowids are copied under, where no INTEGER PRIMARY KEY carries them. */
  | { kind: 'copyRows'; from: string; to: string; columns: CopyColumn[]; rowid?: string }
  | { kind: 'carrySequence'; from: string; to: string }
  /** `shownAs`: the table's name in the previous schema when it is dropped under a spare name. */
  | { kind: 'dropTable'; name: string; shownAs?: string; deletes?: DropDeletes }
  | { kind: 'createIndex'; table: string; index: Index; expressions: string[] }
  | { kind: 'createView'; view: View }
  /**
   * Aborts the file, before anything is committed, when one of `checks` finds offending rows: each
   * check is a named CHECK constraint of the helper table `table`, so D1's error names it.
   */
  | { kind: 'guard'; table: string; checks: GuardCheck[] }
  | { kind: 'dropTrigger'; name: string }
  /** An object written by hand (`--custom`), created from its own SQL (renames applied). */
  | { kind: 'createObject'; object: 'table' | 'trigger' | 'view' | 'index'; name: string; sql: string };

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
  /**
   * What the replayed migrations folder holds beyond drizzle's snapshot (triggers, views, indexes,
   * tables written by hand): kept working across this migration's rebuilds, drops and renames.
   */
  handWritten?: HandWrittenObject[];
  /** `table.column` → SQL expression filling NOT NULL columns (new, or made NOT NULL) on existing rows. */
  backfill?: Record<string, string>;
  /**
   * `table.column` made NOT NULL without a default that the user checked holds no NULL: copied as is
   * (a NULL would fail the migration, and D1 would roll the whole file back).
   */
  assumeNotNull?: string[];
}
