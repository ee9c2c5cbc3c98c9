/**
 * Names SQLite treats as the same, or as its own, refused when the migration is generated rather
 * than when it is applied (where D1 would roll the whole file back).
 *
 * Verified with SQLite 3.53 (better-sqlite3):
 * - Tables, views and indexes share one namespace, compared case-insensitively: after
 *   `CREATE TABLE users`, `CREATE TABLE Users` fails ("table Users already exists"), and so do
 *   `CREATE VIEW USERS` and `CREATE INDEX uSers` ("there is already a table named uSers").
 *   Triggers have a namespace of their own (a trigger may be named like a table or index).
 * - Column names of a table are compared the same way: `CREATE TABLE c (a, A)` fails ("duplicate
 *   column name: A").
 * - Only ASCII letters are folded (sqlite.org/lang_expr.html: "SQLite only understands upper/lower
 *   case for ASCII characters by default"): tables `ü` and `Ü` coexist.
 * - Names starting with `sqlite_`, in any case, are refused for tables, views, indexes and triggers,
 *   also through `ALTER TABLE … RENAME TO` ("object name reserved for internal use"), quoted or
 *   not. Columns may start with `sqlite_`.
 *
 * Verified with wrangler 4.86's local D1 (workerd): D1's authorizer refuses tables, views and indexes
 * whose names start with `_cf_` ("not authorized: SQLITE_AUTH"), in that exact case only (`_CF_x`
 * is allowed), and columns named `_cf_…`. better-sqlite3 (src/d1/apply.ts) does not emulate this.
 */
import type { SchemaState } from '../snapshot/types.js';
import { SchemaError } from './schema-error.js';

/** SQLite's own case folding of identifiers: ASCII letters only. */
export const foldCase = (name: string): string => name.replace(/[A-Z]/g, (c) => c.toLowerCase());

interface SchemaObject {
  /** e.g. `table "users"`, `index "users_email_unique" of table "users"` */
  label: string;
  name: string;
  kind: 'table' | 'view' | 'index';
}

function objectsOf(state: SchemaState): SchemaObject[] {
  const tables = Object.values(state.tables);
  return [
    ...tables.map((t) => ({ kind: 'table' as const, name: t.name, label: `table "${t.name}"` })),
    ...Object.values(state.views).map((v) => ({ kind: 'view' as const, name: v.name, label: `view "${v.name}"` })),
    ...tables.flatMap((t) =>
      Object.keys(t.indexes).map((i) => ({ kind: 'index' as const, name: i, label: `index "${i}" of table "${t.name}"` })),
    ),
  ];
}

const capitalized = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/** Refuses the schema's names that SQLite or drizzle-d1's own migrations would trip over. */
export function checkNames(state: SchemaState): void {
  const objects = objectsOf(state);
  refuseReservedNames(objects);
  refuseCaseCollisions(objects);
  for (const table of Object.values(state.tables)) refuseColumnCaseCollisions(table.name, Object.keys(table.columns));
  refuseTemporaryNames(state, objects);
}

function refuseReservedNames(objects: SchemaObject[]): void {
  for (const o of objects) {
    if (foldCase(o.name).startsWith('sqlite_')) {
      throw new SchemaError(
        `${capitalized(o.label)}: names starting with "sqlite_" are reserved by SQLite, which refuses to create ` +
          `the ${o.kind} ("object name reserved for internal use"). Rename it.`,
        'D1-557',
      );
    }
    if (o.name.startsWith('_cf_')) {
      throw new SchemaError(
        `${capitalized(o.label)}: names starting with "_cf_" are reserved by Cloudflare D1, which refuses to ` +
          `create the ${o.kind} ("not authorized"). Rename it.`,
        'D1-559',
      );
    }
  }
}

