/**
 * Drift: where the database the migrations folder builds disagrees with drizzle's latest snapshot
 * about what drizzle describes (tables, columns, indexes, foreign keys, views). It happens when a
 * generated migration was edited by hand, or a `--custom` one changed a drizzle table. Planning from
 * the snapshot alone would then emit SQL for a table that is not what it believes.
 *
 * What drizzle does not describe (triggers, extra tables, extra indexes) is not drift: see
 * handwritten.ts.
 */
import type { Column, SchemaState, Table } from '../snapshot/types.js';
import type { ColumnModel, ForeignKeyModel, IndexModel, SchemaModel, TableModel } from './model.js';
import { significantTokens } from './sql-parse.js';
import { quoteIdentifier } from '../sqltext/rewrite.js';
import { unquoteIdentifier } from '../sqltext/tokens.js';

export type ColumnProperty = 'type' | 'notNull' | 'default' | 'primaryKey' | 'autoincrement' | 'generated';
export type IndexProperty = 'table' | 'unique' | 'columns' | 'where';

export type Drift =
  | { kind: 'table-missing'; table: string; message: string }
  | { kind: 'column-missing'; table: string; column: string; message: string }
  | { kind: 'column-extra'; table: string; column: string; message: string }
  | { kind: 'column-differs'; table: string; column: string; property: ColumnProperty; snapshot: string; database: string; message: string }
  | { kind: 'index-missing'; table: string; index: string; message: string }
  | { kind: 'index-differs'; table: string; index: string; property: IndexProperty; snapshot: string; database: string; message: string }
  | { kind: 'foreign-key-missing' | 'foreign-key-extra'; table: string; foreignKey: string; message: string }
  | { kind: 'view-missing'; view: string; message: string }
  | { kind: 'view-differs'; view: string; message: string };

const BUILT = 'the database the migrations build';

/**
 * SQL text compared as SQLite reads it: outer parentheses dropped (pragma_table_xinfo reports
 * `DEFAULT (unixepoch())` as `unixepoch()`), keywords and names case-folded, quotes on names
 * dropped, string literals kept as written, whitespace ignored.
 */
export function comparableSql(sql: string): string {
  let tokens = significantTokens(sql);
  while (tokens.length >= 2 && tokens[0]!.text === '(' && closesAt(tokens, 0) === tokens.length - 1) tokens = tokens.slice(1, -1);
  return tokens.map((t) => (t.kind === 'string' ? t.text : t.kind === 'quoted' ? unquoteIdentifier(t).toLowerCase() : t.text.toLowerCase())).join(' ');
}

function closesAt(tokens: readonly { text: string }[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i]!.text === '(') depth++;
    else if (tokens[i]!.text === ')' && --depth === 0) return i;
  }
  return -1;
}

const find = <T extends { name: string }>(items: readonly T[], name: string): T | undefined =>
  items.find((i) => i.name.toLowerCase() === name.toLowerCase());

function snapshotPrimaryKey(table: Table): Set<string> {
  const cols = Object.values(table.columns).filter((c) => c.primaryKey).map((c) => c.name);
  for (const pk of Object.values(table.compositePrimaryKeys)) cols.push(...pk.columns);
  return new Set(cols.map((c) => c.toLowerCase()));
}

function differs(table: string, column: string, property: ColumnProperty, snapshot: string, database: string, message: string): Drift {
  return { kind: 'column-differs', table, column, property, snapshot, database, message };
}

