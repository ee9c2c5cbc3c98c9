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
import type { SchemaModel } from './model.js';

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

/** The foreign keys of a schema model. */
export function foreignKeyEdges(model: SchemaModel): ForeignKeyEdge[] {
  return model.tables.flatMap((t) => t.foreignKeys.map((fk) => ({ child: t.name, parent: fk.parent, onDelete: fk.onDelete.toUpperCase() })));
}

/**
 * The foreign keys of every table in `db`, in one catalogue query: what the per-statement rules
 * need at each DROP TABLE, without reading the whole model.
 */
export function readForeignKeyEdges(db: Database.Database): ForeignKeyEdge[] {
  const rows = db
    .prepare(`SELECT m.name AS child, f."table" AS parent, f.on_delete AS onDelete FROM sqlite_schema AS m, pragma_foreign_key_list(m.name) AS f WHERE m.type = 'table' AND f.seq = 0`)
    .all() as ForeignKeyEdge[];
  return rows.map((r) => ({ ...r, onDelete: r.onDelete.toUpperCase() }));
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
export function dropReach(edges: readonly ForeignKeyEdge[], table: string, empty: ReadonlySet<string> = new Set(), doomed: ReadonlySet<string> = new Set()): DropReach {
  const children = childrenIndex(edges);
  const emptied = new Set<string>();
  const nulled = new Set<string>();
  const blocking = new Set<string>();
  let depth = 1;
  const visit = (parent: string, level: number): void => {
    depth = Math.max(depth, level);
    for (const { child, onDelete } of children.get(parent) ?? []) {
      if (child === table || empty.has(child)) continue;
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

/** The longest chain of ON DELETE CASCADE below `root`, as the tables in it (root first). */
export function longestCascade(edges: readonly ForeignKeyEdge[], root: string, children = childrenIndex(edges)): string[] {
  const walk = (table: string, seen: ReadonlySet<string>): string[] => {
    let best: string[] = [];
    for (const { child, onDelete } of children.get(table) ?? []) {
      if (onDelete !== 'CASCADE' || seen.has(child)) continue;
      const chain = walk(child, new Set([...seen, child]));
      if (chain.length > best.length) best = chain;
    }
    return [table, ...best];
  };
  return walk(root, new Set([root]));
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

export function readSchemaOutline(db: Database.Database): SchemaOutline {
  const tables = new Map<string, string[]>();
  const columns = db
    .prepare(`SELECT l.name AS t, c.name AS c FROM pragma_table_list AS l, pragma_table_xinfo(l.name) AS c WHERE l.schema = 'main' AND l.type = 'table' ORDER BY l.name, c.cid`)
    .all() as { t: string; c: string }[];
  for (const { t, c } of columns) if (!isInternalTable(t)) tables.set(t, [...(tables.get(t) ?? []), c]);
  const objects = db.prepare(`SELECT type, name, tbl_name AS tbl FROM sqlite_schema WHERE type IN ('trigger', 'view')`).all() as { type: string; name: string; tbl: string }[];
  return {
    tables,
    edges: readForeignKeyEdges(db).filter((e) => !isInternalTable(e.child)),
    triggers: objects.filter((o) => o.type === 'trigger').map((o) => ({ name: o.name, table: o.tbl })),
    views: objects.filter((o) => o.type === 'view').map((o) => o.name),
  };
}

/** Tables whose cascade on delete goes deeper than local D1's trigger depth, with the chain. */
export function deepCascades(outline: SchemaOutline): Map<string, string[]> {
  const deep = new Map<string, string[]>();
  const children = childrenIndex(outline.edges);
  for (const t of outline.tables.keys()) {
    const chain = longestCascade(outline.edges, t, children);
    if (chain.length > D1_MAX_CASCADE_TABLES) deep.set(t, chain);
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
