/**
 * Finding, loading and validating the drizzle config the way `drizzle-kit generate` 0.31 does, for a
 * D1/SQLite-only tool. Relative `schema` and `out` are resolved against the working directory, not the
 * config file's folder (drizzle-kit's behaviour).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfigModule } from '../schema/load.js';
import { loadDotenv } from './env.js';
import { describeIssues, displayPath, UserInputError } from '../diagnostics/errors.js';
import {
  CASINGS,
  DIALECTS,
  DRIVERS,
  PREFIXES,
  configSchema,
  type ParsedConfig,
  type Casing,
  type Prefix,
} from './schema.js';

export interface ResolvedConfig {
  /** Absolute path of the config file; null in pure CLI mode. */
  configPath: string | null;
  /** The working directory: `schema` globs and `out` are relative to it. */
  projectRoot: string;
  dialect: 'sqlite';
  /** The `schema` entries (globs, files or folders) as written, relative to projectRoot. */
  schema: string[];
  /** Migrations folder, absolute. */
  out: string;
  /** `out` relative to projectRoot ('drizzle' for './drizzle'); '.' for the root itself. */
  outRelative: string;
  breakpoints: boolean;
  casing?: Casing;
  driver?: string;
  prefix: Prefix;
  /** drizzle-d1's own `rollback` key (not drizzle-kit's), present when the config sets it: false turns the down files off. */
  rollback?: boolean;
}

export interface GenerateFlags {
  config?: string;
  dialect?: string;
  schema?: string;
  out?: string;
  casing?: string;
  driver?: string;
  breakpoints?: boolean;
  name?: string;
  custom?: boolean;
  prefix?: string;
}

/** The default config files, in drizzle-kit's lookup order. No .mjs/.cjs/.mts/.cts: those need --config. */
export const DEFAULT_CONFIG_FILES = ['drizzle.config.ts', 'drizzle.config.js', 'drizzle.config.json'] as const;

/** Flags that may accompany a config file (drizzle-kit's whitelist); every other flag selects CLI mode. */
const CONFIG_COMPATIBLE_FLAGS = new Set<keyof GenerateFlags>(['config', 'name', 'custom', 'prefix']);

function quoteList(values: readonly string[]): string {
  return values.map((v) => `'${v}'`).join(', ');
}

/** The message for a dialect other than 'sqlite' (or a missing one); `where` names the file or flag. */
function dialectProblem(dialect: unknown, where: string, setting: string): string | undefined {
  if (dialect === 'sqlite') return undefined;
  if (dialect === undefined || dialect === null || dialect === '') {
    return `${where} does not set a dialect. drizzle-d1 generates SQLite migrations for Cloudflare D1; ${setting}.`;
  }
  if (dialect === 'turso') {
    return `${where} uses dialect 'turso', but drizzle-d1 targets Cloudflare D1, which is plain SQLite, and does not implement drizzle-kit's separate libSQL/Turso differ. For a D1 database use dialect 'sqlite' (${setting}); for a Turso database keep using drizzle-kit generate.`;
  }
  if (typeof dialect === 'string' && (DIALECTS as readonly string[]).includes(dialect)) {
    return `${where} uses dialect '${dialect}', but drizzle-d1 only generates SQLite migrations for Cloudflare D1. Keep using drizzle-kit generate for ${dialect} projects, or, if this is a D1 database, ${setting}.`;
  }
  return `${where} has dialect ${JSON.stringify(dialect)}, which is not a drizzle-kit dialect (${quoteList(DIALECTS)}). Cloudflare D1 is SQLite: ${setting}.`;
}

function checkEnum<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  flag: string,
): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UserInputError('D1-703',
    `Invalid value '${value}' for ${flag}: expected one of ${quoteList(allowed)}. Fix the flag in your db:generate script (or command line) and run drizzle-d1 generate again.`,
  );
}

