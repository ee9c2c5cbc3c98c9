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
import { describeIssues, displayPath, UserInputError } from '../diagnostics/errors.js';
import { journalPath, readSnapshotFile, stateOf, tagPrefix } from '../snapshot/io.js';
import { journalSchema, type SchemaState } from '../snapshot/types.js';
import { applyMigration, D1MigrationError, openD1Database } from './apply.js';
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

export interface ReplayResult {
  /** The in-memory database after every migration that applied. The caller closes it. */
  db: Database.Database;
  /** Tags applied, in order. */
  applied: string[];
  /** The first migration that failed to replay; later ones were not tried. */
  failure?: ReplayFailure;
}

export interface ReplayOptions {
  /** Stop before this tag: the state a migration starts from. */
  before?: string;
  /** Stop after this tag (inclusive). */
  through?: string;
}

/** The journal's tags in order; [] when there is no journal yet (a fresh project). */
export function readJournalTags(out: string): string[] {
  const path = journalPath(out);
  if (!existsSync(path)) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UserInputError('D1-600', `${displayPath(path)} is not valid JSON (${(e as Error).message}). Restore it from version control.`, path);
  }
  const parsed = journalSchema.safeParse(raw);
  if (!parsed.success) {
    throw new UserInputError('D1-600', `${displayPath(path)} is not a valid drizzle-kit journal (${describeIssues(parsed.error.issues)}).`, path);
  }
  return parsed.data.entries.map((e) => e.tag);
}

/** The tags to replay for `options`, checked against the journal. */
function selectTags(tags: readonly string[], options: ReplayOptions, out: string): string[] {
  const position = (tag: string): number => {
    const i = tags.indexOf(tag);
    if (i < 0) throw new UserInputError('D1-600', `${displayPath(journalPath(out))} lists no migration "${tag}".`, journalPath(out));
    return i;
  };
  let end = tags.length;
  if (options.through !== undefined) end = position(options.through) + 1;
  if (options.before !== undefined) end = Math.min(end, position(options.before));
  return tags.slice(0, end);
}

/** The migrations of folder `out` that `options` selects, with their SQL text, in journal order. */
export function readMigrationSources(out: string, options: ReplayOptions = {}): MigrationSource[] {
  return selectTags(readJournalTags(out), options, out).map((tag) => {
    const file = `${tag}.sql`;
    const path = join(out, file);
    return { tag, file, sql: existsSync(path) ? readFileSync(path, 'utf8') : undefined };
  });
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

/** Replay migrations, in order, into a fresh in-memory D1-like database. */
export function replayMigrations(sources: readonly MigrationSource[]): ReplayResult {
  const db = openD1Database();
  const applied: string[] = [];
  for (const source of sources) {
    if (source.sql === undefined) {
      const message = `the journal lists ${source.file} but the file is missing`;
      return { db, applied, failure: { tag: source.tag, file: source.file, reason: 'missing', message } };
    }
    try {
      applyMigration(db, source.sql, source.file);
    } catch (e) {
      return { db, applied, failure: failureOf(source, e) };
    }
    applied.push(source.tag);
  }
  return { db, applied };
}

/** Replay the migrations folder `out` (all of it, or up to a tag; see ReplayOptions). */
export function replayFolder(out: string, options: ReplayOptions = {}): ReplayResult {
  return replayMigrations(readMigrationSources(out, options));
}

/** The snapshot drizzle-kit wrote with migration `tag` (`meta/<prefix>_snapshot.json`), if present. */
export function snapshotStateOf(out: string, tag: string): SchemaState | undefined {
  const path = join(out, 'meta', `${tagPrefix(tag)}_snapshot.json`);
  return existsSync(path) ? stateOf(readSnapshotFile(path)) : undefined;
}

export interface RealSchema {
  replay: ReplayResult;
  model: SchemaModel;
  /** The snapshot of the last migration replayed (empty state before the first). */
  snapshot: SchemaState;
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
  const last = replay.applied.at(-1);
  const snapshot = (last === undefined ? undefined : snapshotStateOf(out, last)) ?? { tables: {}, views: {} };
  return { replay, model, snapshot, handWritten: handWrittenObjects(model, snapshot), drift: schemaDrift(model, snapshot) };
}
