/**
 * `drizzle-d1 verify`'s output: the per-migration, per-table figures and findings as text, the same
 * as JSON, and the progress line (rewritten in place on a terminal, one plain line per migration in CI).
 */
import type { MigrationReport, TableFigures, VerifyReport } from '../verify/types.js';
import { diagnosticJson } from './report.js';

const kb = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`);

function tableLine(f: TableFigures): string {
  const parts = [`${f.rowsBefore} → ${f.rowsAfter} rows`];
  if (f.renamedFrom) parts.push(`renamed from ${f.renamedFrom}`);
  if (f.lost) parts.push(`LOST ${f.lost}`);
  if (f.changed) parts.push(`CHANGED ${f.changed} (${f.changedColumns.map((c) => `${c.column} ${c.rows}`).join(', ')})`);
  if (f.added) parts.push(`added ${f.added}`);
  if (f.droppedOnPurpose) parts.push(`dropped on purpose ${f.droppedOnPurpose}`);
  if (f.droppedColumns.length) parts.push(`columns dropped on purpose: ${f.droppedColumns.map((c) => `${c.column} (${c.values} values)`).join(', ')}`);
  if (f.lostColumns.length) parts.push(`COLUMNS LOST: ${f.lostColumns.map((c) => `${c.column} (${c.values} values)`).join(', ')}`);
  return `    ${f.table}: ${parts.join('; ')}`;
}

function costLine(m: MigrationReport): string {
  const c = m.cost;
  if (!c) return '';
  const planned = c.plannedCopies === undefined ? "" : ` (drizzle-d1's plan: ${c.plannedCopies})`;
  return `  cost: ${c.milliseconds} ms, ${c.rowsWritten} rows written, ${c.rowsCopied} copied${planned}, ${c.rowsDeleted} deleted, rebuild +${kb(c.rebuildBytes)}, database ${kb(c.databaseBytes)}, longest statement ${kb(c.longestStatementBytes)}`;
}

function migrationLines(m: MigrationReport): string[] {
  const mark = m.diagnostics.some((d) => d.severity === 'error') ? '✗' : '✓';
  const lines = [`${mark} ${m.file} ${m.status}`];
  if (m.failure) lines.push(`  failed: ${m.failure.message}`);
  const cost = costLine(m);
  if (cost) lines.push(cost);
  for (const f of m.tables) lines.push(tableLine(f));
  if (m.doubleQuotedLiterals.length) lines.push(`  D1 reads these double-quoted names as strings: ${m.doubleQuotedLiterals.join(', ')}`);
  // Each message names the migration file already.
  for (const d of m.diagnostics) lines.push(`  ${d.severity} ${d.code} ${d.message}`);
  return lines;
}

export function verifyText(report: VerifyReport, root: string): string {
  const lines: string[] = [];
  const where = report.mode === 'against' ? `against ${report.against}` : report.mode === 'wrangler' ? 'through wrangler local D1 with synthetic rows' : 'with synthetic rows';
  lines.push(`drizzle-d1 verify ${where}: ${report.migrations.length} migration(s) verified${report.alreadyApplied.length ? `, ${report.alreadyApplied.length} already applied` : ''}`);
  for (const m of report.migrations) lines.push(...migrationLines(m));
  if (report.drift.length) {
    lines.push('The schema the migrations build differs from schema.ts [D1-455]:');
    for (const d of report.drift) lines.push(`  - ${d}`);
  }
  const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
  lines.push(errors === 0 ? 'Clean: every row is kept, no guard fires, the schema matches.' : `${errors} problem(s): do not deploy these migrations as they are.`);
  return lines.join('\n');
}

export function verifyJson(report: VerifyReport, root: string): string {
  const migrations = report.migrations.map((m) => ({ ...m, diagnostics: m.diagnostics.map((d) => diagnosticJson(d, root)) }));
  const json = { status: report.exitCode === 0 ? 'clean' : 'problems', ...report, migrations, diagnostics: report.diagnostics.map((d) => diagnosticJson(d, root)) };
  return JSON.stringify(json, null, 2);
}

/** Progress: rewritten in place on a terminal, a plain line per migration otherwise. */
export function progressPrinter(tty: boolean, write: (s: string) => void) {
  return (m: MigrationReport, index: number, total: number) => {
    const mark = m.diagnostics.some((d) => d.severity === 'error') ? '✗' : '✓';
    const text = `[${index + 1}/${total}] ${mark} ${m.file}`;
    if (tty) write(`\r\u001b[2K${text}${index + 1 === total || m.status === 'failed' ? '\n' : ''}`);
    else write(`${text}\n`);
  };
}
