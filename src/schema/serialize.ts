/**
 * Serializer from Drizzle SQLite schema objects to the schema part (`tables`, `views`, `internal`)
 * of a drizzle-kit 0.31 SQLite v6 snapshot.
 *
 * The output must be byte-identical, after `JSON.stringify(x, null, 2)`, to what drizzle-kit 0.31.11
 * writes into `meta/NNNN_snapshot.json`, so every object below is built with its keys inserted in
 * drizzle-kit's order, and values are what survives drizzle-kit's own JSON round trip (no
 * `undefined`, functions dropped, non-finite numbers as `null`).
 *
 * Where drizzle-kit silently writes a snapshot whose SQL cannot be applied (bound parameters in
 * checks, partial-index WHERE clauses, index expressions or generated columns; a JSON default that
 * contains a single quote; duplicate names that SQLite rejects or that make drizzle-kit drop an
 * object), this module throws a `SchemaError` naming the table and object instead. Where drizzle-kit
 * itself exits with an error (duplicate unique/check/view names), so do we.
 *
 * Names SQLite would fold together (letter case) or refuse (`sqlite_`), and drizzle-d1's own
 * temporary names, are refused too (names.ts), so that no migration fails when it is applied.
 *
 * The parts, each building its objects in drizzle-kit's key order: columns.ts (columns, defaults,
 * generated columns, column uniques), constraints.ts (foreign keys, unique constraints, primary
 * keys, checks), indexes.ts, views.ts, casing.ts (column and constraint names under `casing`), and
 * serializer.ts (the user's drizzle-orm dialect, rendering SQL).
 *
 * drizzle-kit is never imported here: the user's own drizzle-orm copy does all SQL rendering.
 */
import type { SchemaState, Table as TableState } from '../snapshot/types.js';
import { serializeColumns } from './columns.js';
import { addUniqueConstraints, serializeChecks, serializeForeignKeys, serializePrimaryKeys } from './constraints.js';
import { addIndexes, claimIndexNames, type InternalIndexes } from './indexes.js';
import { checkNames } from './names.js';
import { checkReferencedTables } from './references.js';
import { SchemaError } from './schema-error.js';
import { serializerFor, type Serializer } from './serializer.js';
import type { Casing, DrizzleModules, TableConfigLike } from './shapes.js';
import { serializeViews } from './views.js';

export { SchemaError } from './schema-error.js';
export type { Casing, DrizzleModules } from './shapes.js';

/**
 * Collect SQLiteTable / SQLiteView exports from loaded schema modules, in drizzle-kit's order
 * (modules in the given order, exports sorted like drizzle-kit does; tables de-duplicated by
 * identity, views not).
 *
 * drizzle-kit walks `Object.values(require(file))`. Its TypeScript hook (tsx / esbuild-register)
 * compiles each file to CommonJS with esbuild, which defines the module's own exports (including
 * `export { x } from`) in sorted identifier order, then appends `export * from` re-exports in the
 * re-exported module's order. An ES module namespace object has all its exports sorted. So the
 * order is taken from the given objects as they are, exactly as drizzle-kit does: pass modules
 * loaded the way drizzle-kit loads them (CommonJS through tsx) to match it in every case; an ES
 * namespace object matches it except for files that use `export *`.
 */
export function collectEntities(
  modules: Record<string, unknown>[],
  m: DrizzleModules,
): { tables: unknown[]; views: unknown[] } {
  const { is } = m.orm;
  const { SQLiteTable, SQLiteView } = m.sqliteCore;
  const tables: unknown[] = [];
  const seenTables = new Set<unknown>();
  const views: unknown[] = [];
  for (const mod of modules) {
    for (const value of Object.values(mod)) {
      if (is(value, SQLiteTable)) {
        if (!seenTables.has(value)) {
          seenTables.add(value);
          tables.push(value);
        }
      }
      if (is(value, SQLiteView)) views.push(value);
    }
  }
  return { tables, views };
}

/**
 * The schema part of a snapshot: tables (in the given order), views, and the expression columns of
 * indexes. Object keys are inserted in drizzle-kit's order throughout; after serialising, the names
 * are checked the way SQLite will check them when the migration is applied (see names.ts).
 */
export function serializeSchema(entities: { tables: unknown[]; views: unknown[] }, m: DrizzleModules, casing?: Casing): SchemaState {
  const s = serializerFor(m, casing);
  const { tables, internal, indexOwners } = serializeTables(s, entities.tables);
  const views = serializeViews(s, entities.views, tables);
  refuseIndexesNamedLikeTables(indexOwners, tables, views);
  const state: SchemaState = { tables, views, internal: { indexes: internal } };
  checkNames(state);
  checkReferencedTables(state);
  return state;
}

/**
 * Every table, keyed by name. The same table object (or an identical copy) is kept once; two
 * different tables with one name are refused, where drizzle-kit would keep only the last one.
 */
function serializeTables(s: Serializer, entities: unknown[]) {
  const tables: Record<string, TableState> = {};
  const tableOwners = new Map<string, unknown>();
  const indexOwners = new Map<string, string>();
  const internal: InternalIndexes = {};
  for (const table of entities) {
    const cfg = s.m.sqliteCore.getTableConfig(table as never) as unknown as TableConfigLike;
    if (tableOwners.get(cfg.name) === table) continue; // the very same object twice
    const { state, tableInternal } = serializeTable(s, table, cfg);
    const previous = tables[cfg.name];
    if (previous !== undefined) {
      if (JSON.stringify(previous) === JSON.stringify(state)) continue; // an identical copy
      throw new SchemaError(
        `Two different tables are named "${cfg.name}" (drizzle-kit would silently keep only the last one).`,
        'D1-541',
      );
    }
    claimIndexNames(indexOwners, cfg.name, state.indexes);
    tables[cfg.name] = state;
    tableOwners.set(cfg.name, table);
    Object.assign(internal, tableInternal);
  }
  return { tables, internal, indexOwners };
}

/**
 * One table entry: keys name, columns, indexes, foreignKeys, compositePrimaryKeys,
 * uniqueConstraints, checkConstraints. Its indexes hold, in this order, the column uniques, the
 * declared indexes and the unique constraints (drizzle-kit writes `uniqueConstraints` empty).
 */
function serializeTable(s: Serializer, table: unknown, cfg: TableConfigLike): { state: TableState; tableInternal: InternalIndexes } {
  const name = cfg.name;
  const { columns, indexes } = serializeColumns(s, name, cfg.columns);
  const foreignKeys = serializeForeignKeys(s, name, cfg.foreignKeys);
  const tableInternal = addIndexes(s, name, cfg.indexes, indexes);
  addUniqueConstraints(s, table, name, cfg.uniqueConstraints ?? [], indexes);
  const compositePrimaryKeys = serializePrimaryKeys(s, name, cfg.primaryKeys, columns);
  const checkConstraints = serializeChecks(s, name, cfg.checks);
  const state: TableState = { name, columns, indexes, foreignKeys, compositePrimaryKeys, uniqueConstraints: {}, checkConstraints };
  return { state, tableInternal };
}

/** SQLite keeps tables, views and indexes in one namespace: `CREATE INDEX t` fails when a table `t` exists. */
function refuseIndexesNamedLikeTables(indexOwners: Map<string, string>, tables: SchemaState['tables'], views: SchemaState['views']): void {
  for (const indexName of indexOwners.keys()) {
    if (Object.prototype.hasOwnProperty.call(tables, indexName) || Object.prototype.hasOwnProperty.call(views, indexName)) {
      throw new SchemaError(`Index "${indexName}" has the same name as a table or view.`, 'D1-554');
    }
  }
}
