/**
 * Planning a change inside its migrations folder, for every layout: the `--backfill` values checked
 * as SQL, and, where the plan rebuilds, drops or renames, a second plan that knows what the folder
 * really builds (the replay).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConfig } from './config/index.js';
import { UserInputError } from './diagnostics/errors.js';
import type { Diagnostic } from './diagnostics/types.js';
import type { HandWrittenObject } from './d1/handwritten.js';
import type { Change } from './diff/types.js';
import type { Plan, PlanOptions } from './plan/types.js';
import type { SchemaState } from './snapshot/types.js';

/**
 * Every `--backfill` value must be one SQL expression over the columns the copy reads: the old
 * table's, under their names after this migration's renames (D1-714).
 */
async function checkBackfills(backfill: Record<string, string>, prev: SchemaState, cur: SchemaState, changes: Change[]): Promise<void> {
  const { expressionProblem } = await import('./d1/expression.js');
  for (const [target, expression] of Object.entries(backfill)) {
    const table = target.split('.')[0]!;
    if (!cur.tables[table]) continue; // the planner says which names are unknown (D1-701)
    const prevName = changes.flatMap((c) => (c.kind === 'renameTable' && c.to === table ? [c.from] : []))[0] ?? table;
    const renamed = new Map(changes.flatMap((c) => (c.kind === 'renameColumn' && c.table === table ? [[c.from, c.to] as const] : [])));
    const columns = Object.keys(prev.tables[prevName]?.columns ?? {}).map((c) => renamed.get(c) ?? c);
    const problem = expressionProblem(expression, columns);
    if (problem) {
      throw new UserInputError('D1-714', `--backfill ${target}=${expression} is not one SQL expression: ${problem}. Pass a single expression, e.g. --backfill "${target}='none'" or --backfill "${target}=lower(name)".`);
    }
  }
}

/** Whether a plan changes tables that hand-written triggers, views, indexes or tables may depend on. */
const touchesTables = (plan: Plan) =>
  plan.steps.some((st) => ['dropTable', 'renameTable', 'dropColumn', 'renameColumn'].includes(st.kind) || (st.kind === 'createTable' && st.as));

/**
 * Plans the change; where it rebuilds, drops or renames, plans again knowing what the migrations
 * folder really builds (the replay): hand-written objects are kept working, and a snapshot that
 * disagrees with the real database is said (D1-301). The everyday run never replays.
 */
export interface FolderPlan {
  plan: Plan;
  /** The folder's hand-written objects when it was replayed (the rollback file reuses them). */
  handWritten?: HandWrittenObject[];
}

export async function planWithRealSchema(config: ResolvedConfig, prev: SchemaState, cur: SchemaState, changes: Change[], options: PlanOptions): Promise<FolderPlan> {
  if (options.backfill && Object.keys(options.backfill).length) await checkBackfills(options.backfill, prev, cur, changes);
  const { planMigration } = await import('./plan/plan.js');
  const plan = planMigration(prev, cur, changes, options);
  if (!touchesTables(plan) || !existsSync(config.out)) return { plan };
  const { readRealSchema } = await import('./d1/replay.js');
  const real = readRealSchema(config.out);
  real.replay.db.close();
  if (real.replay.failure) {
    const f = real.replay.failure;
    const warning: Diagnostic = { code: 'D1-306', severity: 'warning', file: join(config.out, f.file), message: `The migrations folder could not be replayed (${f.file}: ${f.message}); hand-written triggers, views and indexes are not known to this plan.` };
    return { plan: { ...plan, diagnostics: [...plan.diagnostics, warning] } };
  }
  const drift: Diagnostic[] = real.drift.map((d) => ({ code: 'D1-301', severity: 'warning', message: `${d.message}.`.replace(/\.\.$/, '.') }));
  const replanned = real.handWritten.length ? planMigration(prev, cur, changes, { ...options, handWritten: real.handWritten }) : plan;
  return { plan: { ...replanned, diagnostics: [...replanned.diagnostics, ...drift] }, handWritten: real.handWritten };
}
