/**
 * The `generate` pipeline: config → schema → snapshot → diff → plan → SQL → files.
 * Everything between loading the user's modules and writing files is a pure function.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig, type GenerateFlags, type ResolvedConfig } from './config/index.js';
import { displayPath, PlanRefusal, UserInputError } from './diagnostics/errors.js';
import { planWithRealSchema } from './plan-with-folder.js';
import { diffSchemas, findAmbiguities } from './diff/diff.js';
import { hintsToRenames, type Hint } from './diff/hints.js';
import type { Ambiguity, Renames } from './diff/types.js';
import type { Plan, PlanOptions } from './plan/types.js';
import { packageFile } from './package.js';
import { loadSchemaModules, schemaFiles, schemaReadError } from './schema/load.js';
import { collectEntities, serializeSchema } from './schema/serialize.js';
import { bundlesMigrations, formatCustomSnapshot, formatEmbeddedMigrations, formatJournal, formatSnapshot, readMigrationsFolder, type MigrationsFolder, stateOf, previousId, journalPath, tagPrefix } from './snapshot/io.js';
import type { Journal, SchemaState, Snapshot } from './snapshot/types.js';
import type { OutputFile } from './write/files.js';
import type { DownSource, WrittenDownFile } from './rollback/generate.js';
import { lockMigrationsFolder } from './write/lock.js';
import type { Prefix } from './write/names.js';

/** Answers an ambiguity with renames (previous → current name); names left out are created/dropped. */
export type RenameResolver = (ambiguity: Ambiguity) => Promise<Record<string, string>>;

export class AmbiguityError extends UserInputError {
  constructor(
    public readonly ambiguities: Ambiguity[],
    message: string,
  ) {
    super('D1-702', message);
    this.name = 'AmbiguityError';
  }
}

export interface GenerateOptions extends PlanOptions {
  cwd: string;
  flags: GenerateFlags;
  /** Renames decided before the run. */
  renames?: Renames;
  /** drizzle-kit 1.0 style hints (`--hints`, `--rename`), checked against both schemas. */
  hints?: Hint[];
  /** Asked for each ambiguity the hints leave open; without one, ambiguities are an error. */
  resolve?: RenameResolver;
  now?: Date;
  /** Compute everything, write nothing. */
  dryRun?: boolean;
  /** false (`--no-rollback`): no down file, whatever the config says. */
  rollback?: boolean;
}

export interface GenerateResult {
  config: ResolvedConfig;
  /** Problems in the migrations folder that did not stop generation. */
  warnings: string[];
  /** null when the schema has not changed (nothing written). */
  migration: null | {
    tag: string;
    sqlPath: string;
    snapshotPath: string;
    sql: string;
    plan: Plan | null;
    snapshotId: string;
    /** The down file written with it (rollback/<tag>.down.sql), null when turned off. */
    rollback: null | WrittenDownFile;
  };
}

/** drizzle-kit's `--custom` file text, kept byte for byte in templates/. */
const customSql = () => readFileSync(packageFile('templates/custom-migration.sql'), 'utf8');

/** Loads the user's schema into drizzle-kit's snapshot shape. */
export async function loadSchemaState(config: ResolvedConfig): Promise<SchemaState> {
  const files = schemaFiles(config.schema, config.projectRoot);
  const { modules, drizzle } = await loadSchemaModules(files, config.projectRoot);
  try {
    return serializeSchema(collectEntities(modules, drizzle), drizzle, config.casing);
  } catch (e) {
    throw schemaReadError(e, files, config.projectRoot);
  }
}

/** Applies hints, then asks `resolve` about every scope still ambiguous (tables first, then columns). */
export async function resolveRenames(
  prev: SchemaState,
  cur: SchemaState,
  initial: Renames,
  resolve?: RenameResolver,
): Promise<Renames> {
  const renames: Renames = {
    tables: { ...initial.tables },
    columns: Object.fromEntries(Object.entries(initial.columns).map(([k, v]) => [k, { ...v }])),
    createdTables: [...(initial.createdTables ?? [])],
    createdColumns: Object.fromEntries(Object.entries(initial.createdColumns ?? {}).map(([k, v]) => [k, [...v]])),
  };
  for (;;) {
    const open = findAmbiguities(prev, cur, renames);
    if (!open.length) return renames;
    if (!resolve) throw new AmbiguityError(open, 'ambiguous renames');
    const amb = open[0]!;
    const answer = await resolve(amb);
    // Whatever was not declared a rename is created: the scope is decided once.
    const renamedTo = new Set(Object.values(answer));
    const created = amb.added.filter((n) => !renamedTo.has(n));
    if (amb.kind === 'table') {
      Object.assign(renames.tables, answer);
      renames.createdTables!.push(...created);
    } else {
      renames.columns[amb.table] = { ...renames.columns[amb.table], ...answer };
      (renames.createdColumns![amb.table] ??= []).push(...created);
    }
  }
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const config = await resolveConfig(options.flags, options.cwd);
  // drizzle-kit 1.0's folder-per-migration layout has its own writer (see snapshot/layout.ts).
  if ((await import('./snapshot/layout.js')).layoutOf(config.out, config.projectRoot) === 'folders') {
    return (await import('./generate-folders.js')).generateInFolders(options, config, (prev, cur, initial) => resolveRenames(prev, cur, initial, options.resolve));
  }
  // A bad --name is refused before any work, also when there turns out to be nothing to write.
  if (options.flags.name !== undefined) (await import('./write/names.js')).checkName(options.flags.name);
  const cur = options.flags.custom ? null : await loadSchemaState(config);
  // From reading the folder to writing it, no other run may change it (see write/lock.ts).
  const unlock = lockMigrationsFolder(config.out);
  try {
    return await generateLocked(options, config, cur);
  } finally {
    unlock();
  }
}

