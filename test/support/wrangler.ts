/**
 * End-to-end harness: run real `wrangler d1 migrations apply --local` (wrangler 4.86, workerd) on a
 * migrations folder and open the resulting local D1 database with better-sqlite3.
 *
 * Each wrangler call starts workerd (~2.5–3 s). Tests using this should be few, and skippable with
 * DRIZZLE_D1_SKIP_WRANGLER=1 (use `describeWrangler`).
 */
import Database from 'better-sqlite3';
import { execa } from 'execa';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { listMigrationFiles } from '../../src/d1/apply.js';

export const SKIP_WRANGLER = process.env.DRIZZLE_D1_SKIP_WRANGLER === '1';
/** `describe`, or `describe.skip` when DRIZZLE_D1_SKIP_WRANGLER=1. */
export const describeWrangler: typeof describe = SKIP_WRANGLER ? (describe.skip as typeof describe) : describe;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WRANGLER_JS = path.join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');

/** The env every wrangler call gets: non-interactive, no metrics, no update check, no colours. */
function wranglerEnv(logDir: string): Record<string, string> {
  return {
    CI: 'true',
    WRANGLER_SEND_METRICS: 'false',
    WRANGLER_SEND_ERROR_REPORTS: 'false',
    WRANGLER_HIDE_BANNER: 'true', // also skips the npm update check (a network call)
    WRANGLER_LOG_PATH: logDir,
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  };
}

/**
 * The file miniflare keeps a local D1 database in: `<persist>/v3/d1/miniflare-D1DatabaseObject/<x>.sqlite`
 * where `<x>` is miniflare's Durable Object id for the database id (not the database id itself).
 */
export function localD1FileName(databaseId: string, uniqueKey = 'miniflare-D1DatabaseObject'): string {
  const key = crypto.createHash('sha256').update(uniqueKey).digest();
  const nameHmac = crypto.createHmac('sha256', key).update(databaseId).digest().subarray(0, 16);
  const hmac = crypto.createHmac('sha256', key).update(nameHmac).digest().subarray(0, 16);
  return `${Buffer.concat([nameHmac, hmac]).toString('hex')}.sqlite`;
}

export interface WranglerRun {
  command: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** The text of wrangler's `✘ [ERROR]` lines, joined. */
  error?: string;
}

export interface WranglerApplyResult extends WranglerRun {
  /** `*.sql` files in the folder, in wrangler 4.86's order. */
  files: string[];
  /** Names recorded in d1_migrations, in id order. */
  applied: string[];
  /** Files not recorded in d1_migrations. */
  missing: string[];
  /** Files wrangler's status table marked ❌. */
  failed: string[];
  /** Exit code 0 and every file recorded (wrangler can exit 0 with a file ❌ or unrecorded). */
  ok: boolean;
}

export interface WranglerExecuteResult extends WranglerRun {
  /** One entry per statement: its rows (from `--json`). */
  results: Record<string, unknown>[][];
}

export interface WranglerProjectOptions {
  /** The migrations folder (`migrations_dir`); it is used in place, not copied. */
  migrationsDir: string;
  /** Project directory (wrangler.jsonc, worker, .wrangler state). Default: a fresh temp dir. */
  dir?: string;
  databaseName?: string;
  databaseId?: string;
  /** wrangler's `migrations_table`; default d1_migrations. */
  migrationsTable?: string;
}

const ANSI = /\u001b\[[0-9;]*m/g;

function errorLines(output: string): string | undefined {
  const lines = output.replace(ANSI, '').split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /✘ \[ERROR\] (.*)$/.exec(lines[i]!);
    if (m) out.push(m[1]!.trim());
  }
  return out.length ? out.join('\n') : undefined;
}

function failedFromTable(output: string): string[] {
  const failed = new Set<string>();
  for (const line of output.replace(ANSI, '').split('\n')) {
    const m = /│\s*(\S+\.sql)\s*│\s*❌/.exec(line);
    if (m) failed.add(m[1]!);
  }
  return [...failed];
}

