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
import { reverseRenames } from './renames.js';

/** One migration, as the down plan sees it. */
export interface MigrationSides {
  tag: string;
  /** The schema before the migration (what the down file restores) and after it. */
  prev: SchemaState;
  cur: SchemaState;
  /** The migration's renames, previous → current names. */
  renames: Renames;
  /** Its SQL was written by hand (`generate --custom`): the reverse must be written by hand too. */
  custom?: boolean;
  /** Hand-written objects of the database (from the replay), read only when the down plan touches tables. */
  handWritten?: () => HandWrittenObject[];
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
  /** D1-484 (hand-written objects), D1-485 (refused) or D1-486 (custom). */
  notes: Diagnostic[];
}

const noFindings = (): RollbackFindings => ({ cannotRestore: [], deletes: [], placeholders: {} });

/** The tables a down plan rebuilds, drops or renames, by every name they have on the way. */
function touchedTables(plan: Plan, renames: Renames): string[] {
  const s = summarizePlan(plan);
  const names = [...s.rebuilds.map((r) => r.table), ...s.dropped, ...s.renamed.flatMap((r) => [r.from, r.to])];
  return [...new Set(names.flatMap((n) => [n, renames.tables[n] ?? n]))];
}

function handWrittenNote(objects: MigrationSides['handWritten'], plan: Plan, renames: Renames, tag: string): Diagnostic[] {
  const touched = touchedTables(plan, renames);
  const hit = touched.length && objects ? dependentsOf(objects(), touched) : [];
  if (!hit.length) return [];
  const list = hit.map((o) => `${o.kind} \`${o.name}\``).join(', ');
  return [{
    code: 'D1-484', severity: 'warning',
    message: `The rollback of ${tag} rebuilds or drops tables that hand-written SQL depends on: ${list}. SQLite drops a table's triggers and indexes with it, and a view over a dropped table breaks; append their CREATE statements to the down file (or recreate them after running it).`,
  }];
}

export function planDown(m: MigrationSides, breakpoints: boolean): DownPlan {
  if (m.custom) {
    const note: Diagnostic = { code: 'D1-486', severity: 'warning', message: `${m.tag}.sql was written by hand (generate --custom): its rollback must be written by hand too.` };
    return { kind: 'custom', sql: '', plan: null, findings: noFindings(), aborts: [], notes: [note] };
  }
  const forward = diffSchemas(m.prev, m.cur, m.renames);
  const findings = rollbackFindings(forward.changes, m.renames);
  const back = reverseRenames(m.renames);
  const down = diffSchemas(m.cur, m.prev, back);
  if (!down.changes.length) return { kind: 'nothing', sql: '', plan: null, findings, aborts: [], notes: [] };
  const plan = planMigration(m.cur, m.prev, down.changes, { backfill: findings.placeholders });
  const refusals = plan.diagnostics.filter((d) => d.severity === 'error');
  if (refusals.length) {
    const why = refusals.map((d) => `${d.code}: ${d.message}`).join(' ');
    const note: Diagnostic = { code: 'D1-485', severity: 'warning', message: `drizzle-d1 cannot plan the rollback of ${m.tag}: ${why} Write it by hand.` };
    return { kind: 'refused', sql: '', plan: null, findings, aborts: [], notes: [note] };
  }
  const aborts = plan.diagnostics.filter((d) => ['D1-102', 'D1-105', 'D1-106', 'D1-107', 'D1-108'].includes(d.code));
  const notes = handWrittenNote(m.handWritten, plan, m.renames, m.tag);
  return { kind: 'planned', sql: renderMigration(plan, breakpoints), plan, findings, aborts, notes };
}
