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

interface ChildEdge {
  child: string;
  onDelete: string;
}

/** parent → the tables whose foreign keys name it (self references left out). */
function childrenIndex(model: SchemaModel): Map<string, ChildEdge[]> {
  const index = new Map<string, ChildEdge[]>();
  for (const t of model.tables) {
    for (const fk of t.foreignKeys) {
      if (fk.parent === t.name) continue;
      const list = index.get(fk.parent) ?? [];
      list.push({ child: t.name, onDelete: fk.onDelete.toUpperCase() });
      index.set(fk.parent, list);
    }
  }
  return index;
}

/**
 * What `DROP TABLE table` does to the other tables, given which tables are known to hold no rows
 * (created in this file and not written since; a cascade through an empty table stops there) and
 * which are doomed (dropped later in the same file without being read again: what the drop does to
 * their rows is lost with them, but their own children still feel the cascade).
 */
export function dropReach(model: SchemaModel, table: string, empty: ReadonlySet<string> = new Set(), doomed: ReadonlySet<string> = new Set()): DropReach {
  const children = childrenIndex(model);
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
export function longestCascade(model: SchemaModel, root: string): string[] {
  const children = childrenIndex(model);
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

/** Tables whose cascade on delete goes deeper than local D1's trigger depth, with the chain. */
export function deepCascades(model: SchemaModel): Map<string, string[]> {
  const deep = new Map<string, string[]>();
  for (const t of model.tables) {
    const chain = longestCascade(model, t.name);
    if (chain.length > D1_MAX_CASCADE_TABLES) deep.set(t.name, chain);
  }
  return deep;
}

/** Views that no longer compile (over a dropped table or column), with SQLite's message. */
export function brokenViews(db: Database.Database, model: SchemaModel): Map<string, string> {
  const broken = new Map<string, string>();
  for (const v of model.views) {
    try {
      db.prepare(`SELECT * FROM "${v.name.split('"').join('""')}" LIMIT 0`);
    } catch (e) {
      broken.set(v.name, e instanceof Error ? e.message : String(e));
    }
  }
  return broken;
}

/** Tables with more columns than D1 allows. */
export function overwideTables(model: SchemaModel): Map<string, number> {
  return new Map(model.tables.filter((t) => t.columns.length > D1_MAX_COLUMNS).map((t) => [t.name, t.columns.length]));
}
