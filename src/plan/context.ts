/**
 * The names every planning phase works with, computed once from the two schemas and the changes:
 * which tables are created, dropped and renamed, and how an old table's name maps to the current one.
 */
import type { Change } from '../diff/types.js';
import type { ForeignKey, SchemaState, Table } from '../snapshot/types.js';

/** Prefix of a table's new version while the old one still exists. */
export const NEW_PREFIX = '__new_';
/** Prefix a dropped table steps aside to when a renamed table takes over its name. */
export const DROP_PREFIX = '__drop_';

export type ChangeOf<K extends Change['kind']> = Extract<Change, { kind: K }>;

export interface PlanContext {
  prev: SchemaState;
  cur: SchemaState;
  changes: Change[];
  /** New tables (current names). */
  created: Set<string>;
  /** Dropped tables by their previous names, in change order. */
  droppedPrevNames: string[];
  /** Dropped tables by the name they are dropped under (a spare name when a renamed table takes theirs). */
  dropped: Set<string>;
  /** Drop name → previous name. */
  droppedPrevName: Map<string, string>;
  renamedTables: ChangeOf<'renameTable'>[];
  columnRenames: ChangeOf<'renameColumn'>[];
  /**
   * Dropped columns whose name a renamed column of their table takes over (SQLite ignores letter
   * case): each steps aside to `spare` before the renames, and is dropped, or left behind, there.
   */
  columnsAside: { table: string; column: string; spare: string }[];
  /** Changes by the (current) table they concern. */
  byTable: Map<string, Change[]>;
  /** The previous definition of a table known by its current name. */
  prevTable(curName: string): Table | undefined;
  /** The previous name of a table known by its current name. */
  prevName(curName: string): string;
  /** Foreign keys of the old version of a table (current name, or drop name). */
  oldForeignKeys(name: string): ForeignKey[];
  /** Where an old foreign key points: the parent's current name, or its drop name if it is dropped. */
  oldTarget(prevName: string): string;
}

const ofKind = <K extends Change['kind']>(changes: Change[], kind: K) => changes.filter((c): c is ChangeOf<K> => c.kind === kind);

/** Appends `value` to the list `map` holds for `key`. */
export function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** SQLite's names for a rowid table's rowid, the first that no column of `columns` hides (case ignored). */
export function rowidName(columns: string[]): string | undefined {
  const taken = new Set(columns.map((n) => n.toLowerCase()));
  return ['rowid', '_rowid_', 'oid'].find((n) => !taken.has(n));
}

/** Prefix a dropped column steps aside to when a renamed column takes over its name. */
export const COLUMN_ASIDE_PREFIX = '__rename_';

function columnsAside(changes: Change[], renames: ChangeOf<'renameColumn'>[]): PlanContext['columnsAside'] {
  return ofKind(changes, 'dropColumn').flatMap((d) => {
    const name = d.column.name.toLowerCase();
    const taken = renames.some((r) => r.table === d.table && r.to.toLowerCase() === name);
    return taken ? [{ table: d.table, column: d.column.name, spare: COLUMN_ASIDE_PREFIX + d.column.name }] : [];
  });
}

export function planContext(prev: SchemaState, cur: SchemaState, changes: Change[]): PlanContext {
  const droppedPrevNames = ofKind(changes, 'dropTable').map((c) => c.table.name);
  // A dropped table whose name a renamed or new table takes over (SQLite ignores letter case) is
  // known, and dropped, by a spare name.
  const taken = new Set(Object.keys(cur.tables).map((n) => n.toLowerCase()));
  const dropName = (prevName: string) => (taken.has(prevName.toLowerCase()) ? DROP_PREFIX + prevName : prevName);
  const droppedPrevName = new Map(droppedPrevNames.map((n) => [dropName(n), n]));
  const renamedTables = ofKind(changes, 'renameTable');
  const curNameOf = new Map(renamedTables.map((r) => [r.from, r.to]));
  const prevNameOf = new Map(renamedTables.map((r) => [r.to, r.from]));
  const byTable = new Map<string, Change[]>();
  for (const c of changes) if ('table' in c && typeof c.table === 'string') append(byTable, c.table, c);
  const prevName = (curName: string) => prevNameOf.get(curName) ?? curName;
  const columnRenames = ofKind(changes, 'renameColumn');
  const prevTable = (curName: string) => prev.tables[prevName(curName)];
  const dropped = new Set(droppedPrevName.keys());
  return {
    prev,
    cur,
    changes,
    created: new Set(ofKind(changes, 'createTable').map((c) => c.table.name)),
    droppedPrevNames,
    dropped,
    droppedPrevName,
    renamedTables,
    columnRenames,
    columnsAside: columnsAside(changes, columnRenames),
    byTable,
    prevTable,
    prevName,
    oldForeignKeys: (name) => {
      const t = dropped.has(name) ? prev.tables[droppedPrevName.get(name)!] : prevTable(name);
      return t ? Object.values(t.foreignKeys) : [];
    },
    oldTarget: (p) => (droppedPrevNames.includes(p) ? dropName(p) : (curNameOf.get(p) ?? p)),
  };
}

/** An ON DELETE action as SQLite spells it in lower case (`no action` when unset). */
export const onDeleteOf = (fk: ForeignKey) => (fk.onDelete ?? 'no action').toLowerCase();

/** ON DELETE actions that write to the child when the parent row goes: what a DROP TABLE fires. */
export const REACTING = new Set(['cascade', 'set null', 'set default']);
