/**
 * snapshot × snapshot → Change[]. Pure: renames are decided outside (prompt, hints) and passed in.
 *
 * Everything is compared after mapping the previous schema through the renames, because SQLite's
 * `ALTER TABLE … RENAME` rewrites foreign keys, checks, indexes and views that mention the renamed
 * table or column (sqlite.org/lang_altertable.html). A foreign key, check or index whose only
 * difference is such a rename is therefore not a change.
 */
import type { Column, ForeignKey, Index, SchemaState, Table } from '../snapshot/types.js';
import { sameJson as same } from '../snapshot/equal.js';
import { renameInSql } from '../sqltext/rewrite.js';
import type { Ambiguity, Change, ColumnAspect, Renames } from './types.js';

/** Table-name mapping previous → current for every table that survives. */
function tableMapping(prev: SchemaState, cur: SchemaState, renames: Renames): Map<string, string> {
  const map = new Map<string, string>();
  const renamedTargets = new Set(Object.values(renames.tables));
  for (const name of Object.keys(prev.tables)) {
    const to = renames.tables[name];
    if (to !== undefined && cur.tables[to]) map.set(name, to);
    else if (cur.tables[name] && !renamedTargets.has(name)) map.set(name, name);
  }
  return map;
}

function columnMapping(prevTable: Table, curTable: Table, renames: Record<string, string> | undefined) {
  const map = new Map<string, string>();
  const renamedTargets = new Set(Object.values(renames ?? {}));
  for (const name of Object.keys(prevTable.columns)) {
    const to = renames?.[name];
    if (to !== undefined && curTable.columns[to]) map.set(name, to);
    else if (curTable.columns[name] && !renamedTargets.has(name)) map.set(name, name);
  }
  return map;
}

/** Scopes where names disappeared and appeared, given the renames decided so far. */
export function findAmbiguities(prev: SchemaState, cur: SchemaState, renames: Renames): Ambiguity[] {
  const tables = tableMapping(prev, cur, renames);
  const mappedTo = new Set(tables.values());
  const removed = Object.keys(prev.tables).filter((n) => !tables.has(n));
  const added = Object.keys(cur.tables).filter((n) => !mappedTo.has(n) && !renames.createdTables?.includes(n));
  if (removed.length && added.length) return [{ kind: 'table', removed, added }];
  const out: Ambiguity[] = [];
  for (const [from, to] of tables) {
    const p = prev.tables[from]!;
    const c = cur.tables[to]!;
    const cols = columnMapping(p, c, renames.columns[to]);
    const colTargets = new Set(cols.values());
    const r = Object.keys(p.columns).filter((n) => !cols.has(n));
    const a = Object.keys(c.columns).filter((n) => !colTargets.has(n) && !renames.createdColumns?.[to]?.includes(n));
    if (r.length && a.length) out.push({ kind: 'column', table: to, removed: r, added: a });
  }
  return out;
}

/** The name a dropped column is compared under: no column of the current schema has it. */
const droppedColumn = (col: string) => `\u0000dropped ${col}`;

const fkKey = (fk: ForeignKey) =>
  JSON.stringify([fk.columnsFrom, fk.tableTo, fk.columnsTo, fk.onUpdate ?? 'no action', fk.onDelete ?? 'no action']);

const compositePk = (t: Table): string[] | null => {
  const pk = Object.values(t.compositePrimaryKeys)[0];
  return pk ? pk.columns : null;
};

function columnAspects(from: Column, to: Column): ColumnAspect[] {
  const aspects: ColumnAspect[] = [];
  if (from.type !== to.type) aspects.push('type');
  if (from.notNull !== to.notNull) aspects.push('notNull');
  if (!same(from.default, to.default)) aspects.push('default');
  if ((from.autoincrement ?? false) !== (to.autoincrement ?? false)) aspects.push('autoincrement');
  if (from.primaryKey !== to.primaryKey) aspects.push('primaryKey');
  if (!same(from.generated, to.generated)) aspects.push('generated');
  return aspects;
}

/** Items matched by name: one that changed is dropped and added again, one that is gone dropped, a new one added. */
function matchByName<T>(
  before: Record<string, T>,
  after: Record<string, T>,
  unchanged: (before: T, after: T) => boolean,
  drop: (item: T) => void,
  add: (item: T) => void,
): void {
  for (const [name, item] of Object.entries(before)) {
    const next = after[name];
    if (next === undefined || !unchanged(item, next)) {
      drop(item);
      if (next !== undefined) add(next);
    }
  }
  for (const [name, item] of Object.entries(after)) if (before[name] === undefined) add(item);
}