function finish(
  projectRoot: string,
  configPath: string | null,
  fields: {
    schema: string | string[];
    out: string | undefined;
    breakpoints: boolean | undefined;
    casing: Casing | undefined;
    driver: string | undefined;
    prefix: Prefix;
    rollback?: boolean;
  },
): ResolvedConfig {
  const out = path.resolve(projectRoot, fields.out || 'drizzle');
  const resolved: ResolvedConfig = {
    configPath,
    projectRoot,
    dialect: 'sqlite',
    schema: typeof fields.schema === 'string' ? [fields.schema] : [...fields.schema],
    out,
    outRelative: path.relative(projectRoot, out) || '.',
    breakpoints: fields.breakpoints ?? true,
    prefix: fields.prefix,
  };
  if (fields.rollback !== undefined) resolved.rollback = fields.rollback;
  if (fields.casing !== undefined) resolved.casing = fields.casing;
  if (fields.driver !== undefined) resolved.driver = fields.driver;
  return resolved;
}

/** A path flag given as "" (an unset shell variable, usually): refused, never read as "not given". */
export function emptyPathFlag(flag: string, what: string, otherwise: string): UserInputError {
  return new UserInputError('D1-703', `${flag} is empty: pass ${what}, or ${otherwise}. (An empty value is usually a shell variable that is not set.)`);
}

/** Pure CLI mode: a flag other than --name/--custom/--prefix was given without --config. */
function resolveFromFlags(flags: GenerateFlags, projectRoot: string, cliPrefix: Prefix | undefined): ResolvedConfig {
  const where = 'The command line (no config file is read when --dialect, --schema, --out, --casing, --driver or --breakpoints is given)';
  const dialect = checkEnum(flags.dialect, DIALECTS, '--dialect');
  const problem = dialectProblem(dialect, where, 'pass --dialect sqlite');
  if (problem) throw new UserInputError('D1-504', problem);
  if (flags.out === '') throw emptyPathFlag('--out', 'the migrations folder', 'leave --out out to use ./drizzle');
  if (!flags.schema) {
    throw new UserInputError('D1-705',
      `${where} has no --schema. Pass --schema <file, folder or glob> together with --dialect sqlite, or drop the other flags and put them in drizzle.config.ts.`,
    );
  }
  return finish(projectRoot, null, {
    schema: flags.schema,
    out: flags.out,
    breakpoints: flags.breakpoints,
    casing: checkEnum(flags.casing, CASINGS, '--casing'),
    driver: checkEnum(flags.driver, DRIVERS, '--driver'),
    prefix: cliPrefix ?? 'index',
  });
}

/** drizzle-kit's default lookup: the first of drizzle.config.{ts,js,json} in the working directory. */
function findDefaultConfig(projectRoot: string): string {
  for (const name of DEFAULT_CONFIG_FILES) {
    const candidate = path.join(projectRoot, name);
    if (existsSync(candidate)) return candidate;
  }
  throw new UserInputError('D1-501',
    `No drizzle config found in ${projectRoot}: looked for ${DEFAULT_CONFIG_FILES.join(', ')}. Run drizzle-d1 generate from the folder that holds your drizzle config, pass --config <path>, or give --dialect sqlite --schema <path> on the command line.`,
    path.join(projectRoot, 'drizzle.config.json'),
  );
}

/** The fields drizzle-kit's schema lets through but drizzle-d1 cannot use: no schema, an empty out, a bad rollback. */
function checkFields(config: ParsedConfig, raw: Record<string, unknown>, shown: string, configPath: string): asserts config is ParsedConfig & { schema: string | string[] } {
  if (!config.schema) {
    throw new UserInputError('D1-503',
      `The drizzle config ${shown} does not set schema. Add schema: './src/db/schema.ts' (a file, a folder, a glob or an array of them) to ${shown}.`,
      configPath,
    );
  }
  if (config.out === '') {
    throw new UserInputError('D1-503',
      `The drizzle config ${shown} sets out to "" (an environment variable that is set to nothing, usually). Set it to the migrations folder, e.g. out: './drizzle', or leave it out for ./drizzle.`,
      configPath,
    );
  }
  if (raw.rollback !== undefined && typeof raw.rollback !== 'boolean') {
    throw new UserInputError('D1-488',
      `The drizzle config ${shown} has rollback: ${JSON.stringify(raw.rollback)}; drizzle-d1 reads it as true (write a down file beside each migration, the default) or false (none).`,
      configPath,
    );
  }
}

