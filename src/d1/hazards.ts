/**
 * D1 hazard rules over the real schema at one point of a migration: what a `DROP TABLE` reaches
 * through foreign-key actions, how deep a cascade goes, which views no longer compile, and D1's
 * limits. `lint` asks them before and after each statement of a file; they read the schema model,
 * never the SQL text of a plan.
 *
 * Why the drop reaches children: with foreign keys on (always, on D1), `DROP TABLE t` first runs an
 * implicit `DELETE FROM t` (SQLite `sqlite3FkDropTable`), which fires ON DELETE CASCADE / SET NULL
 * / SET DEFAULT on every child, and fails at once on a NO ACTION or RESTRICT child that has rows
 * unless `defer_foreign_keys` is ON. `PRAGMA foreign_keys=OFF` cannot stop it inside D1's
 * per-file transaction.
 */
import type Database from 'better-sqlite3';
import { isInternalTable } from './inspect.js';

/** D1's limits (developers.cloudflare.com/d1/platform/limits). */
export const D1_MAX_STATEMENT_BYTES = 100_000;
export const D1_MAX_COLUMNS = 100;
/**
 * Local D1 (workerd) limits trigger recursion to 10 levels; every table a cascade reaches below the
 * first is one level: a chain of 11 tables works, 12 fail ("too many levels of trigger recursion").
 */
export const D1_MAX_CASCADE_TABLES = 11;

export interface DropReach {
  /** Tables whose rows the drop deletes through ON DELETE CASCADE, the whole cascade. */
  emptied: string[];
  /** Tables whose references the drop sets to NULL or to their default. */
  nulled: string[];
  /** NO ACTION / RESTRICT children the drop (or its cascade) leaves dangling: the statement fails. */
  blocking: string[];
  /** Tables in the longest chain of deletes, the dropped table included. */
  depth: number;
}

/** One foreign key as the drop rules see it: which table names which, and its ON DELETE action. */
export interface ForeignKeyEdge {
  child: string;
  parent: string;
  /** Upper-cased: CASCADE, SET NULL, SET DEFAULT, RESTRICT, NO ACTION. */
  onDelete: string;
}

/** The foreign keys that name a table. */
export type ChildrenOf = (parent: string) => readonly ForeignKeyEdge[];

/**
 * childrenOf over a list of foreign keys, as SQLite resolves them: a foreign key names its parent
 * case-insensitively (ASCII), and the edges come back under the name asked for. Self references are
 * left out.
 */
export function childrenIn(edges: readonly ForeignKeyEdge[]): ChildrenOf {
  const index = new Map<string, ForeignKeyEdge[]>();
  for (const e of edges) {
    const parent = asciiLower(e.parent);
    if (parent === asciiLower(e.child)) continue;
    index.set(parent, [...(index.get(parent) ?? []), e]);
  }
  return (parent) => (index.get(asciiLower(parent)) ?? []).map((e) => ({ ...e, parent }));
}

