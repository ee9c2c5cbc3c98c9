/**
 * Phase 3: what each rebuilt table's new rows are made from. A column keeps its old value (read
 * under its renamed name), is filled from a backfill or its default where it becomes NOT NULL, or
 * takes its default when it is new. A column made NOT NULL that nothing fills is copied as is, behind
 * a guard; a new NOT NULL column existing rows have no value for is refused (it fails on any row).
 */
import type { Diagnostic } from '../diagnostics/types.js';
import type { Column } from '../snapshot/types.js';
import type { PlanContext } from './context.js';
import type { CopyColumn, PlanOptions } from './types.js';

export interface Copies {
  copies: Map<string, CopyColumn[]>;
  refusals: Diagnostic[];
  /** Columns made NOT NULL that nothing fills: the migration checks them for NULLs before copying. */
  unfilled: { table: string; column: string }[];
}

const qualify = (t: string, c: string) => `${t}.${c}`;
const hasDefault = (col: Column) => col.default !== undefined && col.default !== null;

/** D1-101: a new NOT NULL column existing rows have no value for. */
const addedNotNullWithoutDefault = (table: string, column: string): Diagnostic => ({
  code: 'D1-101',
  severity: 'error',
  table,
  column,
  message: `\`${table}\`.\`${column}\` is added as NOT NULL without a default, so existing rows have no value for it.`,
  fixes: [
    { kind: 'editSchema', text: 'add a .default(…) or make it nullable' },
    { kind: 'backfill', table, column },
  ],
});

function copyTable(ctx: PlanContext, name: string, options: PlanOptions, out: Copies): CopyColumn[] {
  const backfill = options.backfill ?? {};
  const old = ctx.prevTable(name)!;
  const renames = ctx.columnRenames.filter((r) => r.table === name);
  const renamedCols = new Map(renames.map((r) => [r.to, r.from]));
  // A new column may take the name a renamed one leaves: it is not that old column.
  const renamedAway = new Set(renames.map((r) => r.from.toLowerCase()));
  const dropping = new Set((ctx.byTable.get(name) ?? []).flatMap((c) => (c.kind === 'dropColumn' ? [c.column.name] : [])));
  const cols: CopyColumn[] = [];
  for (const col of Object.values(ctx.cur.tables[name]!.columns)) {
    if (col.generated) continue; // generated columns cannot be written (sqlite.org/gencol.html)
    const prevName = renamedCols.get(col.name) ?? col.name;
    const before = renamedCols.has(col.name) || !renamedAway.has(col.name.toLowerCase()) ? old.columns[prevName] : undefined;
    const fill = backfill[qualify(name, col.name)];
    if (before && !dropping.has(prevName)) {
      if (col.notNull && !before.notNull && !before.primaryKey) {
        const fallback = fill ?? (hasDefault(col) ? String(col.default) : undefined);
        if (fallback === undefined && !options.assumeNotNull?.includes(qualify(name, col.name))) {
          out.unfilled.push({ table: name, column: col.name });
        }
        cols.push({ name: col.name, from: col.name, ...(fallback !== undefined ? { fallback } : {}) });
      } else {
        cols.push({ name: col.name, from: col.name });
      }
    } else if (fill !== undefined) {
      cols.push({ name: col.name, fallback: fill });
    } else if (col.notNull && !hasDefault(col) && !(col.primaryKey && /^integer$/i.test(col.type))) {
      out.refusals.push(addedNotNullWithoutDefault(name, col.name));
    }
  }
  return cols;
}

export function planCopies(ctx: PlanContext, rebuildNames: string[], options: PlanOptions): Copies {
  const out: Copies = { copies: new Map(), refusals: [], unfilled: [] };
  for (const name of rebuildNames) out.copies.set(name, copyTable(ctx, name, options, out));
  return out;
}
