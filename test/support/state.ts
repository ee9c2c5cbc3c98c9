/** Small builders for snapshot-shaped schema states in unit tests. */
import type { Column, ForeignKey, SchemaState, Table } from '../../src/snapshot/types.js';

export const col = (name: string, type = 'text', extra: Partial<Column> = {}): Column => ({
  name, type, primaryKey: false, notNull: false, autoincrement: false, ...extra,
});
export const pk = (name = 'id'): Column => col(name, 'integer', { primaryKey: true, notNull: true });

export const fk = (tableFrom: string, from: string, tableTo: string, onDelete = 'no action', to = 'id'): ForeignKey => ({
  name: `${tableFrom}_${from}_${tableTo}_${to}_fk`, tableFrom, columnsFrom: [from], tableTo, columnsTo: [to], onUpdate: 'no action', onDelete,
});

export function table(name: string, columns: Column[], extra: Partial<Omit<Table, 'foreignKeys'>> & { fks?: ForeignKey[] } = {}): Table {
  const { fks, ...rest } = extra;
  return {
    name,
    columns: Object.fromEntries(columns.map((c) => [c.name, c])),
    indexes: {},
    foreignKeys: Object.fromEntries((fks ?? []).map((f) => [f.name, f])),
    compositePrimaryKeys: {},
    uniqueConstraints: {},
    checkConstraints: {},
    ...rest,
  };
}

export const state = (...tables: Table[]): SchemaState => ({
  tables: Object.fromEntries(tables.map((t) => [t.name, t])),
  views: {},
  internal: { indexes: {} },
});
