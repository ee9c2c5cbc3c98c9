/**
 * Which files of the migrations folder `wrangler d1 migrations apply` runs. wrangler reads the
 * files of `migrations_dir` matching `migrations_pattern` (wrangler 4.98+, a glob relative to the
 * wrangler config that must start with `<migrations_dir>/`; default `<migrations_dir>/*.sql`) and
 * records each by its path relative to `migrations_dir`. So drizzle-kit 1.0's layout
 * (`<dir>/<folder>/migration.sql`) needs `"<dir>/*\/migration.sql"`, and a pattern wider than that
 * would run snapshots or rollback files as migrations. Matching uses minimatch, as wrangler does.
 */
import { Minimatch } from 'minimatch';
import { databasesFor, migrationsDirOf, normalizeRelative, type WranglerConfig, type WranglerDatabase } from './wrangler-config.js';
import { displayPath } from '../diagnostics/errors.js';
import { migrationSqlFile, type LayoutKind } from './layout.js';

/** The pattern `db` uses, relative to its migrations_dir; null when wrangler refuses it (not under the dir). */
function dirRelativePattern(db: WranglerDatabase): string | null {
  const dir = migrationsDirOf(db);
  const pattern = normalizeRelative(db.migrationsPattern ?? `${dir}/*.sql`);
  if (dir === '.') return pattern;
  return pattern.startsWith(`${dir}/`) ? pattern.slice(dir.length + 1) : null;
}

/** Whether wrangler, configured as `db`, runs the file at `file` (relative to the migrations folder). */
export function wranglerRuns(db: WranglerDatabase, file: string): boolean {
  const pattern = dirRelativePattern(db);
  return pattern !== null && new Minimatch(pattern, { dot: false }).match(file);
}

/** The pattern to suggest for a folder in `layout`. */
export const suggestedPattern = (db: WranglerDatabase, layout: LayoutKind) =>
  normalizeRelative(`${migrationsDirOf(db)}/${layout === 'folders' ? '*/migration.sql' : '*.sql'}`);

/** Files of a migration that are not the migration (snapshots, rollback files), relative to the folder. */
const notMigrations = (layout: LayoutKind, tag: string) =>
  layout === 'folders' ? [`${tag}/snapshot.json`, `${tag}/down.sql`] : [`meta/${tag.split('_')[0]}_snapshot.json`, `rollback/${tag}.down.sql`];

/** What is wrong with one database's pattern for a folder in `layout`, as a D1-634 / D1-636 warning. */
function patternProblem(db: WranglerDatabase, layout: LayoutKind, sample: string, where: string): string | null {
  const suggest = `"migrations_pattern": "${suggestedPattern(db, layout)}"`;
  const dir = migrationsDirOf(db);
  if (dirRelativePattern(db) === null) {
    return `[D1-634] ${where} sets "migrations_pattern": "${db.migrationsPattern}", which does not start with "${dir}/" (its migrations_dir): wrangler d1 migrations apply refuses it. Set ${suggest}.`;
  }
  if (!wranglerRuns(db, migrationSqlFile(layout, sample))) {
    const why = db.migrationsPattern === undefined
      ? `sets no migrations_pattern, so wrangler d1 migrations apply reads only top-level ${dir}/*.sql files and would find none of the ${dir}/<folder>/migration.sql files drizzle-kit 1.0's layout holds. Add ${suggest} next to migrations_dir (wrangler 4.98 or later).`
      : `sets "migrations_pattern": "${db.migrationsPattern}", which matches none of the migrations (${migrationSqlFile(layout, sample)}): wrangler d1 migrations apply would find nothing to run. Set ${suggest}.`;
    return `[D1-634] ${where} ${why}`;
  }
  const extra = notMigrations(layout, sample).filter((f) => wranglerRuns(db, f));
  if (!extra.length) return null;
  return `[D1-636] ${where} sets "migrations_pattern": "${db.migrationsPattern}", which also matches ${extra.join(' and ')}: wrangler d1 migrations apply would run them as migrations. Narrow it to ${suggest}; until then drizzle-d1 writes no rollback file there.`;
}

/** One warning per wrangler D1 database reading `out` whose pattern misses the migrations or takes other files too. */
export function wranglerPatternWarnings(config: WranglerConfig, projectRoot: string, out: string, layout: LayoutKind, sampleTag: string): string[] {
  if (!config.file) return [];
  if (config.unreadable !== undefined) {
    return [`${displayPath(config.file)} cannot be parsed (${config.unreadable}), so drizzle-d1 did not check which files its migrations_dir and migrations_pattern make wrangler apply; wrangler will refuse the file too: fix it.`];
  }
  const where = `${displayPath(config.file)} (migrations_dir ${displayPath(out)})`;
  return databasesFor(config, projectRoot, out).flatMap((db) => patternProblem(db, layout, sampleTag, where) ?? []);
}

/** The wrangler D1 database reading `out` that would run `file` (relative to `out`) as a migration, if any. */
export function databaseRunning(config: WranglerConfig, projectRoot: string, out: string, file: string): WranglerDatabase | undefined {
  return databasesFor(config, projectRoot, out).find((db) => wranglerRuns(db, file));
}
