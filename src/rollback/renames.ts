/**
 * The renames a migration made, read back from its snapshot's `_meta`, and turned around for the way
 * back: a table renamed users → accounts is renamed accounts → users by the down file.
 */
import type { Renames } from '../diff/types.js';
import type { SchemaState } from '../snapshot/types.js';

/** drizzle-kit's `_meta`: quoted previous → current names (`"t"` and `"t"."c"`, t the current table). */
export interface RenameMeta {
  tables: Record<string, string>;
  columns: Record<string, string>;
}

const unquote = (s: string) => (s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s);

/**
 * `"t"."c"` as [t, c]. drizzle-kit does not escape quotes inside the names, so the split is the one
 * whose table part names a table of `state` (the schema after the migration).
 */
function splitColumnKey(key: string, state: SchemaState): [string, string] | undefined {
  for (const table of Object.keys(state.tables)) {
    const head = `"${table}"."`;
    if (key.startsWith(head) && key.endsWith('"') && key.length > head.length) return [table, key.slice(head.length, -1)];
  }
  return undefined;
}

/** The forward renames recorded in a snapshot's `_meta`; `cur` is that snapshot's schema. */
export function renamesFromMeta(meta: RenameMeta, cur: SchemaState): Renames {
  const renames: Renames = { tables: {}, columns: {} };
  for (const [from, to] of Object.entries(meta.tables)) renames.tables[unquote(from)] = unquote(to);
  for (const [fromKey, toKey] of Object.entries(meta.columns)) {
    const from = splitColumnKey(fromKey, cur);
    const to = splitColumnKey(toKey, cur);
    if (!from || !to || from[0] !== to[0]) continue;
    (renames.columns[to[0]] ??= {})[from[1]] = to[1];
  }
  return renames;
}

/** The renames of the way back: each table and column renamed from its current name to its previous one. */
export function reverseRenames(forward: Renames): Renames {
  const invert = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).map(([a, b]) => [b, a]));
  const tables = invert(forward.tables);
  const columns: Renames['columns'] = {};
  // Column renames are keyed by the table's name in the schema the diff goes to: here the previous one.
  for (const [curTable, map] of Object.entries(forward.columns)) {
    if (Object.keys(map).length) columns[tables[curTable] ?? curTable] = invert(map);
  }
  return { tables, columns };
}

/**
 * The forward renames a drizzle-kit 1.0 snapshot records (`"old->new"` for a table, `"t.old->t.new"`
 * for a column of table t, t its current name); `cur` is that snapshot's schema. Names are not
 * escaped, so a column entry is recognised by a table of `cur` on both sides of the arrow.
 */
export function renamesFromV7(entries: readonly string[], cur: SchemaState): Renames {
  const renames: Renames = { tables: {}, columns: {} };
  const tables = Object.keys(cur.tables).sort((a, b) => b.length - a.length);
  for (const entry of entries) {
    const table = tables.find((t) => entry.startsWith(`${t}.`) && entry.includes(`->${t}.`, t.length + 2));
    if (table !== undefined) {
      const arrow = entry.indexOf(`->${table}.`, table.length + 2);
      (renames.columns[table] ??= {})[entry.slice(table.length + 1, arrow)] = entry.slice(arrow + table.length + 3);
      continue;
    }
    const to = tables.find((t) => entry.endsWith(`->${t}`));
    if (to !== undefined) renames.tables[entry.slice(0, entry.length - to.length - 2)] = to;
  }
  return renames;
}
