/**
 * The replayed database: the schema the migrations folder really builds, hand-written SQL included.
 *
 * Every command that needs the real schema (generate when it rebuilds, drops or renames; lint,
 * verify, rewrite, rollback) replays the folder here, in `meta/_journal.json` order (the order
 * drizzle-orm's D1 migrator applies), into an in-memory SQLite with D1's rules: foreign keys on, one
 * transaction per file, statements D1 rejects rejected (see apply.ts). A migration that fails is a
 * typed result naming its file and statement, never an exception.
 */
import type Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { displayPath, UserInputError } from '../diagnostics/errors.js';
import { readFolderText } from '../diagnostics/fs.js';
import { readJournalOf } from '../snapshot/io.js';
import { layoutIn, listMigrations, migrationSqlFile, snapshotStateAt } from '../snapshot/layout.js';
import type { SchemaState } from '../snapshot/types.js';
import { applyMigration, D1MigrationError, listMigrationFiles, openD1Database } from './apply.js';
import { splitStatements, unquoteIdentifier, type SqlStatement } from '../sqltext/tokens.js';
import { schemaDrift, type Drift } from './drift.js';
import { handWrittenObjects, type HandWrittenObject } from './handwritten.js';
import { readSchemaModel, type SchemaModel } from './model.js';

/** One migration of the folder: its journal tag and its SQL file. */
export interface MigrationSource {
  tag: string;
  /** `<tag>.sql`, as messages name it. */
  file: string;
  /** The file's text; undefined when the journal lists a file that is not there. */
  sql: string | undefined;
  /** The line of the first bytes that are not UTF-8 (wrangler and the migrators apply U+FFFD there). */
  nonUtf8Line?: number;
}

export interface ReplayFailure {
  tag: string;
  file: string;
  /** 'missing': the journal lists the file but it is absent; 'statement': a statement failed or
   * D1 rejects it; 'commit': the file's transaction failed at COMMIT (deferred foreign keys). */
  reason: 'missing' | 'statement' | 'commit';
  /** The statement that failed (reason 'statement'). */
  statement?: string;
  /** SQLite's or D1's message. */
  message: string;
}

/**
 * A double-quoted name that names no column where it stands, which D1 reads as a string literal
 * (SQLite's DQS fallback, on in D1 and off in better-sqlite3's build). drizzle-kit writes these when a
 * rebuild loses a rename: the copy then stores the text `identifier` in every row. The replay applies
 * the file as D1 does and reports each one.
 */
export interface DoubleQuotedLiteral {
  tag: string;
  file: string;
  /** The statement as written in the file. */
  statement: string;
  /** The name inside the double quotes, which D1 stores as text. */
  identifier: string;
}

export interface ReplayResult {
  /** The in-memory database after every migration that applied. The caller closes it. */
  db: Database.Database;
  /** Tags applied, in order. */
  applied: string[];
  /** The first migration that failed to replay; later ones were not tried. */
  failure?: ReplayFailure;
  /** Double-quoted names D1 turned into string literals, in the order met. */
  doubleQuotedLiterals: DoubleQuotedLiteral[];
}

export interface ReplayOptions {
  /**
   * Which runner's view of the folder to replay. 'journal' (default): the entries of
   * meta/_journal.json in order, as drizzle-orm's D1 migrator applies them. 'wrangler': every `*.sql`
   * directly in the folder in `wrangler d1 migrations apply`'s order, which includes files written
   * by hand without a journal entry (real projects have them; see unlistedMigrationFiles).
   */
  runner?: 'journal' | 'wrangler';
  /** Stop before this tag (file name without `.sql`): the state a migration starts from. */
  before?: string;
  /** Stop after this tag (inclusive). */
  through?: string;
  /**
   * Called after each migration applies, with the database in that state: one replay serves a
   * command that needs every intermediate schema (rollback files, per-migration lint), e.g. with
   * readSchemaModel or `db.serialize()`. The schema must be left as it is (verify adds rows).
   */
  onApplied?: (tag: string, db: Database.Database) => void;
  /** Apply onto this database (e.g. a copy of a real one) instead of a fresh in-memory one. */
  into?: Database.Database;
  /**
   * Called inside each file's transaction before each of its statements runs (index in
   * splitStatements of the file's text), with the database as the statements before it left it.
   * When D1 reads a double-quoted name as a string, the file is run again from its first statement.
   * The database must be left as it is.
   */
  beforeStatement?: (tag: string, index: number, db: Database.Database) => void;
  /** A file's statements when the caller split its text already (`splitStatements(source.sql)`), so it is not split twice. */
  statementsOf?: (tag: string) => readonly SqlStatement[] | undefined;
}

