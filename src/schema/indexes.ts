/**
 * A table's indexes as drizzle-kit 0.31 writes them, with expression columns recorded in the
 * snapshot's `internal.indexes`.
 */
import type { Index as IndexState, SchemaState } from '../snapshot/types.js';
import { SchemaError } from './schema-error.js';
import type { Serializer, Where } from './serializer.js';
import type { ColumnLike, IndexLike } from './shapes.js';

export type InternalIndexes = NonNullable<NonNullable<SchemaState['internal']>['indexes']>;

/**
 * Adds the table's indexes to `indexes` (which holds its column uniques already) and returns the
 * `internal` entries of those with expression columns. An index declared twice identically is kept
 * once; two different ones with one name are refused, where drizzle-kit would keep only the last.
 */
export function addIndexes(
  s: Serializer,
  tableName: string,
  declared: IndexLike[],
  indexes: Record<string, IndexState>,
): InternalIndexes {
  const internal: InternalIndexes = {};
  for (const idx of declared) {
    const name = idx.config.name;
    const where: Where = () => `Table "${tableName}": index "${name}"`;
    const entry = indexEntry(s, idx, where, internal);
    const existing = indexes[name];
    if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(entry)) {
      throw new SchemaError(
        `Table "${tableName}" has two different indexes named "${name}" (drizzle-kit would silently keep only the last).`,
        'D1-545',
      );
    }
    indexes[name] = entry;
  }
  return internal;
}

/** Index entry: keys name, columns, isUnique, where. */
function indexEntry(s: Serializer, idx: IndexLike, where: Where, internal: InternalIndexes): IndexState {
  const name = idx.config.name;
  const columns = idx.config.columns.map((it) => {
    if (!s.isSql(it)) return s.colName(it as ColumnLike);
    const expr = s.render(where, it, 'indexes');
    const entry = (internal[name] ??= { columns: {} });
    (entry.columns[expr] ??= {}).isExpression = true;
    return expr;
  });
  const entry: IndexState = { name, columns, isUnique: idx.config.unique ?? false };
  const clause = idx.config.where;
  if (clause !== undefined && s.isSql(clause)) entry.where = s.render(() => `${where()} (WHERE clause)`, clause);
  return entry;
}

/**
 * Records which table owns each index name: SQLite index names are unique across the database, and
 * drizzle-kit would write both `CREATE INDEX` statements, the second of which fails.
 */
export function claimIndexNames(owners: Map<string, string>, tableName: string, indexes: Record<string, IndexState>): void {
  for (const indexName of Object.keys(indexes)) {
    const owner = owners.get(indexName);
    if (owner !== undefined) {
      throw new SchemaError(
        `Index "${indexName}" is defined on both table "${owner}" and table "${tableName}"; SQLite index names ` +
          `must be unique across the database.`,
        'D1-546',
      );
    }
    owners.set(indexName, tableName);
  }
}