function columnDrift(table: Table, col: Column, db: ColumnModel, dbTable: TableModel): Drift[] {
  const out: Drift[] = [];
  const where = `column ${table.name}.${col.name}`;
  if (comparableSql(col.type) !== comparableSql(db.type)) {
    out.push(differs(table.name, col.name, 'type', col.type, db.type, `${where} has type ${col.type} in the snapshot but ${db.type || 'no type'} in ${BUILT}`));
  }
  const inPk = snapshotPrimaryKey(table).has(col.name.toLowerCase());
  // drizzle-kit 1.0 records a primary-key column's NOT NULL as implied (`notNull: false`), and
  // `drizzle-kit up` converts 0.x snapshots so, over tables the 0.x SQL made `PRIMARY KEY NOT NULL`.
  const impliedByKey = inPk && !col.notNull && db.notNull;
  if (col.notNull !== db.notNull && !impliedByKey) {
    const [s, d] = col.notNull ? ['NOT NULL', 'nullable'] : ['nullable', 'NOT NULL'];
    out.push(differs(table.name, col.name, 'notNull', String(col.notNull), String(db.notNull), `${where} is ${s} in the snapshot but ${d} in ${BUILT}`));
  }
  const snapDefault = col.default === undefined ? null : String(col.default);
  if ((snapDefault === null ? null : comparableSql(snapDefault)) !== (db.default === null ? null : comparableSql(db.default))) {
    const show = (v: string | null) => (v === null ? 'no default' : `default ${v}`);
    out.push(differs(table.name, col.name, 'default', snapDefault ?? '', db.default ?? '', `${where} has ${show(snapDefault)} in the snapshot but ${show(db.default)} in ${BUILT}`));
  }
  if (inPk !== db.primaryKey > 0) {
    const [s, d] = inPk ? ['is', 'is not'] : ['is not', 'is'];
    out.push(differs(table.name, col.name, 'primaryKey', String(inPk), String(db.primaryKey > 0), `${where} ${s} in the primary key in the snapshot but ${d} in ${BUILT}`));
  }
  const autoincrement = col.autoincrement === true;
  if (autoincrement !== (dbTable.autoincrement && db.primaryKey > 0)) {
    const [s, d] = autoincrement ? ['AUTOINCREMENT', 'not'] : ['not AUTOINCREMENT', 'AUTOINCREMENT'];
    out.push(differs(table.name, col.name, 'autoincrement', String(autoincrement), String(!autoincrement), `${where} is ${s} in the snapshot but ${d} in ${BUILT}`));
  }
  const generated = col.generated?.type ?? 'no';
  const dbGenerated = db.generated === 'hidden' ? 'no' : db.generated;
  if (generated !== dbGenerated) {
    const show = (g: string) => (g === 'no' ? 'not generated' : `a ${g} generated column`);
    out.push(differs(table.name, col.name, 'generated', generated, dbGenerated, `${where} is ${show(generated)} in the snapshot but ${show(dbGenerated)} in ${BUILT}`));
  }
  return out;
}

function columnsDrift(table: Table, dbTable: TableModel): Drift[] {
  const out: Drift[] = [];
  const dbColumns = dbTable.columns.filter((c) => c.generated !== 'hidden');
  for (const col of Object.values(table.columns)) {
    const db = find(dbColumns, col.name);
    if (db) out.push(...columnDrift(table, col, db, dbTable));
    else out.push({ kind: 'column-missing', table: table.name, column: col.name, message: `column ${table.name}.${col.name} is in the snapshot but not in ${BUILT}` });
  }
  for (const db of dbColumns) {
    if (!Object.values(table.columns).some((c) => c.name.toLowerCase() === db.name.toLowerCase())) {
      out.push({ kind: 'column-extra', table: table.name, column: db.name, message: `column ${table.name}.${db.name} is in ${BUILT} but not in the snapshot` });
    }
  }
  return out;
}

/** An index of the snapshot names a column by its name, and gives an expression as SQL. */
function indexDrift(table: Table, index: Table['indexes'][string], db: IndexModel | undefined): Drift[] {
  const base = { table: table.name, index: index.name };
  if (!db) return [{ kind: 'index-missing', ...base, message: `index ${index.name} on ${table.name} is in the snapshot but not in ${BUILT}` }];
  const pairs: [IndexProperty, string, string][] = [
    ['table', table.name.toLowerCase(), db.table.toLowerCase()],
    ['unique', String(index.isUnique), String(db.unique)],
    ['columns', index.columns.map((c) => comparableSql(table.columns[c] ? quoteIdentifier(c) : c)).join(', '), db.columns.map((c) => comparableSql(c.text)).join(', ')],
    ['where', index.where === undefined ? '' : comparableSql(index.where), db.where === undefined ? '' : comparableSql(db.where)],
  ];
  return pairs
    .filter(([, s, d]) => s !== d)
    .map(([property, snapshot, database]) => ({
      kind: 'index-differs' as const,
      ...base,
      property,
      snapshot,
      database,
      message: `index ${index.name} has ${property} ${snapshot || '(none)'} in the snapshot but ${database || '(none)'} in ${BUILT}`,
    }));
}

