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
 * drizzle-kit is never imported here: the user's own drizzle-orm copy does all SQL rendering.
 */
import type { Code } from '../diagnostics/codes.js';
import { UserInputError } from '../diagnostics/errors.js';
import type {
  Column as ColumnState,
  ForeignKey as ForeignKeyState,
  Index as IndexState,
  SchemaState,
  Table as TableState,
  View as ViewState,
} from '../snapshot/types.js';

export type Casing = 'camelCase' | 'snake_case' | undefined;

/** The user's own drizzle-orm modules: tables must be inspected with the same drizzle-orm copy the user's schema was built with. */
export interface DrizzleModules {
  orm: typeof import('drizzle-orm');
  sqliteCore: typeof import('drizzle-orm/sqlite-core');
}

/** A schema that drizzle-kit would reject, or would turn into a snapshot whose SQL SQLite rejects. */
export class SchemaError extends UserInputError {
  constructor(message: string, code: Code = 'D1-540') {
    super(code, message);
    this.name = 'SchemaError';
  }
}

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

// ---------------------------------------------------------------------------------------------
// Loose runtime shapes of drizzle-orm objects. Several of these members are `@internal` in
// drizzle-orm's typings, and the user's drizzle-orm may be another (compatible) version.

interface SqlLike {
  toQuery(config: Record<string, unknown>): { sql: string; params: unknown[] };
}
interface ColumnLike {
  name: string;
  keyAsName?: boolean;
  primary: boolean;
  notNull: boolean;
  default?: unknown;
  isUnique: boolean;
  uniqueName?: string;
  autoIncrement?: boolean;
  generated?: { as: unknown; mode?: string; type?: string };
  getSQLType(): string;
}
interface IndexLike {
  config: { name: string; columns: unknown[]; unique?: boolean; where?: unknown };
}
interface ForeignKeyLike {
  onDelete?: string;
  onUpdate?: string;
  getName(): string;
  reference(): { columns: ColumnLike[]; foreignTable: unknown; foreignColumns: ColumnLike[] };
}
interface PrimaryKeyLike {
  columns: ColumnLike[];
  getName(): string;
}
interface UniqueLike {
  name?: string;
  columns: ColumnLike[];
}
interface CheckLike {
  name: string;
  value: unknown;
}
interface TableConfigLike {
  name: string;
  columns: ColumnLike[];
  indexes: IndexLike[];
  checks: CheckLike[];
  foreignKeys: ForeignKeyLike[];
  primaryKeys: PrimaryKeyLike[];
  uniqueConstraints?: UniqueLike[];
}
interface ViewConfigLike {
  name: string;
  isExisting: boolean;
  selectedFields: Record<string, unknown>;
  query?: unknown;
}
interface DialectLike {
  sqlToQuery(sql: unknown, invokeSource?: 'indexes'): { sql: string; params: unknown[] };
  casing?: { convert?: unknown };
}