/** SQLite's lower() without ICU: A-Z only. */
const asciiLower = (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

interface EdgeQueries {
  tables: Database.Statement<[]>;
  keys: Database.Statement<[string]>;
  /** `name\0CREATE text` → that table's foreign keys (a table's keys follow from its name and text alone). */
  known: Map<string, ForeignKeyEdge[]>;
}

/** foreignKeyEdges's queries, prepared once per database (lint asks at every DROP TABLE). */
const edgeQueryCache = new WeakMap<Database.Database, EdgeQueries>();

function edgeQueries(db: Database.Database): EdgeQueries {
  let q = edgeQueryCache.get(db);
  if (q === undefined) {
    q = {
      tables: db.prepare<[]>(`SELECT name, sql FROM sqlite_schema WHERE type = 'table'`).raw(),
      keys: db.prepare<[string]>(`SELECT "table" AS parent, on_delete AS onDelete FROM pragma_foreign_key_list(?) WHERE seq = 0`),
      known: new Map(),
    };
    edgeQueryCache.set(db, q);
  }
  return q;
}

/** Every foreign key of `db` as it is now; a table's keys are read once per CREATE text along the database's life. */
export function foreignKeyEdges(db: Database.Database): ForeignKeyEdge[] {
  const { tables, keys, known: cache } = edgeQueries(db);
  return (tables.all() as [string, string][]).flatMap(([child, sql]) => {
    const key = `${child}\u0000${sql}`;
    let edges = cache.get(key);
    if (edges === undefined) {
      edges = (keys.all(child) as { parent: string; onDelete: string }[]).map((k) => ({ child, parent: k.parent, onDelete: k.onDelete.toUpperCase() }));
      cache.set(key, edges);
    }
    return edges;
  });
}

/** `edges` after `DROP TABLE table`, which removes the table's own foreign keys and changes no other table's. */
export function edgesWithout(edges: readonly ForeignKeyEdge[], table: string): ForeignKeyEdge[] {
  const dropped = asciiLower(table);
  return edges.filter((e) => asciiLower(e.child) !== dropped);
}

/** parent → the foreign keys that name it (self references left out). */
function childrenIndex(edges: readonly ForeignKeyEdge[]): Map<string, ForeignKeyEdge[]> {
  const index = new Map<string, ForeignKeyEdge[]>();
  for (const e of edges) {
    if (e.parent === e.child) continue;
    const list = index.get(e.parent) ?? [];
    list.push(e);
    index.set(e.parent, list);
  }
  return index;
}

/**
 * What `DROP TABLE table` does to the other tables, given which tables are known to hold no rows
 * (created in this file and not written since; a cascade through an empty table stops there) and
 * which are doomed (dropped later in the same file without being read again: what the drop does to
 * their rows is lost with them, but their own children still feel the cascade).
 */
export function dropReach(childrenOf: ChildrenOf, table: string, empty: ReadonlySet<string> = new Set(), doomed: ReadonlySet<string> = new Set()): DropReach {
  const emptied = new Set<string>();
  const nulled = new Set<string>();
  const blocking = new Set<string>();
  let depth = 1;
  const dropped = asciiLower(table);
  const visit = (parent: string, level: number): void => {
    depth = Math.max(depth, level);
    for (const { child, onDelete } of childrenOf(parent)) {
      if (asciiLower(child) === dropped || child === parent || empty.has(child)) continue;
      if (onDelete === 'CASCADE') {
        if (emptied.has(child)) continue;
        emptied.add(child);
        visit(child, level + 1);
      } else if (onDelete === 'SET NULL' || onDelete === 'SET DEFAULT') nulled.add(child);
      else blocking.add(child);
    }
  };
  if (!empty.has(table)) visit(table, 1);
  for (const t of emptied) nulled.delete(t);
  const kept = (names: Set<string>) => [...names].filter((t) => !doomed.has(t)).sort();
  return { emptied: kept(emptied), nulled: kept(nulled), blocking: [...blocking].sort(), depth };
}

/**
 * The part of the schema model the after-file rules compare, read in four catalogue queries:
 * readSchemaModel reads every table's PRAGMAs one by one and parses every trigger and view, which
 * costs several milliseconds per migration, and lint reads the schema after each of hundreds.
 */
export interface SchemaOutline {
  /** Ordinary tables (internal and shadow tables left out) → their column names. */
  tables: Map<string, string[]>;
  edges: ForeignKeyEdge[];
  triggers: { name: string; table: string }[];
  views: string[];
}

/** What one table contributes to an outline, cached by its name and CREATE text. */
export type OutlineCache = Map<string, { columns: string[]; edges: ForeignKeyEdge[] }>;

interface OutlineQueries {
  list: Database.Statement<[]>;
  ordinary: Database.Statement<[]>;
  columns: Database.Statement<[string]>;
  keys: Database.Statement<[string]>;
  objects: Database.Statement<[]>;
}

/** readSchemaOutline's queries, prepared once per database (lint reads an outline after every file). */
const outlineQueryCache = new WeakMap<Database.Database, OutlineQueries>();

function outlineQueries(db: Database.Database): OutlineQueries {
  let q = outlineQueryCache.get(db);
  if (q === undefined) {
    q = {
      list: db.prepare<[]>(`SELECT name, sql FROM sqlite_schema WHERE type = 'table' ORDER BY name`).raw(),
      ordinary: db.prepare<[]>(`SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'`).pluck(),
      columns: db.prepare<[string]>('SELECT name FROM pragma_table_xinfo(?) ORDER BY cid').pluck(),
      keys: db.prepare<[string]>(`SELECT "table" AS parent, on_delete AS onDelete FROM pragma_foreign_key_list(?) WHERE seq = 0`),
      objects: db.prepare<[]>(`SELECT type, name, tbl_name AS tbl FROM sqlite_schema WHERE type IN ('trigger', 'view')`),
    };
    outlineQueryCache.set(db, q);
  }
  return q;
}

/**
 * `cache` carries tables over from the previous point: only tables whose CREATE text changed (new,
 * altered, rebuilt, or renamed-into) have their PRAGMAs read again.
 */
export function readSchemaOutline(db: Database.Database, cache: OutlineCache = new Map()): SchemaOutline {
  const { list, ordinary, columns, keys, objects: others } = outlineQueries(db);
  let rows = list.all() as [name: string, sql: string][];
  // pragma_table_list tells ordinary tables from virtual ones and their shadow tables, which only
  // exist beside a virtual table (SQLite stores its text as `CREATE VIRTUAL TABLE …`).
  if (rows.some(([, sql]) => sql.startsWith('CREATE VIRTUAL TABLE '))) {
    const ordinaryNames = new Set(ordinary.all() as string[]);
    rows = rows.filter(([name]) => ordinaryNames.has(name));
  }
  const tables = new Map<string, string[]>();
  const edges: ForeignKeyEdge[] = [];
  for (const [name, sql] of rows) {
    if (isInternalTable(name)) continue;
    const key = `${name}\u0000${sql}`;
    let entry = cache.get(key);
    if (entry === undefined) {
      const fks = keys.all(name) as { parent: string; onDelete: string }[];
      entry = { columns: columns.all(name) as string[], edges: fks.map((k) => ({ child: name, parent: k.parent, onDelete: k.onDelete.toUpperCase() })) };
      cache.set(key, entry);
    }
    tables.set(name, entry.columns);
    edges.push(...entry.edges);
  }
  const objects = others.all() as { type: string; name: string; tbl: string }[];
  return {
    tables,
    edges,
    triggers: objects.filter((o) => o.type === 'trigger').map((o) => ({ name: o.name, table: o.tbl })),
    views: objects.filter((o) => o.type === 'view').map((o) => o.name),
  };
}

/**
 * Tables whose cascade on delete goes deeper than local D1's trigger depth, with the chain. One
 * memoised walk for all tables (inside a cycle the walk stops where it started).
 */
export function deepCascades(outline: SchemaOutline): Map<string, string[]> {
  const children = childrenIndex(outline.edges);
  const memo = new Map<string, string[]>();
  const walking = new Set<string>();
  const chain = (table: string): string[] => {
    const known = memo.get(table);
    if (known) return known;
    walking.add(table);
    let best: string[] = [];
    for (const { child, onDelete } of children.get(table) ?? []) {
      if (onDelete !== 'CASCADE' || walking.has(child)) continue;
      const below = chain(child);
      if (below.length > best.length) best = below;
    }
    walking.delete(table);
    const result = [table, ...best];
    memo.set(table, result);
    return result;
  };
  const deep = new Map<string, string[]>();
  for (const t of outline.tables.keys()) {
    const c = chain(t);
    if (c.length > D1_MAX_CASCADE_TABLES) deep.set(t, c);
  }
  return deep;
}

/** Views that no longer compile (over a dropped table or column), with SQLite's message. */
export function brokenViews(db: Database.Database, views: readonly string[]): Map<string, string> {
  const broken = new Map<string, string>();
  for (const v of views) {
    try {
      db.prepare(`SELECT * FROM "${v.split('"').join('""')}" LIMIT 0`);
    } catch (e) {
      broken.set(v, e instanceof Error ? e.message : String(e));
    }
  }
  return broken;
}

/** Tables with more columns than D1 allows. */
export function overwideTables(outline: SchemaOutline): Map<string, number> {
  return new Map([...outline.tables].filter(([, c]) => c.length > D1_MAX_COLUMNS).map(([t, c]) => [t, c.length]));
}