/** A foreign key as comparable text: `(a, b) -> parent(x, y) on delete cascade on update no action`. */
function foreignKeyKey(from: readonly string[], parent: string, to: readonly string[], onDelete: string, onUpdate: string): string {
  const list = (cols: readonly string[]) => cols.map((c) => c.toLowerCase()).join(', ');
  return `(${list(from)}) -> ${parent.toLowerCase()}(${list(to)}) on delete ${onDelete.toLowerCase()} on update ${onUpdate.toLowerCase()}`;
}

function dbForeignKeyKey(model: SchemaModel, fk: ForeignKeyModel): string {
  const parent = find(model.tables, fk.parent);
  const pk = parent ? parent.columns.filter((c) => c.primaryKey > 0).sort((a, b) => a.primaryKey - b.primaryKey).map((c) => c.name) : [];
  return foreignKeyKey(fk.from, fk.parent, fk.to.map((c, i) => c ?? pk[i] ?? ''), fk.onDelete, fk.onUpdate);
}

function foreignKeysDrift(model: SchemaModel, table: Table, dbTable: TableModel): Drift[] {
  const snapshot = Object.values(table.foreignKeys).map((fk) =>
    foreignKeyKey(fk.columnsFrom, fk.tableTo, fk.columnsTo, fk.onDelete ?? 'no action', fk.onUpdate ?? 'no action'),
  );
  const database = dbTable.foreignKeys.map((fk) => dbForeignKeyKey(model, fk));
  const out: Drift[] = [];
  for (const key of snapshot.filter((k) => !database.includes(k))) {
    out.push({ kind: 'foreign-key-missing', table: table.name, foreignKey: key, message: `foreign key ${table.name}${key} is in the snapshot but not in ${BUILT}` });
  }
  for (const key of database.filter((k) => !snapshot.includes(k))) {
    out.push({ kind: 'foreign-key-extra', table: table.name, foreignKey: key, message: `foreign key ${table.name}${key} is in ${BUILT} but not in the snapshot` });
  }
  return out;
}

function viewsDrift(model: SchemaModel, state: SchemaState): Drift[] {
  const out: Drift[] = [];
  for (const view of Object.values(state.views)) {
    const db = find(model.views, view.name);
    if (!db) {
      const why = view.isExisting ? ' (it is declared .existing(), so a hand-written migration must create it)' : '';
      out.push({ kind: 'view-missing', view: view.name, message: `view ${view.name} is in the snapshot but not in ${BUILT}${why}` });
    } else if (!view.isExisting && view.definition !== undefined && comparableSql(view.definition) !== comparableSql(db.select)) {
      out.push({ kind: 'view-differs', view: view.name, message: `view ${view.name} selects something else in ${BUILT} than its definition in the snapshot` });
    }
  }
  return out;
}

/** Every disagreement between `model` and `state` about the tables, columns, indexes, foreign keys and views `state` describes. */
export function schemaDrift(model: SchemaModel, state: SchemaState): Drift[] {
  const out: Drift[] = [];
  for (const table of Object.values(state.tables)) {
    const dbTable = find(model.tables, table.name);
    if (!dbTable) {
      out.push({ kind: 'table-missing', table: table.name, message: `table ${table.name} is in the snapshot but not in ${BUILT}` });
      continue;
    }
    out.push(...columnsDrift(table, dbTable), ...foreignKeysDrift(model, table, dbTable));
    for (const index of Object.values(table.indexes)) out.push(...indexDrift(table, index, find(model.indexes, index.name)));
  }
  return [...out, ...viewsDrift(model, state)];
}
