/**
 * Phase 7: the model of what `DROP TABLE` deletes. DROP TABLE first deletes a table's rows one by
 * one (foreign keys on, sqlite.org/lang_droptable.html) when a foreign key still names it: a child
 * left in place (RESTRICT, NO ACTION), a self reference, an old table dropped after it. Under
 * defer_foreign_keys it also does so for a table with foreign keys of its own while deferred
 * violations are pending, which an earlier such drop leaves until the renames (SQLite's
 * sqlite3FkDropTable). No surviving row changes, but each deletion is a write, and so is each row an
 * ON DELETE action then changes in an old table (itself, or one dropped after it).
 */
import { append, onDeleteOf, REACTING, type PlanContext } from './context.js';
import type { DropDeletes } from './types.js';

/** An old table's foreign keys as the drop order sees them: target (current or drop name) and action. */
export const oldTargetsOf = (ctx: PlanContext) => (name: string) =>
  ctx.oldForeignKeys(name).map((f) => ({ to: ctx.oldTarget(f.tableTo), onDelete: onDeleteOf(f) }));

/** For each old table in `dropSequence` whose drop deletes rows one by one, what it deletes. */
export function dropDeletions(ctx: PlanContext, dropSequence: string[], rebuilt: Set<string>): Map<string, DropDeletes> {
  const targetsOf = oldTargetsOf(ctx);
  const dropAt = new Map(dropSequence.map((n, i) => [n, i]));
  const oldTargets = new Map(dropSequence.map((n) => [n, targetsOf(n)]));
  const oldReferrers = new Map<string, { from: string; onDelete: string }[]>();
  for (const [from, fks] of oldTargets) for (const f of fks) append(oldReferrers, f.to, { from, onDelete: f.onDelete });
  // Old tables a surviving table's foreign key still names when they are dropped.
  const namedInPlace = new Set(
    Object.keys(ctx.cur.tables)
      .filter((t) => !rebuilt.has(t) && !ctx.created.has(t))
      .flatMap((t) => ctx.oldForeignKeys(t).map((f) => ctx.oldTarget(f.tableTo))),
  );
  const shown = (t: string) => ctx.droppedPrevName.get(t) ?? t;
  const out = new Map<string, DropDeletes>();
  let pending = false;
  // Tables an earlier drop's actions reached: some of their rows may already be gone (a cycle's cascade).
  const reachedEarlier = new Set<string>();
  dropSequence.forEach((n, i) => {
    // Old tables still there when n is dropped (n itself included) that reference it.
    const referrers = (x: string) => (oldReferrers.get(x) ?? []).filter((r) => dropAt.get(r.from)! >= i);
    const named = namedInPlace.has(n) || referrers(n).length > 0;
    const possibly = pending && oldTargets.get(n)!.length > 0;
    pending ||= named;
    if (!named && !possibly) return;
    // The old tables those deletions' actions can reach, transitively (a cascade deletes, and its own
    // actions fire in turn); one entry per action, since each can change a row once.
    const reached = new Set([n]);
    const actionsInto: string[] = [];
    for (const x of reached) {
      for (const r of referrers(x)) {
        if (!REACTING.has(r.onDelete)) continue;
        actionsInto.push(shown(r.from));
        reached.add(r.from);
      }
    }
    const certain = named && !reachedEarlier.has(n);
    for (const x of reached) reachedEarlier.add(x);
    out.set(n, { certain, actionsInto });
  });
  return out;
}