/** The journal's tags in order; [] when there is no journal yet (a fresh project). */
export function readJournalTags(out: string): string[] {
  return readJournalOf(out).entries.map((e) => e.tag);
}

/** The tags to replay for `options`, checked against the journal. */
function selectTags(tags: readonly string[], options: ReplayOptions, out: string): string[] {
  const position = (tag: string): number => {
    const i = tags.indexOf(tag);
    if (i < 0) throw new UserInputError('D1-616', `${displayPath(out)} has no migration "${tag}" (${tag}.sql).`, out);
    return i;
  };
  let end = tags.length;
  if (options.through !== undefined) end = position(options.through) + 1;
  if (options.before !== undefined) end = Math.min(end, position(options.before));
  return tags.slice(0, end);
}

/** `*.sql` files directly in `out` that the journal does not list: wrangler applies them, drizzle-orm's migrator does not. */
export function unlistedMigrationFiles(out: string): string[] {
  if (!existsSync(out) || layoutIn(out) === 'folders') return [];
  const listed = new Set(readJournalTags(out).map((tag) => `${tag}.sql`));
  return listMigrationFiles(out).filter((name) => !listed.has(name));
}

function runnerTags(out: string, runner: ReplayOptions['runner']): string[] {
  // drizzle-kit 1.0's layout: drizzle-orm 1.0's migrator and wrangler's <dir>/*/migration.sql pattern agree on folder order.
  if (layoutIn(out) === 'folders') return listMigrations(out).map((m) => m.tag);
  if (runner !== 'wrangler') return readJournalTags(out);
  return existsSync(out) ? listMigrationFiles(out).map((name) => name.slice(0, -'.sql'.length)) : [];
}

