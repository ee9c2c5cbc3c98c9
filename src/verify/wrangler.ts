/**
 * `verify --wrangler`: the same verification, with every migration applied by
 * `wrangler d1 migrations apply --local` (workerd's own SQLite and authorizer) on a throwaway local
 * D1. The migrations are handed to wrangler one at a time; between two calls, while wrangler is not
 * running, the local database file is opened to fingerprint it and add the synthetic rows. wrangler
 * is an optional peer dependency: it is looked up in the project first, then beside drizzle-d1.
 */
import Database from 'better-sqlite3';
import { execa } from 'execa';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSchemaModel } from '../d1/model.js';
import { readMigrationSources, type MigrationSource } from '../d1/replay.js';
import { UserInputError } from '../diagnostics/errors.js';
import type { SchemaState } from '../snapshot/types.js';
import { AffinityConverter, compareFingerprints } from './compare.js';
import { costOf } from './cost.js';
import { declaredChanges } from './declared.js';
import { failureFindings, figureFindings, shortfallFindings } from './findings.js';
import { fingerprint, mentionedNames, reachableTables, type Fingerprint } from './fingerprint.js';
import { fillTables, seededRandom } from './rows.js';
import { localD1FileName } from './source.js';
import type { MigrationReport, VerifyReport } from './types.js';
import { DEFAULT_ROWS, finishReport, indexOfTag, type VerifyOptions } from './verify.js';

const ENV = { CI: 'true', WRANGLER_SEND_METRICS: 'false', WRANGLER_SEND_ERROR_REPORTS: 'false', WRANGLER_HIDE_BANNER: 'true', NO_COLOR: '1', FORCE_COLOR: '0' };

/** wrangler's CLI script: the project's, else the one installed beside drizzle-d1. */
function wranglerScript(cwd: string): string {
  for (const from of [join(cwd, 'package.json'), import.meta.url]) {
    try {
      return createRequire(from).resolve('wrangler/bin/wrangler.js');
    } catch {
      // not there
    }
  }
  throw new UserInputError('D1-463', 'verify --wrangler needs wrangler, which is not installed in this project. Run npm install -D wrangler, or verify without --wrangler.');
}

interface Throwaway {
  dir: string;
  migrations: string;
  dbFile: string;
  run: () => Promise<{ ok: boolean; error: string }>;
}

function throwawayProject(script: string): Throwaway {
  const dir = mkdtempSync(join(tmpdir(), 'drizzle-d1-verify-'));
  const id = randomUUID();
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'migrations'));
  writeFileSync(join(dir, 'src', 'index.js'), 'export default { fetch() { return new Response("ok"); } };\n');
  const config = { name: 'drizzle-d1-verify', main: 'src/index.js', compatibility_date: '2025-01-01', d1_databases: [{ binding: 'DB', database_name: 'verify', database_id: id, migrations_dir: 'migrations' }] };
  writeFileSync(join(dir, 'wrangler.jsonc'), JSON.stringify(config, null, 2));
  const run = async () => {
    const r = await execa(process.execPath, [script, 'd1', 'migrations', 'apply', 'verify', '--local'], { cwd: dir, env: { ...ENV, WRANGLER_LOG_PATH: join(dir, 'logs') }, reject: false, stdin: 'ignore', timeout: 300_000 });
    const output = `${String(r.stdout ?? '')}\n${String(r.stderr ?? '')}`;
    const error = output.split('\n').filter((l) => l.includes('[ERROR]') || l.includes('CHECK constraint') || /SQLITE_/.test(l)).join(' ').trim();
    return { ok: r.exitCode === 0 && !output.includes('❌'), error: error || output.trim().split('\n').slice(-3).join(' ') };
  };
  return { dir, migrations: join(dir, 'migrations'), dbFile: join(dir, '.wrangler', 'state', 'v3', 'd1', 'miniflare-D1DatabaseObject', localD1FileName(id)), run };
}

