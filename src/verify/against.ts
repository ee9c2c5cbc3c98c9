/**
 * `verify --against <database>`: the pending migrations applied to a copy of a real database. The
 * pending ones are those its `d1_migrations` ledger (wrangler's) does not record, in wrangler's order;
 * `--from` names the first one when there is no ledger.
 */
import { appliedMigrations } from '../d1/apply.js';
import { userTables } from '../d1/inspect.js';
import { readMigrationSources, snapshotStateOf, type MigrationSource } from '../d1/replay.js';
import { displayPath, UserInputError } from '../diagnostics/errors.js';
import type { SchemaState } from '../snapshot/types.js';
import { verifyMigrations } from './run.js';
import { openAgainst } from './source.js';
import type { VerifyReport } from './types.js';
import { finishReport, indexOfTag, type VerifyOptions } from './verify.js';

export interface AgainstOptions extends VerifyOptions {
  against: string;
  cwd: string;
}

/** Where the pending migrations start among `sources`, from the ledger or `--from`. */
function firstPending(sources: readonly MigrationSource[], ledger: string[], options: AgainstOptions, shown: string, hasTables: boolean): number {
  if (options.from !== undefined) return indexOfTag(sources, options.from, options.out);
  const files = new Set(sources.map((s) => s.file));
  const unknown = ledger.filter((name) => !files.has(name));
  if (unknown.length > 0) {
    throw new UserInputError('D1-461', `${shown} records migrations ${displayPath(options.out)} does not have (${unknown.slice(0, 3).join(', ')}); check that this is its migrations folder, or pass --from <tag>.`, options.out);
  }
  if (ledger.length === 0 && hasTables) {
    throw new UserInputError('D1-461', `${shown} has tables but no d1_migrations table, so which migrations it lacks is unknown; pass --from <tag> naming the first one to apply.`);
  }
  const applied = new Set(ledger);
  const i = sources.findIndex((s) => !applied.has(s.file));
  return i < 0 ? sources.length : i;
}

/** The snapshot the pending migrations start from: the latest one among the applied migrations. */
function startState(out: string, applied: readonly MigrationSource[]): SchemaState | undefined {
  for (let i = applied.length - 1; i >= 0; i--) {
    const state = snapshotStateOf(out, applied[i]!.tag);
    if (state) return state;
  }
  return undefined;
}

export function verifyAgainst(options: AgainstOptions): VerifyReport {
  const { db, shown } = openAgainst(options.against, options.cwd);
  try {
    const sources = readMigrationSources(options.out, { runner: 'wrangler' });
    const ledger = appliedMigrations(db);
    const start = firstPending(sources, ledger, options, shown, userTables(db).length > 0);
    const applied = sources.slice(0, start);
    const state = startState(options.out, applied);
    const migrations = verifyMigrations({
      out: options.out,
      sources: sources.slice(start),
      db,
      ...(state ? { startState: state } : {}),
      ...(options.onMigration ? { onMigration: options.onMigration } : {}),
    });
    return finishReport({ mode: 'against', against: shown, alreadyApplied: applied.map((s) => s.file) }, migrations, db, options.out, options.current);
  } finally {
    db.close();
  }
}
