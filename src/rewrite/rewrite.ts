/**
 * `drizzle-d1 rewrite`: the SQL of named migrations regenerated from their own snapshots (the
 * previous migration's snapshot → this one's, with the renames the snapshot records: `_meta`, or
 * drizzle-kit 1.0's `renames`) by drizzle-d1's planner. Snapshots and the journal stay as they are,
 * so drizzle-kit and the migrators see the same history; only the `.sql` files (`migration.sql` in
 * the 1.0 layout) change. A migration whose snapshot equals the previous one (`--custom`,
 * hand-written SQL) or that has no snapshot is left alone: its SQL is the only record of what it does.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { displayPath, UserInputError } from '../diagnostics/errors.js';
import { readFolderText } from '../diagnostics/fs.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { diffSchemas } from '../diff/diff.js';
import { planMigration } from '../plan/plan.js';
import type { HandWrittenObject } from '../d1/handwritten.js';
import { readJournalTags, readRealSchema, snapshotStateOf } from '../d1/replay.js';
import { sameJson } from '../snapshot/equal.js';
import { layoutIn, listMigrations, migrationSqlFile } from '../snapshot/layout.js';
import { recordedRenames } from '../diff/recorded-renames.js';
import { readSnapshotFile, tagPrefix } from '../snapshot/io.js';
import { ZERO_ID, type SchemaState } from '../snapshot/types.js';
import { renderMigration } from '../sql/render.js';
import { writeFilesAtomically } from '../write/files.js';

export type RewriteStatus = 'rewrite' | 'unchanged' | 'hand-written' | 'refused' | 'applied';

export interface RewriteItem {
  tag: string;
  /** Path of the `.sql` file. */
  path: string;
  status: RewriteStatus;
  /** The file's text now. */
  before: string;
  /** The regenerated text (status 'rewrite', 'unchanged' and 'applied'). */
  after?: string;
  /** Why it is left alone, or the planner's refusals. */
  diagnostics: Diagnostic[];
}

export interface RewriteOptions {
  /** Planner answers, as for `generate`. */
  backfill?: Record<string, string>;
  assumeNotNull?: string[];
  breakpoints?: boolean;
  /** `.sql` file names a database lists as applied (local D1 state); refused unless `force`. */
  applied?: ReadonlySet<string>;
  force?: boolean;
}

const EMPTY: SchemaState = { tables: {}, views: {} };

/** The folder's migrations in order: the journal's tags, or drizzle-kit 1.0's folder names. */
const migrationTags = (out: string): string[] => (layoutIn(out) === 'folders' ? listMigrations(out).map((m) => m.tag) : readJournalTags(out));

/** `0001_x.sql`, `drizzle/0001_x.sql` or `20261202093000_x/migration.sql` as the tag it names. */
function tagOf(name: string): string {
  const path = name.replace(/\\/g, '/').replace(/\/migration\.sql$/, '').replace(/\/$/, '');
  return (path.endsWith('.sql') ? path.slice(0, -'.sql'.length) : path).split('/').pop()!;
}

/**
 * The tag `name` names. A name with a folder in it must be the migration's own file (or folder): a
 * path relative to `cwd`, or the layout's name for it inside `out`; a file elsewhere with the same
 * name is not a migration of this folder, and rewriting the folder's one instead would be a surprise.
 */
function tagNamed(name: string, out: string, cwd: string): string {
  const tag = tagOf(name);
  const normalized = name.replace(/\\/g, '/').replace(/\/$/, '');
  const file = migrationSqlFile(layoutIn(out), tag);
  if (!normalized.includes('/') || normalized === file) return tag;
  const path = resolve(cwd, name);
  if (path === join(out, file) || path === join(out, tag)) return tag;
  throw new UserInputError('D1-616', `${name} is not a migration of ${displayPath(out)}: name a tag, or the path of one of its migration files.`, path);
}

/** The tags `rewrite` names: the ones given, or every tag after `pendingAfter`; paths are relative to `cwd`. */
export function selectRewriteTags(out: string, tags: readonly string[], pendingAfter?: string, cwd: string = process.cwd()): string[] {
  const all = migrationTags(out);
  const where = layoutIn(out) === 'folders' ? 'its migration folders' : 'meta/_journal.json';
  const known = (tag: string) => {
    if (!all.includes(tag)) throw new UserInputError('D1-616', `${displayPath(out)} has no migration "${tag}"; name a tag from ${where}.`, out);
    return tag;
  };
  if (pendingAfter !== undefined) return all.slice(all.indexOf(known(tagNamed(pendingAfter, out, cwd))) + 1);
  return tags.map((t) => known(tagNamed(t, out, cwd)));
}

function leftAlone(tag: string, path: string, before: string, status: RewriteStatus, message: string): RewriteItem {
  return { tag, path, status, before, diagnostics: [{ code: 'D1-417', severity: 'warning', message, file: path }] };
}

/**
 * The hand-written triggers, views, indexes and tables the folder holds before `tag` (the replay),
 * which the regenerated SQL keeps working; none when the folder does not replay up to there.
 */
