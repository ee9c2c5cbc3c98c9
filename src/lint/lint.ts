/**
 * `drizzle-d1 lint`: every migration of the folder, in journal order, against the real schema at
 * that point. One replay (src/d1/replay.ts) gives the database after each file; each file is then
 * checked statement by statement on a copy of the state before it (statements.ts) and as a whole
 * against the state after it (file-rules.ts). What the replay itself met (a file that fails on D1,
 * a double-quoted name D1 reads as a string) becomes a finding too.
 */
import type Database from 'better-sqlite3';
import { basename, join } from 'node:path';
import { D1_TRANSACTION_MESSAGE } from '../d1/apply.js';
import { readMigrationSources, replayMigrations, type DoubleQuotedLiteral, type MigrationSource, type ReplayFailure } from '../d1/replay.js';
import { nameOf } from '../d1/sql-parse.js';
import { splitStatements } from '../sqltext/tokens.js';
import { UserInputError } from '../diagnostics/errors.js';
import { lintFileChanges, schemaPoint, type SchemaPoint } from './file-rules.js';
import { finding, type Finding } from './finding.js';
import { finishFileLint, lineAt, lintBeforeStatement, startFileLint, type FileLint } from './statements.js';

export interface LintOptions {
  /** Migrations to report on (tags, file names or paths); every one when empty. */
  only?: readonly string[];
  /** 'journal' (default): meta/_journal.json's entries, as drizzle-orm's migrator applies them;
   * 'wrangler': every `*.sql` in the folder in wrangler's order, hand-written files without an entry included. */
  runner?: 'journal' | 'wrangler';
}

export interface LintResult {
  /** The migrations analysed, as paths. */
  files: string[];
  findings: Finding[];
  /** Migrations after a failing one, which the replay could not reach. */
  notReached: string[];
}

/** Line of the statement whose text is `statement` in `sql`. */
function statementLine(sql: string, statement: string | undefined): number | undefined {
  if (statement === undefined) return undefined;
  const st = splitStatements(sql).find((s) => s.text === statement);
  return st === undefined ? undefined : lineAt(sql, st.start);
}

function literalFinding(path: string, sql: string, l: DoubleQuotedLiteral): Finding {
  const st = splitStatements(sql).find((s) => s.text === l.statement);
  const from = st?.tokens.findIndex((t, i) => i > 3 && t.kind === 'word' && t.text.toUpperCase() === 'FROM') ?? -1;
  const source = from < 0 ? undefined : nameOf(st!.tokens[from + 1]);
  const table = source ?? 'the old table';
  return finding('D1-409',
    `the copy names "${l.identifier}", which ${table} does not have (a lost rename, or a column added inside a rebuild): D1 reads the double-quoted name as a string and writes the text '${l.identifier}' into every row; SQLite proper fails with "no such column"`,
    { file: path, ...(st ? { line: lineAt(sql, st.start) } : {}), ...(source ? { table: source } : {}), column: l.identifier },
    'regenerate the migration with `drizzle-d1 rewrite` (renames come from the snapshot), if it is not applied anywhere yet');
}

function failureFinding(path: string, sql: string, f: ReplayFailure): Finding {
  const line = statementLine(sql, f.statement);
  const where = { file: path, ...(line ? { line } : {}) };
  const words = f.statement === undefined ? [] : splitStatements(f.statement)[0]?.tokens.map((t) => t.text.toUpperCase()) ?? [];
  if (f.reason === 'missing') return finding('D1-416', f.message, where, 'restore the file from version control, or remove its journal entry');
  if (f.message === D1_TRANSACTION_MESSAGE || f.message.startsWith('not authorized')) {
    return finding('D1-405', `${f.message}`, where, 'remove the statement: D1 runs each file in one transaction of its own');
  }
  if (/generated column/i.test(f.message)) {
    return finding('D1-408', `the copy writes a generated column, which SQLite refuses (${f.message})`, where, 'leave generated columns out of the INSERT … SELECT (`drizzle-d1 rewrite` does)');
  }
  if (words[0] === 'ALTER' && words.includes('DROP')) {
    return finding('D1-411', `the column cannot be dropped: ${f.message} (an index, view, trigger, key or check still uses it)`, where, 'drop the index, view or trigger first, or rebuild the table without the column');
  }
  return finding('D1-416', `the migration fails when D1 applies it: ${f.message}`, where, 'fix the statement; D1 rolls the whole file back');
}

