/** Orderings the planner needs: parents before children, drops that SQLite can compile, renames without clashes. */
import { REACTING } from './context.js';

/** Orders `names` so that a table comes after the tables it references (cycles keep input order). */
export function parentsFirst(names: string[], referencesOf: (name: string) => string[]): string[] {
  const inSet = new Set(names);
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: string[] = [];
  const visit = (n: string) => {
    if (done.has(n) || visiting.has(n)) return;
    visiting.add(n);
    for (const p of referencesOf(n)) if (inSet.has(p) && p !== n) visit(p);
    visiting.delete(n);
    done.add(n);
    out.push(n);
  };
  for (const n of names) visit(n);
  return out;
}

/**
 * The order in which to drop old tables. A table nothing left references is dropped first: its
 * implicit DELETE then reaches no other table. Within a foreign-key cycle some ON DELETE action must
 * fire into a table still waiting to be dropped; SQLite compiles that action's DELETE/UPDATE with
 * the foreign-key checks of its target, which fail with "no such table" if one of the target's own
 * parents was already dropped. So a table is only dropped while every table its actions reach still
 * has all its parents.
 */
export function dropOrder(names: string[], targetsOf: (name: string) => { to: string; onDelete: string }[]): string[] {
  const inSet = new Set(names);
  const targets = new Map(names.map((n) => [n, targetsOf(n).filter((f) => inSet.has(f.to))]));
  const referrers = new Map(names.map((n) => [n, new Set<string>()]));
  for (const [n, fks] of targets) for (const f of fks) if (f.to !== n) referrers.get(f.to)!.add(n);
  const remaining = new Set(names);
  const out: string[] = [];
  const drop = (t: string) => {
    remaining.delete(t);
    out.push(t);
    for (const f of targets.get(t)!) referrers.get(f.to)?.delete(t);
  };
  // Tables whose action targets all still exist: an action fired into them compiles.
  const safe = (t: string) =>
    [...referrers.get(t)!].every(
      (c) => !targets.get(c)!.some((f) => f.to === t && REACTING.has(f.onDelete)) || targets.get(c)!.every((f) => remaining.has(f.to)),
    );
  while (remaining.size) {
    let next: string | undefined;
    for (const t of remaining) if (referrers.get(t)!.size === 0) { next = t; break; }
    if (next === undefined) for (const t of remaining) if (safe(t)) { next = t; break; }
    drop(next ?? remaining.values().next().value!);
  }
  return out;
}

/**
 * Renames in an order where no target name is still taken (SQLite ignores ASCII letter case in table
 * and column names alike); a swap goes through a spare name, and so does a table rename that only
 * changes letter case (`caseOnlyNeedsSpare`: SQLite refuses `ALTER TABLE users RENAME TO Users`,
 * "there is already another table or index with this name", but renames a column so).
 */
export function orderRenames<R extends { from: string; to: string }>(
  renames: R[],
  caseOnlyNeedsSpare = false,
): { from: string; to: string; source: R }[] {
  const pending = renames.map((r) => ({ from: r.from, to: r.to, source: r }));
  const out: typeof pending = [];
  const blocked = (r: (typeof pending)[number]) =>
    (caseOnlyNeedsSpare ? sameTableName(r.from, r.to) : r.from === r.to) || pending.some((o) => o !== r && sameTableName(o.from, r.to));
  while (pending.length) {
    const i = pending.findIndex((r) => !blocked(r));
    if (i >= 0) {
      out.push(pending.splice(i, 1)[0]!);
    } else {
      const r = pending[0]!;
      const spare = `__rename_${r.from}`;
      out.push({ from: r.from, to: spare, source: r.source });
      pending[0] = { from: spare, to: r.to, source: r.source };
    }
  }
  return out;
}

/** SQLite compares table, view and index names without regard to ASCII letter case. */
export const sameTableName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
