/**
 * The down plan of one migration: the way from its schema back to the previous one, made by the same
 * planner as every migration (renames turned around, reacting children moved, guards), and the
 * findings its header names.
 */
import type { Diagnostic } from '../diagnostics/types.js';
import { diffSchemas } from '../diff/diff.js';
import type { Renames } from '../diff/types.js';
import { dependentsOf, type HandWrittenObject } from '../d1/handwritten.js';
import { planMigration } from '../plan/plan.js';
import { summarizePlan } from '../plan/summary.js';
import type { Plan } from '../plan/types.js';
import type { SchemaState } from '../snapshot/types.js';
import { renderMigration } from '../sql/render.js';
import { rollbackFindings, type RollbackFindings } from './findings.js';
import { changesNothing, handWrittenFindings, handWrittenSteps, type HandWrittenChange } from './handwritten.js';
import { reverseRenames } from './renames.js';

/** One migration, as the down plan sees it. */
export interface MigrationSides {
  tag: string;
  /** The schema before the migration (what the down file restores) and after it. */
  prev: SchemaState;
  cur: SchemaState;
  /** The migration's renames, previous → current names. */
  renames: Renames;
  /** The migration's --backfill expressions (current `table.column`), when known. */
  backfill?: Record<string, string>;
  /** Its SQL was written by hand (`generate --custom`): the reverse must be written by hand too. */
  custom?: boolean;
  /** Hand-written objects of the database (from the replay), read only when the down plan touches tables. */
  handWritten?: () => HandWrittenObject[];
  /** What the migration's file did by hand beside its generated statements (from the replay before and after it). */
  byHand?: HandWrittenChange;
  /** Where the replayed folder disagrees with the snapshots the down plan is made from (D1-301), in words. */
  drift?: string[];
}

export type DownKind = 'planned' | 'nothing' | 'custom' | 'refused';

export interface DownPlan {
  kind: DownKind;
  /** The down statements ('' unless planned). */
  sql: string;
  plan: Plan | null;
  findings: RollbackFindings;
  /** Conditions on the rows under which the file aborts (the down plan's guards). */
  aborts: Diagnostic[];
  /** D1-484 (hand-written objects), D1-301 (drift), D1-485 (refused) or D1-486 (custom). */
  notes: Diagnostic[];
}

const noFindings = (): RollbackFindings => ({ cannotRestore: [], deletes: [], placeholders: {} });

/** The tables a down plan rebuilds, drops or renames, by every name they have on the way. */
function touchedTables(plan: Plan, renames: Renames): string[] {
  const s = summarizePlan(plan);
  const names = [...s.rebuilds.map((r) => r.table), ...s.dropped, ...s.renamed.flatMap((r) => [r.from, r.to])];
  return [...new Set(names.flatMap((n) => [n, renames.tables[n] ?? n]))];
}

/** The hand-written objects that depend on the tables a down plan rebuilds, drops or renames. */
function handWrittenHit(objects: MigrationSides['handWritten'], plan: Plan, renames: Renames): HandWrittenObject[] {
  const touched = touchedTables(plan, renames);
  return touched.length && objects ? dependentsOf(objects(), touched) : [];
}

function handWrittenNote(hit: HandWrittenObject[], recreated: boolean, tag: string): Diagnostic[] {
  if (!hit.length) return [];
  const list = hit.map((o) => `${o.kind} \`${o.name}\``).join(', ');
  const what = recreated
    ? 'the down file drops them first where it must and creates them again after its copies'
    : "SQLite drops a table's triggers and indexes with it, and a view over a dropped table breaks; append their CREATE statements to the down file (or recreate them after running it)";
  return [{ code: 'D1-484', severity: 'warning', message: `The rollback of ${tag} rebuilds or drops tables that hand-written SQL depends on: ${list}; ${what}.` }];
}

/**
 * Rows that reference a table the migration dropped: it comes back empty, so the down plan's
 * dangling-reference guard aborts on the first such row. Said plainly, with the way out.
 */
function referencesIntoEmptied(plan: Plan, findings: RollbackFindings): Diagnostic[] {
  const emptied = new Set(findings.cannotRestore.filter((d) => d.code === 'D1-480' && !d.column).map((d) => d.table));
  const checks = plan.steps.flatMap((s) => (s.kind === 'guard' ? s.checks : []));
  return checks.flatMap((g) => {
    if (g.kind !== 'noOrphans' || !emptied.has(g.foreignKey.tableTo)) return [];
    const cols = g.foreignKey.columnsFrom.map((c) => `\`${c}\``).join(', ');
    return [{
      code: 'D1-480' as const, severity: 'warning' as const, table: g.table,
      message: `rows of \`${g.table}\` with ${cols} set reference \`${g.foreignKey.tableTo}\`, which comes back empty: this file aborts on the first one. Set ${cols} to NULL in those rows, or delete them, before running it.`,
    }];
  });
}