export interface SchemaDiff {
  changes: Change[];
  /** drizzle-kit's `_meta` for the new snapshot: quoted previous → current names. */
  meta: { tables: Record<string, string>; columns: Record<string, string> };
}

/** One surviving table's comparison: previous and current names and definitions, and the name maps. */
interface TablePair {
  from: string;
  to: string;
  p: Table;
  c: Table;
  /** Column mapping previous → current of this table. */
  cols: Map<string, string>;
  /** `cols`, and each dropped column to a name no column has: what SQL text the old table holds means now. */
  sqlCols: Map<string, string>;
  /** Column mapping of any previous table (foreign keys name their parent's columns). */
  mapCol: (prevTable: string, col: string) => string;
  /** Table mapping previous → current of the whole schema. */
  tables: Map<string, string>;
  prev: SchemaState;
}

function diffColumns(t: TablePair, changes: Change[], meta: SchemaDiff['meta']): void {
  const { from, to, p, c, cols } = t;
  for (const [cf, ct] of cols) {
    if (cf !== ct) {
      changes.push({ kind: 'renameColumn', table: to, from: cf, to: ct });
      meta.columns[`"${to}"."${cf}"`] = `"${to}"."${ct}"`;
    }
  }
  const colTargets = new Set(cols.values());
  for (const [name, column] of Object.entries(c.columns)) {
    if (!colTargets.has(name)) changes.push({ kind: 'addColumn', table: to, column });
  }
  for (const [name, column] of Object.entries(p.columns)) {
    if (!cols.has(name)) changes.push({ kind: 'dropColumn', table: to, column });
  }
  for (const [cf, ct] of cols) {
    const aspects = columnAspects(p.columns[cf]!, c.columns[ct]!);
    const fromCol = p.columns[cf]!;
    if (aspects.includes('generated') && fromCol.generated) {
      // A generated expression mentions columns by name; SQLite renames them inside it.
      const mapped = { ...fromCol.generated, as: renameInSql(fromCol.generated.as, from, to, t.sqlCols) };
      if (same(mapped, c.columns[ct]!.generated)) aspects.splice(aspects.indexOf('generated'), 1);
    }
    if (aspects.length) changes.push({ kind: 'alterColumn', table: to, from: fromCol, to: c.columns[ct]!, aspects });
  }
}

/** Indexes: same name and same definition once the renames are applied. */
function diffIndexes(t: TablePair, changes: Change[]): void {
  const { from, to, p, c, sqlCols, mapCol } = t;
  const mapIndex = (ix: Index): Index => ({
    ...ix,
    columns: ix.columns.map((col) => (p.columns[col] ? mapCol(from, col) : renameInSql(col, from, to, sqlCols))),
    ...(ix.where !== undefined ? { where: renameInSql(ix.where, from, to, sqlCols) } : {}),
  });
  matchByName(
    p.indexes,
    c.indexes,
    (ix, next) => {
      const mapped = mapIndex(ix);
      return same([mapped.columns, mapped.isUnique, mapped.where], [next.columns, next.isUnique, next.where]);
    },
    (index) => changes.push({ kind: 'dropIndex', table: to, index }),
    (index) => changes.push({ kind: 'createIndex', table: to, index }),
  );
}

/** Foreign keys: compared by content, not by their derived names (the name is not in the SQL). */
function diffForeignKeys(t: TablePair, changes: Change[]): void {
  const { from, to, p, c, mapCol, tables, prev } = t;
  const mapFk = (fk: ForeignKey): ForeignKey => {
    // A parent that is dropped is another table than a new one that takes its name.
    const target = tables.get(fk.tableTo) ?? (prev.tables[fk.tableTo] ? `\u0000dropped ${fk.tableTo}` : fk.tableTo);
    return {
      ...fk,
      tableFrom: to,
      columnsFrom: fk.columnsFrom.map((col) => mapCol(from, col)),
      tableTo: target,
      columnsTo: fk.columnsTo.map((col) => mapCol(fk.tableTo, col)),
    };
  };
  const curFks = new Map(Object.values(c.foreignKeys).map((fk) => [fkKey(fk), fk]));
  const prevFks = new Map(Object.values(p.foreignKeys).map((fk) => [fkKey(mapFk(fk)), fk]));
  for (const [key, fk] of prevFks) if (!curFks.has(key)) changes.push({ kind: 'dropForeignKey', table: to, foreignKey: fk });
  for (const [key, fk] of curFks) if (!prevFks.has(key)) changes.push({ kind: 'addForeignKey', table: to, foreignKey: fk });
}

