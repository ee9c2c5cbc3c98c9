/**
 * What a plan does, read from its steps: the lists the SQL header, the CLI summary and `--json`
 * show. Nothing here is kept beside the steps; each list is derived from them.
 */
import type { Change } from '../diff/types.js';
import type { ChangeOf } from './context.js';
import type { DropDeletes, Plan, Rebuild, Step } from './types.js';

export interface PlanSummary {
  /** New tables, parents before children (the order they are created in). */
  created: string[];
  /** Dropped tables, by their previous names. */
  dropped: string[];
  renamed: { from: string; to: string }[];
  droppedColumns: { table: string; column: string }[];
  /** Rebuilt tables (own changes) and moved children, parents first. */
  rebuilds: Rebuild[];
  /** Old tables whose `DROP TABLE` deletes rows one by one, in drop order. */
  deletedByDrop: ({ table: string } & DropDeletes)[];
}

/** The distinct changes of one kind the steps carry out, in the order the steps first name them. */
function sourcesOf<K extends Change['kind']>(steps: Step[], kind: K): ChangeOf<K>[] {
  const seen = new Set<Change>();
  for (const s of steps) for (const c of s.sources) if (c.kind === kind) seen.add(c);
  return [...seen] as ChangeOf<K>[];
}

export function summarizePlan(plan: Plan): PlanSummary {
  const { steps } = plan;
  return {
    created: steps.flatMap((s) => (s.kind === 'createTable' && !s.as ? [s.table.name] : [])),
    dropped: sourcesOf(steps, 'dropTable').map((c) => c.table.name),
    renamed: sourcesOf(steps, 'renameTable').map((c) => ({ from: c.from, to: c.to })),
    droppedColumns: sourcesOf(steps, 'dropColumn').map((c) => ({ table: c.table, column: c.column.name })),
    rebuilds: steps.flatMap((s) => (s.kind === 'createTable' && s.rebuild ? [s.rebuild] : [])),
    deletedByDrop: steps.flatMap((s) => (s.kind === 'dropTable' && s.deletes ? [{ table: s.shownAs ?? s.name, ...s.deletes }] : [])),
  };
}
