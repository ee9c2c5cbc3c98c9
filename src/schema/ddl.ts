/**
 * The user's schema as drizzle-kit 1.0's version-7 `ddl`, entity for entity in the order drizzle-kit
 * 1.0 lists them, so that a snapshot drizzle-d1 writes in the 1.0 layout is byte-identical to
 * drizzle-kit 1.0's. Facts it follows (observed with drizzle-kit 1.0.0-rc.5): every primary key is
 * a `pks` entity named `<table>_pk` (table-level ones first, then column ones); `.unique()` and
 * `unique()` are `uniques` (table-level first, then column ones), not indexes; a column's NOT NULL
 * is false on a primary key; defaults are SQL text; foreign keys are named
 * `fk_<table>_<cols>_<tableTo>_<colsTo>_fk` with upper-case actions; checks render unqualified.
 * Validation (duplicate names and so on) stays with serializeSchema, which always runs first.
 */
import type { DdlEntity } from '../snapshot/v7.js';
import { orderDdl } from '../snapshot/v7.js';
import { columnOf } from './columns.js';
import type { Serializer } from './serializer.js';
import type { ColumnLike, TableConfigLike, ViewConfigLike } from './shapes.js';

interface KeyLike {
  columns: ColumnLike[];
  name?: string;
  isNameExplicit?: boolean | (() => boolean);
}

const explicit = (k: { isNameExplicit?: boolean | (() => boolean) }, name: string | undefined, defaultName: string): boolean => {
  const flag = typeof k.isNameExplicit === 'function' ? k.isNameExplicit() : k.isNameExplicit;
  return flag ?? (name !== undefined && name !== defaultName);
};

const ddlDefault = (value: unknown): string | null => (value === undefined || value === null ? null : typeof value === 'string' ? value : String(value));

function columnsOf(s: Serializer, table: string, cfg: TableConfigLike): DdlEntity[] {
  return cfg.columns.map((c) => {
    const name = s.colName(c);
    const col = columnOf(s, c, name, () => `Table "${table}": column "${name}"`, false);
    return {
      table,
      name,
      type: col.type,
      notNull: col.notNull && !col.primaryKey,
      autoincrement: col.autoincrement ?? false,
      default: ddlDefault(col.default),
      generated: col.generated ? { as: col.generated.as, type: col.generated.type } : null,
      entityType: 'columns' as const,
    };
  });
}

function indexesOf(s: Serializer, table: string, cfg: TableConfigLike): DdlEntity[] {
  return cfg.indexes.map((idx) => {
    const where = () => `Table "${table}": index "${idx.config.name}"`;
    const clause = idx.config.where;
    return {
      table,
      name: idx.config.name,
      columns: idx.config.columns.map((c) => (s.isSql(c) ? { value: s.render(where, c, 'indexes'), isExpression: true } : { value: s.colName(c as ColumnLike), isExpression: false })),
      isUnique: idx.config.unique ?? false,
      where: clause !== undefined && s.isSql(clause) ? s.render(where, clause) : null,
      origin: 'manual',
      entityType: 'indexes' as const,
    };
  });
}

function fksOf(s: Serializer, table: string, cfg: TableConfigLike): DdlEntity[] {
  return cfg.foreignKeys.map((fk) => {
    const ref = fk.reference();
    const columns = ref.columns.map(s.colName);
    const columnsTo = ref.foreignColumns.map(s.colName);
    const tableTo = s.m.orm.getTableName(ref.foreignTable as never);
    // drizzle-orm 1.0 says whether the name was given; 0.x's reference() carries it only then.
    const named = fk as unknown as { isNameExplicit?: () => boolean };
    const isExplicit = typeof named.isNameExplicit === 'function' ? named.isNameExplicit() : (ref as { name?: string }).name !== undefined;
    return {
      table,
      name: isExplicit ? fk.getName() : `fk_${table}_${columns.join('_')}_${tableTo}_${columnsTo.join('_')}_fk`,
      columns,
      tableTo,
      columnsTo,
      onUpdate: (fk.onUpdate ?? 'no action').toUpperCase(),
      onDelete: (fk.onDelete ?? 'no action').toUpperCase(),
      nameExplicit: isExplicit,
      entityType: 'fks' as const,
    };
  });
}

