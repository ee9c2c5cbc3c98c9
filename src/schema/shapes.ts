/** The types the serialiser works with: its options and the user's drizzle-orm objects. */
export type Casing = 'camelCase' | 'snake_case' | undefined;

/** The user's own drizzle-orm modules: tables must be inspected with the same drizzle-orm copy the user's schema was built with. */
export interface DrizzleModules {
  orm: typeof import('drizzle-orm');
  sqliteCore: typeof import('drizzle-orm/sqlite-core');
}

// ---------------------------------------------------------------------------------------------
// Loose runtime shapes of drizzle-orm objects. Several of these members are `@internal` in
// drizzle-orm's typings, and the user's drizzle-orm may be another (compatible) version.

export interface SqlLike {
  toQuery(config: Record<string, unknown>): { sql: string; params: unknown[] };
}
export interface ColumnLike {
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
export interface IndexLike {
  config: { name: string; columns: unknown[]; unique?: boolean; where?: unknown };
}
export interface ForeignKeyLike {
  onDelete?: string;
  onUpdate?: string;
  getName(): string;
  reference(): { columns: ColumnLike[]; foreignTable: unknown; foreignColumns: ColumnLike[] };
}
export interface PrimaryKeyLike {
  columns: ColumnLike[];
  getName(): string;
}
export interface UniqueLike {
  name?: string;
  columns: ColumnLike[];
}
export interface CheckLike {
  name: string;
  value: unknown;
}
export interface TableConfigLike {
  name: string;
  columns: ColumnLike[];
  indexes: IndexLike[];
  checks: CheckLike[];
  foreignKeys: ForeignKeyLike[];
  primaryKeys: PrimaryKeyLike[];
  uniqueConstraints?: UniqueLike[];
}
export interface ViewConfigLike {
  name: string;
  isExisting: boolean;
  selectedFields: Record<string, unknown>;
  query?: unknown;
}
