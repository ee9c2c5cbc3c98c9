/**
 * Compare a table's fingerprint before and after a migration, following the renames the migration
 * declares, and classify every row: kept, changed, lost, added, or dropped on purpose. A column whose
 * declared type changed is compared as SQLite stores the old value in the new column (its affinity
 * turns '1' into 1 in an INTEGER column): SQLite itself converts it, in a scratch database.
 */
import Database from 'better-sqlite3';
import type { Declared } from './declared.js';
import type { Fingerprint, TablePrint } from './fingerprint.js';
import type { TableFigures } from './types.js';

const lower = (s: string) => s.toLowerCase();

/** Stores values in a column of a given declared type and reads them back: SQLite's affinity. */
export class AffinityConverter {
  private readonly db = new Database(':memory:');
  private readonly statements = new Map<string, Database.Statement>();

  convert(type: string, values: unknown[]): unknown[] {
    let insert = this.statements.get(lower(type));
    if (!insert) {
      const table = `c${this.statements.size}`;
      // A declared type is a name and optional (n[, m]); anything else gets no affinity beyond BLOB.
      const declared = /^[A-Za-z_ ]*(\(\s*[0-9]+\s*(,\s*[0-9]+\s*)?\))?$/.test(type) ? type : '';
      this.db.exec(`CREATE TABLE ${table} (v ${declared})`);
      insert = this.db.prepare(`INSERT INTO ${table} (v) VALUES (?) RETURNING v`).pluck().safeIntegers(true);
      this.statements.set(lower(type), insert);
    }
    const stmt = insert;
    return values.map((v) => stmt.get(v));
  }

  close(): void {
    this.db.close();
  }
}

/** SQLite's equality: an integer equals a real of the same value; blobs by bytes. */
function sameValue(a: unknown, b: unknown): boolean {
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (typeof a === 'bigint' && typeof b === 'number') return Number(a) === b;
  if (typeof a === 'number' && typeof b === 'bigint') return a === Number(b);
  return a === b;
}

/** A value as a key part: integers and reals of one value alike, text and blobs apart. */
function keyPart(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return `x'${v.toString('hex')}'`;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : `${v}n`;
  return v;
}

const keyText = (values: unknown[]) => JSON.stringify(values.map(keyPart));

interface ColumnPair {
  before: number;
  after: number;
  name: string;
  /** A NULL that became a value is intended (the column became NOT NULL). */
  filled: boolean;
}

interface Pairing {
  pairs: ColumnPair[];
  dropped: number[];
  lost: number[];
}

function pairColumns(before: TablePrint, after: TablePrint, declared: Declared): Pairing {
  const renames = declared.columns.get(lower(after.name));
  const droppedOnPurpose = declared.droppedColumns.get(lower(after.name));
  // A column may take the name of one that was dropped, or renamed away: it is not that column.
  const renamedTo = new Set([...(renames?.values() ?? [])].map(lower));
  const pairing: Pairing = { pairs: [], dropped: [], lost: [] };
  before.columns.forEach((c, i) => {
    const renamed = renames?.get(lower(c.name));
    const target = lower(renamed ?? c.name);
    const j = renamed === undefined && renamedTo.has(target) ? -1 : after.columns.findIndex((a) => lower(a.name) === target);
    if (j >= 0) pairing.pairs.push({ before: i, after: j, name: after.columns[j]!.name, filled: declared.filled.has(`${lower(after.name)}.${target}`) });
    else if (droppedOnPurpose?.has(lower(c.name))) pairing.dropped.push(i);
    else pairing.lost.push(i);
  });
  return pairing;
}

function nonNullCount(rows: unknown[][], column: number): number {
  return rows.reduce<number>((n, r) => n + (r[column] === null ? 0 : 1), 0);
}

/** The before rows' kept values as the after table stores them. */
function convertedRows(before: TablePrint, after: TablePrint, pairs: ColumnPair[], converter: AffinityConverter): unknown[][] {
  const rows = before.rows ?? [];
  const columns = pairs.map((p) => {
    const values = rows.map((r) => r[p.before]);
    const from = before.columns[p.before]!.type;
    const to = after.columns[p.after]!.type;
    return lower(from) === lower(to) ? values : converter.convert(to, values);
  });
  return rows.map((_, i) => columns.map((col) => col[i]));
}

