/**
 * The renames a drizzle-kit snapshot records in `_meta`: `{"\"users\"": "\"accounts\""}` for tables
 * and `{"\"users\".\"name\"": "\"users\".\"full_name\""}` for columns (the column's table under its
 * new name). They are what the developer answered when the migration was generated, so re-planning
 * the migration from its snapshots keeps them.
 */
import type { Renames } from '../diff/types.js';
import type { Snapshot } from '../snapshot/types.js';

/** `"x"` → `x` (drizzle-kit quotes each name in `_meta`). */
function unquote(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

/** `"t"."c"` → [t, c]. */
function splitColumnKey(key: string): [string, string] {
  const at = key.indexOf('"."');
  return at < 0 ? [unquote(key), ''] : [unquote(key.slice(0, at + 1)), unquote(key.slice(at + 2))];
}

export function renamesOf(snapshot: Snapshot): Renames {
  const tables = Object.fromEntries(Object.entries(snapshot._meta?.tables ?? {}).map(([from, to]) => [unquote(from), unquote(to)]));
  const columns: Renames['columns'] = {};
  for (const [from, to] of Object.entries(snapshot._meta?.columns ?? {})) {
    const [table, column] = splitColumnKey(from);
    const [, renamed] = splitColumnKey(to);
    (columns[tables[table] ?? table] ??= {})[column] = renamed;
  }
  return { tables, columns };
}
