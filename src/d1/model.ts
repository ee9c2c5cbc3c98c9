/**
 * A typed model of every schema object in a database: tables, virtual tables (with their shadow
 * tables), indexes, triggers and views, and what each one reads or writes. It reads sqlite_schema
 * and the catalogue PRAGMAs of the (in-memory, replayed) database, and the CREATE text with the
 * tokenizer. Nothing here is emitted into a migration, so the PRAGMA table-valued functions D1's
 * authorizer refuses are fine to use.
 */
import type Database from 'better-sqlite3';
import { isInternalTable, type ColumnDescription } from './inspect.js';
import { indexRelations, relationUses, type Relation, type RelationIndex, type RelationUse } from './references.js';
import {
  nameOf,
  parseCreateIndex,
  parseCreateView,
  parseTriggerHeader,
  parseVirtualTable,
  significantTokens,
  triggerWrites,
  valueOf,
  wordAt,
  type TriggerEvent,
  type TriggerTiming,
} from './sql-parse.js';

export type { RelationUse } from './references.js';

export interface ColumnModel {
  name: string;
  /** Declared type as SQLite reports it ('' when none). */
  type: string;
  notNull: boolean;
  /** The DEFAULT expression's text as SQLite reports it (outer parentheses dropped), or null. */
  default: string | null;
  /** 1-based position in the primary key, 0 when not part of it. */
  primaryKey: number;
  /** pragma_table_xinfo `hidden`: 'hidden' for virtual tables' hidden columns. */
  generated: 'no' | 'hidden' | 'virtual' | 'stored';
}

export interface ForeignKeyModel {
  parent: string;
  from: string[];
  /** Parent columns; null where the parent's primary key is implied. */
  to: (string | null)[];
  onDelete: string;
  onUpdate: string;
}

export interface TableModel {
  kind: 'table';
  name: string;
  sql: string;
  columns: ColumnModel[];
  foreignKeys: ForeignKeyModel[];
  autoincrement: boolean;
  withoutRowid: boolean;
  strict: boolean;
}

export interface VirtualTableModel {
  kind: 'virtual';
  name: string;
  sql: string;
  /** Lower-cased module name: 'fts5', 'rtree', … */
  module: string;
  /** Module arguments' source text, in order. */
  arguments: string[];
  /** FTS3/4/5 only: the declared columns (`UNINDEXED` or a type dropped). */
  columns: string[];
  /** FTS3/4/5 only: `key = value` options (content, content_rowid, tokenize, prefix, …), keys lower-cased. */
  options: Record<string, string>;
  /** External-content table (`content='posts'`), whose columns the index reads. */
  contentTable?: string;
  /** Shadow tables SQLite created for it (pragma_table_list type 'shadow'), sorted. */
  shadowTables: string[];
  /** The relations it reads: its external-content table's columns and content_rowid. */
  reads: RelationUse[];
}

export interface IndexColumnModel {
  /** The column name, or null for an expression. */
  name: string | null;
  /** The column's source text in CREATE INDEX (name or expression, with COLLATE/ASC/DESC). */
  text: string;
  desc: boolean;
}

export interface IndexModel {
  name: string;
  table: string;
  unique: boolean;
  sql: string;
  columns: IndexColumnModel[];
  /** Source text of a partial index's WHERE. */
  where?: string;
  /** Columns of `table` the index's keys and WHERE name. */
  reads: RelationUse[];
}

export interface TriggerModel {
  name: string;
  /** The table (or view, for INSTEAD OF) it is ON. */
  table: string;
  timing: TriggerTiming;
  event: TriggerEvent;
  updateOf: string[];
  when?: string;
  sql: string;
  /** Every relation the trigger names (its own table included) with the columns named. */
  reads: RelationUse[];
  /** Tables its body INSERTs into, UPDATEs or DELETEs from. */
  writes: string[];
}

export interface ViewModel {
  name: string;
  sql: string;
  /** Source text of its SELECT. */
  select: string;
  /** Column names the view returns. */
  columns: string[];
  /** Tables and views it reads, with the columns it names. */
  reads: RelationUse[];
}

