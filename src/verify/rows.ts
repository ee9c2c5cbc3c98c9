/**
 * Synthetic rows that satisfy the schema as it stands: built from the replayed schema model (types,
 * NOT NULL, primary keys, foreign keys to rows that exist) and checked by SQLite itself. A row that
 * SQLite rejects (a unique index, a CHECK, a trigger) is tried again with other candidates: the
 * literals the table's own SQL names (so `CHECK (role IN ('admin', 'member'))` finds its values),
 * NULL where allowed, small numbers. A row that cannot be made after a few tries is skipped, and a
 * table where none can be made is reported; nothing loops. Deterministic for a seed.
 */
import type Database from 'better-sqlite3';
import type { ColumnModel, ForeignKeyModel, SchemaModel, TableModel } from '../d1/model.js';
import { tokenize, unquoteIdentifier, type Token } from '../sqltext/tokens.js';
import { quoteIdentifier as quoteName } from '../sqltext/rewrite.js';
import { affinityOf } from '../sqltext/affinity.js';

/** A seeded pseudo-random generator (mulberry32): the same seed gives the same rows. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A table that could not be given the rows asked for. */
export interface Shortfall {
  table: string;
  wanted: number;
  inserted: number;
  /** SQLite's last message for a rejected row. */
  reason: string;
}

const ATTEMPTS = 8;
/** Consecutive rows that fail before a table is given up. */
const GIVE_UP_AFTER = 20;
/** Values any CHECK is likely to accept when the table's own literals do not help. */
const GENERIC: unknown[] = [0, 1, '', 'a', '{}', '[]'];

