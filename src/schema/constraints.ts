/**
 * A table's constraints as drizzle-kit 0.31 writes them: foreign keys, unique constraints (stored as
 * unique indexes), primary keys (one column marks the column, several make a composite key) and
 * checks.
 */
import type { Column as ColumnState, ForeignKey as ForeignKeyState, Index as IndexState, Table as TableState } from '../snapshot/types.js';
import { casedConstraintName } from './casing.js';
import { SchemaError } from './schema-error.js';
import type { Serializer } from './serializer.js';
import type { CheckLike, ForeignKeyLike, PrimaryKeyLike, UniqueLike } from './shapes.js';

export function serializeForeignKeys(s: Serializer, tableName: string, fks: ForeignKeyLike[]): Record<string, ForeignKeyState> {
  const out: Record<string, ForeignKeyState> = {};
  for (const fk of fks) {
    const ref = fk.reference();
    const columnsFrom = ref.columns.map(s.colName);
    const columnsTo = ref.foreignColumns.map(s.colName);
    const fromCased = casedConstraintName(fk.getName(), s.casing, ref.columns, columnsFrom);
    const name = casedConstraintName(fromCased, s.casing, ref.foreignColumns, columnsTo);
    const entry = {
      name,
      tableFrom: tableName,
      tableTo: s.m.orm.getTableName(ref.foreignTable as never),
      columnsFrom,
      columnsTo,
      onDelete: fk.onDelete ?? 'no action',
      onUpdate: fk.onUpdate ?? 'no action',
    };
    const existing = out[name];
    if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(entry)) {
      throw new SchemaError(`Table "${tableName}" has two different foreign keys named "${name}".`, 'D1-544');
    }
    out[name] = entry;
  }
  return out;
}

/** Adds `unique()` constraints to the table's indexes, after its column uniques and indexes. */
export function addUniqueConstraints(
  s: Serializer,
  table: unknown,
  tableName: string,
  uniques: UniqueLike[],
  indexes: Record<string, IndexState>,
): void {
  for (const unq of uniques) {
    const cols = unq.columns.map(s.colName);
    const key = unq.name ?? s.m.sqliteCore.uniqueKeyName(table as never, cols);
    const existing = indexes[key];
    if (existing !== undefined) {
      throw new SchemaError(
        `Table "${tableName}": the unique constraint "${key}" on ${cols.join(',')} conflicts with a unique ` +
          `constraint or index of the same name on ${existing.columns.join(',')}.`,
        'D1-543',
      );
    }
    // drizzle-kit writes an unnamed constraint without a `name` key.
    const entry = { name: unq.name, columns: cols, isUnique: true } as IndexState;
    if (unq.name === undefined) delete (entry as Partial<IndexState>).name;
    indexes[key] = entry;
  }
}

/** Composite primary keys; a one-column `primaryKey()` marks its column instead. SQLite allows one primary key. */
export function serializePrimaryKeys(
  s: Serializer,
  tableName: string,
  pks: PrimaryKeyLike[],
  columns: Record<string, ColumnState>,
): TableState['compositePrimaryKeys'] {
  const composite: TableState['compositePrimaryKeys'] = {};
  for (const pk of pks) {
    if (pk.columns.length > 1) {
      const cols = pk.columns.map(s.colName);
      const name = casedConstraintName(pk.getName(), s.casing, pk.columns, cols);
      composite[name] = { columns: cols, name };
    } else {
      markPrimaryKeyColumn(tableName, columns, s.colName(pk.columns[0]!));
    }
  }
  const count = Object.values(columns).filter((c) => c.primaryKey).length + Object.keys(composite).length;
  if (count > 1) {
    throw new SchemaError(
      `Table "${tableName}" has more than one primary key (columns marked .primaryKey() and/or primaryKey() ` +
        `definitions); SQLite rejects this. Use a single composite primaryKey({ columns: [...] }).`,
      'D1-547',
    );
  }
  return composite;
}

function markPrimaryKeyColumn(tableName: string, columns: Record<string, ColumnState>, name: string): void {
  const target = columns[name];
  if (target === undefined) {
    throw new SchemaError(`Table "${tableName}": primary key column "${name}" is not in the table.`, 'D1-548');
  }
  target.primaryKey = true;
}

export function serializeChecks(s: Serializer, tableName: string, checks: CheckLike[]): TableState['checkConstraints'] {
  const out: TableState['checkConstraints'] = {};
  for (const chk of checks) {
    if (Object.prototype.hasOwnProperty.call(out, chk.name)) {
      throw new SchemaError(`Table "${tableName}" has two check constraints named "${chk.name}".`, 'D1-549');
    }
    out[chk.name] = { name: chk.name, value: s.render(() => `Table "${tableName}": check "${chk.name}"`, chk.value) };
  }
  return out;
}