/** The migrations of folder `out` that `options` selects, with their SQL text, in the runner's order. */
export function readMigrationSources(out: string, options: ReplayOptions = {}): MigrationSource[] {
  const layout = layoutIn(out);
  return selectTags(runnerTags(out, options.runner), options, out).map((tag) => {
    const file = migrationSqlFile(layout, tag);
    const path = join(out, file);
    const sql = existsSync(path) ? readFolderText(path) : undefined;
    const nonUtf8Line = sql?.includes('\uFFFD') ? firstNonUtf8Line(readFileSync(path), sql) : undefined;
    return { tag, file, sql, ...(nonUtf8Line ? { nonUtf8Line } : {}) };
  });
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The 1-based line of the first byte sequence of `bytes` that is not UTF-8, or undefined when all of it is. */
function firstNonUtf8Line(bytes: Buffer, text: string): number | undefined {
  try {
    strictUtf8.decode(bytes);
    return undefined;
  } catch {
    return text.slice(0, text.indexOf('\uFFFD')).split('\n').length;
  }
}

function failureOf(source: MigrationSource, e: unknown): ReplayFailure {
  if (e instanceof D1MigrationError) {
    // D1MigrationError's message starts with the file and ends with the statement; keep the cause's.
    const cause = (e as { cause?: unknown }).cause;
    const message = cause instanceof Error ? cause.message : e.message.slice(`${source.file}: `.length).split('\n')[0]!;
    const failure: ReplayFailure = { tag: source.tag, file: source.file, reason: e.statement === undefined ? 'commit' : 'statement', message };
    if (e.statement !== undefined) failure.statement = e.statement;
    return failure;
  }
  return { tag: source.tag, file: source.file, reason: 'statement', message: e instanceof Error ? e.message : String(e) };
}

/** SQLite's message when a double-quoted name resolves to nothing and DQS is off (resolve.c). */
const DQS_PREFIX = 'no such column: "';
const DQS_SUFFIX = '" - should this be a string literal in single-quotes?';

/** The name SQLite's DQS error is about, or undefined for any other error. */
function dqsIdentifier(e: unknown): string | undefined {
  const cause = (e as { cause?: unknown }).cause;
  const message = cause instanceof Error ? cause.message : '';
  if (!message.startsWith(DQS_PREFIX) || !message.endsWith(DQS_SUFFIX)) return undefined;
  return message.slice(DQS_PREFIX.length, -DQS_SUFFIX.length);
}

/**
 * `sql` with `"identifier"` turned into `'identifier'` in its statement number `index`, where D1
 * reads it as a literal: after the statement's first SELECT (the expressions of `INSERT … SELECT`;
 * the INSERT's own column list names real columns, where SQLite never falls back to a string).
 */
function withLiteral(sql: string, index: number, identifier: string): string | undefined {
  const target = splitStatements(sql)[index];
  const select = target?.tokens.findIndex((t) => t.kind === 'word' && t.text.toUpperCase() === 'SELECT') ?? -1;
  if (target === undefined || select < 0) return undefined;
  const hits = target.tokens.slice(select).filter((t) => t.kind === 'quoted' && t.text.startsWith('"') && unquoteIdentifier(t) === identifier);
  if (hits.length === 0) return undefined;
  let out = sql;
  for (const t of hits.reverse()) out = `${out.slice(0, t.start)}'${identifier.split("'").join("''")}'${out.slice(t.end)}`;
  return out;
}

/** Apply one file as D1 would, double-quoted-literal fallback included; throws the applier's error. */
function applyAsD1(db: Database.Database, source: MigrationSource & { sql: string }, literals: DoubleQuotedLiteral[], options: Pick<ReplayOptions, 'beforeStatement' | 'statementsOf'>): void {
  let sql = source.sql;
  const { beforeStatement } = options;
  const hook = beforeStatement && ((index: number, d: Database.Database) => beforeStatement(source.tag, index, d));
  for (;;) {
    try {
      const statements = sql === source.sql ? options.statementsOf?.(source.tag) : undefined;
      applyMigration(db, sql, source.file, { beforeStatement: hook, ...(statements ? { statements } : {}) });
      return;
    } catch (e) {
      const identifier = dqsIdentifier(e);
      const statement = e instanceof D1MigrationError ? e.statement : undefined;
      // Rewriting a token keeps statement boundaries: the index finds it in the original text too.
      const index = statement === undefined ? -1 : splitStatements(sql).findIndex((st) => st.text === statement);
      const next = identifier === undefined || index < 0 ? undefined : withLiteral(sql, index, identifier);
      if (next === undefined) throw e;
      // The applier rolled the file back: run it again with this name read as D1 reads it.
      const original = splitStatements(source.sql)[index]!.text;
      literals.push({ tag: source.tag, file: source.file, statement: original, identifier: identifier! });
      sql = next;
    }
  }
}

/** Replay migrations, in order, into a fresh in-memory D1-like database (or into `options.into`). */
export function replayMigrations(
  sources: readonly MigrationSource[],
  onApplied?: ReplayOptions['onApplied'],
  options: Pick<ReplayOptions, 'beforeStatement' | 'into' | 'statementsOf'> = {},
): ReplayResult {
  const db = options.into ?? openD1Database();
  const applied: string[] = [];
  const doubleQuotedLiterals: DoubleQuotedLiteral[] = [];
  for (const source of sources) {
    if (source.sql === undefined) {
      const message = `the journal lists ${source.file} but the file is missing`;
      return { db, applied, doubleQuotedLiterals, failure: { tag: source.tag, file: source.file, reason: 'missing', message } };
    }
    try {
      applyAsD1(db, { ...source, sql: source.sql }, doubleQuotedLiterals, options);
    } catch (e) {
      return { db, applied, doubleQuotedLiterals, failure: failureOf(source, e) };
    }
    applied.push(source.tag);
    onApplied?.(source.tag, db);
  }
  return { db, applied, doubleQuotedLiterals };
}

/** Replay the migrations folder `out` (all of it, or up to a tag; see ReplayOptions). */
export function replayFolder(out: string, options: ReplayOptions = {}): ReplayResult {
  return replayMigrations(readMigrationSources(out, options), options.onApplied, options);
}

/** The snapshot drizzle-kit wrote with migration `tag` (`meta/<prefix>_snapshot.json`), if present. */
export function snapshotStateOf(out: string, tag: string): SchemaState | undefined {
  return snapshotStateAt(out, tag);
}

export interface RealSchema {
  replay: ReplayResult;
  model: SchemaModel;
  /** The snapshot of the last journal migration replayed (empty state before the first). */
  snapshot: SchemaState;
  /** `*.sql` files the journal does not list (replayed only with runner 'wrangler'). */
  unlisted: string[];
  /** What the replayed database holds that the snapshot does not describe. */
  handWritten: HandWrittenObject[];
  /** Where the replayed database disagrees with what the snapshot describes. */
  drift: Drift[];
}

/**
 * Replay `out` and compare the result with the snapshot of the last migration replayed: the real
 * schema, the hand-written objects and the drift. The caller closes `replay.db`.
 */
export function readRealSchema(out: string, options: ReplayOptions = {}): RealSchema {
  const replay = replayFolder(out, options);
  const model = readSchemaModel(replay.db);
  const listed = new Set(layoutIn(out) === 'folders' ? replay.applied : readJournalTags(out));
  const last = [...replay.applied].reverse().find((tag) => listed.has(tag));
  const snapshot = (last === undefined ? undefined : snapshotStateOf(out, last)) ?? { tables: {}, views: {} };
  const unlisted = unlistedMigrationFiles(out);
  return { replay, model, snapshot, unlisted, handWritten: handWrittenObjects(model, snapshot), drift: schemaDrift(model, snapshot) };
}