function emptyFigures(table: string, before: TablePrint | undefined, after: TablePrint | undefined): TableFigures {
  return { table, rowsBefore: before?.count ?? 0, rowsAfter: after?.count ?? 0, lost: 0, changed: 0, added: 0, droppedOnPurpose: 0, droppedColumns: [], lostColumns: [], changedColumns: [] };
}

/** Rows keyed by the primary key (mapped to the after columns): lost, changed by column, added. */
function compareKeyed(figures: TableFigures, old: unknown[][], now: unknown[][], pairs: ColumnPair[], key: number[]): void {
  const after = new Map(now.map((r) => [keyText(key.map((k) => r[pairs[k]!.after])), r]));
  const changed = new Map<string, number>();
  let matched = 0;
  for (const r of old) {
    const a = after.get(keyText(key.map((k) => r[k])));
    if (!a) {
      figures.lost++;
      continue;
    }
    matched++;
    let differs = false;
    pairs.forEach((p, i) => {
      if (sameValue(r[i], a[p.after]) || (p.filled && r[i] === null)) return;
      differs = true;
      changed.set(p.name, (changed.get(p.name) ?? 0) + 1);
    });
    if (differs) figures.changed++;
  }
  figures.added = now.length - matched;
  figures.changedColumns = [...changed].map(([column, rows]) => ({ column, rows }));
}

/** Rows without a key: a multiset of kept values. */
function compareMultiset(figures: TableFigures, old: unknown[][], now: unknown[][], pairs: ColumnPair[]): void {
  const left = new Map<string, number>();
  for (const r of now) {
    const k = keyText(pairs.map((p) => r[p.after]));
    left.set(k, (left.get(k) ?? 0) + 1);
  }
  let matched = 0;
  for (const r of old) {
    const k = keyText(r);
    const n = left.get(k) ?? 0;
    if (n > 0) left.set(k, n - 1), matched++;
    else figures.lost++;
  }
  figures.added = now.length - matched;
}

/** A primary key identifies rows only when no two share it (a NULL in a composite key does not conflict). */
function uniqueKeys(rows: unknown[][], key: number[]): boolean {
  const seen = new Set<string>();
  for (const r of rows) {
    const k = keyText(key.map((i) => r[i]));
    if (seen.has(k) || key.some((i) => r[i] === null)) return false;
    seen.add(k);
  }
  return true;
}

function compareSurvivor(before: TablePrint, after: TablePrint, declared: Declared, converter: AffinityConverter): TableFigures {
  const figures = emptyFigures(after.name, before, after);
  if (lower(before.name) !== lower(after.name)) figures.renamedFrom = before.name;
  if (!before.rows || !after.rows) {
    figures.lost = Math.max(0, before.count - after.count);
    figures.added = Math.max(0, after.count - before.count);
    return figures;
  }
  const { pairs, dropped, lost } = pairColumns(before, after, declared);
  figures.droppedColumns = dropped.map((i) => ({ column: before.columns[i]!.name, values: nonNullCount(before.rows!, i) }));
  figures.lostColumns = lost.map((i) => ({ column: before.columns[i]!.name, values: nonNullCount(before.rows!, i) })).filter((c) => c.values > 0);
  const old = convertedRows(before, after, pairs, converter);
  const key = before.primaryKey.map((name) => pairs.findIndex((p) => lower(before.columns[p.before]!.name) === lower(name)));
  if (key.length > 0 && key.every((k) => k >= 0) && uniqueKeys(old, key)) compareKeyed(figures, old, after.rows, pairs, key);
  else compareMultiset(figures, old, after.rows, pairs);
  return figures;
}

/** Figures for every table of `before` and `after`, by the after name (before name when it is gone). */
export function compareFingerprints(before: Fingerprint, after: Fingerprint, declared: Declared, converter: AffinityConverter): TableFigures[] {
  const figures: TableFigures[] = [];
  const seen = new Set<string>();
  for (const [name, b] of before) {
    const target = lower(declared.tables.get(name) ?? b.name);
    const a = after.get(target);
    if (a && !declared.droppedTables.has(name)) {
      seen.add(target);
      figures.push(compareSurvivor(b, a, declared, converter));
      continue;
    }
    const gone = emptyFigures(b.name, b, undefined);
    if (declared.droppedTables.has(name)) gone.droppedOnPurpose = b.count;
    else gone.lost = b.count;
    figures.push(gone);
  }
  for (const [name, a] of after) if (!seen.has(name)) figures.push({ ...emptyFigures(a.name, undefined, a), added: a.count });
  return figures;
}
