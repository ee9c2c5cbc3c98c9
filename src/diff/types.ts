import type { CheckConstraint, Column, ForeignKey, Index, Table, UniqueConstraint, View } from '../snapshot/types.js';

/** What about a column changed; each of these needs a table rebuild in SQLite. */
export type ColumnAspect = 'type' | 'notNull' | 'default' | 'autoincrement' | 'primaryKey' | 'generated';

/**
 * One difference between the previous and the current schema. Table and column names are the
 * current ones (after renames); `renameTable` / `renameColumn` carry the previous names.
 */
export type Change =
  | { kind: 'createTable'; table: Table }
  | { kind: 'dropTable'; table: Table }
  | { kind: 'renameTable'; from: string; to: string }
  | { kind: 'renameColumn'; table: string; from: string; to: string }
  | { kind: 'addColumn'; table: string; column: Column }
  | { kind: 'dropColumn'; table: string; column: Column }
  | { kind: 'alterColumn'; table: string; from: Column; to: Column; aspects: ColumnAspect[] }
  | { kind: 'createIndex'; table: string; index: Index }
  | { kind: 'dropIndex'; table: string; index: Index }
  | { kind: 'addForeignKey'; table: string; foreignKey: ForeignKey }
  | { kind: 'dropForeignKey'; table: string; foreignKey: ForeignKey }
  | { kind: 'alterPrimaryKey'; table: string; from: string[] | null; to: string[] | null }
  | { kind: 'addCheck'; table: string; check: CheckConstraint }
  | { kind: 'dropCheck'; table: string; check: CheckConstraint }
  | { kind: 'addUnique'; table: string; unique: UniqueConstraint }
  | { kind: 'dropUnique'; table: string; unique: UniqueConstraint }
  | { kind: 'createView'; view: View }
  | { kind: 'dropView'; view: View };

export type ChangeKind = Change['kind'];

/** Renames decided by the user (prompt, hints): previous name → current name. */
export interface Renames {
  tables: Record<string, string>;
  /** Keyed by the table's current name. */
  columns: Record<string, Record<string, string>>;
  /** New names the user declared as created, not renamed (so they are no longer ambiguous). */
  createdTables?: string[];
  createdColumns?: Record<string, string[]>;
}

export const noRenames = (): Renames => ({ tables: {}, columns: {} });

/** A scope where something disappeared and something appeared: a rename or a drop + create. */
export type Ambiguity =
  | { kind: 'table'; removed: string[]; added: string[] }
  | { kind: 'column'; table: string; removed: string[]; added: string[] };