/** Composite primary key, checks and unique constraints. */
function diffConstraints(t: TablePair, changes: Change[]): void {
  const { from, to, p, c, sqlCols, mapCol } = t;
  const pkFrom = compositePk(p)?.map((col) => mapCol(from, col)) ?? null;
  const pkTo = compositePk(c);
  if (!same(pkFrom, pkTo)) changes.push({ kind: 'alterPrimaryKey', table: to, from: compositePk(p), to: pkTo });
  matchByName(
    p.checkConstraints,
    c.checkConstraints,
    (ck, next) => renameInSql(ck.value, from, to, sqlCols) === next.value,
    (check) => changes.push({ kind: 'dropCheck', table: to, check }),
    (check) => changes.push({ kind: 'addCheck', table: to, check }),
  );
  matchByName(
    p.uniqueConstraints,
    c.uniqueConstraints,
    (u, next) => same(u.columns.map((col) => mapCol(from, col)), next.columns),
    (unique) => changes.push({ kind: 'dropUnique', table: to, unique }),
    (unique) => changes.push({ kind: 'addUnique', table: to, unique }),
  );
}

export function diffSchemas(prev: SchemaState, cur: SchemaState, renames: Renames): SchemaDiff {
  // The everyday run: nothing changed. One comparison instead of one per column and constraint.
  if (same([prev.tables, prev.views], [cur.tables, cur.views])) return { changes: [], meta: { tables: {}, columns: {} } };
  const changes: Change[] = [];
  const meta: SchemaDiff['meta'] = { tables: {}, columns: {} };
  const tables = tableMapping(prev, cur, renames);
  const mappedTo = new Set(tables.values());
  const colMaps = new Map<string, Map<string, string>>(); // previous table name → column mapping
  for (const [from, to] of tables) colMaps.set(from, columnMapping(prev.tables[from]!, cur.tables[to]!, renames.columns[to]));
  // A dropped column is another column than a renamed one that takes its name.
  const mapCol = (prevTable: string, col: string) => colMaps.get(prevTable)?.get(col) ?? (colMaps.has(prevTable) ? droppedColumn(col) : col);

  for (const name of Object.keys(cur.tables)) {
    if (!mappedTo.has(name)) changes.push({ kind: 'createTable', table: cur.tables[name]! });
  }
  for (const name of Object.keys(prev.tables)) {
    if (!tables.has(name)) changes.push({ kind: 'dropTable', table: prev.tables[name]! });
  }
  // Without renames a table whose snapshot entry did not change, and whose parents all survive, has
  // nothing to compare: most tables of a large schema, on most runs.
  const noRenames = !Object.keys(renames.tables).length && Object.values(renames.columns).every((m) => !Object.keys(m).length);
  const unchanged = (p: Table, c: Table) =>
    noRenames && same(p, c) && Object.values(p.foreignKeys).every((fk) => tables.has(fk.tableTo) || !prev.tables[fk.tableTo]);
  for (const [from, to] of tables) {
    const cols = colMaps.get(from)!;
    const sqlCols = new Map(Object.keys(prev.tables[from]!.columns).map((col) => [col, cols.get(col) ?? droppedColumn(col)]));
    const pair: TablePair = { from, to, p: prev.tables[from]!, c: cur.tables[to]!, cols, sqlCols, mapCol, tables, prev };
    if (unchanged(pair.p, pair.c)) continue;
    if (from !== to) {
      changes.push({ kind: 'renameTable', from, to });
      meta.tables[`"${from}"`] = `"${to}"`;
    }
    diffColumns(pair, changes, meta);
    diffIndexes(pair, changes);
    diffForeignKeys(pair, changes);
    diffConstraints(pair, changes);
  }
  // Views hold no rows: any difference is a drop and a create (SQLite has no ALTER VIEW).
  matchByName(
    prev.views,
    cur.views,
    (v, next) => same([v.definition, v.isExisting], [next.definition, next.isExisting]),
    (view) => changes.push({ kind: 'dropView', view }),
    (view) => changes.push({ kind: 'createView', view }),
  );
  return { changes, meta };
}
