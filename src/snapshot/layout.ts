/**
 * The migrations folder's layout, the one abstraction generate and replay share:
 * - `journal` (drizzle-kit 0.x): `<out>/<tag>.sql`, `<out>/meta/<prefix>_snapshot.json`, `meta/_journal.json`;
 * - `folders` (drizzle-kit 1.0): `<out>/<YYYYMMDDHHMMSS>_<name>/migration.sql` and `snapshot.json`
 *   (version "7"), no journal; migrations run in folder-name order.
 * A folder's layout is what it holds; an empty or missing one follows the project's installed
 * drizzle-kit (1.x: folders; 0.x or none: journal).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeIssues, displayPath, UserInputError } from '../diagnostics/errors.js';
import { errnoOf, fileSystemError } from '../diagnostics/fs.js';
import { journalPath, readMigrationsFolder, readSnapshotFile, stateOf, tagPrefix } from './io.js';
import { ZERO_ID, type SchemaState } from './types.js';
import { snapshotV7Schema, stateFromDdl, type SnapshotV7 } from './v7.js';

export type LayoutKind = 'journal' | 'folders';

/** One migration of either layout, in the order the runners apply them. */
export interface MigrationEntry {
  tag: string;
  sqlPath: string;
  /** Absent when the file is missing (an older migration may lack it). */
  snapshotPath: string | undefined;
}

/** A drizzle-kit 1.0 migration folder name: UTC `YYYYMMDDHHMMSS_<name>`. */
const FOLDER = /^(\d{14})_(.+)$/;

function subfolders(out: string): string[] {
  try {
    return readdirSync(out, { withFileTypes: true }).filter((e) => e.isDirectory() && FOLDER.test(e.name)).map((e) => e.name).sort();
  } catch (e) {
    if (errnoOf(e) === 'ENOENT' || errnoOf(e) === 'ENOTDIR') return [];
    throw fileSystemError(e, out, 'read the migrations folder', true);
  }
}

const isMigrationFolder = (out: string, name: string) => existsSync(join(out, name, 'migration.sql')) || existsSync(join(out, name, 'snapshot.json'));

/** The major version of the drizzle-kit installed for the project, or undefined. */
export function installedKitMajor(projectRoot: string): number | undefined {
  try {
    const version = (JSON.parse(readFileSync(join(projectRoot, 'node_modules', 'drizzle-kit', 'package.json'), 'utf8')) as { version?: string }).version;
    const major = Number.parseInt(String(version), 10);
    return Number.isFinite(major) ? major : undefined;
  } catch {
    return undefined;
  }
}

/** Which layout `out` uses (D1-633 when it holds both). */
export function layoutOf(out: string, projectRoot: string): LayoutKind {
  const folders = subfolders(out).filter((n) => isMigrationFolder(out, n));
  const hasJournal = existsSync(journalPath(out));
  if (hasJournal && folders.length) {
    throw new UserInputError('D1-633',
      `${displayPath(out)} holds both drizzle-kit 0.x's ${displayPath(journalPath(out))} and drizzle-kit 1.0 migration folders (${folders[0]}). ` +
        `Convert it once with "npx drizzle-kit up" (drizzle-kit 1.0), or remove the folders if they were copied in by mistake.`,
      join(out, folders[0]!),
    );
  }
  if (hasJournal) return 'journal';
  if (folders.length) return 'folders';
  let top: string[] = [];
  try {
    top = readdirSync(out);
  } catch {
    // missing: a new project
  }
  if (top.some((f) => f.endsWith('.sql') || f === 'meta')) return 'journal';
  return (installedKitMajor(projectRoot) ?? 0) >= 1 ? 'folders' : 'journal';
}

/** Reads and validates one version-7 snapshot file. */
export function readSnapshotV7(path: string): SnapshotV7 {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    if (errnoOf(e) && errnoOf(e) !== 'ENOENT') throw fileSystemError(e, path, 'read the migrations folder', true);
    throw new UserInputError('D1-630', `${displayPath(path)} is not valid JSON (${(e as Error).message}). It is drizzle-kit 1.0's snapshot of the schema after that migration; restore it from version control.`, path);
  }
  const dialect = (raw as { dialect?: unknown })?.dialect;
  if (dialect !== undefined && dialect !== 'sqlite') {
    throw new UserInputError('D1-605', `${displayPath(path)} is a "${String(dialect)}" snapshot, but drizzle-d1 only handles SQLite (Cloudflare D1). Point "out" in drizzle.config.ts at the migrations folder of your D1 database.`, path);
  }
  const parsed = snapshotV7Schema.safeParse(raw);
  if (!parsed.success) {
    throw new UserInputError('D1-630', `${displayPath(path)} is not a valid drizzle-kit 1.0 SQLite snapshot (version "7": ${describeIssues(parsed.error.issues)}). Restore it from version control; drizzle-d1 will not guess the previous schema.`, path);
  }
  return parsed.data;
}

export interface FoldersLayout {
  dir: string;
  migrations: MigrationEntry[];
  /** The latest folder's snapshot (the previous schema), or null for a fresh project. */
  latest: SnapshotV7 | null;
  warnings: string[];
}