/**
 * A down file already at the new migration's rollback path is replaced only when it is drizzle-d1's
 * own for this tag (its first line: a run interrupted before the journal was written left it); any
 * other file there was written by someone and is never overwritten.
 */
function keepForeignDownFile(path: string, text: string): void {
  let existing: string;
  try {
    existing = readFileSync(path, 'utf8');
  } catch {
    return; // not there (or not a file: the write reports it)
  }
  if (existing.split('\n', 1)[0] === text.split('\n', 1)[0]) return;
  throw new UserInputError('D1-620',
    `${displayPath(path)} already exists and drizzle-d1 did not write it; drizzle-d1 never overwrites it. Move it aside (or choose another --name, or pass --no-rollback), then run drizzle-d1 generate again. Nothing was written.`,
    path,
  );
}

/** The folder's problems that do not stop generation, as the CLI prints them. */
function folderWarnings(folder: MigrationsFolder): string[] {
  const at = (f: string) => displayPath(join(folder.dir, f));
  const next = folder.journal.entries.length ? String(folder.journal.entries.at(-1)!.idx + 1).padStart(4, '0') : '0000';
  return [
    ...folder.warnings,
    ...folder.unlistedSql.map((f) =>
      `${at(f)} is not in ${displayPath(journalPath(folder.dir))}: drizzle-orm's migrators skip it, wrangler applies it.` +
        (f.startsWith(`${next}_`) ? ' If an interrupted run wrote it, delete it: the migration generated now contains its changes.' : ''),
    ),
    ...(folder.leftovers.length ? [`${folder.leftovers.map(at).join(', ')}: temporary files of an interrupted run; delete them.`] : []),
  ];
}

async function generateLocked(options: GenerateOptions, config: ResolvedConfig, cur: SchemaState | null): Promise<GenerateResult> {
  const now = options.now ?? new Date();
  if (!cur) {
    const folder = readMigrationsFolder(config.out);
    const id = crypto.randomUUID();
    const text = formatCustomSnapshot(rawLatestSnapshot(folder), id, previousId(folder.latest));
    return writeMigration(options, config, folder, now, customSql(), { text, id }, null, { custom: true, state: stateOf(folder.latest) });
  }

  // Read after the schema: what the snapshot shares with it needs no validation (see readSnapshotFile).
  const folder = readMigrationsFolder(config.out, cur);
  const prevSnapshot = folder.latest;
  const prev = stateOf(prevSnapshot);
  const decided = options.hints?.length ? hintsToRenames(options.hints, prev, cur) : options.renames;
  const renames = await resolveRenames(prev, cur, decided ?? { tables: {}, columns: {} }, options.resolve);
  const diff = diffSchemas(prev, cur, renames);
  if (!diff.changes.length) return { config, warnings: folderWarnings(folder), migration: null };

  // The everyday run ends above ("no changes"): load the planner and writers only when needed.
  const { renderMigration } = await import('./sql/render.js');
  const { plan, handWritten } = await planWithRealSchema(config, prev, cur, diff.changes, options);
  const refusals = plan.diagnostics.filter((d) => d.severity === 'error');
  // The planner names tables and columns; the fix (or the flag's target) is in the schema files.
  if (refusals.length) throw new PlanRefusal(refusals, schemaFiles(config.schema, config.projectRoot));
  const sql = renderMigration(plan, config.breakpoints);
  const snapshot: Snapshot = {
    version: '6',
    dialect: 'sqlite',
    // The global Web Crypto object: importing node:crypto up front costs ~5 ms on the no-change run.
    id: crypto.randomUUID(),
    prevId: previousId(prevSnapshot),
    tables: cur.tables,
    views: cur.views,
    enums: {},
    _meta: { schemas: {}, tables: diff.meta.tables, columns: diff.meta.columns },
    internal: cur.internal,
  };
  const result = await writeMigration(options, config, folder, now, sql, { text: formatSnapshot(snapshot), id: snapshot.id }, plan, { prev, cur, renames, backfill: options.backfill ?? {}, ...(handWritten ? { handWritten } : {}) });
  const empty = emptySchemaWarning(config, prev, cur);
  return empty ? { ...result, warnings: [empty, ...result.warnings] } : result;
}

