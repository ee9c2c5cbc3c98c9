/**
 * What a down file cannot undo, read from the forward migration's changes: values the migration
 * dropped (tables, columns) or overwrote (NULLs it filled, values it converted to another type), and
 * what the down file itself deletes (tables and columns the migration added, with whatever was
 * written to them since). Each is a diagnostic; the header names every one.
 */
import type { Diagnostic } from '../diagnostics/types.js';
import type { Change, Renames } from '../diff/types.js';
import type { Column, SchemaState, Table } from '../snapshot/types.js';

export interface RollbackFindings {
  /** Values this file cannot bring back (D1-480, D1-481, D1-483), by the previous schema's names. */
  cannotRestore: Diagnostic[];
  /** What this file deletes (D1-482), by the current schema's names. */
  deletes: Diagnostic[];
  /** `table.column` (previous names) → placeholder value for a dropped NOT NULL column without a default. */
  placeholders: Record<string, string>;
}

/** The migration's `--backfill` expressions by current `table.column`; undefined when not known (a folder read back). */
export type Backfill = Record<string, string> | undefined;

const hasDefault = (c: Column) => c.default !== undefined && c.default !== null;

/**
 * The zero value of a column's type affinity (sqlite.org/datatype3.html §3.1): what a dropped
 * NOT NULL column without a default comes back holding, since NULL is not allowed and the old values
 * are gone.
 */
export function zeroValue(type: string): string {
  const t = type.toUpperCase();
  if (t.includes('INT')) return '0';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return "''";
  if (t.includes('BLOB') || t.trim() === '') return "x''";
  return '0';
}

/**
 * A placeholder that differs per row, for a column a unique index, unique constraint or primary key
 * covers (one zero value in every row would abort the file on the unique index): the old row's rowid,
 * as the column's type affinity.
 */
export function distinctValue(type: string): string {
  const zero = zeroValue(type);
  return zero === "''" ? 'CAST(rowid AS TEXT)' : zero === "x''" ? 'CAST(rowid AS BLOB)' : 'rowid';
}

/** Whether `column` of `table` is in a unique index, unique constraint or composite primary key. */
const isUniqueIn = (table: Table | undefined, column: string) =>
  Boolean(table) &&
  (Object.values(table!.indexes).some((i) => i.isUnique && i.columns.includes(column)) ||
    Object.values(table!.uniqueConstraints).some((u) => u.columns.includes(column)) ||
    Object.values(table!.compositePrimaryKeys).some((k) => k.columns.includes(column)));

/** Whether a re-added column needs a value for existing rows (NOT NULL, no default, not the rowid). */
const needsPlaceholder = (c: Column) =>
  c.notNull && !hasDefault(c) && !c.generated && !(c.primaryKey && /^integer$/i.test(c.type));

function droppedColumn(table: string, column: Column, def: Table | undefined, out: RollbackFindings): void {
  const at = `\`${table}\`.\`${column.name}\``;
  if (needsPlaceholder(column)) {
    const unique = isUniqueIn(def, column.name);
    const value = unique ? distinctValue(column.type) : zeroValue(column.type);
    out.placeholders[`${table}.${column.name}`] = value;
    const holding = unique ? `each row's rowid (${value}), a placeholder that keeps it unique` : `${value} in every row, a placeholder of its type`;
    out.cannotRestore.push({
      code: 'D1-483', severity: 'warning', table, column: column.name,
      message: `${at}: the migration dropped this NOT NULL column; it comes back holding ${holding} (it has no default and cannot be NULL).`,
    });
    return;
  }
  const value = column.generated ? 'its computed value' : hasDefault(column) ? `its default ${String(column.default)}` : 'NULL';
  const lost = column.generated ? 'nothing is lost' : 'its values are lost';
  out.cannotRestore.push({ code: 'D1-480', severity: 'warning', table, column: column.name, message: `${at}: the migration dropped this column; it comes back holding ${value} (${lost}).` });
}

function alteredColumn(table: string, c: Extract<Change, { kind: 'alterColumn' }>, backfill: Backfill, out: RollbackFindings): void {
  const at = `\`${table}\`.\`${c.from.name}\``;
  if (c.aspects.includes('notNull') && c.to.notNull && !c.from.notNull && !c.from.primaryKey) {
    // The copy fills NULLs with the --backfill, else the default; with neither, a guard refused NULLs.
    const expr = backfill?.[`${c.table}.${c.to.name}`];
    const fill = expr !== undefined ? `--backfill ${expr}` : hasDefault(c.to) ? `its default ${String(c.to.default)}` : backfill ? undefined : 'a --backfill value, if it was generated with one';
    if (fill !== undefined) {
      out.cannotRestore.push({
        code: 'D1-481', severity: 'warning', table, column: c.from.name,
        message: `${at}: the migration made it NOT NULL and replaced its NULLs with ${fill}; those rows keep that value (this file cannot tell them from the others).`,
      });
    }
  }
  if (c.aspects.includes('type') && !c.from.generated) {
    out.cannotRestore.push({
      code: 'D1-481', severity: 'warning', table, column: c.from.name,
      message: `${at}: the migration converted its values from ${c.from.type} to ${c.to.type}; they are converted back, and a value the first conversion changed (text '007' read as an integer is 7) keeps that change.`,
    });
  }
}

/**
 * The findings for a migration from the schema before it, its forward diff's `changes` and its `renames`:
 * names of the previous schema for what cannot come back, of the current one for what is deleted.
 */
export function rollbackFindings(prev: SchemaState, changes: Change[], renames: Renames, backfill?: Backfill): RollbackFindings {
  const out: RollbackFindings = { cannotRestore: [], deletes: [], placeholders: {} };
  const prevNameOf = new Map(Object.entries(renames.tables).map(([from, to]) => [to, from]));
  const prevTable = (cur: string) => prevNameOf.get(cur) ?? cur;
  for (const c of changes) {
    if (c.kind === 'dropTable') {
      out.cannotRestore.push({ code: 'D1-480', severity: 'warning', table: c.table.name, message: `table \`${c.table.name}\`: the migration dropped it with its rows; it comes back empty.` });
    } else if (c.kind === 'dropColumn') {
      droppedColumn(prevTable(c.table), c.column, prev.tables[prevTable(c.table)], out); // the column as the previous schema had it
    } else if (c.kind === 'alterColumn') {
      alteredColumn(prevTable(c.table), c, backfill, out); // `from` carries the previous name
    } else if (c.kind === 'createTable') {
      out.deletes.push({ code: 'D1-482', severity: 'warning', table: c.table.name, message: `table \`${c.table.name}\` (the migration created it) is dropped with every row written to it since.` });
    } else if (c.kind === 'addColumn' && !c.column.generated) {
      out.deletes.push({ code: 'D1-482', severity: 'warning', table: c.table, column: c.column.name, message: `\`${c.table}\`.\`${c.column.name}\` (the migration added it) is dropped with every value written to it since.` });
    }
  }
  return out;
}