/** Tables in an order where every parent comes before its children (cycles in name order). */
export function parentsFirst(tables: readonly TableModel[]): TableModel[] {
  const byName = new Map(tables.map((t) => [t.name.toLowerCase(), t]));
  const done = new Set<string>();
  const out: TableModel[] = [];
  const visit = (t: TableModel, path: Set<string>) => {
    const key = t.name.toLowerCase();
    if (done.has(key) || path.has(key)) return;
    path.add(key);
    for (const fk of t.foreignKeys) {
      const parent = byName.get(fk.parent.toLowerCase());
      if (parent && parent !== t) visit(parent, path);
    }
    done.add(key);
    out.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return out;
}

function literalOf(t: Token): unknown {
  if (t.kind === 'string') return t.text.slice(1, -1).split("''").join("'");
  if (t.kind === 'other' && /^[0-9]+(\.[0-9]+)?$/.test(t.text)) return Number(t.text);
  return undefined;
}

/**
 * The literals of a table's CREATE text by column (lower-cased): those in the column's definition,
 * and those of each table CHECK that names the column. Candidate values for its checks.
 */
function literalsByColumn(sql: string, columns: readonly ColumnModel[]): Map<string, unknown[]> {
  const names = new Set(columns.map((c) => c.name.toLowerCase()));
  const out = new Map<string, unknown[]>();
  const tokens = tokenize(sql).filter((t) => t.kind !== 'ws' && t.kind !== 'comment');
  let depth = 0;
  let item: Token[] = [];
  const flush = () => {
    const named = item.filter((t) => t.kind === 'word' || t.kind === 'quoted').map((t) => unquoteIdentifier(t).toLowerCase()).filter((n) => names.has(n));
    const values = item.map(literalOf).filter((v) => v !== undefined);
    // A column definition starts with its name; a table constraint names its columns anywhere.
    const first = item[0] ? unquoteIdentifier(item[0]).toLowerCase() : '';
    for (const n of names.has(first) ? [first] : named) out.set(n, [...(out.get(n) ?? []), ...values]);
    item = [];
  };
  for (const t of tokens) {
    if (t.text === '(') depth++;
    if (t.text === ')') depth--;
    if (depth === 1 && (t.text === ',' || t.text === '(')) {
      if (t.text === ',') flush();
      if (t.text === ',' || item.length === 0) continue;
    }
    if (depth >= 1) item.push(t);
  }
  flush();
  return out;
}

interface TablePlan {
  table: TableModel;
  columns: ColumnModel[];
  /** Foreign keys with their parent key columns resolved. */
  references: { fk: ForeignKeyModel; to: string[]; keys: unknown[][] }[];
  /** Candidate values by column (lower-cased): the literals its definition and checks name. */
  literals: Map<string, unknown[]>;
  /** Single INTEGER PRIMARY KEY (rowid alias): gets the row's serial. */
  rowidAlias?: string;
}

function primaryKeyOf(t: TableModel): string[] {
  return t.columns.filter((c) => c.primaryKey > 0).sort((a, b) => a.primaryKey - b.primaryKey).map((c) => c.name);
}

function parentKeys(db: Database.Database, parent: string, to: string[]): unknown[][] {
  const cols = to.map(quoteName).join(', ');
  const where = to.map((c) => `${quoteName(c)} IS NOT NULL`).join(' AND ');
  try {
    return db.prepare(`SELECT DISTINCT ${cols} FROM ${quoteName(parent)} WHERE ${where} LIMIT 5000`).raw().all() as unknown[][];
  } catch {
    return [];
  }
}

function planTable(db: Database.Database, table: TableModel, model: SchemaModel): TablePlan {
  const columns = table.columns.filter((c) => c.generated === 'no');
  const pk = primaryKeyOf(table);
  const pkColumn = pk.length === 1 ? columns.find((c) => c.name === pk[0]) : undefined;
  const references = table.foreignKeys.map((fk) => {
    const parent = model.tables.find((t) => t.name.toLowerCase() === fk.parent.toLowerCase());
    const to = fk.to.every((c) => c !== null) ? (fk.to as string[]) : parent ? primaryKeyOf(parent) : [];
    return { fk, to, keys: parent ? parentKeys(db, parent.name, to) : [] };
  });
  const plan: TablePlan = { table, columns, references, literals: literalsByColumn(table.sql, columns) };
  if (pkColumn && pkColumn.type.toUpperCase() === 'INTEGER' && !table.withoutRowid) plan.rowidAlias = pkColumn.name;
  return plan;
}

/** A value of the column's type, unique per serial `n`. */
function typedValue(c: ColumnModel, n: number, salt: string): unknown {
  switch (affinityOf(c.type)) {
    case 'INTEGER':
    case 'NUMERIC':
      return n;
    case 'REAL':
      return n + 0.25;
    case 'TEXT':
      return `${c.name}-${salt}-${n}`;
    case 'BLOB':
      return c.type === '' ? `${c.name}-${salt}-${n}` : Buffer.from(`${salt}-${n}`);
  }
}

function candidateValue(p: TablePlan, c: ColumnModel, n: number, attempt: number, random: () => number, salt: string): unknown {
  if (attempt === 0) return !c.notNull && random() < 0.1 ? null : typedValue(c, n, salt);
  // A retry varies only the columns a definition or check constrains; the others stay unique values.
  const own = p.literals.get(c.name.toLowerCase());
  if (!own || own.length === 0) return typedValue(c, n + attempt * 7919, salt);
  const r = random();
  if (!c.notNull && r < 0.15) return null;
  const pool = r < 0.8 ? own : GENERIC;
  return pool[Math.floor(random() * pool.length)];
}

/** One candidate row: column name → value. */
function candidateRow(p: TablePlan, n: number, attempt: number, random: () => number, salt: string): Map<string, unknown> | undefined {
  const row = new Map<string, unknown>();
  for (const c of p.columns) row.set(c.name, c.name === p.rowidAlias ? n : candidateValue(p, c, n, attempt, random, salt));
  for (const ref of p.references) {
    const self = ref.fk.parent.toLowerCase() === p.table.name.toLowerCase();
    const nullable = ref.fk.from.every((f) => !p.columns.find((c) => c.name === f)?.notNull);
    if (ref.keys.length > 0) {
      // In turn first (a one-to-one child takes every parent once), at random on a retry.
      const at = attempt === 0 ? n % ref.keys.length : Math.floor(random() * ref.keys.length);
      const key = ref.keys[at]!;
      ref.fk.from.forEach((f, i) => row.set(f, key[i]));
    } else if (self && ref.to.every((t, i) => row.has(t) && ref.fk.from[i] !== t)) {
      ref.fk.from.forEach((f, i) => row.set(f, row.get(ref.to[i]!))); // the row references itself
    } else if (nullable) {
      for (const f of ref.fk.from) row.set(f, null);
    } else return undefined; // no parent row to reference
  }
  return row;
}

function serialStart(db: Database.Database, t: TableModel): number {
  const sql = t.withoutRowid ? `SELECT count(*) FROM ${quoteName(t.name)}` : `SELECT coalesce(max(rowid), 0) FROM ${quoteName(t.name)}`;
  return (db.prepare(sql).pluck().get() as number) + 1;
}

/** Insert `wanted` rows into one table; returns how many went in and SQLite's last refusal. */
function fillTable(db: Database.Database, p: TablePlan, wanted: number, random: () => number, salt: string): { inserted: number; reason: string } {
  const names = p.columns.map((c) => c.name);
  let insert: Database.Statement;
  try {
    insert = db.prepare(`INSERT INTO ${quoteName(p.table.name)} (${names.map(quoteName).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`);
  } catch (e) {
    return { inserted: 0, reason: (e as Error).message }; // e.g. a trigger or reference naming a table that is gone
  }
  let serial = serialStart(db, p.table);
  let inserted = 0;
  let failures = 0;
  let reason = '';
  const selfRef = p.references.filter((r) => r.fk.parent.toLowerCase() === p.table.name.toLowerCase());
  while (inserted < wanted && failures < GIVE_UP_AFTER) {
    let ok = false;
    for (let attempt = 0; attempt < ATTEMPTS && !ok; attempt++) {
      const row = candidateRow(p, serial, attempt, random, salt);
      serial++;
      if (!row) break;
      try {
        insert.run(names.map((n) => row.get(n) ?? null));
        ok = true;
        for (const r of selfRef) r.keys.push(r.to.map((c) => row.get(c)));
      } catch (e) {
        reason = e instanceof Error ? e.message : String(e);
        if (!/^SQLITE_(CONSTRAINT|MISMATCH)/.test((e as { code?: string }).code ?? '')) attempt = ATTEMPTS;
      }
    }
    if (ok) inserted++, (failures = 0);
    else failures++;
  }
  if (inserted < wanted && reason === '') reason = 'no parent row to reference';
  return { inserted, reason };
}

export interface FillRequest {
  /** Rows every table should hold at least. */
  target: number;
  /** Tables that get `fresh` new rows even when they hold `target` already (the migration touched them). */
  touched: ReadonlySet<string>;
  fresh: number;
  random: () => number;
  /** Mixed into text values: the migration tag, so rows of different rounds differ. */
  salt: string;
}

/** Top every table of `model` up to the target (parents first), returning the tables that fell short. */
export function fillTables(db: Database.Database, model: SchemaModel, request: FillRequest): Shortfall[] {
  const shortfalls: Shortfall[] = [];
  for (const table of parentsFirst(model.tables)) {
    const count = db.prepare(`SELECT count(*) FROM ${quoteName(table.name)}`).pluck().get() as number;
    const wanted = Math.max(request.target - count, request.touched.has(table.name.toLowerCase()) ? request.fresh : 0);
    if (wanted <= 0) continue;
    const plan = planTable(db, table, model);
    const { inserted, reason } = db.transaction(() => fillTable(db, plan, wanted, request.random, request.salt))();
    // A few rows short (a one-to-one child whose parents are all taken) still verifies the table.
    if (inserted < wanted / 2) shortfalls.push({ table: table.name, wanted, inserted, reason });
  }
  return shortfalls;
}