/**
 * A schema that declares no table and no view, where the migrations built some: the migration drops
 * them all (as drizzle-kit's would). Usually the schema path, its exports or the dialect of its tables
 * (pg-core instead of sqlite-core) is wrong, so it is said first, in words.
 */
function emptySchemaWarning(config: ResolvedConfig, prev: SchemaState, cur: SchemaState): string | undefined {
  const dropped = Object.keys(prev.tables);
  if (!dropped.length || Object.keys(cur.tables).length || Object.keys(cur.views).length) return undefined;
  const files = schemaFiles(config.schema, config.projectRoot).map((f) => displayPath(f, config.projectRoot)).join(', ');
  return `${files} export${files.includes(', ') ? '' : 's'} no SQLite table or view (sqliteTable / sqliteView from drizzle-orm/sqlite-core), so this migration drops every table: ${dropped.join(', ')}. If that is not what you meant, delete the migration just written and check schema in your drizzle config and the schema's exports.`;
}

/** The raw previous snapshot file, re-read so that keys we do not model survive as drizzle-kit keeps them. */
function rawLatestSnapshot(folder: MigrationsFolder): Record<string, unknown> {
  const last = folder.snapshots.at(-1);
  return last ? (JSON.parse(readFileSync(join(folder.dir, 'meta', last.file), 'utf8')) as Record<string, unknown>) : {};
}

async function writeMigration(
  options: GenerateOptions,
  config: ResolvedConfig,
  folder: MigrationsFolder,
  now: Date,
  sql: string,
  snapshot: { text: string; id: string },
  plan: Plan | null,
  down: DownSource,
): Promise<GenerateResult> {
  const [{ refuseExisting, writeFilesAtomically }, { migrationTag }, rollbacks, { wranglerPatternWarnings }, { readWranglerConfig }] = await Promise.all([
    import('./write/files.js'),
    import('./write/names.js'),
    import('./rollback/generate.js'),
    import('./snapshot/wrangler.js'),
    import('./snapshot/wrangler-config.js'),
  ]);
  const wrangler = readWranglerConfig(config.projectRoot);
  const { journal } = folder;
  const tag = migrationTag(config.prefix as Prefix, journal, now, options.flags.name);
  const last = journal.entries.at(-1);
  // drizzle-orm's migrators apply entries whose `when` is newer than the last applied one.
  const when = Math.max(now.getTime(), (last?.when ?? 0) + 1);
  const nextJournal: Journal = {
    version: journal.version || '7',
    dialect: 'sqlite',
    entries: [...journal.entries, { idx: last ? last.idx + 1 : 0, version: '6', when, tag, breakpoints: config.breakpoints }],
  };
  // The down file (rollback/<tag>.down.sql): a leftover of an interrupted run for this new tag is replaced.
  const next = { layout: 'journal' as const, tag, when, previous: last?.tag ?? null, wrangler };
  const rollback = rollbacks.rollbackWanted(options.rollback, config, next) ? rollbacks.rollbackForGenerate(config, next, down) : null;
  const sqlPath = join(config.out, `${tag}.sql`);
  const snapshotPath = join(config.out, 'meta', `${tagPrefix(tag)}_snapshot.json`);
  // Snapshot first, then SQL, then the journal: a run killed in between leaves a snapshot the journal
  // does not list, which the next run reports as a half-written migration (a lone .sql is not ours).
  const files: OutputFile[] = [
    { path: snapshotPath, content: snapshot.text, mode: 'create' },
    { path: sqlPath, content: sql, mode: 'create' },
    ...(bundlesMigrations(config.driver)
      ? [{ path: join(config.out, 'migrations.js'), content: formatEmbeddedMigrations(nextJournal, config.driver!), mode: 'replace' as const }]
      : []),
    ...(rollback ? [{ path: rollback.path, content: rollback.text, mode: 'replace' as const }] : []),
    // Last: the journal is what makes the migration visible to drizzle-orm's migrators.
    { path: journalPath(config.out), content: formatJournal(nextJournal), mode: 'replace' },
  ];
  if (rollback) keepForeignDownFile(rollback.path, rollback.text);
  // A dry run says what the real one would: an existing file is refused there too.
  if (options.dryRun) refuseExisting(files);
  else writeFilesAtomically(files);
  const warnings = [...folderWarnings(folder), ...wranglerPatternWarnings(wrangler, config.projectRoot, config.out, 'journal', tag)];
  return { config, warnings, migration: { tag, sqlPath, snapshotPath, sql, plan, snapshotId: snapshot.id, rollback: rollback && rollbacks.writtenDownFile(rollback) } };
}
