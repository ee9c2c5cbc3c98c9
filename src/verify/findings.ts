/**
 * verify's findings as diagnostics: one per table that loses rows or values, per guard that fires,
 * per failing migration, per limit at risk, per table synthetic rows could not fill.
 */
import { CODES, type Code } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { D1_LIMITS } from './cost.js';
import type { DoubleQuotedLiteral } from '../d1/replay.js';
import type { Shortfall } from './rows.js';
import type { MigrationReport, TableFigures } from './types.js';

function finding(code: Code, message: string, file: string, table?: string): Diagnostic {
  return { code, severity: CODES[code].severity, message, file, ...(table ? { table } : {}) };
}

const rows = (n: number) => `${n} row${n === 1 ? '' : 's'}`;

function tableFindings(f: TableFigures, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (f.lost > 0) out.push(finding('D1-450', `${file} loses ${rows(f.lost)} of ${f.rowsBefore} in ${f.renamedFrom ?? f.table}${f.renamedFrom ? ` (renamed ${f.table})` : ''}.`, file, f.table));
  if (f.changed > 0) {
    const columns = f.changedColumns.map((c) => `${c.column} in ${rows(c.rows)}`).join(', ');
    out.push(finding('D1-451', `${file} changes ${rows(f.changed)} of ${f.table} it keeps (${columns}).`, file, f.table));
  }
  for (const c of f.lostColumns) out.push(finding('D1-454', `${file} removes ${f.table}.${c.column} without dropping it: ${c.values} values lost.`, file, f.table));
  return out;
}

function costFindings(r: MigrationReport): Diagnostic[] {
  const c = r.cost;
  if (!c) return [];
  const out: Diagnostic[] = [];
  if (c.milliseconds > D1_LIMITS.milliseconds / 3) out.push(finding('D1-456', `${r.file} took ${(c.milliseconds / 1000).toFixed(1)} s on the copy; D1 stops a batch at 30 s.`, r.file));
  if (c.databaseBytes + c.rebuildBytes > D1_LIMITS.databaseBytes) {
    out.push(finding('D1-457', `${r.file} needs about ${((c.databaseBytes + c.rebuildBytes) / 1024 ** 3).toFixed(1)} GB while its rebuilt tables exist twice; D1 stops at 10 GB.`, r.file));
  }
  if (c.longestStatementBytes > D1_LIMITS.statementBytes) out.push(finding('D1-458', `${r.file} has a statement of ${Math.round(c.longestStatementBytes / 1024)} KB; D1 refuses statements over 100 KB.`, r.file));
  return out;
}

export function figureFindings(r: MigrationReport): Diagnostic[] {
  return [...r.tables.flatMap((f) => tableFindings(f, r.file)), ...costFindings(r)];
}

/** The guard name a failing guard reports: `CHECK constraint failed: D1-1xx: …`. */
const GUARD = /CHECK constraint failed: (D1-1\d\d): (.*)$/s;

/** A failed migration's diagnostics: the guard that fired, or the failure itself. */
export function failureFindings(r: MigrationReport): void {
  const message = r.failure?.message ?? '';
  const guard = GUARD.exec(message);
  if (guard) {
    r.guards.push({ code: guard[1]!, message: guard[2]! });
    r.diagnostics.push(finding('D1-453', `${r.file} would abort: guard ${guard[1]} fires: ${guard[2]}`, r.file));
    return;
  }
  r.diagnostics.push(finding('D1-452', `${r.file} fails on these rows: ${message}${r.failure?.statement ? ` (in: ${r.failure.statement.replace(/\s+/g, ' ').slice(0, 160)})` : ''}`, r.file));
}

export function shortfallFindings(shortfalls: readonly Shortfall[], file: string): Diagnostic[] {
  return shortfalls.map((s) =>
    finding('D1-459', `after ${file || 'the start'}, only ${s.inserted} of ${s.wanted} synthetic rows could be put in ${s.table} (${s.reason}).`, file, s.table),
  );
}

/** A guard that fired on synthetic rows: the migration depends on the data (a warning; verify goes on with empty tables). */
export function syntheticGuardFindings(r: MigrationReport): Diagnostic[] {
  return r.guards.map((g) =>
    finding('D1-464', `${r.file}: guard ${g.code} fires on synthetic rows made for the previous schema (${g.message}); it was verified on empty tables. Verify against real data with --against.`, r.file),
  );
}

/** A double-quoted name the replay read as D1 does: as the text of the name. */
export function literalFinding(l: DoubleQuotedLiteral): Diagnostic {
  const statement = l.statement.replace(/\s+/g, ' ').slice(0, 160);
  return finding('D1-465', `${l.file}: D1 reads "${l.identifier}" as the string '${l.identifier}' and writes it into every row (in: ${statement}).`, l.file);
}
