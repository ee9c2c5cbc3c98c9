/**
 * Columns of a table or view as drizzle-kit 0.31 writes them: keys name, type, primaryKey, notNull,
 * autoincrement, generated, default; values as they survive drizzle-kit's JSON round trip.
 */
import type { Column as ColumnState, Index as IndexState } from '../snapshot/types.js';
import { SchemaError } from './schema-error.js';
import type { Serializer, Where } from './serializer.js';
import type { ColumnLike } from './shapes.js';

/** Anything JSON.stringify drops from an object (the snapshot is written after a JSON round trip). */
const droppedByJson = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/**
 * A table's columns, and its column-level uniques (`.unique()`), which drizzle-kit stores as unique
 * indexes in column order, ahead of the table's own indexes.
 */
export function serializeColumns(
  s: Serializer,
  tableName: string,
  columns: ColumnLike[],
): { columns: Record<string, ColumnState>; indexes: Record<string, IndexState> } {
  const out: Record<string, ColumnState> = {};
  const indexes: Record<string, IndexState> = {};
  for (const c of columns) {
    const name = s.colName(c);
    if (Object.prototype.hasOwnProperty.call(out, name)) {
      throw new SchemaError(`Table "${tableName}" has two columns named "${name}".`, 'D1-542');
    }
    out[name] = columnOf(s, c, name, () => `Table "${tableName}": column "${name}"`, false);
    // drizzle-orm 1.0 leaves uniqueName unset unless the schema names the constraint.
    if (c.isUnique) addColumnUnique(indexes, tableName, c.uniqueName ?? `${tableName}_${name}_unique`, name);
  }
  return { columns: out, indexes };
}

function addColumnUnique(indexes: Record<string, IndexState>, tableName: string, uname: string, column: string): void {
  const existing = indexes[uname];
  if (existing !== undefined) {
    throw new SchemaError(
      `Table "${tableName}": the unique constraint "${uname}" on column "${column}" conflicts with a unique ` +
        `constraint of the same name on ${existing.columns.join(',')}.`,
      'D1-543',
    );
  }
  indexes[uname] = { name: uname, columns: [column], isUnique: true };
}

/** One column entry. View columns are never emitted as SQL, so their string defaults stay unescaped. */
export function columnOf(s: Serializer, c: ColumnLike, name: string, where: Where, forView: boolean): ColumnState {
  const col: ColumnState = {
    name,
    type: c.getSQLType(),
    primaryKey: c.primary,
    notNull: c.notNull,
    autoincrement: s.m.orm.is(c, s.m.sqliteCore.SQLiteBaseInteger) ? (c.autoIncrement as boolean) : false,
  };
  const generated = generatedOf(s, () => `${where()} (generated expression)`, c);
  if (generated !== undefined) col.generated = generated;
  if (c.default !== undefined) {
    const value = defaultOf(s, where, c.default, forView);
    if (!droppedByJson(value)) col.default = value;
  }
  return col;
}

function generatedOf(s: Serializer, where: Where, c: ColumnLike): ColumnState['generated'] {
  const g = c.generated;
  if (!g) return undefined;
  let as: string;
  if (s.isSql(g.as)) as = `(${s.render(where, g.as, 'indexes')})`;
  else if (typeof g.as === 'function') as = `(${s.render(where, (g.as as () => unknown)(), 'indexes')})`;
  else as = `(${String(g.as)})`;
  return { as, type: (g.mode ?? 'virtual') as 'virtual' | 'stored' };
}

/** A default value as drizzle-kit writes it (before its JSON round trip). */
function defaultOf(s: Serializer, where: Where, d: unknown, forView: boolean): unknown {
  if (s.isSql(d)) return s.sqlDefault(where, d);
  // drizzle-kit escapes quotes in table defaults only; view columns are never emitted as SQL.
  if (typeof d === 'string') return forView ? `'${d}'` : `'${d.replace(/'/g, "''")}'`;
  // Objects, arrays, Dates, Buffers and null all go through JSON.stringify, unescaped.
  if (typeof d === 'object') return `'${jsonDefault(where, d, forView)}'`;
  // drizzle-kit 0.31 crashes on a bigint ("Do not know how to serialize a BigInt"). We write a text
  // literal, which drizzle-orm reads back as the same bigint.
  if (typeof d === 'bigint') return `'${d.toString()}'`;
  if (typeof d === 'number') return Number.isFinite(d) ? d : null;
  return d;
}

function jsonDefault(where: Where, d: object | null, forView: boolean): string {
  let json: string;
  try {
    json = JSON.stringify(d);
  } catch (e) {
    throw new SchemaError(`${where()}: cannot serialize the default value: ${(e as Error).message}`, 'D1-552');
  }
  if (!forView && json !== undefined && json.includes("'")) {
    throw new SchemaError(
      `${where()}: JSON default ${json} contains a single quote; drizzle-kit would write it unescaped ` +
        `('${json}'), which is invalid SQL. Use a sql\`\` default with the quote doubled instead.`,
      'D1-552',
    );
  }
  return json;
}