/** Table-level primary keys, then (for tables without one) the column marked .primaryKey(). */
function pksOf(s: Serializer, table: string, cfg: TableConfigLike): { declared: DdlEntity[]; columns: DdlEntity[] } {
  const declared = (cfg.primaryKeys as unknown as KeyLike[]).map((pk) => {
    const isExplicit = explicit(pk, pk.name, `${table}_pk`);
    return { table, name: isExplicit ? pk.name! : `${table}_pk`, columns: pk.columns.map(s.colName), nameExplicit: isExplicit, entityType: 'pks' as const };
  });
  const column = declared.length ? undefined : cfg.columns.find((c) => c.primary);
  return { declared, columns: column ? [{ table, name: `${table}_pk`, columns: [s.colName(column)], nameExplicit: false, entityType: 'pks' as const }] : [] };
}

function uniquesOf(s: Serializer, table: string, cfg: TableConfigLike): { declared: DdlEntity[]; columns: DdlEntity[] } {
  const declared = ((cfg.uniqueConstraints ?? []) as unknown as KeyLike[]).map((u) => {
    const columns = u.columns.map(s.colName);
    const defaultName = `${table}_${columns.join('_')}_unique`;
    const isExplicit = explicit(u, u.name, defaultName);
    return { table, name: isExplicit ? u.name! : defaultName, columns, nameExplicit: isExplicit, entityType: 'uniques' as const };
  });
  // A column's .unique() gives way to a unique index on that one column.
  const hasUniqueIndex = (c: ColumnLike) => cfg.indexes.some((i) => i.config.unique && i.config.columns.length === 1 && i.config.columns[0] === c);
  const columns = cfg.columns.filter((c) => c.isUnique && !hasUniqueIndex(c)).map((c) => {
    const name = s.colName(c);
    const defaultName = `${table}_${name}_unique`;
    const isExplicit = c.uniqueName !== undefined && c.uniqueName !== defaultName;
    return { table, name: isExplicit ? c.uniqueName! : defaultName, columns: [name], nameExplicit: isExplicit, entityType: 'uniques' as const };
  });
  return { declared, columns };
}

function checksOf(s: Serializer, table: string, cfg: TableConfigLike): DdlEntity[] {
  return cfg.checks.map((chk) => ({
    table,
    name: chk.name,
    // Rendered like an index expression (columns unqualified), as drizzle-kit 1.0 does.
    value: s.render(() => `Table "${table}": check "${chk.name}"`, chk.value, 'indexes').replace(`"${table}".`, ''),
    entityType: 'checks' as const,
  }));
}

function viewOf(s: Serializer, view: unknown): DdlEntity {
  const cfg = s.m.sqliteCore.getViewConfig(view as never) as unknown as ViewConfigLike;
  return {
    name: cfg.name,
    definition: cfg.isExisting ? null : s.render(() => `View "${cfg.name}"`, cfg.query),
    isExisting: cfg.isExisting,
    error: null,
    entityType: 'views',
  };
}

/** The schema's tables and views (as collectEntities returns them) as drizzle-kit 1.0's ddl. */
export function serializeDdl(s: Serializer, entities: { tables: unknown[]; views: unknown[] }): DdlEntity[] {
  const seen = new Set<string>();
  const configs: { name: string; cfg: TableConfigLike }[] = [];
  for (const table of entities.tables) {
    const cfg = s.m.sqliteCore.getTableConfig(table as never) as unknown as TableConfigLike;
    if (seen.has(cfg.name)) continue;
    seen.add(cfg.name);
    configs.push({ name: cfg.name, cfg });
  }
  const pks = configs.map(({ name, cfg }) => pksOf(s, name, cfg));
  const uniques = configs.map(({ name, cfg }) => uniquesOf(s, name, cfg));
  const views = new Map<string, DdlEntity>();
  for (const v of entities.views) {
    const entity = viewOf(s, v);
    if (!views.has(entity.name)) views.set(entity.name, entity);
  }
  return orderDdl([
    ...configs.map(({ name }) => ({ name, entityType: 'tables' as const })),
    ...configs.flatMap(({ name, cfg }) => [...columnsOf(s, name, cfg), ...indexesOf(s, name, cfg), ...fksOf(s, name, cfg)]),
    ...pks.flatMap((p) => p.declared),
    ...pks.flatMap((p) => p.columns),
    ...uniques.flatMap((u) => u.declared),
    ...uniques.flatMap((u) => u.columns),
    ...configs.flatMap(({ name, cfg }) => checksOf(s, name, cfg)),
    ...views.values(),
  ]);
}
