/**
 * drizzle-kit 1.0's SQLite snapshot (version "7"): a flat `ddl` list of entities discriminated by
 * `entityType`, with `prevIds` (leaves it was generated from) and `renames` (`"t.old->t.new"`).
 * The differ and planner work on the 0.31 SchemaState; `stateFromDdl` converts a v7 snapshot's ddl
 * into it. The writer side (schema → ddl) is src/schema/ddl.ts. Key order in these types is the
 * order drizzle-kit 1.0 writes, which `formatV7Snapshot` relies on for byte-identical files.
 */
import { z } from 'zod/v3';
import type { Index, SchemaState, Table } from './types.js';

const nullableString = z.string().nullable();

export const ddlTableSchema = z.object({ name: z.string(), entityType: z.literal('tables') });
export const ddlColumnSchema = z.object({
  table: z.string(),
  name: z.string(),
  type: z.string(),
  notNull: z.boolean(),
  autoincrement: z.boolean(),
  default: nullableString,
  generated: z.object({ as: z.string(), type: z.enum(['stored', 'virtual']) }).nullable(),
  entityType: z.literal('columns'),
});
export const ddlIndexSchema = z.object({
  table: z.string(),
  name: z.string(),
  columns: z.array(z.object({ value: z.string(), isExpression: z.boolean() })),
  isUnique: z.boolean(),
  where: nullableString,
  origin: z.string(),
  entityType: z.literal('indexes'),
});
export const ddlFkSchema = z.object({
  table: z.string(),
  name: z.string(),
  columns: z.array(z.string()),
  tableTo: z.string(),
  columnsTo: z.array(z.string()),
  onUpdate: z.string(),
  onDelete: z.string(),
  nameExplicit: z.boolean(),
  entityType: z.literal('fks'),
});
const keyShape = { table: z.string(), name: z.string(), columns: z.array(z.string()), nameExplicit: z.boolean() };
export const ddlPkSchema = z.object({ ...keyShape, entityType: z.literal('pks') });
export const ddlUniqueSchema = z.object({ ...keyShape, entityType: z.literal('uniques') });
export const ddlCheckSchema = z.object({ table: z.string(), name: z.string(), value: z.string(), entityType: z.literal('checks') });
export const ddlViewSchema = z.object({
  name: z.string(),
  definition: nullableString,
  isExisting: z.boolean(),
  error: nullableString,
  entityType: z.literal('views'),
});

export const ddlEntitySchema = z.discriminatedUnion('entityType', [
  ddlTableSchema,
  ddlColumnSchema,
  ddlIndexSchema,
  ddlFkSchema,
  ddlPkSchema,
  ddlUniqueSchema,
  ddlCheckSchema,
  ddlViewSchema,
]);

export const snapshotV7Schema = z.object({
  version: z.literal('7'),
  dialect: z.literal('sqlite'),
  id: z.string(),
  prevIds: z.array(z.string()),
  ddl: z.array(ddlEntitySchema),
  renames: z.array(z.string()).default([]),
});

export type DdlEntity = z.infer<typeof ddlEntitySchema>;
export type DdlColumn = z.infer<typeof ddlColumnSchema>;
export type SnapshotV7 = z.infer<typeof snapshotV7Schema>;
type Of<K extends DdlEntity['entityType']> = Extract<DdlEntity, { entityType: K }>;

/** The order drizzle-kit 1.0 lists entity kinds in; within a kind, the order they were added. */
export const ENTITY_ORDER: DdlEntity['entityType'][] = ['tables', 'columns', 'indexes', 'fks', 'pks', 'uniques', 'checks', 'views'];

/** Sorts entities by kind (stable), as drizzle-kit 1.0's `ddl.entities.list()` returns them. */
export const orderDdl = (ddl: DdlEntity[]): DdlEntity[] =>
  ENTITY_ORDER.flatMap((kind) => ddl.filter((e) => e.entityType === kind));

const ofKind = <K extends DdlEntity['entityType']>(ddl: DdlEntity[], kind: K) => ddl.filter((e): e is Of<K> => e.entityType === kind);

/** ON DELETE / ON UPDATE as the 0.31 state (and the planner) spell them. */
const lowerAction = (a: string) => a.toLowerCase();

