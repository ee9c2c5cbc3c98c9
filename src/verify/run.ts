/**
 * The verify loop: apply migrations one by one onto a database (a fresh one topped up with synthetic
 * rows after each migration, or a copy of a real one), fingerprint every table before and after
 * each, and report per migration and table what was lost, changed, added or dropped on purpose,
 * the guards that fired and the cost. It uses the shared replay (D1's semantics, double-quoted
 * names read as D1 reads them).
 */
import type Database from 'better-sqlite3';
import { readSchemaModel, type SchemaModel } from '../d1/model.js';
import { replayMigrations, type MigrationSource } from '../d1/replay.js';
import type { SchemaState } from '../snapshot/types.js';
import { AffinityConverter, compareFingerprints } from './compare.js';
import { costOf } from './cost.js';
import { declaredChanges } from './declared.js';
import { failureFindings, figureFindings, literalFinding, shortfallFindings, syntheticGuardFindings } from './findings.js';
import { fingerprint, mentionedNames, reachableTables, type Fingerprint } from './fingerprint.js';
import { fillTables, parentsFirst, type FillRequest } from './rows.js';
import { quoteIdentifier } from '../sqltext/rewrite.js';
import type { MigrationReport, TableFigures } from './types.js';

export interface LoopOptions {
  out: string;
  sources: readonly MigrationSource[];
  db: Database.Database;
  /** Synthetic rows after each migration (absent: the database's own rows only). */
  fill?: Omit<FillRequest, 'touched' | 'salt'>;
  /** The snapshot state the first source starts from (the last applied migration's). */
  startState?: SchemaState;
  /** Called when a migration has been verified (progress display). */
  onMigration?: (report: MigrationReport, index: number, total: number) => void;
}

const interesting = (f: TableFigures) =>
  f.lost > 0 || f.changed > 0 || f.added > 0 || f.droppedOnPurpose > 0 || f.droppedColumns.length > 0 || f.lostColumns.length > 0 || f.renamedFrom !== undefined;

function totalChanges(db: Database.Database): number {
  return db.prepare('SELECT total_changes()').pluck().get() as number;
}

interface LoopState {
  model: SchemaModel;
  before: Fingerprint;
  state: SchemaState | undefined;
  started: number;
  changes: number;
}

/** Fingerprint for the next migration (or none when it is the last). */
function printFor(db: Database.Database, model: SchemaModel, source: MigrationSource | undefined): Fingerprint {
  const mentioned = mentionedNames(source?.sql ?? '');
  return fingerprint(db, model, reachableTables(model, mentioned));
}

function fillAfter(db: Database.Database, options: LoopOptions, model: SchemaModel, tag: string, touched: Set<string>, report: MigrationReport): void {
  if (!options.fill) return;
  const shortfalls = fillTables(db, model, { ...options.fill, touched, salt: tag });
  report.diagnostics.push(...shortfallFindings(shortfalls, report.file));
}

const newReport = (tag: string, file: string): MigrationReport => ({ tag, file, status: 'applied', tables: [], guards: [], doubleQuotedLiterals: [], diagnostics: [] });

/** Delete every row (children first, foreign keys off meanwhile): synthetic rows that made a guard fire. */
function emptyTables(db: Database.Database, model: SchemaModel): void {
  db.pragma('foreign_keys = OFF');
  for (const t of parentsFirst(model.tables).reverse()) db.prepare(`DELETE FROM ${quoteIdentifier(t.name)}`).run();
  db.pragma('foreign_keys = ON');
}

interface Verifier {
  options: LoopOptions;
  converter: AffinityConverter;
  loop: LoopState;
  reports: MigrationReport[];
  /** Sources applied so far. */
  position: number;
  /** Findings waiting for the next migration's report (the guard that fired on synthetic rows). */
  pending: MigrationReport['diagnostics'];
  /** The migration last retried on empty tables (retried once only). */
  retried?: string;
}

/** After migration `tag` applied: fingerprint, compare, cost, findings, then the rows for the next one. */
function afterMigration(v: Verifier, tag: string): void {
  const { db, sources, out } = v.options;
  const { loop } = v;
  const index = v.position++;
  const source = sources[index]!;
  const milliseconds = performance.now() - loop.started;
  const rowsWritten = totalChanges(db) - loop.changes;
  const model = readSchemaModel(db);
  const reach = reachableTables(model, mentionedNames(source.sql ?? ''));
  const after = fingerprint(db, model, reach);
  const { declared, state } = declaredChanges(out, tag, loop.state, source.sql);
  const figures = compareFingerprints(loop.before, after, declared, v.converter);
  const report = newReport(tag, source.file);
  report.tables = figures.filter(interesting);
  report.cost = costOf({ db, sql: source.sql ?? '', before: loop.before, after, figures, declared, milliseconds, rowsWritten, ...(state ? { current: state } : {}) });
  report.diagnostics.push(...v.pending.splice(0), ...figureFindings(report));
  fillAfter(db, v.options, model, tag, reach, report);
  v.reports.push(report);
  v.options.onMigration?.(report, index, sources.length);
  Object.assign(loop, { state, model, before: printFor(db, model, sources[index + 1]), changes: totalChanges(db), started: performance.now() });
}

/** A migration that failed: its report; true when verification can go on (a guard fired on synthetic rows, which are removed). */
function afterFailure(v: Verifier, failure: NonNullable<ReturnType<typeof replayMigrations>['failure']>): boolean {
  const report = newReport(failure.tag, failure.file);
  report.status = 'failed';
  report.failure = { message: failure.message, ...(failure.statement ? { statement: failure.statement } : {}) };
  failureFindings(report);
  if (v.options.fill && report.guards.length > 0 && v.retried !== failure.tag) {
    v.retried = failure.tag;
    // Rows made for the old schema need not satisfy what the migration guards: empty the tables and go on.
    v.pending.push(...syntheticGuardFindings(report));
    emptyTables(v.options.db, v.loop.model);
    v.loop.before = printFor(v.options.db, v.loop.model, v.options.sources[v.position]);
    return true;
  }
  v.reports.push(report);
  v.options.onMigration?.(report, v.reports.length - 1, v.options.sources.length);
  return false;
}

/** Verify `options.sources` in order on `options.db`; returns one report per migration tried. */
export function verifyMigrations(options: LoopOptions): MigrationReport[] {
  const { db, sources } = options;
  const initial = readSchemaModel(db);
  const v: Verifier = { options, converter: new AffinityConverter(), reports: [], position: 0, pending: [], loop: { model: initial, before: new Map(), state: options.startState, started: 0, changes: 0 } };
  const start = newReport('', '');
  fillAfter(db, options, initial, 'start', new Set(), start);
  v.pending.push(...start.diagnostics);
  v.loop.before = printFor(db, initial, sources[0]);
  Object.assign(v.loop, { started: performance.now(), changes: totalChanges(db) });
  const literals: ReturnType<typeof replayMigrations>['doubleQuotedLiterals'] = [];
  for (;;) {
    const result = replayMigrations(sources.slice(v.position), (tag) => afterMigration(v, tag), { into: db });
    literals.push(...result.doubleQuotedLiterals);
    if (!result.failure || !afterFailure(v, result.failure)) break;
  }
  v.converter.close();
  for (const l of literals) {
    const report = v.reports.find((r) => r.tag === l.tag);
    report?.doubleQuotedLiterals.push(l.identifier);
    report?.diagnostics.push(literalFinding(l));
  }
  return v.reports;
}
