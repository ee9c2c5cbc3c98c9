/**
 * `generate` in drizzle-kit 1.0's layout (src/snapshot/layout.ts): the same pipeline as
 * src/generate.ts (rename resolution, differ, planner, renderer, refusals) on states converted from
 * version-7 ddl, writing `<out>/<YYYYMMDDHHMMSS>_<name>/snapshot.json` and `migration.sql`.
 * Both the previous and the current state come from a ddl (the latest snapshot's and the schema's),
 * so the differ compares like with like; the snapshot written is the schema's ddl as drizzle-kit 1.0
 * writes it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GenerateFlags, ResolvedConfig } from './config/index.js';
import type { DownSource, WrittenDownFile } from './rollback/generate.js';
import { PlanRefusal } from './diagnostics/errors.js';
import { diffSchemas } from './diff/diff.js';
import { hintsToRenames, type Hint } from './diff/hints.js';
import type { Renames } from './diff/types.js';
import type { Plan, PlanOptions } from './plan/types.js';
import { packageFile } from './package.js';
import { serializeDdl } from './schema/ddl.js';
import { loadSchemaModules, schemaFiles, schemaReadError } from './schema/load.js';
import { collectEntities, serializeSchema } from './schema/serialize.js';
import { serializerFor } from './schema/serializer.js';
import { nextFolderTag, prevIdsOf, readFoldersLayout, type FoldersLayout } from './snapshot/layout.js';
import type { SchemaState } from './snapshot/types.js';
import { formatV7Snapshot, renamesOf, stateFromDdl, type DdlEntity, type SnapshotV7 } from './snapshot/v7.js';
import { wranglerPatternWarnings } from './snapshot/wrangler.js';
import { readWranglerConfig, type WranglerConfig } from './snapshot/wrangler-config.js';
import { lockMigrationsFolder } from './write/lock.js';
import { planWithRealSchema } from './plan-with-folder.js';

export interface FoldersOptions extends PlanOptions {
  flags: GenerateFlags;
  renames?: Renames;
  hints?: Hint[];
  now?: Date;
  dryRun?: boolean;
  /** false (`--no-rollback`): no down file, whatever the config says. */
  rollback?: boolean;
}

export interface FoldersResult {
  config: ResolvedConfig;
  warnings: string[];
  migration: null | { tag: string; sqlPath: string; snapshotPath: string; sql: string; plan: Plan | null; snapshotId: string; rollback: WrittenDownFile | null };
}

/** generate.ts's rename resolution (hints, then the prompt), passed in to keep the files acyclic. */
export type ResolveRenames = (prev: SchemaState, cur: SchemaState, initial: Renames) => Promise<Renames>;

/** The schema as drizzle-kit 1.0's ddl, after the same checks generate's serializer makes. */
export async function loadSchemaDdl(config: ResolvedConfig): Promise<DdlEntity[]> {
  const files = schemaFiles(config.schema, config.projectRoot);
  const { modules, drizzle } = await loadSchemaModules(files, config.projectRoot);
  try {
    const entities = collectEntities(modules, drizzle);
    serializeSchema(entities, drizzle, config.casing);
    // drizzle-kit 1.0's generate ignores the config's `casing` (drizzle-orm 1.0 applies casing where
    // the table is defined, sqliteTableCreator); names are the columns' own (see casingWarnings).
    return serializeDdl(serializerFor(drizzle, undefined), entities);
  } catch (e) {
    throw schemaReadError(e, files, config.projectRoot);
  }
}