// Same word split as drizzle-orm's casing helpers (drizzle-orm/casing).
const WORDS = /[\da-z]+|[A-Z]+(?![a-z])|[A-Z][\da-z]+/g;
const splitWords = (input: string): string[] => input.replace(/['\u2019]/g, '').match(WORDS) ?? [];
const toSnakeCase = (input: string): string =>
  splitWords(input)
    .map((w) => w.toLowerCase())
    .join('_');
const toCamelCase = (input: string): string =>
  splitWords(input).reduce(
    (acc, w, i) => acc + (i === 0 ? w.toLowerCase() : `${w[0]!.toUpperCase()}${w.slice(1)}`),
    '',
  );

/** Anything JSON.stringify drops from an object (the snapshot is written after a JSON round trip). */
const droppedByJson = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';

const describeParams = (params: unknown[]): string =>
  params.map((p) => (typeof p === 'string' ? `'${p}'` : String(p))).join(', ');

// ---------------------------------------------------------------------------------------------

export function serializeSchema(
  entities: { tables: unknown[]; views: unknown[] },
  m: DrizzleModules,
  casing?: Casing,
): SchemaState {
  const { is, SQL, getTableName } = m.orm;
  const { getTableConfig, getViewConfig, SQLiteBaseInteger, SQLiteColumn, SQLiteSyncDialect, uniqueKeyName } =
    m.sqliteCore;
  const dialect = new SQLiteSyncDialect({ casing }) as unknown as DialectLike;
  const casingCache = (dialect as unknown as { casing?: unknown }).casing;

  const dialectConvert = (dialect.casing as { convert?: unknown } | undefined)?.convert;
  const convert: (s: string) => string =
    typeof dialectConvert === 'function' && casing !== undefined
      ? (dialectConvert as (s: string) => string)
      : casing === 'camelCase'
        ? toCamelCase
        : toSnakeCase;
  /** The database name of a column under the configured casing. */
  const colName = (c: ColumnLike): string => {
    if (!c.name) return '';
    return !c.keyAsName || casing === undefined ? c.name : convert(c.name);
  };

  /** Render a SQL chunk the way drizzle-kit does, refusing bound parameters SQLite would reject. */
  const render = (what: () => string, sql: unknown, invokeSource?: 'indexes'): string => {
    const q = dialect.sqlToQuery(sql, invokeSource);
    if (q.params.length > 0) {
      throw new SchemaError(
        `${what()} contains bound parameters (${describeParams(q.params)}); drizzle-kit would write them as "?" ` +
          `(${JSON.stringify(q.sql)}), which SQLite rejects. Write the values into the sql\`\` template text, ` +
          `use sql.raw(), or call .inlineParams() on the SQL.`,
      );
    }
    return q.sql;
  };

  /** A `sql` default, rendered as drizzle-kit does (no names, parameters or strings allowed). */
  const sqlDefault = (where: () => string, value: unknown): string => {
    const refuse = (): never => {
      throw new SchemaError(`${where()}: we don't support params for \`sql\` default values (drizzle-kit rejects them too)`);
    };
    return (value as SqlLike).toQuery({
      escapeName: refuse,
      escapeParam: refuse,
      escapeString: refuse,
      casing: casingCache,
    }).sql;
  };

  const generatedOf = (where: () => string, c: ColumnLike): ColumnState['generated'] => {
    const g = c.generated;
    if (!g) return undefined;
    let as: string;
    if (is(g.as, SQL)) as = `(${render(where, g.as, 'indexes')})`;
    else if (typeof g.as === 'function') as = `(${render(where, (g.as as () => unknown)(), 'indexes')})`;
    else as = `(${String(g.as)})`;
    return { as, type: (g.mode ?? 'virtual') as 'virtual' | 'stored' };
  };

  /** Column entry: keys name, type, primaryKey, notNull, autoincrement, generated, default. */
  const columnOf = (c: ColumnLike, name: string, where: () => string, forView: boolean): ColumnState => {
    const col: ColumnState = {
      name,
      type: c.getSQLType(),
      primaryKey: c.primary,
      notNull: c.notNull,
      autoincrement: is(c, SQLiteBaseInteger) ? (c.autoIncrement as boolean) : false,
    };
    const generated = generatedOf(() => `${where()} (generated expression)`, c);
    if (generated !== undefined) col.generated = generated;
    const d = c.default;
    if (d !== undefined) {
      let value: unknown;
      if (is(d, SQL)) {
        value = sqlDefault(where, d);
      } else if (typeof d === 'string') {
        // drizzle-kit escapes quotes in table defaults only; view columns are never emitted as SQL.
        value = forView ? `'${d}'` : `'${d.replace(/'/g, "''")}'`;
      } else if (typeof d === 'object') {
        // Objects, arrays, Dates, Buffers and null all go through JSON.stringify, unescaped.
        let json: string;
        try {
          json = JSON.stringify(d);
        } catch (e) {
          throw new SchemaError(`${where()}: cannot serialize the default value: ${(e as Error).message}`);
        }
        if (!forView && json !== undefined && json.includes("'")) {
          throw new SchemaError(
            `${where()}: JSON default ${json} contains a single quote; drizzle-kit would write it unescaped ` +
              `('${json}'), which is invalid SQL. Use a sql\`\` default with the quote doubled instead.`,
          );
        }
        value = `'${json}'`;
      } else if (typeof d === 'bigint') {
        // drizzle-kit 0.31 crashes here ("Do not know how to serialize a BigInt"). We write a text
        // literal, which drizzle-orm reads back as the same bigint.
        value = `'${d.toString()}'`;
      } else if (typeof d === 'number') {
        value = Number.isFinite(d) ? d : null;
      } else {
        value = d;
      }
      if (!droppedByJson(value)) col.default = value;
    }
    return col;
  };

  const tables: Record<string, TableState> = {};
  const tableOwners = new Map<string, unknown>();
  const indexOwners = new Map<string, string>();
  const internalIndexes: NonNullable<NonNullable<SchemaState['internal']>['indexes']> = {};

  for (const table of entities.tables) {
    const cfg = getTableConfig(table as never) as unknown as TableConfigLike;
    const tableName = cfg.name;
    if (tableOwners.get(tableName) === table) continue; // the very same object twice
    const where = (what: string) => () => `Table "${tableName}": ${what}`;

    // --- columns (and column-level uniques, which drizzle-kit stores as unique indexes)
    const columns: Record<string, ColumnState> = {};
    const indexes: Record<string, IndexState> = {};
    for (const c of cfg.columns) {
      const name = colName(c);
      if (Object.prototype.hasOwnProperty.call(columns, name)) {
        throw new SchemaError(`Table "${tableName}" has two columns named "${name}".`);
      }
      columns[name] = columnOf(c, name, where(`column "${name}"`), false);
      if (c.isUnique) {
        const uname = c.uniqueName as string;
        const existing = indexes[uname];
        if (existing !== undefined) {
          throw new SchemaError(
            `Table "${tableName}": the unique constraint "${uname}" on column "${name}" conflicts with a unique ` +
              `constraint of the same name on ${existing.columns.join(',')}.`,
          );
        }
        indexes[uname] = { name: uname, columns: [name], isUnique: true };
      }
    }

    // --- foreign keys
    const foreignKeys: Record<string, ForeignKeyState> = {};
    for (const fk of cfg.foreignKeys) {
      const ref = fk.reference();
      const tableTo = getTableName(ref.foreignTable as never);
      const columnsFrom = ref.columns.map(colName);
      const columnsTo = ref.foreignColumns.map(colName);
      let name = fk.getName();
      if (casing !== undefined) {
        // drizzle-kit patches the name by replacing the first occurrence of each original column
        // name with its cased form (String#replace semantics, '$' patterns included).
        ref.columns.forEach((c, i) => (name = name.replace(c.name, columnsFrom[i]!)));
        ref.foreignColumns.forEach((c, i) => (name = name.replace(c.name, columnsTo[i]!)));
      }
      const entry = {
        name,
        tableFrom: tableName,
        tableTo,
        columnsFrom,
        columnsTo,
        onDelete: fk.onDelete ?? 'no action',
        onUpdate: fk.onUpdate ?? 'no action',
      };
      const existing = foreignKeys[name];
      if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(entry)) {
        throw new SchemaError(`Table "${tableName}" has two different foreign keys named "${name}".`);
      }
      foreignKeys[name] = entry;
    }

    // --- indexes (expression columns are recorded in `internal`)
    const tableInternal: Record<string, { columns: Record<string, { isExpression?: boolean }> }> = {};
    for (const idx of cfg.indexes) {
      const name = idx.config.name;
      const idxWhere = where(`index "${name}"`);
      const cols = idx.config.columns.map((it) => {
        if (is(it, SQL)) {
          const expr = render(idxWhere, it, 'indexes');
          const entry = (tableInternal[name] ??= { columns: {} });
          (entry.columns[expr] ??= {}).isExpression = true;
          return expr;
        }
        return colName(it as ColumnLike);
      });
      let whereSql: string | undefined;
      if (idx.config.where !== undefined && is(idx.config.where, SQL)) {
        whereSql = render(() => `${idxWhere()} (WHERE clause)`, idx.config.where);
      }
      const entry: IndexState = { name, columns: cols, isUnique: idx.config.unique ?? false };
      if (whereSql !== undefined) entry.where = whereSql;
      const existing = indexes[name];
      if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(entry)) {
        throw new SchemaError(
          `Table "${tableName}" has two different indexes named "${name}" (drizzle-kit would silently keep only the last).`,
        );
      }
      indexes[name] = entry;
    }

    // --- unique constraints (also stored as unique indexes)
    for (const unq of cfg.uniqueConstraints ?? []) {
      const cols = unq.columns.map(colName);
      const key = unq.name ?? uniqueKeyName(table as never, cols);
      const existing = indexes[key];
      if (existing !== undefined) {
        throw new SchemaError(
          `Table "${tableName}": the unique constraint "${key}" on ${cols.join(',')} conflicts with a unique ` +
            `constraint or index of the same name on ${existing.columns.join(',')}.`,
        );
      }
      const entry = { name: unq.name, columns: cols, isUnique: true } as IndexState;
      if (unq.name === undefined) delete (entry as Partial<IndexState>).name;
      indexes[key] = entry;
    }

    // --- primary keys: one column marks the column, several make a composite key
    const compositePrimaryKeys: TableState['compositePrimaryKeys'] = {};
    for (const pk of cfg.primaryKeys) {
      if (pk.columns.length > 1) {
        const cols = pk.columns.map(colName);
        let name = pk.getName();
        if (casing !== undefined) pk.columns.forEach((c, i) => (name = name.replace(c.name, cols[i]!)));
        compositePrimaryKeys[name] = { columns: cols, name };
      } else {
        const target = columns[colName(pk.columns[0]!)];
        if (target === undefined) {
          throw new SchemaError(`Table "${tableName}": primary key column "${colName(pk.columns[0]!)}" is not in the table.`);
        }
        target.primaryKey = true;
      }
    }
    const pkCount =
      Object.values(columns).filter((c) => c.primaryKey).length + Object.keys(compositePrimaryKeys).length;
    if (pkCount > 1) {
      throw new SchemaError(
        `Table "${tableName}" has more than one primary key (columns marked .primaryKey() and/or primaryKey() ` +
          `definitions); SQLite rejects this. Use a single composite primaryKey({ columns: [...] }).`,
      );
    }

    // --- checks
    const checkConstraints: TableState['checkConstraints'] = {};
    for (const chk of cfg.checks) {
      if (Object.prototype.hasOwnProperty.call(checkConstraints, chk.name)) {
        throw new SchemaError(`Table "${tableName}" has two check constraints named "${chk.name}".`);
      }
      checkConstraints[chk.name] = { name: chk.name, value: render(where(`check "${chk.name}"`), chk.value) };
    }

    const state: TableState = {
      name: tableName,
      columns,
      indexes,
      foreignKeys,
      compositePrimaryKeys,
      uniqueConstraints: {},
      checkConstraints,
    };

    const previous = tables[tableName];
    if (previous !== undefined) {
      if (JSON.stringify(previous) === JSON.stringify(state)) continue; // an identical copy
      throw new SchemaError(
        `Two different tables are named "${tableName}" (drizzle-kit would silently keep only the last one).`,
      );
    }
    for (const indexName of Object.keys(indexes)) {
      const owner = indexOwners.get(indexName);
      if (owner !== undefined) {
        throw new SchemaError(
          `Index "${indexName}" is defined on both table "${owner}" and table "${tableName}"; SQLite index names ` +
            `must be unique across the database.`,
        );
      }
      indexOwners.set(indexName, tableName);
    }
    tables[tableName] = state;
    tableOwners.set(tableName, table);
    for (const [indexName, entry] of Object.entries(tableInternal)) internalIndexes[indexName] = entry;
  }

  // --- views
  const views: Record<string, ViewState> = {};
  const viewOwners = new Map<string, unknown>();
  for (const view of entities.views) {
    const cfg = getViewConfig(view as never) as unknown as ViewConfigLike;
    const name = cfg.name;
    const owner = viewOwners.get(name);
    if (owner === view) continue; // the same view exported twice (drizzle-kit exits on this)
    if (owner !== undefined) throw new SchemaError(`Two different views are named "${name}". Please rename one.`);
    if (Object.prototype.hasOwnProperty.call(tables, name)) {
      throw new SchemaError(`View "${name}" has the same name as a table.`);
    }
    const columns: Record<string, ColumnState> = {};
    const fields = cfg.selectedFields;
    for (const key in fields) {
      const field = fields[key];
      if (!is(field, SQLiteColumn)) continue;
      const c = field as unknown as ColumnLike;
      columns[c.name] = columnOf(c, c.name, () => `View "${name}": column "${c.name}"`, true);
    }
    const state: ViewState = { columns, name, isExisting: cfg.isExisting };
    if (!cfg.isExisting) state.definition = render(() => `View "${name}"`, cfg.query);
    views[name] = state;
    viewOwners.set(name, view);
  }

  for (const indexName of indexOwners.keys()) {
    if (Object.prototype.hasOwnProperty.call(tables, indexName) || Object.prototype.hasOwnProperty.call(views, indexName)) {
      throw new SchemaError(`Index "${indexName}" has the same name as a table or view.`);
    }
  }

  return { tables, views, internal: { indexes: internalIndexes } };
}