/** Whether `source` is one of the migrations the user named. */
function selected(source: MigrationSource, only: readonly string[] | undefined): boolean {
  if (!only?.length) return true;
  return only.some((o) => o === source.tag || o === source.file || basename(o) === source.file || basename(o) === source.tag);
}

function checkNames(sources: readonly MigrationSource[], only: readonly string[] | undefined, out: string): void {
  for (const o of only ?? []) {
    if (!sources.some((s) => selected(s, [o]))) throw new UserInputError('D1-616', `${out} has no migration "${o}"; name a tag from meta/_journal.json or a .sql file of the folder.`, out);
  }
}

/** Lint the migrations folder `out`. */
export function lintFolder(out: string, options: LintOptions = {}): LintResult {
  const sources = readMigrationSources(out, { runner: options.runner });
  checkNames(sources, options.only, out);
  const after = new Map<string, SchemaPoint>();
  const files = new Map<string, FileLint>();
  const bySource = new Map(sources.map((s) => [s.tag, s]));
  const beforeStatement = (tag: string, index: number, db: Database.Database) => {
    const source = bySource.get(tag)!;
    if (!selected(source, options.only)) return;
    // Statement 0 again: the replay runs the file a second time (a double-quoted name read as a string).
    if (index === 0 || !files.has(tag)) files.set(tag, startFileLint(join(out, source.file), source.sql!));
    lintBeforeStatement(files.get(tag)!, index, db);
  };
  const cache = new Map();
  const replay = replayMigrations(sources, (tag, db) => after.set(tag, schemaPoint(db, cache)), { beforeStatement });
  replay.db.close();
  const findings: Finding[] = [];
  let before = schemaPoint(undefined);
  const reached = sources.filter((s) => replay.applied.includes(s.tag) || replay.failure?.tag === s.tag);
  for (const source of reached) {
    const path = join(out, source.file);
    const state = after.get(source.tag);
    const file = source.sql === undefined ? undefined : (files.get(source.tag) ?? startFileLint(path, source.sql));
    if (selected(source, options.only)) findings.push(...lintMigration(path, source, file, before, state, replay.doubleQuotedLiterals, replay.failure));
    if (state) before = state;
  }
  const linted = reached.filter((s) => selected(s, options.only)).map((s) => join(out, s.file));
  const notReached = sources.filter((s) => !reached.includes(s) && selected(s, options.only)).map((s) => join(out, s.file));
  return { files: linted, findings, notReached };
}

function lintMigration(
  path: string,
  source: MigrationSource,
  file: FileLint | undefined,
  before: SchemaPoint,
  after: SchemaPoint | undefined,
  allLiterals: readonly DoubleQuotedLiteral[],
  failure: ReplayFailure | undefined,
): Finding[] {
  if (source.sql === undefined || file === undefined) return failure ? [failureFinding(path, '', failure)] : [];
  const literals = allLiterals.filter((l) => l.tag === source.tag);
  const { findings, trace } = finishFileLint(file);
  findings.push(...literals.map((l) => literalFinding(path, source.sql!, l)));
  if (after) findings.push(...lintFileChanges(path, before, after, trace));
  if (failure?.tag === source.tag) {
    const f = failureFinding(path, source.sql, failure);
    // A statement a static rule already explained is not reported twice.
    if (!findings.some((x) => x.code === f.code && x.line === f.line)) findings.push(f);
  }
  return findings.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
}
