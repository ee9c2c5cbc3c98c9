/** Views as drizzle-kit 0.31 writes them: keys columns, name, isExisting, definition. */
import type { Column as ColumnState, Table as TableState, View as ViewState } from '../snapshot/types.js';
import { columnOf } from './columns.js';
import { SchemaError } from './schema-error.js';
import type { Serializer } from './serializer.js';
import type { ColumnLike, ViewConfigLike } from './shapes.js';

/**
 * The schema's views. The same view exported twice is kept once (drizzle-kit exits on it); two
 * different views with one name are refused, and so is a view named like a table (SQLite rejects it).
 */
export function serializeViews(s: Serializer, views: unknown[], tables: Record<string, TableState>): Record<string, ViewState> {
  const out: Record<string, ViewState> = {};
  const owners = new Map<string, unknown>();
  for (const view of views) {
    const cfg = s.m.sqliteCore.getViewConfig(view as never) as unknown as ViewConfigLike;
    const name = cfg.name;
    const owner = owners.get(name);
    if (owner === view) continue;
    if (owner !== undefined) throw new SchemaError(`Two different views are named "${name}". Please rename one.`, 'D1-553');
    if (Object.prototype.hasOwnProperty.call(tables, name)) {
      throw new SchemaError(`View "${name}" has the same name as a table.`, 'D1-554');
    }
    out[name] = viewOf(s, cfg);
    owners.set(name, view);
  }
  return out;
}

/** A view's columns are its selected fields that are table columns (SQL expressions are not listed). */
function viewOf(s: Serializer, cfg: ViewConfigLike): ViewState {
  const name = cfg.name;
  const columns: Record<string, ColumnState> = {};
  const fields = cfg.selectedFields;
  for (const key in fields) {
    const field = fields[key];
    if (!s.m.orm.is(field, s.m.sqliteCore.SQLiteColumn)) continue;
    const c = field as unknown as ColumnLike;
    columns[c.name] = columnOf(s, c, c.name, () => `View "${name}": column "${c.name}"`, true);
  }
  const state: ViewState = { columns, name, isExisting: cfg.isExisting };
  if (!cfg.isExisting) state.definition = s.render(() => `View "${name}"`, cfg.query);
  return state;
}
