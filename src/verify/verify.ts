/**
 * `drizzle-d1 verify` as a library: prove that the migrations keep the data, on synthetic rows
 * (verifyFolder) or on a copy of a real database (verifyAgainst in against.ts), and say how the
 * schema they build differs from schema.ts.
 */
import type Database from 'better-sqlite3';
import { openD1Database } from '../d1/apply.js';
import { readMigrationSources, snapshotStateOf, type MigrationSource } from '../d1/replay.js';
import { displayPath, UserInputError } from '../diagnostics/errors.js';
import { CODES } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { emptyState, type SchemaState } from '../snapshot/types.js';
import { verifyMigrations, type LoopOptions } from './run.js';
import { seededRandom } from './rows.js';
import { schemaDifferences } from './schema-drift.js';
import type { MigrationReport, VerifyReport } from './types.js';

export const DEFAULT_ROWS = 200;

export interface VerifyOptions {
  /** The migrations folder. */
  out: string;
  /** Synthetic rows per table (default 200). */
  rows?: number;
  seed?: number;
  /** Report from this migration on (the earlier ones are replayed as already applied). */
  from?: string;
  /** schema.ts as a snapshot state, for the final comparison; omitted: only the folder is compared with itself. */
  current?: SchemaState;
  onMigration?: LoopOptions['onMigration'];
}

/** The index of `tag` among `sources`, or a D1-462 error naming the folder. */
export function indexOfTag(sources: readonly MigrationSource[], tag: string, out: string): number {
  const i = sources.findIndex((s) => s.tag === tag || s.file === tag);
  if (i < 0) throw new UserInputError('D1-462', `--from ${tag}: ${displayPath(out)} has no migration ${tag}.sql. Pass the file name without .sql, e.g. --from ${sources[0]?.tag ?? '0000_init'}.`, out);
  return i;
}

/** The final schema comparison of a run, and the report with its exit code. */
export function finishReport(
  base: Pick<VerifyReport, 'mode' | 'alreadyApplied'> & { against?: string },
  migrations: MigrationReport[],
  db: Database.Database,
  out: string,
  current: SchemaState | undefined,
): VerifyReport {
  const last = migrations.at(-1);
  const failed = migrations.some((m) => m.status === 'failed');
  const lastTag = failed ? undefined : (last?.tag ?? base.alreadyApplied.at(-1)?.replace(/\.sql$/, ''));
  const snapshot = lastTag === undefined ? undefined : (snapshotStateOf(out, lastTag) ?? emptyState());
  const drift = snapshot ? schemaDifferences(db, snapshot, current) : [];
  const diagnostics: Diagnostic[] = migrations.flatMap((m) => m.diagnostics);
  for (const words of drift) diagnostics.push({ code: 'D1-455', severity: CODES['D1-455'].severity, message: words });
  const exitCode = diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
  return { ...base, migrations, drift, diagnostics, exitCode };
}

/** Replay the whole folder with synthetic rows after every migration. */
export function verifyFolder(options: VerifyOptions): VerifyReport {
  const sources = readMigrationSources(options.out);
  const from = options.from === undefined ? 0 : indexOfTag(sources, options.from, options.out);
  const rows = options.rows ?? DEFAULT_ROWS;
  const db = openD1Database();
  try {
    const migrations = verifyMigrations({
      out: options.out,
      sources,
      db,
      fill: { target: rows, fresh: Math.ceil(rows / 10), random: seededRandom(options.seed ?? 1) },
      ...(options.onMigration ? { onMigration: options.onMigration } : {}),
    });
    const reported = migrations.filter((m) => sources.findIndex((s) => s.tag === m.tag) >= from);
    return finishReport({ mode: 'synthetic', alreadyApplied: sources.slice(0, from).map((s) => s.file) }, reported, db, options.out, options.current);
  } finally {
    db.close();
  }
}
