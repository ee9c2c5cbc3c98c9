/**
 * Phase 2: the closure of reacting children. `DROP TABLE` of an old table first deletes its rows,
 * which fires ON DELETE CASCADE / SET NULL / SET DEFAULT on every child (sqlite.org/foreignkeys.html
 * §5), even under `defer_foreign_keys`. So every such child of a rebuilt or dropped table is rebuilt
 * too, already pointing at the parent's new table; moving a child is a rebuild, so the set closes over
 * the children's own reacting children.
 */
import { append, onDeleteOf, REACTING, type PlanContext } from './context.js';

export interface Children {
  /** For each moved table, the parents whose drop would fire its ON DELETE action. */
  moved: Map<string, { parent: string; onDelete: string }[]>;
  /** Every table rebuilt (own changes or moved), in the current schema's order. */
  rebuildNames: string[];
}

/** Surviving tables by the parents their ON DELETE CASCADE / SET NULL / SET DEFAULT reaches. */
function reactingChildrenOf(ctx: PlanContext): Map<string, { child: string; onDelete: string }[]> {
  const children = new Map<string, { child: string; onDelete: string }[]>();
  for (const name of Object.keys(ctx.cur.tables)) {
    if (ctx.created.has(name) || ctx.dropped.has(name)) continue;
    for (const fk of ctx.oldForeignKeys(name)) {
      const target = ctx.oldTarget(fk.tableTo);
      // A self reference moves with the table's own rebuild.
      if (target === name || !REACTING.has(onDeleteOf(fk))) continue;
      append(children, target, { child: name, onDelete: onDeleteOf(fk) });
    }
  }
  return children;
}

export function closeOverReactingChildren(ctx: PlanContext, ownRebuilds: Iterable<string>): Children {
  const moved = new Map<string, { parent: string; onDelete: string }[]>();
  // Tables whose old version is dropped (current names; dropped ones by their drop name).
  const leaving = [...ownRebuilds, ...ctx.dropped];
  const leavingSet = new Set(leaving);
  const reacting = reactingChildrenOf(ctx);
  for (let i = 0; i < leaving.length; i++) {
    const parent = leaving[i]!;
    for (const { child, onDelete } of reacting.get(parent) ?? []) {
      append(moved, child, { parent, onDelete });
      if (!leavingSet.has(child)) {
        leavingSet.add(child);
        leaving.push(child);
      }
    }
  }
  const rebuildNames = Object.keys(ctx.cur.tables).filter((n) => leavingSet.has(n) && !ctx.dropped.has(n));
  return { moved, rebuildNames };
}
