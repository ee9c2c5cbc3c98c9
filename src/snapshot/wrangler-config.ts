/**
 * The project's wrangler config (wrangler.jsonc, wrangler.json or wrangler.toml, wrangler's own
 * lookup order), read for the D1 fields drizzle-d1 needs: the database name and migrations table the
 * rollback runbook names, and `migrations_dir` / `migrations_pattern`, which decide which files
 * `wrangler d1 migrations apply` runs. Nothing else of the file is interpreted.
 */
import { existsSync, readFileSync } from 'node:fs';
import { posix, relative, resolve, sep } from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';

export interface WranglerDatabase {
  /** `database_name`, or `<DB>`. */
  name: string;
  /** `database_id`, when set. */
  id?: string;
  /** `migrations_table` (wrangler's default `d1_migrations`). */
  migrationsTable: string;
  /** `migrations_dir` as written (wrangler's default: `migrations`). */
  migrationsDir?: string;
  /** `migrations_pattern` as written (wrangler 4.98+; default `<migrations_dir>/*.sql`). */
  migrationsPattern?: string;
  /** The wrangler config file it came from, if any. */
  file?: string;
}

export const WRANGLER_FILES = ['wrangler.jsonc', 'wrangler.json', 'wrangler.toml'] as const;
/** wrangler's defaults (packages/wrangler/src/d1/constants.ts). */
export const DEFAULT_MIGRATIONS_DIR = 'migrations';
const DEFAULT: WranglerDatabase = { name: '<DB>', migrationsTable: 'd1_migrations' };

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** One `d1_databases` entry as the fields drizzle-d1 reads. */
function databaseOf(raw: unknown, file: string): WranglerDatabase {
  const db = (raw ?? {}) as Record<string, unknown>;
  const migrationsDir = str(db.migrations_dir);
  const migrationsPattern = str(db.migrations_pattern);
  const id = str(db.database_id);
  return {
    name: str(db.database_name) ?? DEFAULT.name,
    ...(id !== undefined ? { id } : {}),
    migrationsTable: str(db.migrations_table) ?? DEFAULT.migrationsTable,
    ...(migrationsDir !== undefined ? { migrationsDir } : {}),
    ...(migrationsPattern !== undefined ? { migrationsPattern } : {}),
    file,
  };
}

function parseConfig(file: string, text: string): unknown {
  if (file.endsWith('.toml')) return parseToml(text);
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
  if (errors.length) throw new Error(`${printParseErrorCode(errors[0]!.error)} at character ${errors[0]!.offset}`);
  return value;
}

interface WithDatabases {
  d1_databases?: unknown;
}

export interface WranglerConfig {
  /** The config file, or undefined when the project has none. */
  file?: string;
  /** Its `d1_databases`, top level first, then each `env`'s (empty when it has none or cannot be read). */
  databases: WranglerDatabase[];
  /** Why the file could not be parsed, when it could not. */
  unreadable?: string;
}

/** The project's wrangler config and its D1 databases; an unreadable file counts as one without databases. */
export function readWranglerConfig(projectRoot: string): WranglerConfig {
  for (const name of WRANGLER_FILES) {
    const file = resolve(projectRoot, name);
    if (!existsSync(file)) continue;
    try {
      const config = parseConfig(file, readFileSync(file, 'utf8')) as WithDatabases & { env?: Record<string, WithDatabases> };
      // The top-level databases first (the runbook's), then each environment's (`[env.production]`).
      const lists = [config, ...Object.values(config?.env ?? {})].map((c) => (Array.isArray(c?.d1_databases) ? c.d1_databases : []));
      return { file, databases: lists.flat().map((db) => databaseOf(db, file)) };
    } catch (e) {
      return { file, databases: [], unreadable: (e as Error).message.split('\n')[0]! };
    }
  }
  return { databases: [] };
}

/** `p` with forward slashes, no leading `./`, no trailing `/` (wrangler's normalizeRelativePath). */
export const normalizeRelative = (p: string): string => posix.normalize(p.replace(/\\/g, '/')).replace(/(.)\/$/, '$1');

/** The migrations folder `db` reads, relative to the project root, normalized. */
export const migrationsDirOf = (db: WranglerDatabase): string => normalizeRelative(db.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);

/** `out` relative to the project root, as wrangler's config would name it. */
export const outRelative = (projectRoot: string, out: string): string => normalizeRelative(relative(projectRoot, out).split(sep).join('/') || '.');

/** The databases whose migrations folder is `out`. */
export const databasesFor = (config: WranglerConfig, projectRoot: string, out: string): WranglerDatabase[] =>
  config.databases.filter((db) => migrationsDirOf(db) === outRelative(projectRoot, out));

/** The D1 database the runbook names: the one whose migrations folder is `out`, else the first, else `<DB>`. */
export function databaseFor(config: WranglerConfig, projectRoot: string, out?: string): WranglerDatabase {
  const db = (out === undefined ? undefined : databasesFor(config, projectRoot, out)[0]) ?? config.databases[0];
  return db ?? { ...DEFAULT, ...(config.file ? { file: config.file } : {}) };
}

/** databaseFor the wrangler config of `projectRoot`, read now. */
export const wranglerDatabase = (projectRoot: string, out?: string): WranglerDatabase => databaseFor(readWranglerConfig(projectRoot), projectRoot, out);
