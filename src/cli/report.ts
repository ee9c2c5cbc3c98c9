/**
 * How the CLI shows a plan and its diagnostics: the summary lines, `--json`'s plan report, and each
 * diagnostic with its code and the fixes turned into what the user types.
 */
import { displayPath, PlanRefusal, type UserInputError } from '../diagnostics/errors.js';
import type { Diagnostic, Fix } from '../diagnostics/types.js';
import { summarizePlan, type PlanSummary } from '../plan/summary.js';
import type { Plan } from '../plan/types.js';

/** The rows a plan copies, as a formula over the rebuilt tables' row counts. */
const rowsFormula = (s: PlanSummary) => s.rebuilds.map((r) => `rows(${r.table})`).join(' + ') || '0';
/** The old rows DROP TABLE deletes one by one (and, in a cycle, at most the rows its actions reach). */
const dropDeletesFormula = (s: PlanSummary) =>
  s.deletedByDrop.flatMap((d) => [`${d.certain ? '' : 'up to '}rows(${d.table})`, ...d.actionsInto.map((t) => `up to rows(${t})`)]).join(' + ') || '0';

/** A fix as the user carries it out: a flag to pass, or a change to make. */
export function fixText(fix: Fix, schemaFiles = ''): string {
  switch (fix.kind) {
    case 'backfill':
      return `pass --backfill ${fix.table}.${fix.column}=<SQL expression> to fill existing rows`;
    case 'assumeNotNull':
      return `pass --assume-not-null ${fix.table}.${fix.column} if you checked that no row holds NULL there`;
    case 'editSchema':
      return `${fix.text}${schemaFiles ? ` in ${schemaFiles}` : ' in the schema'}`;
    case 'do':
      return fix.text;
  }
}

/** One diagnostic as lines: `D1-102 message`, then its fixes. */
export function diagnosticLines(d: Diagnostic, root: string, schemaFiles = ''): string[] {
  const where = d.file ? ` (${displayPath(d.file, root)}${d.line ? `:${d.line}` : ''})` : '';
  const lines = [`${d.code} ${d.message}${where}`];
  if (d.fixes?.length) lines.push(`  Fix: ${d.fixes.map((f) => fixText(f, schemaFiles)).join('; or ')}.`);
  return lines;
}

/** A diagnostic for `--json`: code, severity, what it concerns, the message and the fixes as flags and text. */
export function diagnosticJson(d: Diagnostic, root: string) {
  return {
    code: d.code,
    severity: d.severity,
    ...(d.table !== undefined ? { table: d.table } : {}),
    ...(d.column !== undefined ? { column: d.column } : {}),
    ...(d.file !== undefined ? { file: displayPath(d.file, root) } : {}),
    ...(d.line !== undefined ? { line: d.line } : {}),
    message: d.message,
    fixes: (d.fixes ?? []).map((f) => fixText(f)),
  };
}

const warningsOf = (plan: Plan) => plan.diagnostics.filter((d) => d.severity === 'warning');

/** The plan as `--json` reports it: tables rebuilt, moved, and the rows each rewrites. */
export function planReport(plan: Plan | null, root: string) {
  if (!plan) return null;
  const s = summarizePlan(plan);
  return {
    created: s.created,
    dropped: s.dropped,
    renamed: s.renamed,
    droppedColumns: s.droppedColumns,
    rebuilt: s.rebuilds.map((r) => ({ table: r.table, reasons: r.reasons, movedOffParents: r.movedOffParents, rowsRewritten: `rows(${r.table})` })),
    moved: s.rebuilds.filter((r) => !r.reasons.length).map((r) => r.table),
    rowsRewritten: rowsFormula(s),
    // Not copies: the old rows DROP TABLE deletes one by one because a foreign key still names the table.
    deletedByDrop: s.deletedByDrop,
    rowsDeletedByDrop: dropDeletesFormula(s),
    warnings: warningsOf(plan).map((d) => d.message),
    diagnostics: plan.diagnostics.map((d) => diagnosticJson(d, root)),
  };
}

/** The summary lines of a written (or dry-run) migration's plan. */
export function planSummaryLines(plan: Plan, root: string): string[] {
  const s = summarizePlan(plan);
  const out: string[] = [];
  for (const t of s.created) out.push(`  + create table ${t}`);
  for (const r of s.renamed) out.push(`  ~ rename table ${r.from} -> ${r.to}`);
  for (const r of s.rebuilds) {
    if (r.reasons.length) out.push(`  * rebuild ${r.table}: ${r.reasons.join('; ')}`);
    else out.push(`  * move ${r.table} onto the rebuilt ${r.movedOffParents.map((p) => p.parent).join(', ')} (ON DELETE ${r.movedOffParents.map((p) => p.onDelete).join(', ')})`);
  }
  for (const t of s.dropped) out.push(`  ! drop table ${t} (destructive: its rows are deleted)`);
  for (const c of s.droppedColumns) out.push(`  ! drop column ${c.table}.${c.column} (destructive: its values are deleted)`);
  for (const w of warningsOf(plan)) out.push(...diagnosticLines(w, root).map((l, i) => (i === 0 ? `  warning ${l}` : `    ${l}`)));
  if (s.rebuilds.length) out.push(`  rows rewritten: ${rowsFormula(s)} (each row copied once)`);
  if (s.deletedByDrop.length) {
    out.push(`  rows deleted by DROP TABLE of the old tables: ${dropDeletesFormula(s)} (a foreign key still names them; no surviving row changes)`);
  }
  return out;
}

/**
 * A failed run's error as the terminal shows it: `Error [D1-xxx]: message` per diagnostic, its fixes
 * on an indented line, and for a planner refusal the schema files to change.
 */
export function errorText(e: UserInputError, root: string): string {
  const files = e instanceof PlanRefusal ? e.schemaFiles.map((f) => displayPath(f, root)).join(', ') : '';
  const lines: string[] = [];
  for (const d of e.diagnostics) {
    lines.push(`Error [${d.code}]: ${d.message}`);
    if (d.fixes?.length) lines.push(`  Fix: ${d.fixes.map((f) => fixText(f, files)).join('; or ')}.`);
  }
  if (files) lines.push(`  Schema: ${files}. Nothing was written.`);
  return lines.join('\n');
}
