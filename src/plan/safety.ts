/**
 * Phase 4: the safety checks. Which tables the foreign-key guard checks, which foreign keys SQLite
 * cannot use at all, and which changes succeed or fail depending on the rows already there.
 */
import type { Diagnostic } from '../diagnostics/types.js';
import type { ForeignKey, SchemaState } from '../snapshot/types.js';
import type { PlanContext } from './context.js';

/** A set of columns as one comparable value: SQLite matches a parent key to a unique index in any order. */
export const columnKey = (columns: string[]) => [...columns].sort().join('\u0000');

/** D1's limit on columns per table (developers.cloudflare.com/d1/platform/limits). */
const D1_MAX_COLUMNS = 100;

/**
 * The tables whose rows this migration can leave without a parent row: those it copies, and those
 * whose parent it rebuilds or drops. Only these are checked at the end, so an untouched table's old
 * orphans, or its unusable foreign key, cannot fail the migration.
 */
export function guardedTables(ctx: PlanContext, rebuildNames: string[]): string[] {
  const rebuilt = new Set(rebuildNames);
  const parentTouched = new Set([...rebuildNames, ...ctx.droppedPrevNames]);
  return Object.keys(ctx.cur.tables)
    .filter((t) => rebuilt.has(t) || Object.values(ctx.cur.tables[t]!.foreignKeys).some((f) => parentTouched.has(f.tableTo)))
    .sort();
}

/** Whether SQLite can use `fk`: its parent columns are the parent's primary key or a unique index's (any order). */
export function parentKeyIsUnique(state: SchemaState, fk: ForeignKey): boolean {
  const parent = state.tables[fk.tableTo];
  if (!parent) return true; // a missing parent table is a different error, reported where it is used
  if (fk.columnsTo.length === 1 && parent.columns[fk.columnsTo[0]!]?.primaryKey) return true; // the usual case
  const key = columnKey(fk.columnsTo);
  const sameKey = (columns: string[]) => columnKey(columns) === key;
  const singlePk = Object.values(parent.columns).filter((c) => c.primaryKey).map((c) => c.name);
  return (
    (singlePk.length > 0 && sameKey(singlePk)) ||
    Object.values(parent.compositePrimaryKeys).some((pk) => sameKey(pk.columns)) ||
    Object.values(parent.indexes).some((ix) => ix.isUnique && !ix.where && sameKey(ix.columns)) ||
    Object.values(parent.uniqueConstraints).some((u) => sameKey(u.columns))
  );
}

/**
 * A foreign key whose parent columns are neither the primary key nor covered by a unique index is
 * unusable: SQLite refuses every write to the child and its parent ("foreign key mismatch",
 * sqlite.org/foreignkeys.html §3), and D1 always enforces foreign keys. A migration that copies or
 * checks such a child cannot succeed (D1-103); a new one is said (D1-104), since writes to it will fail.
 */
export function unusableForeignKeys(ctx: PlanContext, checked: string[]): Diagnostic[] {
  const checkedSet = new Set(checked);
  const out: Diagnostic[] = [];
  for (const [table, def] of Object.entries(ctx.cur.tables)) {
    for (const fk of Object.values(def.foreignKeys)) {
      if (parentKeyIsUnique(ctx.cur, fk)) continue;
      const fact = `\`${table}\` references \`${fk.tableTo}\`(${fk.columnsTo.join(', ')}), which is neither its primary key nor unique, so SQLite rejects every write to \`${table}\` ("foreign key mismatch").`;
      const fixes = [{ kind: 'editSchema' as const, text: 'reference the primary key, or make those columns unique (.unique() or a uniqueIndex)' }];
      if (checkedSet.has(table)) {
        out.push({ code: 'D1-103', severity: 'error', table, message: `${fact} This migration would fail on it.`, fixes });
      } else if (ctx.created.has(table) || ctx.byTable.get(table)?.some((c) => c.kind === 'addForeignKey')) {
        out.push({ code: 'D1-104', severity: 'warning', table, message: fact, fixes });
      }
    }
  }
  return out;
}

/** D1 refuses a table with more than 100 columns: said for every table this migration creates, rebuilds or widens. */
export function columnLimit(ctx: PlanContext, rebuildNames: string[]): Diagnostic[] {
  const widened = ctx.changes.flatMap((c) => (c.kind === 'addColumn' ? [c.table] : []));
  const named = new Set([...ctx.created, ...rebuildNames, ...widened]);
  return [...named]
    .filter((t) => Object.keys(ctx.cur.tables[t]!.columns).length > D1_MAX_COLUMNS)
    .map((table) => ({ code: 'D1-201', severity: 'warning', table, message: `\`${table}\` has more than 100 columns, which D1 does not allow.` }));
}