function tableOf(ddl: DdlEntity[], name: string): Table {
  const pks = ofKind(ddl, 'pks').filter((p) => p.table === name);
  const single = pks.find((p) => p.columns.length === 1)?.columns[0];
  const columns: Table['columns'] = {};
  for (const c of ofKind(ddl, 'columns').filter((c) => c.table === name)) {
    columns[c.name] = { name: c.name, type: c.type, primaryKey: c.name === single, notNull: c.notNull, autoincrement: c.autoincrement };
    if (c.default !== null) columns[c.name]!.default = c.default;
    if (c.generated) columns[c.name]!.generated = { as: c.generated.as, type: c.generated.type };
  }
  const indexes: Record<string, Index> = {};
  for (const i of ofKind(ddl, 'indexes').filter((i) => i.table === name)) {
    indexes[i.name] = { name: i.name, columns: i.columns.map((c) => c.value), isUnique: i.isUnique, ...(i.where !== null ? { where: i.where } : {}) };
  }
  // drizzle-kit 1.0 writes `.unique()` and `unique()` inline (CONSTRAINT … UNIQUE, an automatic
  // index no DROP INDEX can remove), so the planner sees them as table constraints, not indexes.
  const uniqueConstraints: Table['uniqueConstraints'] = {};
  for (const u of ofKind(ddl, 'uniques').filter((u) => u.table === name)) uniqueConstraints[u.name] = { name: u.name, columns: u.columns };
  const foreignKeys: Table['foreignKeys'] = {};
  for (const f of ofKind(ddl, 'fks').filter((f) => f.table === name)) {
    foreignKeys[f.name] = { name: f.name, tableFrom: name, tableTo: f.tableTo, columnsFrom: f.columns, columnsTo: f.columnsTo, onDelete: lowerAction(f.onDelete), onUpdate: lowerAction(f.onUpdate) };
  }
  const compositePrimaryKeys: Table['compositePrimaryKeys'] = {};
  for (const p of pks.filter((p) => p.columns.length > 1)) compositePrimaryKeys[p.name] = { columns: p.columns, name: p.name };
  const checkConstraints: Table['checkConstraints'] = {};
  for (const c of ofKind(ddl, 'checks').filter((c) => c.table === name)) checkConstraints[c.name] = { name: c.name, value: c.value };
  return { name, columns, indexes, foreignKeys, compositePrimaryKeys, uniqueConstraints, checkConstraints };
}

/** A v7 ddl as the SchemaState the differ and planner work on. */
export function stateFromDdl(ddl: DdlEntity[]): SchemaState {
  const tables: SchemaState['tables'] = {};
  for (const t of ofKind(ddl, 'tables')) tables[t.name] = tableOf(ddl, t.name);
  const internal: NonNullable<NonNullable<SchemaState['internal']>['indexes']> = {};
  for (const i of ofKind(ddl, 'indexes')) {
    for (const c of i.columns.filter((c) => c.isExpression)) ((internal[i.name] ??= { columns: {} }).columns[c.value] = { isExpression: true });
  }
  const views: SchemaState['views'] = {};
  for (const v of ofKind(ddl, 'views')) {
    views[v.name] = { columns: {}, name: v.name, isExisting: v.isExisting, ...(v.definition !== null && !v.isExisting ? { definition: v.definition } : {}) };
  }
  return { tables, views, internal: { indexes: internal } };
}

/** Renames as drizzle-kit 1.0 records them: `"old->new"` for tables, `"t.old->t.new"` for columns. */
export function renamesOf(meta: { tables: Record<string, string>; columns: Record<string, string> }): string[] {
  const unquote = (s: string) => s.split('"').filter((p) => p !== '' && p !== '.').join('.');
  return [
    ...Object.entries(meta.tables).map(([from, to]) => `${unquote(from)}->${unquote(to)}`),
    ...Object.entries(meta.columns).map(([from, to]) => `${unquote(from)}->${unquote(to)}`),
  ];
}

/** A v7 snapshot formatted as drizzle-kit 1.0 writes it (2 spaces, no newline at the end). */
export function formatV7Snapshot(s: SnapshotV7): string {
  return JSON.stringify({ version: s.version, dialect: s.dialect, id: s.id, prevIds: s.prevIds, ddl: s.ddl, renames: s.renames }, null, 2);
}