function handWrittenBefore(out: string, tag: string): HandWrittenObject[] {
  const real = readRealSchema(out, { before: tag });
  real.replay.db.close();
  return real.replay.failure ? [] : real.handWritten;
}

/** The `.sql` file's text: rewrite replaces a migration, it never writes one that is missing. */
function currentText(path: string, tag: string): string {
  if (!existsSync(path)) {
    throw new UserInputError('D1-610',
      `${displayPath(path)} is missing: migration "${tag}" has no SQL file to rewrite, and rewrite does not write missing migrations. Restore it from version control, then run drizzle-d1 rewrite again.`,
      path,
    );
  }
  return readFolderText(path);
}

/**
 * In the journal layout, the snapshot of `tag` must have been generated from the one before it in the
 * journal (`previous`; none: the empty schema): rewriting from another state writes another migration.
 */
function checkGeneratedFrom(out: string, tag: string, previous: string | undefined): void {
  if (layoutIn(out) === 'folders') return;
  const snapshotFile = (t: string) => join(out, 'meta', `${tagPrefix(t)}_snapshot.json`);
  const cur = snapshotFile(tag);
  const prev = previous === undefined ? undefined : snapshotFile(previous);
  if (!existsSync(cur) || (prev !== undefined && !existsSync(prev))) return;
  const prevId = readSnapshotFile(cur, false).prevId;
  const expected = prev === undefined ? ZERO_ID : readSnapshotFile(prev, false).id;
  if (prevId === expected) return;
  const from = prev === undefined ? `but ${tag} is the journal's first migration (prevId ${ZERO_ID} expected)` : `but the snapshot before it in the journal, ${displayPath(prev)}, has id ${expected}`;
  throw new UserInputError('D1-613',
    `${displayPath(cur)} has prevId ${prevId}, ${from}: ${tag} was generated from another state, so rewriting it from this one would write a different migration. ` +
      `Restore the journal and snapshots from version control (the journal's order is the order the migrations run), then run drizzle-d1 rewrite again.`,
    cur,
  );
}

/** Regenerate one migration's SQL from its snapshots. */
function rewriteOne(out: string, journal: readonly string[], tag: string, options: RewriteOptions): RewriteItem {
  const file = migrationSqlFile(layoutIn(out), tag);
  const path = join(out, file);
  const before = currentText(path, tag);
  const index = journal.indexOf(tag);
  const cur = snapshotStateOf(out, tag);
  const prev = index === 0 ? EMPTY : snapshotStateOf(out, journal[index - 1]!);
  if (cur === undefined || prev === undefined) {
    return leftAlone(tag, path, before, 'hand-written', `${tag} (or the migration before it) has no snapshot: its SQL is the only record of what it does, so rewrite leaves it as it is`);
  }
  if (sameJson(prev.tables, cur.tables) && sameJson(prev.views, cur.views)) {
    return leftAlone(tag, path, before, 'hand-written', `${tag} does not change the snapshot (a --custom or hand-written migration): rewrite leaves it as it is`);
  }
  checkGeneratedFrom(out, tag, journal[index - 1]);
  const renames = recordedRenames(out, tag, cur);
  const handWritten = handWrittenBefore(out, tag);
  const plan = planMigration(prev, cur, diffSchemas(prev, cur, renames).changes, { backfill: options.backfill, assumeNotNull: options.assumeNotNull, handWritten });
  const refusals = plan.diagnostics.filter((d) => d.severity === 'error').map((d) => ({ ...d, file: path }));
  if (refusals.length) return { tag, path, status: 'refused', before, diagnostics: refusals };
  const after = renderMigration(plan, options.breakpoints ?? true);
  const diagnostics = plan.diagnostics.map((d) => ({ ...d, file: path }));
  if (after === before) return { tag, path, status: 'unchanged', before, after, diagnostics };
  if (options.applied?.has(file) && !options.force) {
    const message = `${file} is listed as applied in the local D1 state: an applied migration must never be rewritten (the databases that ran it would not run it again, and would differ from a fresh build). Write a new migration that repairs the data instead, or pass --force if this state is disposable`;
    return { tag, path, status: 'applied', before, after, diagnostics: [{ code: 'D1-418', severity: 'error', message, file: path }, ...diagnostics] };
  }
  return { tag, path, status: 'rewrite', before, after, diagnostics };
}

/** What `rewrite` would do for each tag, in the folder's order; nothing is written. */
export function planRewrite(out: string, tags: readonly string[], options: RewriteOptions = {}): RewriteItem[] {
  const journal = migrationTags(out);
  const wanted = new Set(tags);
  return journal.filter((t) => wanted.has(t)).map((tag) => rewriteOne(out, journal, tag, options));
}

/** Write the regenerated files (status 'rewrite'), all or none. */
export function writeRewrite(items: readonly RewriteItem[]): string[] {
  const files = items.filter((i) => i.status === 'rewrite' && i.after !== undefined).map((i) => ({ path: i.path, content: i.after!, mode: 'replace' as const }));
  writeFilesAtomically(files);
  return files.map((f) => f.path);
}
