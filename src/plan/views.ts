/**
 * Phase 5: the views to drop before the tables change and create afterwards. Views hold no rows, so
 * SQLite has no ALTER VIEW: a changed view is dropped and created. Every view over a table that is
 * rebuilt, dropped, renamed or loses a column goes too, since a broken view anywhere makes every
 * `ALTER TABLE … RENAME` fail (SQLite re-checks all views on rename).
 */
import type { View } from '../snapshot/types.js';
import { mentions } from '../sqltext/rewrite.js';
import type { PlanContext } from './context.js';
import { parentsFirst } from './order.js';

export interface ViewPlan {
  /** Views of the previous schema dropped at the start. */
  dropped: string[];
  /** Views of the current schema created at the end, each after the views it reads. */
  created: View[];
}

/** Previous names of the tables whose old shape a view may no longer find. */
function touchedTables(ctx: PlanContext, rebuildNames: string[], droppedColumnTables: string[]): Set<string> {
  return new Set<string>([
    ...rebuildNames.map(ctx.prevName),
    ...ctx.droppedPrevNames,
    ...ctx.renamedTables.map((r) => r.from),
    ...droppedColumnTables.map(ctx.prevName),
    ...ctx.columnRenames.map((r) => ctx.prevName(r.table)),
  ]);
}

export function viewsToRecreate(ctx: PlanContext, rebuildNames: string[], droppedColumnTables: string[]): ViewPlan {
  const { prev, cur } = ctx;
  const touched = touchedTables(ctx, rebuildNames, droppedColumnTables);
  const viewsOut = new Set(ctx.changes.flatMap((c) => (c.kind === 'dropView' ? [c.view.name] : [])));
  // Views over views that go must go too, until nothing grows.
  let grew = true;
  while (grew) {
    grew = false;
    for (const v of Object.values(prev.views)) {
      if (viewsOut.has(v.name) || v.isExisting || !v.definition) continue;
      if ([...touched, ...viewsOut].some((n) => mentions(v.definition!, n))) {
        viewsOut.add(v.name);
        grew = true;
      }
    }
  }
  const viewsIn = new Set(ctx.changes.flatMap((c) => (c.kind === 'createView' ? [c.view.name] : [])));
  for (const name of viewsOut) if (cur.views[name] && prev.views[name]) viewsIn.add(name);
  // Views over other views come after them (SQLite resolves names when a view is used or renamed).
  const toCreate = Object.values(cur.views).filter((v) => viewsIn.has(v.name) && !v.isExisting);
  const reads = (n: string) => toCreate.filter((o) => o.name !== n && mentions(cur.views[n]!.definition ?? '', o.name)).map((o) => o.name);
  return {
    dropped: [...viewsOut].filter((n) => prev.views[n] && !prev.views[n]!.isExisting),
    created: parentsFirst(toCreate.map((v) => v.name), reads).map((n) => cur.views[n]!),
  };
}
