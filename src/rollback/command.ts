/**
 * `drizzle-d1 rollback <tag>`: the down file and runbook of one migration of the folder, including
 * migrations drizzle-kit wrote (the file is written when missing, never overwritten), in either
 * folder layout. It never touches a database: the runbook's commands are for the user to run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { resolveConfig } from '../config/index.js';
import { displayPath, UserInputError } from '../diagnostics/errors.js';
import { readRealSchema, type ReplayOptions } from '../d1/replay.js';
import { diffSchemas } from '../diff/diff.js';
import type { Renames } from '../diff/types.js';
import { readMigrationsFolder, readSnapshotFile, stateOf, tagPrefix } from '../snapshot/io.js';
import { layoutOf, readFoldersLayout, readSnapshotV7, rollbackPath, type LayoutKind } from '../snapshot/layout.js';
import { emptyState, type SchemaState } from '../snapshot/types.js';
import { stateFromDdl } from '../snapshot/v7.js';
import { databaseRunning, suggestedPattern } from '../snapshot/wrangler.js';
import { readWranglerConfig, type WranglerConfig } from '../snapshot/wrangler-config.js';
import { splitStatements } from '../sqltext/tokens.js';
import { writeFilesAtomically } from '../write/files.js';
import type { MigrationSides } from './down.js';
import { rollbackFile, type RollbackFile } from './file.js';
import { handWrittenChange } from './handwritten.js';
import { renamesFromMeta, renamesFromV7 } from '../diff/recorded-renames.js';

export interface RollbackCommandOptions {
  cwd: string;
  /** A migration's tag (`0003_add_posts`, `20261202093000_add_posts`), its file name, or its number or timestamp. */
  tag: string;
  config?: string;
  /** Print the down file instead of writing it. */
  print?: boolean;
}

export interface RollbackCommandResult {
  file: RollbackFile;
  /** What the file on disk holds (an existing file is kept as it is). */
  text: string;
  status: 'written' | 'kept' | 'printed';
  projectRoot: string;
}

/** The migration to roll back, as both layouts describe it. */
interface Located {
  layout: LayoutKind;
  tag: string;
  /** The tag it goes back to (null: the first migration). */
  previous: string | null;
  sqlPath: string;
  prev: SchemaState;
  cur: SchemaState;
  renames: Renames;
  when: number | undefined;
  breakpoints: boolean;
}

/** The index of the migration `wanted` names among `tags`: its tag, file name, number or timestamp prefix, or (1.0 layout) its name. */
function findTag(tags: readonly string[], wanted: string, out: string): number {
  const tag = wanted.replace(/\/(migration|down)\.sql$/, '').replace(/\/$/, '').replace(/\.sql$/, '').replace(/\.down$/, '');
  const exact = tags.indexOf(tag);
  if (exact >= 0) return exact;
  const matches = tags.flatMap((t, i) => (tagPrefix(t) === tag || t.slice(t.indexOf('_') + 1) === tag ? [i] : []));
  if (matches.length === 1) return matches[0]!;
  const list = tags.length ? `: ${tags.slice(-5).join(', ')}${tags.length > 5 ? ' (the last five)' : ''}` : ' (it holds none)';
  const why = matches.length > 1 ? `more than one migration matches "${wanted}"` : `no migration "${wanted}"`;
  throw new UserInputError('D1-616', `${displayPath(out)} has ${why}. Name one of its migrations by its full tag${list}.`, out);
}

function missingSnapshot(path: string, tag: string): UserInputError {
  return new UserInputError('D1-487',
    `${displayPath(path)} is missing, so drizzle-d1 cannot tell what migration ${tag} changed and cannot write its rollback. Restore the snapshot from version control, or write ${tag}'s down file by hand.`,
    path,
  );
}

function locateInJournal(out: string, wanted: string): Located {
  const entries = readMigrationsFolder(out).journal.entries;
  const i = findTag(entries.map((e) => e.tag), wanted, out);
  const entry = entries[i]!;
  const snapshot = (tag: string) => {
    const path = join(out, 'meta', `${tagPrefix(tag)}_snapshot.json`);
    if (!existsSync(path)) throw missingSnapshot(path, entry.tag);
    return readSnapshotFile(path);
  };
  const previous = i > 0 ? entries[i - 1]!.tag : null;
  const curSnapshot = snapshot(entry.tag);
  const cur = stateOf(curSnapshot);
  const prev = previous === null ? emptyState() : stateOf(snapshot(previous));
  return { layout: 'journal', tag: entry.tag, previous, sqlPath: join(out, `${entry.tag}.sql`), prev, cur, renames: renamesFromMeta(curSnapshot._meta, cur), when: entry.when, breakpoints: entry.breakpoints };
}

