/**
 * Read a SQLite/D1 database's user schema and rows into plain, deterministic data, so tests can
 * assert "this migration produced the same schema as a fresh build" and "no row was lost or changed"
 * with `expect(a).toEqual(b)`.
 */
import type Database from 'better-sqlite3';
import { normalizeSql, tokenize } from '../sqltext/tokens.js';

/** Tables that belong to SQLite, D1/miniflare or a migration runner rather than to the user. */
export function isInternalTable(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    lower.startsWith('sqlite_') ||
    lower === 'd1_migrations' ||
    lower === '__drizzle_migrations' ||
    lower.startsWith('_cf_')
  );
}

export interface ColumnDescription {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
  /** 0 ordinary, 1 hidden (virtual tables), 2 VIRTUAL generated, 3 STORED generated. */
  hidden: number;
}

export interface ForeignKeyDescription {
  table: string;
  from: string[];
  /** Parent columns; null entries when the parent's primary key is implied. */
  to: (string | null)[];
  on_update: string;
  on_delete: string;
  match: string;
}

export interface IndexColumnDescription {
  /** Column name, or null for an expression (see the index `sql`). */
  name: string | null;
  desc: number;
  coll: string;
}

export interface IndexDescription {
  name: string;
  unique: number;
  /** 'c' CREATE INDEX, 'u' UNIQUE constraint, 'pk' PRIMARY KEY. */
  origin: string;
  partial: number;
  columns: IndexColumnDescription[];
  /** Normalised CREATE INDEX text; null for automatic (constraint) indexes. */
  sql: string | null;
}

export interface TableDescription {
  name: string;
  columns: ColumnDescription[];
  foreignKeys: ForeignKeyDescription[];
  indexes: IndexDescription[];
  /** Normalised table SQL without the `CREATE TABLE <name>` header. */
  sql: string;
  autoincrement: boolean;
  withoutRowid: boolean;
  strict: boolean;
}

export interface NamedSqlDescription {
  name: string;
  /** Normalised CREATE text (see normalizeSql). */
  sql: string;
}

export interface TriggerDescription extends NamedSqlDescription {
  table: string;
}

export interface SchemaDescription {
  tables: TableDescription[];
  views: NamedSqlDescription[];
  triggers: TriggerDescription[];
}