/** D1-301: the down plan follows the snapshots, and the replayed folder says the database is not what they say. */
function driftNote(m: MigrationSides): Diagnostic[] {
  if (!m.drift?.length) return [];
  const shown = m.drift.slice(0, 3).join('; ') + (m.drift.length > 3 ? `; and ${m.drift.length - 3} more` : '');
  return [{ code: 'D1-301', severity: 'warning', message: `The migrations folder builds a different schema than the snapshots of ${m.tag} and the one before it say (${shown}): this file is planned from the snapshots, so check it against the database before running it.` }];
}

/** The down plan's own steps, with what the file did by hand undone around them (dropped first, recreated last). */
function undoingByHand(plan: Plan, byHand: HandWrittenChange | undefined): Plan {
  if (changesNothing(byHand)) return plan;
  const { first, last } = handWrittenSteps(byHand!);
  return { ...plan, steps: [...first, ...plan.steps, ...last] };
}

/** The findings of the forward change, and of what the file did by hand. */
function downFindings(m: MigrationSides, forward: ReturnType<typeof diffSchemas>): RollbackFindings {
  const findings = rollbackFindings(m.prev, forward.changes, m.renames, m.backfill);
  if (changesNothing(m.byHand)) return findings;
  const byHand = handWrittenFindings(m.byHand!);
  return { ...findings, deletes: [...findings.deletes, ...byHand.deletes], cannotRestore: [...findings.cannotRestore, ...byHand.cannotRestore] };
}

export function planDown(m: MigrationSides, breakpoints: boolean): DownPlan {
  if (m.custom) {
    const note: Diagnostic = { code: 'D1-486', severity: 'warning', message: `Migration ${m.tag} was written by hand (generate --custom): its rollback must be written by hand too.` };
    return { kind: 'custom', sql: '', plan: null, findings: noFindings(), aborts: [], notes: [note] };
  }
  const forward = diffSchemas(m.prev, m.cur, m.renames);
  const findings = downFindings(m, forward);
  const back = reverseRenames(m.renames);
  const down = diffSchemas(m.cur, m.prev, back);
  if (!down.changes.length && changesNothing(m.byHand)) return { kind: 'nothing', sql: '', plan: null, findings, aborts: [], notes: [] };
  // The objects the file created by hand are dropped first, so the plan does not keep them working.
  const added = new Set(m.byHand?.added.map((o) => `${o.kind}\u0000${o.name}`));
  const objects = m.handWritten && (() => m.handWritten!().filter((o) => !added.has(`${o.kind}\u0000${o.name}`)));
  let plan = planMigration(m.cur, m.prev, down.changes, { backfill: findings.placeholders });
  // Hand-written objects on the tables it touches are kept working, as generate keeps them.
  const hit = handWrittenHit(objects, plan, m.renames);
  const withObjects = hit.length ? planMigration(m.cur, m.prev, down.changes, { backfill: findings.placeholders, handWritten: objects!() }) : null;
  const recreated = withObjects !== null && !withObjects.diagnostics.some((d) => d.severity === 'error');
  if (recreated) plan = withObjects;
  const refusals = plan.diagnostics.filter((d) => d.severity === 'error');
  if (refusals.length) {
    const why = refusals.map((d) => `${d.code}: ${d.message}`).join(' ');
    const note: Diagnostic = { code: 'D1-485', severity: 'warning', message: `drizzle-d1 cannot plan the rollback of ${m.tag}: ${why} Write it by hand.` };
    return { kind: 'refused', sql: '', plan: null, findings, aborts: [], notes: [note] };
  }
  const guarded = plan.diagnostics.filter((d) => ['D1-102', 'D1-105', 'D1-106', 'D1-107', 'D1-108'].includes(d.code));
  const aborts = [...guarded, ...referencesIntoEmptied(plan, findings)];
  const notes = [...handWrittenNote(hit, recreated, m.tag), ...driftNote(m)];
  plan = undoingByHand(plan, m.byHand);
  return { kind: 'planned', sql: renderMigration(plan, breakpoints), plan, findings, aborts, notes };
}
