/**
 * Change[] → ordered Step[]: native ALTER where SQLite allows it, a rebuild where it does not, and
 * the "redirect" plan for children (design.md): every table that would react to a rebuilt or
 * dropped parent's DROP TABLE is rebuilt once, already pointing at the parent's new table.
 *
 * D1 runs each migration file in one transaction with foreign keys enforced, where
 * `PRAGMA foreign_keys=OFF` is a no-op (sqlite.org/pragma.html#pragma_foreign_keys). `DROP TABLE`
 * first runs an implicit `DELETE FROM` that fires ON DELETE CASCADE / SET NULL / SET DEFAULT on the
 * children (sqlite.org/foreignkeys.html §5). So nothing that still references an old table with
 * such an action may survive its drop.
 *
 * The planner runs in named phases over one context (the name maps of `context.ts`): classify each
 * table's changes (ALTER or rebuild), close over the reacting children, plan the copies, check
 * safety, choose the views to recreate, emit the steps (with the model of what each `DROP TABLE`
 * deletes). It states problems as diagnostics and never throws for the user's input.
 */
import type { Diagnostic } from '../diagnostics/types.js';
import type { Change } from '../diff/types.js';
import type { SchemaState } from '../snapshot/types.js';
import { closeOverReactingChildren } from './children.js';
import { classifyChanges } from './classify.js';
import { planContext } from './context.js';
import { planCopies } from './copies.js';
import { emitSteps } from './emit.js';
import { parentsFirst } from './order.js';
import { planGuards } from './guards.js';
import { planHandWritten } from './handwritten.js';
import { columnLimit, guardedTables, unusableForeignKeys } from './safety.js';
import type { Plan, PlanOptions, Rebuild } from './types.js';
import { viewsToRecreate } from './views.js';

export { NEW_PREFIX } from './context.js';
export { dropOrder, parentsFirst } from './order.js';

/** `--backfill` and `--assume-not-null` must name columns of the current schema (D1-701). */
function unknownColumnFlags(cur: SchemaState, options: PlanOptions): Diagnostic[] {
  const named = [
    ...Object.keys(options.backfill ?? {}).map((n) => ['backfill', n] as const),
    ...(options.assumeNotNull ?? []).map((n) => ['assumeNotNull', n] as const),
  ];
  return named.flatMap(([option, n]) => {
    const [t, c] = n.split('.');
    if (t && c && cur.tables[t]?.columns[c]) return [];
    return [{ code: 'D1-701' as const, severity: 'error' as const, message: `${option === 'backfill' ? '--backfill' : '--assume-not-null'} names ${n}, which is not a column of the schema (write it as table.column, with the database names).` }];
  });
}

export function planMigration(prev: SchemaState, cur: SchemaState, changes: Change[], options: PlanOptions = {}): Plan {
  const flagProblems = unknownColumnFlags(cur, options);
  if (flagProblems.length) return { steps: [], diagnostics: flagProblems };
  const ctx = planContext(prev, cur, changes);
  const classification = classifyChanges(ctx);
  const { moved, rebuildNames } = closeOverReactingChildren(ctx, classification.reasons.keys());
  const copies = planCopies(ctx, rebuildNames, options);
  const checked = guardedTables(ctx, rebuildNames);
  const foreignKeyProblems = unusableForeignKeys(ctx, checked);
  const diagnostics = [...copies.refusals, ...foreignKeyProblems.filter((d) => d.severity === 'error')];
  if (diagnostics.length) return { steps: [], diagnostics };

  const curRefs = (n: string) => Object.values(cur.tables[n]?.foreignKeys ?? {}).map((f) => f.tableTo);
  const rebuilds: Rebuild[] = parentsFirst(rebuildNames, curRefs).map((table) => ({
    table,
    reasons: classification.reasons.get(table) ?? [],
    movedOffParents: moved.get(table) ?? [],
  }));
  const views = viewsToRecreate(ctx, rebuildNames, classification.nativeDrops.map((d) => d.table));
  const handWritten = planHandWritten(ctx, options.handWritten ?? [], rebuildNames, views.dropped);
  const handWrittenRefusals = handWritten.diagnostics.filter((d) => d.severity === 'error');
  if (handWrittenRefusals.length) return { steps: [], diagnostics: handWrittenRefusals };
  const guards = planGuards(ctx, copies, checked);
  guards.atEnd.push(...handWritten.guards);
  const steps = emitSteps({ ctx, classification, rebuilds, copies: copies.copies, guards, views, handWritten });
  return { steps, diagnostics: [...foreignKeyProblems, ...columnLimit(ctx, rebuildNames), ...guards.warnings, ...handWritten.diagnostics] };
}
