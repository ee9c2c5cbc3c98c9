/**
 * The `Serializer` every part of the serialiser shares: the user's drizzle-orm with its SQL dialect,
 * rendering SQL and naming columns the way drizzle-kit 0.31 does.
 */
import { columnNamer } from './casing.js';
import { SchemaError } from './schema-error.js';
import type { Casing, ColumnLike, DrizzleModules, SqlLike } from './shapes.js';

export interface DialectLike {
  sqlToQuery(sql: unknown, invokeSource?: 'indexes'): { sql: string; params: unknown[] };
  casing?: { convert?: unknown };
}

/** Says where a problem is, e.g. `Table "a": column "x"`; called only when there is one. */
export type Where = () => string;

/** The user's drizzle-orm with its SQL dialect under the configured casing. */
export interface Serializer {
  m: DrizzleModules;
  casing: Casing;
  /** Whether a value is a drizzle `sql` chunk (of the user's drizzle-orm copy). */
  isSql(value: unknown): boolean;
  /** The database name of a column under the configured casing. */
  colName(c: ColumnLike): string;
  /** A SQL chunk rendered the way drizzle-kit does, refusing bound parameters SQLite would reject. */
  render(where: Where, sql: unknown, invokeSource?: 'indexes'): string;
  /** A `sql` default rendered as drizzle-kit does (no names, parameters or strings allowed). */
  sqlDefault(where: Where, value: unknown): string;
}

const describeParams = (params: unknown[]): string =>
  params.map((p) => (typeof p === 'string' ? `'${p}'` : String(p))).join(', ');

type DialectClass = new (config?: { casing?: Casing }) => DialectLike;

/**
 * The SQL dialect of the user's drizzle-orm: `SQLiteSyncDialect` in 0.x; 1.0 has one `SQLiteDialect`
 * (no sync/async split, and casing is applied when the table is defined, not by the dialect).
 */
export function dialectOf(m: DrizzleModules, casing: Casing): DialectLike {
  const core = m.sqliteCore as unknown as Record<string, DialectClass | undefined>;
  const Dialect = core.SQLiteSyncDialect ?? core.SQLiteDialect;
  if (!Dialect) {
    throw new SchemaError('drizzle-orm/sqlite-core exports neither SQLiteSyncDialect (drizzle-orm 0.x) nor SQLiteDialect (1.0); install drizzle-orm 0.44 or later.', 'D1-520');
  }
  return new Dialect({ casing });
}

export function serializerFor(m: DrizzleModules, casing: Casing): Serializer {
  const { is, SQL } = m.orm;
  const dialect = dialectOf(m, casing);
  return {
    m,
    casing,
    isSql: (value) => is(value, SQL),
    colName: columnNamer(dialect.casing?.convert, casing),
    render: (where, sql, invokeSource) => {
      const q = dialect.sqlToQuery(sql, invokeSource);
      if (q.params.length > 0) {
        throw new SchemaError(
          `${where()} contains bound parameters (${describeParams(q.params)}); drizzle-kit would write them as "?" ` +
            `(${JSON.stringify(q.sql)}), which SQLite rejects. Write the values into the sql\`\` template text, ` +
            `use sql.raw(), or call .inlineParams() on the SQL.`,
          'D1-550',
        );
      }
      return q.sql;
    },
    sqlDefault: (where, value) => {
      const refuse = (): never => {
        throw new SchemaError(
          `${where()}: we don't support params for \`sql\` default values (drizzle-kit rejects them too)`,
          'D1-551',
        );
      };
      return (value as SqlLike).toQuery({ escapeName: refuse, escapeParam: refuse, escapeString: refuse, casing: dialect.casing }).sql;
    },
  };
}
