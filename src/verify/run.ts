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
import { failureFindings, figureFindings, shortfallFindings } from './findings.js';
import { fingerprint, mentionedNames, reachableTables, type Fingerprint } from './fingerprint.js';
import { fillTables, type FillRequest } from './rows.js';
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

/** Verify `options.sources` in order on `options.db`; returns one report per migration tried. */
export function verifyMigrations(options: LoopOptions): MigrationReport[] {
  const { db, sources, out } = options;
  const converter = new AffinityConverter();
  const reports: MigrationReport[] = [];
  const initial = readSchemaModel(db);
  const loop: LoopState = { model: initial, before: new Map(), state: options.startState, started: 0, changes: 0 };
  const fillReport: MigrationReport = { tag: '', file: '', status: 'applied', tables: [], guards: [], doubleQuotedLiterals: [], diagnostics: [] };
  fillAfter(db, options, initial, 'start', new Set(), fillReport);
  loop.before = printFor(db, initial, sources[0]);
  loop.started = performance.now();
  loop.changes = totalChanges(db);
  const onApplied = (tag: string) => {
    const index = reports.length;
    const source = sources[index]!;
    const milliseconds = performance.now() - loop.started;
    const rowsWritten = totalChanges(db) - loop.changes;
    const model = readSchemaModel(db);
    const reach = reachableTables(model, mentionedNames(source.sql ?? ''));
    const after = fingerprint(db, model, reach);
    const { declared, state } = declaredChanges(out, tag, loop.state);
    const figures = compareFingerprints(loop.before, after, declared, converter);
    const report: MigrationReport = { tag, file: source.file, status: 'applied', tables: figures.filter(interesting), guards: [], doubleQuotedLiterals: [], diagnostics: [] };
    report.cost = costOf({ db, sql: source.sql ?? '', before: loop.before, after, figures, declared, milliseconds, rowsWritten });
    report.diagnostics.push(...figureFindings(report));
    fillAfter(db, options, model, tag, reach, report);
    reports.push(report);
    options.onMigration?.(report, index, sources.length);
    loop.state = state;
    loop.model = model;
    loop.before = printFor(db, model, sources[index + 1]);
    loop.changes = totalChanges(db);
    loop.started = performance.now();
  };
  const result = replayMigrations(sources, onApplied, db);
  converter.close();
  if (result.failure) {
    const report: MigrationReport = { tag: result.failure.tag, file: result.failure.file, status: 'failed', tables: [], guards: [], doubleQuotedLiterals: [], diagnostics: [] };
    report.failure = { message: result.failure.message, ...(result.failure.statement ? { statement: result.failure.statement } : {}) };
    failureFindings(report);
    reports.push(report);
    options.onMigration?.(report, reports.length - 1, sources.length);
  }
  for (const l of result.doubleQuotedLiterals) reports.find((r) => r.tag === l.tag)?.doubleQuotedLiterals.push(l.identifier);
  if (fillReport.diagnostics.length > 0 && reports[0]) reports[0].diagnostics.unshift(...fillReport.diagnostics);
  return reports;
}
