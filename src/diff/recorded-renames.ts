/**
 * The renames a migration's snapshot records: drizzle-kit 0.x's `_meta` (quoted previous → current
 * names) and drizzle-kit 1.0's `renames` list. They are what the developer answered when the
 * migration was generated, so every command that re-plans a migration from its snapshots (rewrite,
 * rollback, verify) reads them here.
 */
import { join } from 'node:path';
import type { Renames } from './types.js';
import { readSnapshotFile, tagPrefix } from '../snapshot/io.js';
import { layoutIn, readSnapshotV7 } from '../snapshot/layout.js';
import type { SchemaState } from '../snapshot/types.js';

/** drizzle-kit's `_meta`: quoted previous → current names (`"t"` and `"t"."c"`, t the current table). */
export interface RenameMeta {
  tables: Record<string, string>;
  columns: Record<string, string>;
}

const unquote = (s: string) => (s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s);

/**
 * `"t"."c"` as [t, c]. drizzle-kit does not escape quotes inside the names, so the split is the one
 * whose table part names a table of the schema after the migration, or a renamed table's previous name.
 */
function splitColumnKey(key: string, tables: readonly string[]): [string, string] | undefined {
  for (const table of tables) {
    const head = `"${table}"."`;
    if (key.startsWith(head) && key.endsWith('"') && key.length > head.length) return [table, key.slice(head.length, -1)];
  }
  return undefined;
}

/** The forward renames recorded in a snapshot's `_meta`; `cur` is that snapshot's schema. Columns are keyed by their table's current name. */
export function renamesFromMeta(meta: RenameMeta | undefined, cur: SchemaState): Renames {
  const renames: Renames = { tables: {}, columns: {} };
  if (!meta) return renames;
  for (const [from, to] of Object.entries(meta.tables)) renames.tables[unquote(from)] = unquote(to);
  const tables = [...Object.keys(cur.tables), ...Object.keys(renames.tables)];
  for (const [fromKey, toKey] of Object.entries(meta.columns)) {
    const from = splitColumnKey(fromKey, tables);
    const to = splitColumnKey(toKey, tables);
    if (!from || !to) continue;
    const table = renames.tables[to[0]] ?? to[0];
    if ((renames.tables[from[0]] ?? from[0]) !== table) continue;
    (renames.columns[table] ??= {})[from[1]] = to[1];
  }
  return renames;
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

/** The renames migration `tag` of `out` records in its snapshot (either layout); `cur` is that snapshot's schema. */
export function recordedRenames(out: string, tag: string, cur: SchemaState): Renames {
  if (layoutIn(out) === 'folders') return renamesFromV7(readSnapshotV7(join(out, tag, 'snapshot.json')).renames, cur);
  return renamesFromMeta(readSnapshotFile(join(out, 'meta', `${tagPrefix(tag)}_snapshot.json`))._meta, cur);
}