export async function generateInFolders(options: FoldersOptions, config: ResolvedConfig, resolveRenames: ResolveRenames): Promise<FoldersResult> {
  // A bad --name is refused before any work, also when there turns out to be nothing to write.
  if (options.flags.name !== undefined) (await import('./write/names.js')).checkName(options.flags.name);
  const ddl = options.flags.custom ? null : await loadSchemaDdl(config);
  const unlock = lockMigrationsFolder(config.out);
  try {
    const layout = readFoldersLayout(config.out);
    const sample = layout.migrations.at(-1)?.tag ?? '00000000000000_init';
    const wrangler = readWranglerConfig(config.projectRoot);
    const warnings = [...layout.warnings, ...wranglerPatternWarnings(wrangler, config.projectRoot, config.out, 'folders', sample), ...casingWarnings(config)];
    const prev = stateFromDdl(layout.latest?.ddl ?? []);
    if (!ddl) {
      const custom = readFileSync(packageFile('templates/custom-migration.sql'), 'utf8');
      return write(options, config, { layout, wrangler }, warnings, { sql: custom, snapshot: customSnapshot(layout), plan: null, down: { custom: true, state: prev } });
    }
    const cur = stateFromDdl(ddl);
    const decided = options.hints?.length ? hintsToRenames(options.hints, prev, cur) : options.renames;
    const renames = await resolveRenames(prev, cur, decided ?? { tables: {}, columns: {} });
    const diff = diffSchemas(prev, cur, renames);
    if (!diff.changes.length) return { config, warnings, migration: null };
    const { renderMigration } = await import('./sql/render.js');
    const { plan, handWritten } = await planWithRealSchema(config, prev, cur, diff.changes, options);
    const refusals = plan.diagnostics.filter((d) => d.severity === 'error');
    if (refusals.length) throw new PlanRefusal(refusals, schemaFiles(config.schema, config.projectRoot));
    const snapshot: SnapshotV7 = { version: '7', dialect: 'sqlite', id: crypto.randomUUID(), prevIds: prevIdsOf(layout.latest), ddl, renames: renamesOf(diff.meta) };
    const down: DownSource = { prev, cur, renames, backfill: options.backfill ?? {}, ...(handWritten ? { handWritten } : {}) };
    return write(options, config, { layout, wrangler }, warnings, { sql: renderMigration(plan, config.breakpoints), snapshot: { text: formatV7Snapshot(snapshot), id: snapshot.id }, plan, down });
  } finally {
    unlock();
  }
}

/** D1-635: the config's `casing`, which drizzle-kit 1.0 (and so this layout) does not apply. */
const casingWarnings = (config: ResolvedConfig): string[] =>
  config.casing
    ? [`[D1-635] casing: '${config.casing}' in the drizzle config is ignored in drizzle-kit 1.0's layout, as drizzle-kit 1.0 ignores it: columns keep the names the schema gives them. Declare the casing where the tables are defined (drizzle-orm 1.0: sqliteTableCreator((name) => name, '${config.casing}')) or name the columns.`]
    : [];

/** drizzle-kit 1.0's `--custom` snapshot: the previous one with a new id, `id, prevIds` first. */
function customSnapshot(layout: FoldersLayout): { text: string; id: string } {
  const id = crypto.randomUUID();
  const prev = layout.latest ?? { version: '7', dialect: 'sqlite', ddl: [], renames: [] };
  const { version, dialect, ddl, renames } = prev;
  return { text: JSON.stringify({ id, prevIds: prevIdsOf(layout.latest), version, dialect, ddl, renames }, null, 2), id };
}

/** What one run writes: the SQL, the snapshot, the plan behind them and what the down file needs. */
interface NewFiles {
  sql: string;
  snapshot: { text: string; id: string };
  plan: Plan | null;
  down: DownSource;
}

async function write(options: FoldersOptions, config: ResolvedConfig, folder: { layout: FoldersLayout; wrangler: WranglerConfig }, warnings: string[], files: NewFiles): Promise<FoldersResult> {
  const { layout, wrangler } = folder;
  const [{ writeFilesAtomically }, { randomSuffix }, rollbacks] = await Promise.all([import('./write/files.js'), import('./write/names.js'), import('./rollback/generate.js')]);
  const tag = nextFolderTag(layout.migrations, options.now ?? new Date(), options.flags.name ?? randomSuffix());
  const snapshotPath = join(config.out, tag, 'snapshot.json');
  const sqlPath = join(config.out, tag, 'migration.sql');
  const next = { layout: 'folders' as const, tag, when: undefined, previous: layout.migrations.at(-1)?.tag ?? null, wrangler };
  const rollback = rollbacks.rollbackWanted(options.rollback, config, next) ? rollbacks.rollbackForGenerate(config, next, files.down) : null;
  // Snapshot first: a folder with a snapshot and no migration.sql is reported (D1-631), never applied.
  if (!options.dryRun) {
    writeFilesAtomically([
      { path: snapshotPath, content: files.snapshot.text, mode: 'create' },
      { path: sqlPath, content: files.sql, mode: 'create' },
      ...(rollback ? [{ path: rollback.path, content: rollback.text, mode: 'create' as const }] : []),
    ]);
  }
  return { config, warnings, migration: { tag, sqlPath, snapshotPath, sql: files.sql, plan: files.plan, snapshotId: files.snapshot.id, rollback: rollback && rollbacks.writtenDownFile(rollback) } };
}