async function resolveFromConfigFile(
  flags: GenerateFlags,
  projectRoot: string,
  cliPrefix: Prefix | undefined,
): Promise<ResolvedConfig> {
  const configPath = flags.config ? path.resolve(projectRoot, flags.config) : findDefaultConfig(projectRoot);
  const shown = displayPath(configPath, projectRoot);
  if (!existsSync(configPath)) {
    throw new UserInputError('D1-501',
      `The drizzle config ${shown} (from --config) does not exist. Check the path, which is relative to ${projectRoot}.`,
      configPath,
    );
  }

  const mod = (await loadConfigModule(configPath, projectRoot)) as Record<string, unknown> | null | undefined;
  const content: unknown = (mod as { default?: unknown } | null | undefined)?.default ?? mod;
  if (typeof content !== 'object' || content === null || Array.isArray(content)) {
    throw new UserInputError('D1-503',
      `The drizzle config ${shown} does not export a config object (got ${content === null ? 'null' : Array.isArray(content) ? 'an array' : typeof content}). Export it as the default export, e.g. export default defineConfig({ dialect: 'sqlite', schema: './src/db/schema.ts' }).`,
      configPath,
    );
  }

  const raw = content as Record<string, unknown>;
  const problem = dialectProblem(raw.dialect, `The drizzle config ${shown}`, `set dialect: 'sqlite' in ${shown}`);
  if (problem) throw new UserInputError('D1-504', problem, configPath);

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new UserInputError('D1-503',
      `The drizzle config ${shown} is invalid: ${describeIssues(parsed.error.issues, '(config)')}. Fix these fields in ${shown} (see https://orm.drizzle.team/docs/drizzle-config-file) and run drizzle-d1 generate again.`,
      configPath,
    );
  }
  const config = parsed.data;
  checkFields(config, raw, shown, configPath);
  // A `migrations` key (even an empty one) wins: zod fills its prefix with 'index' and --prefix is ignored.
  const prefix: Prefix = ('migrations' in config ? config.migrations?.prefix : cliPrefix) || 'index';
  return finish(projectRoot, configPath, {
    schema: config.schema,
    out: config.out,
    breakpoints: config.breakpoints,
    casing: config.casing,
    driver: config.driver,
    prefix,
    ...(typeof raw.rollback === 'boolean' ? { rollback: raw.rollback } : {}),
  });
}

/**
 * Resolve `drizzle-d1 generate`'s settings exactly as `drizzle-kit generate` 0.31 does: load `.env`,
 * then either pure CLI mode (any of --dialect/--schema/--out/--casing/--driver/--breakpoints without
 * --config) or the config file (--config, else drizzle.config.ts/.js/.json in `cwd`). Every bad input is
 * a UserInputError.
 */
export async function resolveConfig(flags: GenerateFlags, cwd: string): Promise<ResolvedConfig> {
  const projectRoot = path.resolve(cwd);
  loadDotenv(projectRoot);

  // An unset shell variable (--config "$DRIZZLE_CONFIG") must not fall back to the default config.
  if (flags.config === '') throw emptyPathFlag('--config', 'the path of your drizzle config', `leave --config out to use the drizzle config in ${projectRoot}`);
  // --prefix is validated whatever the mode (drizzle-kit's option parser does).
  const cliPrefix = checkEnum(flags.prefix, PREFIXES, '--prefix');

  const cliOnly = (Object.keys(flags) as (keyof GenerateFlags)[]).filter(
    (key) => !CONFIG_COMPATIBLE_FLAGS.has(key) && flags[key] !== undefined,
  );
  if (cliOnly.length > 0 && flags.config) {
    const configPath = path.resolve(projectRoot, flags.config);
    const shown = displayPath(configPath, projectRoot);
    throw new UserInputError('D1-704',
      `You can't use both --config and other CLI options (${cliOnly.map((k) => `--${k}`).join(', ')}) for generate: with a config file only --name, --custom and --prefix may be passed. Move those settings into ${shown}, or drop --config ${flags.config} to use command-line settings only.`,
      configPath,
    );
  }
  if (cliOnly.length > 0) return resolveFromFlags(flags, projectRoot, cliPrefix);
  return resolveFromConfigFile(flags, projectRoot, cliPrefix);
}