function openState(file: string): Database.Database {
  const db = existsSync(file) ? new Database(file) : new Database(':memory:');
  db.pragma('foreign_keys = ON');
  return db;
}

interface WranglerLoop {
  project: Throwaway;
  options: VerifyOptions;
  converter: AffinityConverter;
  random: () => number;
  before: Fingerprint;
  state: SchemaState | undefined;
}

/** Apply one migration with wrangler and verify it; returns false when it failed. */
async function step(loop: WranglerLoop, source: MigrationSource, next: MigrationSource | undefined, reports: MigrationReport[]): Promise<boolean> {
  const report: MigrationReport = { tag: source.tag, file: source.file, status: 'applied', tables: [], guards: [], doubleQuotedLiterals: [], diagnostics: [] };
  reports.push(report);
  // Flat in the throwaway folder, drizzle-kit 1.0's `<folder>/migration.sql` as `<folder>.sql`: wrangler
  // applies top-level files in the same order, and needs no migrations_pattern (wrangler ≥ 4.98).
  copyFileSync(join(loop.options.out, source.file), join(loop.project.migrations, `${source.tag}.sql`));
  const started = performance.now();
  const result = await loop.project.run();
  const milliseconds = performance.now() - started;
  if (!result.ok) {
    report.status = 'failed';
    report.failure = { message: result.error };
    failureFindings(report);
    return false;
  }
  const db = openState(loop.project.dbFile);
  try {
    const model = readSchemaModel(db);
    const reach = reachableTables(model, mentionedNames(source.sql ?? ''));
    const after = fingerprint(db, model, reach);
    const { declared, state } = declaredChanges(loop.options.out, source.tag, loop.state, source.sql);
    const figures = compareFingerprints(loop.before, after, declared, loop.converter);
    report.tables = figures.filter((f) => f.lost || f.changed || f.added || f.droppedOnPurpose || f.droppedColumns.length || f.lostColumns.length || f.renamedFrom);
    report.cost = costOf({ db, sql: source.sql ?? '', before: loop.before, after, figures, declared, milliseconds, rowsWritten: 0, ...(state ? { current: state } : {}) });
    report.diagnostics.push(...figureFindings(report));
    const rows = loop.options.rows ?? DEFAULT_ROWS;
    report.diagnostics.push(...shortfallFindings(fillTables(db, model, { target: rows, fresh: Math.ceil(rows / 10), touched: reach, random: loop.random, salt: source.tag }), source.file));
    loop.before = fingerprint(db, model, reachableTables(model, mentionedNames(next?.sql ?? '')));
    loop.state = state;
  } finally {
    db.close();
  }
  return true;
}

export async function verifyThroughWrangler(options: VerifyOptions & { cwd: string }): Promise<VerifyReport> {
  const project = throwawayProject(wranglerScript(options.cwd));
  const sources = readMigrationSources(options.out, { runner: 'wrangler' });
  const from = options.from === undefined ? 0 : indexOfTag(sources, options.from, options.out);
  const loop: WranglerLoop = { project, options, converter: new AffinityConverter(), random: seededRandom(options.seed ?? 1), before: new Map(), state: undefined };
  const reports: MigrationReport[] = [];
  try {
    for (let i = 0; i < sources.length; i++) {
      const ok = await step(loop, sources[i]!, sources[i + 1], reports);
      options.onMigration?.(reports.at(-1)!, i, sources.length);
      if (!ok) break;
    }
    const db = openState(project.dbFile);
    try {
      const reported = reports.filter((_, i) => i >= from);
      return finishReport({ mode: 'wrangler', alreadyApplied: sources.slice(0, from).map((s) => s.file) }, reported, db, options.out, options.current);
    } finally {
      db.close();
    }
  } finally {
    loop.converter.close();
    rmSync(project.dir, { recursive: true, force: true });
  }
}