/** A throwaway wrangler project pointing at a migrations folder, with one local D1 database. */
export class WranglerProject {
  readonly dir: string;
  readonly migrationsDir: string;
  readonly databaseName: string;
  readonly databaseId: string;
  readonly migrationsTable: string;
  readonly configPath: string;
  private readonly ownsDir: boolean;
  /** Every wrangler call made, for timing reports. */
  readonly runs: WranglerRun[] = [];

  private constructor(options: WranglerProjectOptions, dir: string, ownsDir: boolean) {
    this.dir = dir;
    this.ownsDir = ownsDir;
    this.migrationsDir = path.resolve(options.migrationsDir);
    this.databaseName = options.databaseName ?? 'drizzle-d1-test';
    this.databaseId = options.databaseId ?? crypto.randomUUID();
    this.migrationsTable = options.migrationsTable ?? 'd1_migrations';
    this.configPath = path.join(dir, 'wrangler.jsonc');
  }

  static create(options: WranglerProjectOptions): WranglerProject {
    const ownsDir = options.dir === undefined;
    const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'drizzle-d1-wrangler-'));
    fs.mkdirSync(dir, { recursive: true });
    const project = new WranglerProject(options, dir, ownsDir);
    project.writeFiles();
    return project;
  }

  private writeFiles(): void {
    fs.mkdirSync(path.join(this.dir, 'src'), { recursive: true });
    fs.writeFileSync(
      path.join(this.dir, 'src', 'index.js'),
      'export default { async fetch() { return new Response("ok"); } };\n',
    );
    const migrationsDir = path.relative(this.dir, this.migrationsDir) || '.';
    const config = {
      $schema: 'node_modules/wrangler/config-schema.json',
      name: 'drizzle-d1-test',
      main: 'src/index.js',
      compatibility_date: '2025-01-01',
      d1_databases: [
        {
          binding: 'DB',
          database_name: this.databaseName,
          database_id: this.databaseId,
          migrations_dir: migrationsDir.split(path.sep).join('/'),
          ...(this.migrationsTable === 'd1_migrations' ? {} : { migrations_table: this.migrationsTable }),
        },
      ],
    };
    fs.writeFileSync(this.configPath, `// written by test/support/wrangler.ts\n${JSON.stringify(config, null, 2)}\n`);
  }

  /** Where wrangler/miniflare keep this project's local database. */
  get dbPath(): string {
    const dir = path.join(this.dir, '.wrangler', 'state', 'v3', 'd1', 'miniflare-D1DatabaseObject');
    const expected = path.join(dir, localD1FileName(this.databaseId));
    if (fs.existsSync(expected) || !fs.existsSync(dir)) return expected;
    const found = fs.readdirSync(dir).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite');
    return found.length === 1 ? path.join(dir, found[0]!) : expected;
  }

  private async run(args: string[]): Promise<WranglerRun> {
    const started = performance.now();
    const logDir = path.join(this.dir, '.wrangler-logs');
    const r = await execa(process.execPath, [WRANGLER_JS, ...args], {
      cwd: this.dir,
      env: wranglerEnv(logDir),
      reject: false,
      timeout: 120_000,
      stdin: 'ignore',
    });
    const stdout = String(r.stdout ?? '');
    const stderr = String(r.stderr ?? '');
    const run: WranglerRun = {
      command: ['wrangler', ...args],
      exitCode: r.exitCode ?? -1,
      stdout,
      stderr,
      durationMs: Math.round(performance.now() - started),
    };
    const error = errorLines(`${stdout}\n${stderr}`);
    if (error !== undefined) run.error = error;
    this.runs.push(run);
    return run;
  }

  /** `wrangler d1 migrations apply <db> --local`; never throws for a failing migration. */
  async apply(): Promise<WranglerApplyResult> {
    const run = await this.run(['d1', 'migrations', 'apply', this.databaseName, '--local']);
    const files = listMigrationFiles(this.migrationsDir);
    const applied = this.readApplied();
    const missing = files.filter((f) => !applied.includes(f));
    const failed = failedFromTable(run.stdout);
    return { ...run, files, applied, missing, failed, ok: run.exitCode === 0 && missing.length === 0 && failed.length === 0 };
  }

  /** `apply()`, throwing with wrangler's output unless every file was applied and recorded. */
  async applyOrThrow(): Promise<WranglerApplyResult> {
    const r = await this.apply();
    if (!r.ok) {
      throw new Error(
        `wrangler d1 migrations apply failed (exit ${r.exitCode}; not recorded: ${r.missing.join(', ') || 'none'}; ` +
          `marked ❌: ${r.failed.join(', ') || 'none'})\n${r.error ?? ''}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`,
      );
    }
    return r;
  }

  /** `wrangler d1 execute <db> --local --command <sql> --json` (seeding rows, reading back). */
  async execute(sql: string): Promise<WranglerExecuteResult> {
    const run = await this.run(['d1', 'execute', this.databaseName, '--local', '--json', '--command', sql]);
    let results: Record<string, unknown>[][] = [];
    if (run.exitCode === 0) {
      const parsed = JSON.parse(run.stdout) as { results: Record<string, unknown>[] }[];
      results = parsed.map((p) => p.results);
    } else if (run.error === undefined) {
      try {
        const parsed = JSON.parse(run.stdout) as { error?: { text?: string } };
        if (parsed.error?.text) run.error = parsed.error.text;
      } catch {
        // not JSON
      }
    }
    return { ...run, results };
  }

  /** `execute()`, throwing unless wrangler exited 0. */
  async executeOrThrow(sql: string): Promise<WranglerExecuteResult> {
    const r = await this.execute(sql);
    if (r.exitCode !== 0) throw new Error(`wrangler d1 execute failed: ${r.error ?? r.stdout}\n${r.stderr}`);
    return r;
  }

  /** `wrangler d1 execute <db> --local --file <file>` (a rollback file, run as the runbook says); throws unless it exited 0. */
  async executeFileOrThrow(file: string): Promise<WranglerRun> {
    const r = await this.run(['d1', 'execute', this.databaseName, '--local', '--yes', '--file', file]);
    if (r.exitCode !== 0 || r.error !== undefined) throw new Error(`wrangler d1 execute --file failed: ${r.error ?? ''}\n${r.stdout}\n${r.stderr}`);
    return r;
  }

  /** Open the local database read-only (close it before the next wrangler call). */
  open(): Database.Database {
    const file = this.dbPath;
    if (!fs.existsSync(file)) throw new Error(`no local D1 database at ${file} (run apply() first)`);
    return new Database(file, { readonly: true, fileMustExist: true });
  }

  private readApplied(): string[] {
    if (!fs.existsSync(this.dbPath)) return [];
    const db = this.open();
    try {
      const exists = db
        .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?")
        .get(this.migrationsTable);
      if (!exists) return [];
      return db.prepare(`SELECT name FROM "${this.migrationsTable}" ORDER BY id`).pluck().all() as string[];
    } finally {
      db.close();
    }
  }

  /** Remove the project directory (only when this harness created it). */
  dispose(): void {
    if (this.ownsDir) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * One-shot: write a project for `migrationsDir`, apply with wrangler, and return the result with the
 * database opened read-only. Throws unless every file applied and was recorded. The caller closes `db`
 * and disposes `project`.
 */
export async function wranglerApplyFolder(
  migrationsDir: string,
  options: Omit<WranglerProjectOptions, 'migrationsDir'> = {},
): Promise<{ project: WranglerProject; result: WranglerApplyResult; db: Database.Database }> {
  const project = WranglerProject.create({ ...options, migrationsDir });
  try {
    const result = await project.applyOrThrow();
    return { project, result, db: project.open() };
  } catch (e) {
    project.dispose();
    throw e;
  }
}