export interface SchemaModel {
  /** Ordinary tables, shadow and internal tables excluded; sorted by name. */
  tables: TableModel[];
  virtualTables: VirtualTableModel[];
  /** Indexes written with CREATE INDEX (automatic constraint indexes skipped). */
  indexes: IndexModel[];
  triggers: TriggerModel[];
  views: ViewModel[];
  /** Shadow table name → the virtual table it belongs to. */
  shadowOwner: Record<string, string>;
}

interface SchemaRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

/** A row of `PRAGMA table_xinfo` (read on the in-memory replay only, never emitted into a migration). */
type XInfoRow = ColumnDescription;

const byName = <T extends { name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const GENERATED = ['no', 'hidden', 'virtual', 'stored'] as const;

/**
 * What the model reads from the database, each catalogue query prepared once and each table's
 * columns read once (relation resolution and the table models both need them).
 */
interface Catalog {
  rows: SchemaRow[];
  /** pragma_table_list by name: type 'table' | 'view' | 'virtual' | 'shadow', WITHOUT ROWID, STRICT. */
  flags: Map<string, { type: string; wr: number; strict: number }>;
  /** Columns of a table or view; [] for a view that no longer compiles (its table was dropped). */
  columns(name: string): ColumnModel[];
  foreignKeys(table: string): ForeignKeyModel[];
}

function openCatalog(db: Database.Database): Catalog {
  const rows = db.prepare('SELECT type, name, tbl_name, sql FROM main.sqlite_schema').all() as SchemaRow[];
  const list = db.prepare("SELECT name, type, wr, strict FROM pragma_table_list WHERE schema = 'main'").all() as {
    name: string;
    type: string;
    wr: number;
    strict: number;
  }[];
  const xinfo = db.prepare('SELECT * FROM pragma_table_xinfo(?) ORDER BY cid');
  const fkList = db.prepare('SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq');
  const columnCache = new Map<string, ColumnModel[]>();
  const columns = (name: string): ColumnModel[] => {
    let cols = columnCache.get(name);
    if (cols === undefined) {
      try {
        cols = (xinfo.all(name) as XInfoRow[]).map(columnModel);
      } catch {
        cols = []; // "no such table" from a broken view
      }
      columnCache.set(name, cols);
    }
    return cols;
  };
  const foreignKeys = (table: string) => groupForeignKeys(fkList.all(table) as ForeignKeyRow[]);
  return { rows, flags: new Map(list.map((r) => [r.name, r])), columns, foreignKeys };
}

function columnModel(r: XInfoRow): ColumnModel {
  return {
    name: r.name,
    type: r.type,
    notNull: r.notnull === 1,
    default: r.dflt_value,
    primaryKey: r.pk,
    generated: GENERATED[r.hidden] ?? 'no',
  };
}

interface ForeignKeyRow {
  id: number;
  table: string;
  from: string;
  to: string | null;
  on_update: string;
  on_delete: string;
}

function groupForeignKeys(rows: readonly ForeignKeyRow[]): ForeignKeyModel[] {
  const byId = new Map<number, ForeignKeyModel>();
  for (const r of rows) {
    let fk = byId.get(r.id);
    if (!fk) byId.set(r.id, (fk = { parent: r.table, from: [], to: [], onDelete: r.on_delete, onUpdate: r.on_update }));
    fk.from.push(r.from);
    fk.to.push(r.to);
  }
  // pragma_foreign_key_list numbers foreign keys last-declared first; report them as declared.
  return [...byId.values()].reverse();
}

function readTable(catalog: Catalog, row: SchemaRow): TableModel {
  const sql = row.sql ?? '';
  const flags = catalog.flags.get(row.name);
  return {
    kind: 'table',
    name: row.name,
    sql,
    columns: catalog.columns(row.name),
    foreignKeys: catalog.foreignKeys(row.name),
    autoincrement: significantTokens(sql).some((t) => t.kind === 'word' && t.text.toUpperCase() === 'AUTOINCREMENT'),
    withoutRowid: flags?.wr === 1,
    strict: flags?.strict === 1,
  };
}

/**
 * Full-text modules whose arguments are columns and `key = value` options: FTS5 (fts5.html §4) and
 * FTS3/4 (fts3.html §6, where `content=` works the same way).
 */
const FULL_TEXT_MODULES = new Set(['fts3', 'fts4', 'fts5']);

/** FTS arguments: `name [UNINDEXED]` (FTS5) or `name [type]` (FTS3/4) declares a column, `key = value` sets an option. */
function ftsArguments(args: readonly string[]): { columns: string[]; options: Record<string, string> } {
  const columns: string[] = [];
  const options: Record<string, string> = {};
  for (const arg of args) {
    const tokens = significantTokens(arg);
    if (tokens[1]?.text === '=') options[(nameOf(tokens[0]) ?? '').toLowerCase()] = valueOf(tokens[2]) ?? '';
    else if (tokens[0] !== undefined) columns.push(nameOf(tokens[0]) ?? tokens[0].text);
  }
  return { columns, options };
}

function readVirtualTable(row: SchemaRow, shadowTables: string[], relations: RelationIndex): VirtualTableModel {
  const sql = row.sql ?? '';
  const parsed = parseVirtualTable(sql);
  const fts = FULL_TEXT_MODULES.has(parsed.module) ? ftsArguments(parsed.arguments) : { columns: [], options: {} };
  const model: VirtualTableModel = {
    kind: 'virtual',
    name: row.name,
    sql,
    module: parsed.module,
    arguments: parsed.arguments,
    columns: fts.columns,
    options: fts.options,
    shadowTables,
    reads: [],
  };
  // content='' makes a contentless table; otherwise the index reads `content`'s columns of the
  // same names and its content_rowid (default "rowid") when it rebuilds or answers queries.
  const content = fts.options['content'];
  if (content) {
    model.contentTable = content;
    const rel = relations.get(content.toLowerCase());
    const wanted = new Set([...fts.columns, fts.options['content_rowid'] ?? 'rowid'].map((c) => c.toLowerCase()));
    if (rel) model.reads = [{ name: rel.name, kind: rel.kind, columns: rel.columns.filter((c) => wanted.has(c.toLowerCase())) }];
  }
  return model;
}

/** Ordinary tables, virtual tables (with shadows grouped) and the relations index. */
function readTables(catalog: Catalog, relations: RelationIndex) {
  const { flags, rows } = catalog;
  const shadowNames = [...flags].filter(([, f]) => f.type === 'shadow').map(([n]) => n);
  const tables: TableModel[] = [];
  const virtualTables: VirtualTableModel[] = [];
  const shadowOwner: Record<string, string> = {};
  const virtualRows = rows.filter((r) => r.type === 'table' && flags.get(r.name)?.type === 'virtual');
  for (const row of virtualRows) {
    // SQLite names shadow tables `<vtab>_<suffix>` (vtab.html §2.20): the longest owner prefix wins.
    const mine = shadowNames.filter((s) => s.startsWith(`${row.name}_`) && !virtualRows.some((o) => o.name.length > row.name.length && s.startsWith(`${o.name}_`)));
    for (const s of mine) shadowOwner[s] = row.name;
    virtualTables.push(readVirtualTable(row, mine.sort(), relations));
  }
  for (const row of rows) {
    const type = flags.get(row.name)?.type;
    if (row.type === 'table' && type === 'table' && !isInternalTable(row.name)) tables.push(readTable(catalog, row));
  }
  return { tables: tables.sort(byName), virtualTables: virtualTables.sort(byName), shadowOwner };
}

function readIndex(row: SchemaRow, relations: RelationIndex): IndexModel {
  const sql = row.sql ?? '';
  const tokens = significantTokens(sql);
  const parsed = parseCreateIndex(sql, tokens);
  const self = relations.get(row.tbl_name.toLowerCase());
  const columns = parsed.columns.map((text) => indexColumn(text, self));
  const model: IndexModel = { name: row.name, table: row.tbl_name, unique: parsed.unique, sql, columns, reads: [] };
  if (parsed.where !== undefined) model.where = parsed.where;
  // An index can only name its own table's columns (lang_createindex), so only `self` is a use.
  if (self) model.reads = relationUses(tokens, parsed.open, tokens.length, new Map(), { self });
  return model;
}

/** `name [COLLATE x] [ASC|DESC]` is a column; anything else is an expression. */
function indexColumn(text: string, table: Relation | undefined): IndexColumnModel {
  const tokens = significantTokens(text);
  let end = tokens.length;
  const desc = wordAt(tokens, end - 1) === 'DESC';
  if (desc || wordAt(tokens, end - 1) === 'ASC') end--;
  if (wordAt(tokens, end - 2) === 'COLLATE') end -= 2;
  const name = end === 1 ? nameOf(tokens[0]) : undefined;
  const column = name === undefined ? undefined : table?.columns.find((c) => c.toLowerCase() === name.toLowerCase());
  return { name: column ?? null, text, desc };
}

function readTrigger(row: SchemaRow, relations: RelationIndex): TriggerModel {
  const sql = row.sql ?? '';
  const tokens = significantTokens(sql);
  const header = parseTriggerHeader(sql, tokens);
  const own = relations.get(row.tbl_name.toLowerCase());
  // The WHEN clause and the body both read NEW./OLD. of the trigger's table.
  const reads = relationUses(tokens, header.readsFrom, tokens.length, relations, own ? { triggerTable: own } : {});
  const model: TriggerModel = {
    name: row.name,
    table: row.tbl_name,
    timing: header.timing,
    event: header.event,
    updateOf: header.updateOf,
    sql,
    reads: addUpdateOf(reads, own, header.updateOf),
    writes: triggerWrites(tokens, header.begin),
  };
  if (header.when !== undefined) model.when = header.when;
  return model;
}

/** `UPDATE OF a, b` depends on those columns even when the body does not name them. */
function addUpdateOf(reads: RelationUse[], own: Relation | undefined, updateOf: readonly string[]): RelationUse[] {
  if (!own || updateOf.length === 0) return reads;
  const wanted = new Set(updateOf.map((c) => c.toLowerCase()));
  return reads.map((r) =>
    r.name !== own.name ? r : { ...r, columns: own.columns.filter((c) => wanted.has(c.toLowerCase()) || r.columns.includes(c)) },
  );
}

function readView(catalog: Catalog, row: SchemaRow, relations: RelationIndex): ViewModel {
  const sql = row.sql ?? '';
  const tokens = significantTokens(sql);
  const parsed = parseCreateView(sql, tokens);
  // A broken view (its table dropped) cannot be described: fall back to its declared column names.
  const described = catalog.columns(row.name).map((c) => c.name);
  const columns = described.length > 0 ? described : parsed.columnNames;
  const reads = relationUses(tokens, parsed.selectStart, tokens.length, relations).filter((r) => r.name !== row.name);
  return { name: row.name, sql, select: parsed.select, columns, reads };
}

/** Every table, view and virtual table with its columns, for reference resolution. */
function relationsOf(catalog: Catalog): RelationIndex {
  const relations: Relation[] = [];
  for (const r of catalog.rows) {
    const type = catalog.flags.get(r.name)?.type;
    if (r.type !== 'table' && r.type !== 'view') continue;
    if (type === 'shadow' || isInternalTable(r.name)) continue;
    const kind = r.type === 'view' ? 'view' : type === 'virtual' ? 'virtual' : 'table';
    relations.push({ name: r.name, kind, columns: catalog.columns(r.name).map((c) => c.name) });
  }
  return indexRelations(relations);
}

/** The typed model of every user schema object in `db` (see SchemaModel). */
export function readSchemaModel(db: Database.Database): SchemaModel {
  const catalog = openCatalog(db);
  const { rows } = catalog;
  const relations = relationsOf(catalog);
  const { tables, virtualTables, shadowOwner } = readTables(catalog, relations);
  const indexes = rows
    .filter((r) => r.type === 'index' && r.sql !== null && !isInternalTable(r.tbl_name))
    .map((r) => readIndex(r, relations))
    .sort(byName);
  const triggers = rows
    .filter((r) => r.type === 'trigger' && !isInternalTable(r.tbl_name))
    .map((r) => readTrigger(r, relations))
    .sort(byName);
  const views = rows.filter((r) => r.type === 'view').map((r) => readView(catalog, r, relations)).sort(byName);
  return { tables, virtualTables, indexes, triggers, views, shadowOwner };
}
