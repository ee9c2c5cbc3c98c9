/**
 * A table's fingerprint: its row count, its columns and, for the tables a migration can reach, every
 * row's values keyed by primary key (a table without one is compared as a multiset of rows). Tables a
 * migration cannot reach (not named in it, not a child of a table named in it through a foreign key,
 * not written by a trigger of one) only have their count taken: nothing in the file can change them.
 */
import type Database from 'better-sqlite3';
import type { ColumnModel, SchemaModel, TableModel } from '../d1/model.js';
import { quoteIdentifier } from '../sqltext/rewrite.js';
import { tokenize, unquoteIdentifier } from '../sqltext/tokens.js';

export interface TablePrint {
  name: string;
  count: number;
  columns: ColumnModel[];
  /** Primary-key column names in key order ([] for a rowid table without one). */
  primaryKey: string[];
  /** sqlite_schema.rootpage: a rebuilt table gets new storage. */
  rootpage: number;
  /** Bytes its values take (sum of each value's length), for the cost of a rebuild. */
  bytes: number;
  /** Each row's values in `columns` order; absent when the migration cannot reach the table. */
  rows?: unknown[][];
}

export type Fingerprint = Map<string, TablePrint>;

const lower = (s: string) => s.toLowerCase();

/** Every name a migration's SQL text mentions, lower-cased (words and quoted names). */
export function mentionedNames(sql: string): Set<string> {
  const names = new Set<string>();
  for (const t of tokenize(sql)) {
    if (t.kind === 'word' || t.kind === 'quoted') names.add(lower(unquoteIdentifier(t)));
    // A double-quoted name D1 may read as a string; a string may also name a table in `content='t'`.
    if (t.kind === 'string') names.add(lower(t.text.slice(1, -1)));
  }
  return names;
}

/** The tables a migration with `mentioned` names can change: named ones, their FK children, tables their triggers write. */
export function reachableTables(model: SchemaModel, mentioned: ReadonlySet<string>): Set<string> {
  const reach = new Set(model.tables.map((t) => lower(t.name)).filter((n) => mentioned.has(n)));
  for (let grew = true; grew; ) {
    grew = false;
    const add = (name: string) => {
      if (!reach.has(lower(name))) reach.add(lower(name)), (grew = true);
    };
    for (const t of model.tables) if (t.foreignKeys.some((fk) => reach.has(lower(fk.parent)))) add(t.name);
    for (const tr of model.triggers) if (reach.has(lower(tr.table))) tr.writes.forEach(add);
  }
  return reach;
}

function primaryKeyOf(t: TableModel): string[] {
  return t.columns.filter((c) => c.primaryKey > 0).sort((a, b) => a.primaryKey - b.primaryKey).map((c) => c.name);
}

function printTable(db: Database.Database, t: TableModel, withRows: boolean, rootpages: Map<string, number>): TablePrint {
  // Generated columns are computed, not kept: a migration may change them on purpose.
  const columns = t.columns.filter((c) => c.generated === 'no');
  const from = quoteIdentifier(t.name);
  const count = db.prepare(`SELECT count(*) FROM ${from}`).pluck().get() as number;
  const print: TablePrint = { name: t.name, count, columns, primaryKey: primaryKeyOf(t), rootpage: rootpages.get(lower(t.name)) ?? 0, bytes: 0 };
  if (withRows && columns.length > 0) {
    // Integers as BigInt: bound again (to convert a value by a new column's affinity) they stay integers.
    print.rows = db.prepare(`SELECT ${columns.map((c) => quoteIdentifier(c.name)).join(', ')} FROM ${from}`).raw().safeIntegers(true).all() as unknown[][];
    print.bytes = print.rows.reduce<number>((sum, row) => sum + row.reduce<number>((s, v) => s + sizeOf(v), 0), 0);
  }
  return print;
}

/** A value's stored size, roughly as SQLite's record format takes it. */
function sizeOf(v: unknown): number {
  if (v === null || v === undefined) return 1;
  if (typeof v === 'number' || typeof v === 'bigint') return 8;
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (Buffer.isBuffer(v)) return v.length;
  return 8;
}

/** Fingerprint every table of `model`; rows only for `reach` (lower-cased names), or all when undefined. */
export function fingerprint(db: Database.Database, model: SchemaModel, reach?: ReadonlySet<string>): Fingerprint {
  const rootpages = new Map(
    (db.prepare("SELECT name, rootpage FROM sqlite_schema WHERE type = 'table'").all() as { name: string; rootpage: number }[]).map((r) => [lower(r.name), r.rootpage]),
  );
  const out: Fingerprint = new Map();
  for (const t of model.tables) out.set(lower(t.name), printTable(db, t, reach === undefined || reach.has(lower(t.name)), rootpages));
  return out;
}