function refuseCaseCollisions(objects: SchemaObject[]): void {
  const seen = new Map<string, SchemaObject>();
  for (const o of objects) {
    const other = seen.get(foldCase(o.name));
    if (other !== undefined) {
      throw new SchemaError(
        `${capitalized(other.label)} and ${o.label} differ only by letter case; SQLite compares table, view and ` +
          `index names case-insensitively, in one namespace, so creating the second fails. Rename one of them.`,
        'D1-555',
      );
    }
    seen.set(foldCase(o.name), o);
  }
}

function refuseColumnCaseCollisions(tableName: string, columns: string[]): void {
  const seen = new Map<string, string>();
  for (const c of columns) {
    const other = seen.get(foldCase(c));
    if (other !== undefined) {
      throw new SchemaError(
        `Table "${tableName}": columns "${other}" and "${c}" differ only by letter case; SQLite compares column ` +
          `names case-insensitively and rejects the table ("duplicate column name"). Rename one of them.`,
        'D1-556',
      );
    }
    seen.set(foldCase(c), c);
  }
}

/** The guard table (`__drizzle_d1_fk_guard`, or a numbered variant) and any future helper objects. */
const OWN_PREFIX = '__drizzle_d1_';

/**
 * Names drizzle-d1's migrations give objects for a moment (see src/plan/plan.ts): `__new_<t>` for the
 * new copy of a rebuilt table and `__new_<i>` for a spare index, `__drop_<t>` for a dropped table
 * whose name a renamed table takes over, `__rename_<t>` (and `__rename_<c>` for columns) in a swap.
 * A schema object with such a name would make that step fail; renaming it is simpler than avoiding it.
 */
function refuseTemporaryNames(state: SchemaState, objects: SchemaObject[]): void {
  const tables = new Map(Object.keys(state.tables).map((t) => [foldCase(t), t]));
  const indexes = new Map(objects.filter((o) => o.kind === 'index').map((o) => [foldCase(o.name), o.name]));
  for (const o of objects) {
    const use = temporaryUse(foldCase(o.name), tables, indexes);
    if (use === undefined) continue;
    throw new SchemaError(
      `${capitalized(o.label)}: "${o.name}" is a name drizzle-d1 gives ${use} during a migration, so that ` +
        `migration would fail. Rename the ${o.kind}.`,
      'D1-558',
    );
  }
  for (const table of Object.values(state.tables)) refuseTemporaryColumnNames(table.name, Object.keys(table.columns));
}

/** What drizzle-d1 would use a (case-folded) name for, if anything. */
function temporaryUse(name: string, tables: Map<string, string>, indexes: Map<string, string>): string | undefined {
  if (name.startsWith(OWN_PREFIX)) return 'its own helper tables (names starting with "__drizzle_d1_")';
  const after = (prefix: string, names: Map<string, string>) => (name.startsWith(prefix) ? names.get(name.slice(prefix.length)) : undefined);
  const rebuilt = after('__new_', tables);
  if (rebuilt !== undefined) return `the new copy of table "${rebuilt}" while it rebuilds it`;
  const spare = after('__new_', indexes);
  if (spare !== undefined) return `index "${spare}" while its table is rebuilt`;
  const dropped = after('__drop_', tables);
  if (dropped !== undefined) return `a dropped table named "${dropped}" when another table is renamed to "${dropped}"`;
  const swapped = after('__rename_', tables);
  if (swapped !== undefined) return `table "${swapped}" when it swaps names with another table`;
  return undefined;
}

function refuseTemporaryColumnNames(tableName: string, columns: string[]): void {
  const folded = new Map(columns.map((c) => [foldCase(c), c]));
  for (const c of columns) {
    const f = foldCase(c);
    const swapped = f.startsWith('__rename_') ? folded.get(f.slice('__rename_'.length)) : undefined;
    if (swapped === undefined) continue;
    throw new SchemaError(
      `Table "${tableName}": column "${c}" has the name drizzle-d1 gives column "${swapped}" when it swaps names ` +
        `with another column, so that migration would fail. Rename the column.`,
      'D1-558',
    );
  }
}