interface MasterRow {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function masterRows(db: Database.Database): MasterRow[] {
  return db.prepare('SELECT type, name, tbl_name, sql FROM main.sqlite_schema').all() as MasterRow[];
}

/** Names of the user's tables, sorted. */
export function userTables(db: Database.Database): string[] {
  return masterRows(db)
    .filter((r) => r.type === 'table' && !isInternalTable(r.name))
    .map((r) => r.name)
    .sort();
}

/**
 * Normalise a CREATE TABLE statement to its body: drop `CREATE [TEMP] [VIRTUAL] TABLE
 * [IF NOT EXISTS] [schema.]name`, then normalizeSql the rest (quotes removed, whitespace collapsed).
 */
export function normalizeTableSql(sql: string): string {
  const tokens = tokenize(sql).filter((t) => t.kind !== 'ws' && t.kind !== 'comment');
  let i = 0;
  const word = (k: number): string => (tokens[k]?.kind === 'word' ? tokens[k]!.text.toUpperCase() : '');
  if (word(i) === 'CREATE') i++;
  if (word(i) === 'TEMP' || word(i) === 'TEMPORARY') i++;
  if (word(i) === 'VIRTUAL') i++;
  if (word(i) === 'TABLE') i++;
  if (word(i) === 'IF' && word(i + 1) === 'NOT' && word(i + 2) === 'EXISTS') i += 3;
  i++; // the name
  if (tokens[i]?.text === '.') i += 2; // schema.name
  const rest = tokens[i];
  return rest === undefined ? '' : normalizeSql(sql.slice(rest.start));
}

function describeColumns(db: Database.Database, table: string): ColumnDescription[] {
  const rows = db.prepare(`SELECT * FROM pragma_table_xinfo(?) ORDER BY cid`).all(table) as (ColumnDescription & {
    cid: number;
  })[];
  return rows.map((r) => ({
    name: r.name,
    type: r.type,
    notnull: r.notnull,
    dflt_value: r.dflt_value,
    pk: r.pk,
    hidden: r.hidden,
  }));
}

function describeForeignKeys(db: Database.Database, table: string): ForeignKeyDescription[] {
  const rows = db.prepare(`SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq`).all(table) as {
    id: number;
    seq: number;
    table: string;
    from: string;
    to: string | null;
    on_update: string;
    on_delete: string;
    match: string;
  }[];
  const groups = new Map<number, ForeignKeyDescription>();
  for (const r of rows) {
    let fk = groups.get(r.id);
    if (!fk) {
      fk = { table: r.table, from: [], to: [], on_update: r.on_update, on_delete: r.on_delete, match: r.match };
      groups.set(r.id, fk);
    }
    fk.from.push(r.from);
    fk.to.push(r.to);
  }
  return [...groups.values()].sort((a, b) => {
    const ka = JSON.stringify(a);
    const kb = JSON.stringify(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

function describeIndexes(db: Database.Database, table: string, sqlByIndex: Map<string, string | null>): IndexDescription[] {
  const list = db.prepare(`SELECT * FROM pragma_index_list(?)`).all(table) as {
    name: string;
    unique: number;
    origin: string;
    partial: number;
  }[];
  return list
    .map((ix) => {
      const cols = db
        .prepare(`SELECT * FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno`)
        .all(ix.name) as { name: string | null; desc: number; coll: string }[];
      const sql = sqlByIndex.get(ix.name) ?? null;
      return {
        name: ix.name,
        unique: ix.unique,
        origin: ix.origin,
        partial: ix.partial,
        columns: cols.map((c) => ({ name: c.name, desc: c.desc, coll: c.coll })),
        sql: sql === null ? null : normalizeSql(sql),
      };
    })
    .sort(byName);
}

function hasAutoincrement(sql: string): boolean {
  return tokenize(sql).some((t) => t.kind === 'word' && t.text.toUpperCase() === 'AUTOINCREMENT');
}

/**
 * A normalised, deterministic description of the user schema: tables (columns, foreign keys,
 * indexes, body SQL, flags), views and triggers, each sorted by name. Ignores sqlite_*,
 * d1_migrations, __drizzle_migrations and _cf_* tables.
 */
export function describeSchema(db: Database.Database): SchemaDescription {
  const master = masterRows(db);
  const sqlByIndex = new Map<string, string | null>();
  for (const r of master) if (r.type === 'index') sqlByIndex.set(r.name, r.sql);
  const tableList = new Map<string, { wr: number; strict: number }>();
  for (const r of db.prepare(`SELECT name, wr, strict FROM pragma_table_list WHERE schema = 'main'`).all() as {
    name: string;
    wr: number;
    strict: number;
  }[]) {
    tableList.set(r.name, r);
  }

  const tables: TableDescription[] = master
    .filter((r) => r.type === 'table' && !isInternalTable(r.name))
    .map((r) => {
      const sql = r.sql ?? '';
      const flags = tableList.get(r.name);
      return {
        name: r.name,
        columns: describeColumns(db, r.name),
        foreignKeys: describeForeignKeys(db, r.name),
        indexes: describeIndexes(db, r.name, sqlByIndex),
        sql: normalizeTableSql(sql),
        autoincrement: hasAutoincrement(sql),
        withoutRowid: flags?.wr === 1,
        strict: flags?.strict === 1,
      };
    })
    .sort(byName);

  const views = master
    .filter((r) => r.type === 'view')
    .map((r) => ({ name: r.name, sql: normalizeSql(r.sql ?? '') }))
    .sort(byName);

  const triggers = master
    .filter((r) => r.type === 'trigger' && !isInternalTable(r.tbl_name))
    .map((r) => ({ name: r.name, table: r.tbl_name, sql: normalizeSql(r.sql ?? '') }))
    .sort(byName);

  return { tables, views, triggers };
}

export type Row = Record<string, unknown>;

/**
 * Every user table's rows, keyed by table name (sorted): ordered by rowid, or by every column for
 * WITHOUT ROWID tables. The rowid itself is not included (a rebuild may renumber tables that have no
 * INTEGER PRIMARY KEY).
 */
export function dumpRows(db: Database.Database): Record<string, Row[]> {
  const out: Record<string, Row[]> = {};
  const flags = new Map(
    (db.prepare(`SELECT name, type, wr FROM pragma_table_list WHERE schema = 'main'`).all() as {
      name: string;
      type: string;
      wr: number;
    }[]).map((r) => [r.name, r]),
  );
  for (const table of userTables(db)) {
    const info = flags.get(table);
    let order: string;
    if (info?.wr === 1) {
      const cols = (db.prepare(`SELECT name FROM pragma_table_info(?) ORDER BY cid`).all(table) as { name: string }[]).map(
        (c) => quoteIdent(c.name),
      );
      order = cols.join(', ');
    } else {
      order = '_rowid_';
    }
    out[table] = db.prepare(`SELECT * FROM ${quoteIdent(table)} ORDER BY ${order}`).all() as Row[];
  }
  return out;
}

/** AUTOINCREMENT high-water marks from sqlite_sequence, keyed by user table name (sorted). */
export function readSequences(db: Database.Database): Record<string, number> {
  const exists = db.prepare(`SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence'`).get();
  if (!exists) return {};
  const rows = db.prepare('SELECT name, seq FROM sqlite_sequence ORDER BY name').all() as { name: string; seq: number }[];
  const out: Record<string, number> = {};
  for (const r of rows) if (!isInternalTable(r.name)) out[r.name] = r.seq;
  return out;
}

export interface ForeignKeyViolation {
  table: string;
  rowid: number | null;
  parent: string;
  fkid: number;
}

export interface IntegrityReport {
  /** `PRAGMA foreign_key_check` rows. */
  foreignKeyViolations: ForeignKeyViolation[];
  /** `PRAGMA integrity_check` messages (`['ok']` when healthy). */
  integrity: string[];
  ok: boolean;
}

/** Run `PRAGMA foreign_key_check` and `PRAGMA integrity_check`. */
export function checkIntegrity(db: Database.Database): IntegrityReport {
  const foreignKeyViolations = db.prepare('PRAGMA foreign_key_check').all() as ForeignKeyViolation[];
  const integrity = (db.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[]).map(
    (r) => r.integrity_check,
  );
  return {
    foreignKeyViolations,
    integrity,
    ok: foreignKeyViolations.length === 0 && integrity.length === 1 && integrity[0] === 'ok',
  };
}