/** Reads a 1.0-layout folder: every migration folder in name order, the latest one whole. */
export function readFoldersLayout(out: string): FoldersLayout {
  const names = subfolders(out).filter((n) => isMigrationFolder(out, n));
  const warnings: string[] = [];
  const migrations = names.map((tag, i) => {
    const sqlPath = join(out, tag, 'migration.sql');
    const snapshotPath = join(out, tag, 'snapshot.json');
    const latest = i === names.length - 1;
    for (const [path, what] of [[sqlPath, 'migration.sql'], [snapshotPath, 'snapshot.json']] as const) {
      if (existsSync(path)) continue;
      if (latest) throw new UserInputError('D1-631', `${displayPath(path)} is missing: the latest migration folder ${displayPath(join(out, tag))} has no ${what}. Restore it from version control, or delete the folder if the migration was never applied anywhere.`, path);
      warnings.push(`${displayPath(path)} is missing; ${what === 'migration.sql' ? "wrangler and drizzle-orm's migrator skip that migration" : 'only the latest snapshot is needed to generate'}.`);
    }
    return { tag, sqlPath, snapshotPath: existsSync(snapshotPath) ? snapshotPath : undefined };
  });
  const latestEntry = migrations.at(-1);
  const latest = latestEntry ? readSnapshotV7(latestEntry.snapshotPath!) : null;
  if (latest && migrations.length > 1) checkParent(migrations, latest);
  return { dir: out, migrations, latest, warnings };
}

/** The latest snapshot must descend from the folder before it (else: two branches, D1-632). */
function checkParent(migrations: MigrationEntry[], latest: SnapshotV7): void {
  const before = migrations.at(-2)!;
  if (!before.snapshotPath) return;
  const parent = readSnapshotV7(before.snapshotPath);
  if (latest.prevIds.includes(parent.id)) return;
  const path = migrations.at(-1)!.snapshotPath!;
  throw new UserInputError('D1-632',
    `${displayPath(path)} was generated from ${latest.prevIds.join(', ')}, not from the migration before it (${displayPath(before.snapshotPath)}, id ${parent.id}): ` +
      `two migrations were generated from one state, usually on two branches. Keep one (delete the other's folder if it was never applied) and run drizzle-d1 generate again.`,
    path,
  );
}

const pad = (n: number) => String(n).padStart(2, '0');
const stamp = (d: Date) => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
const parseStamp = (s: string) => Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +s.slice(8, 10), +s.slice(10, 12), +s.slice(12, 14));

/** A new migration folder's name: `now` in UTC, at least 1 s after every existing folder's time. */
export function nextFolderTag(migrations: MigrationEntry[], now: Date, name: string): string {
  const latest = Math.max(0, ...migrations.map((m) => parseStamp(FOLDER.exec(m.tag)![1]!)));
  const time = Math.max(Math.floor(now.getTime() / 1000) * 1000, latest + 1000);
  return `${stamp(new Date(time))}_${name}`;
}

/** The ids a new snapshot's `prevIds` names: the latest snapshot, or the built-in empty one. */
export const prevIdsOf = (latest: SnapshotV7 | null) => [latest?.id ?? ZERO_ID];

/** Every migration of `out` in the order the runners apply them, whichever layout it uses. */
export function listMigrations(out: string, projectRoot = out): MigrationEntry[] {
  if (layoutOf(out, projectRoot) === 'folders') return readFoldersLayout(out).migrations;
  const folder = readMigrationsFolder(out);
  const snapshots = new Set(folder.snapshots.map((s) => s.file));
  return folder.journal.entries.map((e) => {
    const file = `${tagPrefix(e.tag)}_snapshot.json`;
    return { tag: e.tag, sqlPath: join(out, `${e.tag}.sql`), snapshotPath: snapshots.has(file) ? join(out, 'meta', file) : undefined };
  });
}

/** The layout `out` holds, judged from the folder alone (an empty or missing folder: 'journal'). */
export const layoutIn = (out: string): LayoutKind => (!existsSync(journalPath(out)) && subfolders(out).some((n) => isMigrationFolder(out, n)) ? 'folders' : 'journal');

/** Migration `tag`'s SQL file, relative to `out`: `<tag>.sql`, or `<tag>/migration.sql` in the 1.0 layout. */
export const migrationSqlFile = (layout: LayoutKind, tag: string) => (layout === 'folders' ? `${tag}/migration.sql` : `${tag}.sql`);

/**
 * Where migration `tag`'s rollback SQL lives: `<out>/rollback/<tag>.down.sql` beside a journal,
 * `<out>/<tag>/down.sql` in the 1.0 layout (drizzle-orm 1.0's migrator and wrangler's
 * `*\/migration.sql` pattern read only migration.sql, so a down.sql beside it is never applied).
 */
export const rollbackPath = (out: string, layout: LayoutKind, tag: string) =>
  layout === 'folders' ? join(out, tag, 'down.sql') : join(out, 'rollback', `${tag}.down.sql`);

/** The schema after migration `tag`, from its snapshot (either layout, read in full), or undefined without one. */
export function snapshotStateAt(out: string, tag: string): SchemaState | undefined {
  if (layoutIn(out) === 'folders') {
    const path = join(out, tag, 'snapshot.json');
    return existsSync(path) ? stateFromDdl(readSnapshotV7(path).ddl) : undefined;
  }
  const path = join(out, 'meta', `${tagPrefix(tag)}_snapshot.json`);
  return existsSync(path) ? stateOf(readSnapshotFile(path)) : undefined;
}