function locateInFolders(out: string, wanted: string, breakpoints: boolean): Located {
  const migrations = readFoldersLayout(out).migrations;
  const i = findTag(migrations.map((m) => m.tag), wanted, out);
  const m = migrations[i]!;
  const snapshot = (at: (typeof migrations)[number]) => {
    if (!at.snapshotPath) throw missingSnapshot(join(out, at.tag, 'snapshot.json'), m.tag);
    return readSnapshotV7(at.snapshotPath);
  };
  const curSnapshot = snapshot(m);
  const cur = stateFromDdl(curSnapshot.ddl);
  const prev = i > 0 ? stateFromDdl(snapshot(migrations[i - 1]!).ddl) : emptyState();
  return { layout: 'folders', tag: m.tag, previous: i > 0 ? migrations[i - 1]!.tag : null, sqlPath: m.sqlPath, prev, cur, renames: renamesFromV7(curSnapshot.renames, cur), when: undefined, breakpoints };
}

/** A migration whose snapshot equals the previous one but whose SQL holds statements was written by hand. */
function writtenByHand(m: Located): boolean {
  const sql = existsSync(m.sqlPath) ? readFileSync(m.sqlPath, 'utf8') : '';
  return diffSchemas(m.prev, m.cur, { tables: {}, columns: {} }).changes.length === 0 && splitStatements(sql).length > 0;
}

/** D1-637: a down file written where wrangler's migrations_pattern would run it as a migration. */
function checkNotAMigration(wrangler: WranglerConfig, projectRoot: string, out: string, m: Located): void {
  const path = rollbackPath(out, m.layout, m.tag);
  const db = databaseRunning(wrangler, projectRoot, out, relative(out, path).split(sep).join('/'));
  if (!db) return;
  throw new UserInputError('D1-637',
    `${displayPath(db.file!)} sets "migrations_pattern": "${db.migrationsPattern}", which matches ${displayPath(path)}: wrangler d1 migrations apply would run the rollback as a migration. ` +
      `Narrow it to "${suggestedPattern(db, m.layout)}" and run drizzle-d1 rollback again, or print the file instead with --print.`,
    db.file,
  );
}

/**
 * The hand-written objects after the migration (kept working by the down plan), what its file did by
 * hand beside the generated statements, and where the folder drifted from the snapshots: the replay
 * before it and through it. A folder that does not replay that far gives none of them.
 */
function replayedSides(out: string, m: Located): Pick<MigrationSides, 'handWritten' | 'byHand' | 'drift'> {
  const replayed = (options: ReplayOptions) => {
    const real = readRealSchema(out, options);
    real.replay.db.close();
    return real.replay.failure ? undefined : real;
  };
  const after = replayed({ through: m.tag });
  const before = m.previous === null ? { handWritten: [], drift: [] } : replayed({ through: m.previous });
  if (after === undefined) return {};
  const drift = [...new Set([...(before?.drift ?? []), ...after.drift].map((d) => d.message))];
  return { handWritten: () => after.handWritten, drift, ...(before ? { byHand: handWrittenChange(before.handWritten, after.handWritten) } : {}) };
}

export async function rollbackCommand(options: RollbackCommandOptions): Promise<RollbackCommandResult> {
  const config = await resolveConfig(options.config !== undefined ? { config: options.config } : {}, options.cwd);
  const m = layoutOf(config.out, config.projectRoot) === 'folders' ? locateInFolders(config.out, options.tag, config.breakpoints) : locateInJournal(config.out, options.tag);
  const sides = writtenByHand(m)
    ? { tag: m.tag, prev: m.prev, cur: m.cur, renames: { tables: {}, columns: {} }, custom: true }
    : { tag: m.tag, prev: m.prev, cur: m.cur, renames: m.renames, ...replayedSides(config.out, m) };
  const wrangler = readWranglerConfig(config.projectRoot);
  const at = { out: config.out, layout: m.layout, tag: m.tag, when: m.when, wrangler };
  const file = rollbackFile(sides, at, { projectRoot: config.projectRoot, breakpoints: m.breakpoints, previous: m.previous });
  const result = (text: string, status: RollbackCommandResult['status']) => ({ file, text, status, projectRoot: config.projectRoot });
  if (options.print) return result(file.text, 'printed');
  if (existsSync(file.path)) return result(readFileSync(file.path, 'utf8'), 'kept');
  checkNotAMigration(wrangler, config.projectRoot, config.out, m);
  writeFilesAtomically([{ path: file.path, content: file.text, mode: 'create' }]);
  return result(file.text, 'written');
}
