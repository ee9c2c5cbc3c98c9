/**
 * The renames of a migration turned around for the way back: a table renamed users → accounts is
 * renamed accounts → users by the down file.
 */
import type { Renames } from '../diff/types.js';

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
