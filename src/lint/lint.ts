/**
 * `drizzle-d1 lint`: every migration of the folder, in journal order, against the real schema at
 * that point. One replay (src/d1/replay.ts) gives the database after each file; each file is then
 * checked statement by statement on a copy of the state before it (statements.ts) and as a whole
 * against the state after it (file-rules.ts). What the replay itself met (a file that fails on D1,
 * a double-quoted name D1 reads as a string) becomes a finding too.
 */
import type Database from 'better-sqlite3';
import { basename, join, resolve } from 'node:path';
import { D1_TRANSACTION_MESSAGE } from '../d1/apply.js';
import { readMigrationSources, replayMigrations, type DoubleQuotedLiteral, type MigrationSource, type ReplayFailure } from '../d1/replay.js';
import { nameOf } from '../d1/sql-parse.js';
import { splitStatements } from '../sqltext/tokens.js';
import { displayPath, UserInputError } from '../diagnostics/errors.js';
import { lintFileChanges, schemaPoint, schemaPointReader } from './file-rules.js';
import { finding, type Finding } from './finding.js';
import { finishFileLint, lineAt, lintBeforeStatement, startFileLint, type FileLint } from './statements.js';

export interface LintOptions {
  /** Migrations to report on (tags, file names or paths); every one when empty. */
  only?: readonly string[];
  /** 'journal' (default): meta/_journal.json's entries, as drizzle-orm's migrator applies them;
   * 'wrangler': every `*.sql` in the folder in wrangler's order, hand-written files without an entry included. */
  runner?: 'journal' | 'wrangler';
  /** What paths in `only` are relative to (default: the working directory). */
  cwd?: string;
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

/**
 * Whether `source` (of folder `out`) is one of the migrations the user named: by tag or file name, or
 * by a path (relative to `cwd`) to that very file; a file elsewhere with the same name is not it.
 */
function selected(source: MigrationSource, only: readonly string[] | undefined, out: string, cwd: string): boolean {
  if (!only?.length) return true;
  return only.some((o) => {
    if (o === source.tag || o === source.file) return true;
    if (basename(o) !== source.file && basename(o) !== source.tag && !o.endsWith(`/${source.file}`)) return false;
    const path = resolve(cwd, o);
    return path === join(out, source.file) || path === join(out, source.tag);
  });
}

function checkNames(sources: readonly MigrationSource[], only: readonly string[] | undefined, out: string, cwd: string): void {
  for (const o of only ?? []) {
    if (!sources.some((s) => selected(s, [o], out, cwd))) throw new UserInputError('D1-616', `${displayPath(out)} has no migration "${o}"; name a tag from meta/_journal.json or a .sql file of the folder.`, out);
  }
}

/** What the rules found in one applied migration, before the replay's own findings join them. */
interface Checked {
  /** Per statement (finishFileLint). */
  statements: Finding[];
  /** Against the schema before and after the file (lintFileChanges). */
  changes: Finding[];
}

/**
 * Lint the migrations folder `out`. One replay; each file is split once (the replay runs the
 * statements lint read) and checked as soon as it applied, so only the file at hand is held.
 */
export function lintFolder(out: string, options: LintOptions = {}): LintResult {
  const sources = readMigrationSources(out, { runner: options.runner });
  const cwd = options.cwd ?? process.cwd();
  checkNames(sources, options.only, out, cwd);
  const isSelected = (s: MigrationSource) => selected(s, options.only, out, cwd);
  const bySource = new Map(sources.map((s) => [s.tag, s]));
  const files = new Map<string, FileLint>();
  const start = (s: MigrationSource) => {
    const file = startFileLint(join(out, s.file), s.sql!);
    files.set(s.tag, file);
    return file;
  };
  const statementsOf = (tag: string) => {
    const source = bySource.get(tag)!;
    return isSelected(source) ? (files.get(tag) ?? start(source)).statements : undefined;
  };
  const begun = new Set<string>();
  const beforeStatement = (tag: string, index: number, db: Database.Database) => {
    const source = bySource.get(tag)!;
    if (!isSelected(source)) return;
    // Statement 0 again: the replay runs the file a second time (a double-quoted name read as a string).
    const file = index === 0 && begun.has(tag) ? start(source) : (files.get(tag) ?? start(source));
    begun.add(tag);
    lintBeforeStatement(file, index, db);
  };
  const point = schemaPointReader();
  let before = schemaPoint(undefined);
  const checked = new Map<string, Checked>();
  const onApplied = (tag: string, db: Database.Database) => {
    const source = bySource.get(tag)!;
    const state = point(db);
    if (isSelected(source)) {
      const { findings, trace } = finishFileLint(files.get(tag) ?? start(source));
      checked.set(tag, { statements: findings, changes: lintFileChanges(join(out, source.file), before, state, trace) });
      files.delete(tag);
    }
    before = state;
  };
  const replay = replayMigrations(sources, onApplied, { beforeStatement, statementsOf });
  replay.db.close();
  const reached = sources.filter((s) => replay.applied.includes(s.tag) || replay.failure?.tag === s.tag);
  const findings = reached.filter(isSelected).flatMap((source) => {
    const path = join(out, source.file);
    const file = checked.get(source.tag) ?? (source.sql === undefined ? undefined : unapplied(files.get(source.tag) ?? startFileLint(path, source.sql)));
    return lintMigration(path, source, file, replay.doubleQuotedLiterals, replay.failure);
  });
  const linted = reached.filter(isSelected).map((s) => join(out, s.file));
  const notReached = sources.filter((s) => !reached.includes(s) && isSelected(s)).map((s) => join(out, s.file));
  return { files: linted, findings, notReached };
}

/** A file the replay stopped in: its statements' findings, and no schema after it to compare. */
function unapplied(file: FileLint): Checked {
  return { statements: finishFileLint(file).findings, changes: [] };
}

/** A file that is not UTF-8: wrangler and drizzle-orm's migrators read it as UTF-8 and store U+FFFD for the bytes. */
function encodingFindings(path: string, source: MigrationSource): Finding[] {
  if (source.nonUtf8Line === undefined) return [];
  return [finding('D1-420',
    'the file is not valid UTF-8 (another encoding, such as Latin-1 or UTF-16): wrangler and drizzle-orm\'s migrators read it as UTF-8 and apply U+FFFD (�) in place of these bytes, so text in it reaches the database changed',
    { file: path, line: source.nonUtf8Line },
    'save the file as UTF-8, if it is not applied anywhere yet')];
}

function lintMigration(
  path: string,
  source: MigrationSource,
  checked: Checked | undefined,
  allLiterals: readonly DoubleQuotedLiteral[],
  failure: ReplayFailure | undefined,
): Finding[] {
  if (source.sql === undefined || checked === undefined) return failure ? [failureFinding(path, '', failure)] : [];
  const literals = allLiterals.filter((l) => l.tag === source.tag);
  const findings = [...checked.statements, ...literals.map((l) => literalFinding(path, source.sql!, l)), ...checked.changes, ...encodingFindings(path, source)];
  if (failure?.tag === source.tag) {
    const f = failureFinding(path, source.sql, failure);
    // A statement a static rule already explained is not reported twice.
    if (!findings.some((x) => x.code === f.code && x.line === f.line)) findings.push(f);
  }
  return findings.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
}
