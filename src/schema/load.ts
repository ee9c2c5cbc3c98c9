/**
 * Loading the user's config and schema modules the way drizzle-kit 0.31.10+ does: CommonJS `require()`
 * with a TypeScript hook, so TypeScript, ESM syntax, extensionless imports and tsconfig `paths` behave
 * exactly as they do under `drizzle-kit generate`.
 *
 * The hook is fast-load.ts (oxc-transform in-process, no transform cache needed) when it can serve the
 * project, else tsx's global require hook (`tsx/cjs/api` `register()`), as drizzle-kit uses. A load the
 * fast path cannot finish (an error tsx might not give: syntax it does not take, an import it cannot
 * resolve) is redone once through tsx, and that project stays on tsx in this process.
 *
 * tsx is only loaded when it is needed: a `.json` config, or a `.js`/`.cjs`/`.mjs` config that Node can
 * require on its own, never pulls it in.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { displayPath, UserInputError } from '../diagnostics/errors.js';
import { FastPathUnsupported, prepareFastTs, registerFastTs } from './fast-load.js';
import { projectFileOf, SchemaError } from './schema-error.js';

export interface DrizzleModules {
  orm: typeof import('drizzle-orm');
  sqliteCore: typeof import('drizzle-orm/sqlite-core');
}

/** Our own require: module resolution for absolute paths does not depend on where it was created. */
const localRequire = createRequire(import.meta.url);

/** Files tsx must transform (Node cannot require them on its own). */
const TS_FILE = /\.(?:ts|mts|cts|tsx)$/;
/** What a schema entry may contribute: the extensions drizzle-kit's own (unused) check lists, plus tsx/jsx. */
const SCHEMA_FILE = /\.(?:ts|mts|cts|tsx|js|mjs|cjs|jsx)$/;
const DECLARATION_FILE = /\.d\.(?:ts|mts|cts)$/;

// ---------------------------------------------------------------------------------------------------
// tsx registration
// ---------------------------------------------------------------------------------------------------

interface TsxCjsApi {
  register(options?: { namespace?: string }): () => void;
}

/** The active global registration and the tsconfig it was made for. */
let tsxState: { key: string; unregister: () => void } | null = null;
/** The fast path's registration (fast-load.ts), and the projects (root + tsconfig) it gave way to tsx for. */
let fastState: { key: string; unregister: () => void } | null = null;
const tsxOnly = new Set<string>();

function isBunOrDeno(): boolean {
  const g = globalThis as Record<string, unknown>;
  return typeof g.Bun !== 'undefined' || typeof g.Deno !== 'undefined';
}

/** tsconfig.json in `dir` or the nearest parent, as tsx's own lookup from the working directory finds it. */
function findTsconfig(dir: string): string | undefined {
  let current = path.resolve(dir);
  for (;;) {
    const candidate = path.join(current, 'tsconfig.json');
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** The tsconfig tsx would use for `projectRoot` (`TSX_TSCONFIG_PATH` wins) and a key naming that choice. */
function tsconfigOf(projectRoot: string): { userTsconfig?: string; tsconfig?: string; key: string } {
  const userTsconfig = process.env.TSX_TSCONFIG_PATH;
  const tsconfig = userTsconfig ? undefined : findTsconfig(projectRoot);
  const key = userTsconfig ? `env:${path.resolve(userTsconfig)}` : `file:${tsconfig ?? `cwd:${process.cwd()}`}`;
  return { userTsconfig, tsconfig, key };
}

/** Which hook loads the user's TypeScript now: the fast path, tsx, or none yet. For tests and the bench. */
export function activeLoader(): 'fast' | 'tsx' | null {
  return fastState ? 'fast' : tsxState ? 'tsx' : null;
}

/**
 * Register a hook for the user's TypeScript: the fast path unless it cannot serve this project (see
 * prepareFastTs) or already gave way to tsx for it, else tsx. True when the fast path is active.
 */
function ensureLoader(projectRoot: string): boolean {
  if (isBunOrDeno()) return false;
  const { userTsconfig, tsconfig, key } = tsconfigOf(projectRoot);
  if (fastState?.key === key && !process.sourceMapsEnabled) return true;
  const fast = tsxOnly.has(`${key}|${path.resolve(projectRoot)}`)
    ? null
    : prepareFastTs(userTsconfig ? path.resolve(userTsconfig) : tsconfig);
  if (fast) {
    // Undo the other registrations first: each puts back the hooks it found when it registered.
    tsxState?.unregister();
    tsxState = null;
    fastState?.unregister();
    fastState = { key, unregister: registerFastTs(fast) };
    return true;
  }
  ensureTsx(projectRoot);
  return false;
}

/**
 * After a load through the fast path failed with `err`: when tsx might load it (or word the error as
 * drizzle-kit does), this project switches to tsx and the caller loads it again. Costs a second
 * evaluation of the files loaded before the failure, on this error path only.
 */
function fallBackToTsx(projectRoot: string, err: unknown): boolean {
  if (!fastState) return false;
  if (!(err instanceof FastPathUnsupported) && !tsxMightHelp(err) && !isTopLevelAwaitError(err)) return false;
  tsxOnly.add(`${fastState.key}|${path.resolve(projectRoot)}`);
  ensureTsx(projectRoot);
  return true;
}

/**
 * Register tsx's CommonJS hook globally (no namespace, like drizzle-kit), so the schema's own
 * `require('drizzle-orm')` shares Node's require cache with ours. tsx reads the tsconfig once, at
 * registration, from `TSX_TSCONFIG_PATH` or by searching up from `process.cwd()`; we point it at the
 * project's tsconfig instead (unless the user set `TSX_TSCONFIG_PATH`) and re-register when a different
 * project is loaded in the same process.
 */
function ensureTsx(projectRoot: string): void {
  if (isBunOrDeno()) return; // both run TypeScript natively; drizzle-kit skips the hook there too
  const { tsconfig, key } = tsconfigOf(projectRoot);
  if (tsxState?.key === key) return;
  tsxState?.unregister();
  tsxState = null;
  fastState?.unregister();
  fastState = null;
  preloadDrizzle(projectRoot);

  const tsx = localRequire('tsx/cjs/api') as TsxCjsApi;
  const sourceMaps = process.sourceMapsEnabled;
  let unregister: () => void;
  if (tsconfig) {
    process.env.TSX_TSCONFIG_PATH = tsconfig;
    try {
      unregister = tsx.register();
    } catch {
      // An unreadable tsconfig: tsx's own lookup swallows parse errors, so fall back to it.
      delete process.env.TSX_TSCONFIG_PATH;
      unregister = tsx.register();
    } finally {
      delete process.env.TSX_TSCONFIG_PATH;
    }
  } else {
    unregister = tsx.register();
  }
  // tsx turns on Node's source-map support, which decodes every transformed file's inline map as it
  // loads (~10 ms for a 300-table schema). Our messages quote error messages, never stack positions,
  // so the user's own setting is put back.
  process.setSourceMapsEnabled(sourceMaps);
  tsxState = { key, unregister };
}

/**
 * drizzle-orm ships compiled CommonJS, yet through tsx's hook every one of its files is resolved and
 * loaded about three times slower (~150 ms per run measured). Loading it first with Node's own loader
 * puts it in the shared require cache, where the schema's `require('drizzle-orm/…')` then finds it.
 */
function preloadDrizzle(projectRoot: string): void {
  try {
    const req = createRequire(path.join(projectRoot, 'package.json'));
    req('drizzle-orm');
    req('drizzle-orm/sqlite-core');
  } catch {
    // Not resolvable from the project root: the schema's own imports decide (and errors name them).
  }
}

// ---------------------------------------------------------------------------------------------------
// Error reporting
// ---------------------------------------------------------------------------------------------------

/**
 * The first meaningful line of a thrown value, prefixed with its error class when that adds
 * information. esbuild/tsx transform errors put the useful line second ("Transform failed with 1 error:").
 */
export function firstErrorLine(err: unknown): string {
  let message: string;
  if (err instanceof Error) message = err.message;
  else if (typeof err === 'string') message = err;
  else {
    try {
      message = JSON.stringify(err) ?? String(err);
    } catch {
      message = String(err);
    }
  }
  const lines = message
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  let line = lines[0] ?? '(no error message)';
  if (/^Transform failed with \d+ errors?:?$/.test(line) && lines[1]) line = lines[1];
  const name = err instanceof Error ? err.name : undefined;
  if (name && name !== 'Error' && !line.startsWith(name)) line = `${name}: ${line}`;
  return line;
}

function errorCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

function isTopLevelAwaitError(err: unknown): boolean {
  if (errorCode(err) === 'ERR_REQUIRE_ASYNC_MODULE') return true;
  return err instanceof Error && /top-level await/i.test(err.message);
}

/** Native require failed in a way tsx's hook can fix (ESM syntax, TypeScript imports, tsconfig paths). */
function tsxMightHelp(err: unknown): boolean {
  if (err instanceof SyntaxError) return true;
  const code = errorCode(err);
  return (
    code === 'ERR_REQUIRE_ESM' ||
    code === 'ERR_UNKNOWN_FILE_EXTENSION' ||
    code === 'MODULE_NOT_FOUND' ||
    code === 'ERR_MODULE_NOT_FOUND'
  );
}

// ---------------------------------------------------------------------------------------------------
// Config
// ---------------------------------------------------------------------------------------------------

/**
 * `require()` a drizzle config file (any of .ts/.mts/.cts/.js/.mjs/.cjs/.json) and return the raw module;
 * the config object is `module.default ?? module`. tsconfig lookup for the tsx hook starts at
 * `projectRoot` (drizzle-kit: the working directory). Throws a UserInputError naming the file when the
 * file is missing, does not compile or throws while loading.
 */
export async function loadConfigModule(file: string, projectRoot: string = process.cwd()): Promise<unknown> {
  const abs = path.resolve(projectRoot, file);
  const shown = displayPath(abs, projectRoot);
  if (!existsSync(abs)) {
    throw new UserInputError('D1-501',
      `The drizzle config ${shown} does not exist. Create it, or pass the right path with --config.`,
      abs,
    );
  }
  const fail = (err: unknown): UserInputError =>
    isTopLevelAwaitError(err)
      ? new UserInputError('D1-502',
          `Could not load the drizzle config ${shown}: it (or a module it imports) uses top-level await, which drizzle-kit's require()-based config loader does not support. Remove the top-level await from that file, then run drizzle-d1 generate again.`,
          abs,
        )
      : new UserInputError('D1-502',
          `Could not load the drizzle config ${shown}: ${firstErrorLine(err)}. Fix the error in that file (or in a module it imports), then run drizzle-d1 generate again.`,
          abs,
        );

  // Plain JS/JSON first: no tsx unless Node cannot load the file itself.
  if (!TS_FILE.test(abs) && tsxState === null) {
    try {
      return localRequire(abs) as unknown;
    } catch (err) {
      if (abs.endsWith('.json') || isTopLevelAwaitError(err) || !tsxMightHelp(err)) throw fail(err);
    }
  }
  try {
    ensureLoader(projectRoot);
    return localRequire(abs) as unknown;
  } catch (err) {
    if (fallBackToTsx(projectRoot, err)) return loadConfigModule(file, projectRoot);
    throw fail(err);
  }
}

// ---------------------------------------------------------------------------------------------------
// Schema files
// ---------------------------------------------------------------------------------------------------

// Created on first use: building an ICU collator costs ~6 ms, and most configs name a single file.
let collator: Intl.Collator | undefined;

/** glob 8.1's `glob.sync(pattern)`: matches (files and directories), sorted with `localeCompare(_, 'en')`. */
function globLikeGlob8(pattern: string, projectRoot: string): string[] {
  // Most configs name one file: only a pattern with glob syntax pays for loading the glob library.
  const { globSync, isDynamicPattern } = /[*?[\]{}()!+@]/.test(pattern)
    ? (localRequire('tinyglobby') as typeof import('tinyglobby'))
    : { globSync: null, isDynamicPattern: () => false };
  if (!isDynamicPattern(pattern) || !globSync) {
    const abs = path.resolve(projectRoot, pattern);
    return existsSync(abs) ? [abs] : [];
  }
  const matches = globSync(pattern, {
    cwd: projectRoot,
    absolute: true,
    onlyFiles: false,
    expandDirectories: false,
    dot: false,
  }).map((m) => (m.length > 1 && /[\\/]$/.test(m) ? m.slice(0, -1) : m));
  collator ??= new Intl.Collator('en');
  return [...new Set(matches)].sort(collator.compare);
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isSchemaFile(p: string): boolean {
  return SCHEMA_FILE.test(p) && !DECLARATION_FILE.test(p);
}

/**
 * The schema files of `patterns` (config `schema`, relative to `projectRoot`), absolute and in
 * drizzle-kit's order: per entry, its sorted glob matches; a matched directory contributes its direct
 * files in `readdir` order; duplicates keep their first position. Only JS/TS modules are taken
 * (drizzle-kit would try to require any other file and crash). `source` names the config in messages.
 */
export function schemaFiles(patterns: string[], projectRoot: string, source?: string): string[] {
  const result = new Set<string>();
  for (const pattern of patterns) {
    for (const match of globLikeGlob8(pattern, projectRoot)) {
      if (isDirectory(match)) {
        for (const entry of readdirSync(match)) {
          const file = path.join(match, entry);
          if (!isDirectory(file) && isSchemaFile(file)) result.add(file);
        }
      } else if (isSchemaFile(match)) {
        result.add(match);
      }
    }
  }
  if (result.size === 0) {
    const list = patterns.map((p) => `'${p}'`).join(', ');
    const where = source ? ` (schema in ${displayPath(source, projectRoot)})` : '';
    throw new UserInputError('D1-510',
      `No schema files found for [${list}]${where}, looking from ${projectRoot}. Point schema at your TypeScript/JavaScript schema files, a folder containing them, or a glob such as './src/db/*.ts'; a file path must include its extension (.ts, .js, …).`,
      source,
    );
  }
  return [...result];
}

// ---------------------------------------------------------------------------------------------------
// Schema modules and the project's drizzle-orm
// ---------------------------------------------------------------------------------------------------

/**
 * A require function anchored where `drizzle-orm` resolves for this project: the project root first,
 * then the schema files' folders (a schema living in another workspace package).
 */
function drizzleRequire(projectRoot: string, files: string[]): NodeJS.Require {
  const anchors = [path.join(projectRoot, 'package.json'), ...files];
  for (const anchor of anchors) {
    const req = createRequire(anchor);
    try {
      req.resolve('drizzle-orm');
      req.resolve('drizzle-orm/sqlite-core');
      return req;
    } catch {
      // try the next anchor
    }
  }
  throw new UserInputError('D1-512',
    `drizzle-orm is not installed for the project in ${projectRoot} (drizzle-d1 reads your tables with your project's own drizzle-orm). Install it there, e.g. npm install drizzle-orm, then run drizzle-d1 generate again.`,
    path.join(projectRoot, 'package.json'),
  );
}

/**
 * The project's own modules (not its node_modules) leave Node's require cache, so a second load in
 * the same process (tests, a watch mode, the library API) sees the schema as it is now on disk.
 */
function forgetProjectModules(projectRoot: string): void {
  const root = path.resolve(projectRoot) + path.sep;
  for (const key of Object.keys(localRequire.cache)) {
    if (key.startsWith(root) && !key.includes(`${path.sep}node_modules${path.sep}`)) delete localRequire.cache[key];
  }
}

/**
 * `require()` every schema file in order through the tsx hook (as drizzle-kit does) and load the
 * project's own `drizzle-orm` and `drizzle-orm/sqlite-core` (the same copies the schema imports, via
 * Node's shared require cache). A file that fails to load gives a UserInputError naming it.
 */
export async function loadSchemaModules(
  files: string[],
  projectRoot: string,
): Promise<{ modules: Record<string, unknown>[]; drizzle: DrizzleModules }> {
  const req = drizzleRequire(projectRoot, files);
  ensureLoader(projectRoot);

  forgetProjectModules(projectRoot);
  const modules: Record<string, unknown>[] = [];
  for (const file of files) {
    const shown = displayPath(file, projectRoot);
    try {
      const mod: unknown = localRequire(file);
      modules.push(typeof mod === 'object' && mod !== null ? (mod as Record<string, unknown>) : {});
    } catch (err) {
      if (fallBackToTsx(projectRoot, err)) return loadSchemaModules(files, projectRoot);
      const reason = isTopLevelAwaitError(err)
        ? 'it (or a module it imports) uses top-level await, which cannot be loaded with require() as drizzle-kit does'
        : firstErrorLine(err);
      throw new UserInputError('D1-511',
        `Could not load the schema file ${shown}: ${reason}. Fix the error in that file (or in a module it imports), then run drizzle-d1 generate again.`,
        file,
      );
    }
  }

  let drizzle: DrizzleModules;
  try {
    drizzle = {
      orm: req('drizzle-orm') as DrizzleModules['orm'],
      sqliteCore: req('drizzle-orm/sqlite-core') as DrizzleModules['sqliteCore'],
    };
  } catch (err) {
    throw new UserInputError('D1-512',
      `Could not load drizzle-orm for the project in ${projectRoot}: ${firstErrorLine(err)}. Reinstall it (npm install drizzle-orm), then run drizzle-d1 generate again.`,
      path.join(projectRoot, 'package.json'),
    );
  }
  return { modules, drizzle };
}

/**
 * What reading the loaded schema's tables threw, as the user sees it: a SchemaError names the schema
 * files; an error thrown by the project's own code that drizzle-orm runs meanwhile (a
 * `references(() => …)` or extra-config callback) is D1-511 naming that file. Anything else is
 * returned as it is (a bug, shown as one).
 */
export function schemaReadError(e: unknown, files: string[], projectRoot: string): unknown {
  const shown = files.map((f) => displayPath(f, projectRoot)).join(', ');
  if (e instanceof SchemaError) {
    return new UserInputError(e.code, `The schema in ${shown} cannot be migrated: ${e.message.replace(/\.?$/, '.')} Fix it there and run drizzle-d1 generate again.`, files[0]);
  }
  const file = e instanceof UserInputError ? undefined : projectFileOf(e, projectRoot);
  if (!file) return e;
  return new UserInputError('D1-511',
    `Reading the tables of ${shown} failed${files.includes(file) && files.length === 1 ? '' : ` in ${displayPath(file, projectRoot)}`}: ${firstErrorLine(e)}. drizzle-orm runs that code when it reads the schema (a references(() => …) callback, a table's extra-config callback); fix it there, then run drizzle-d1 generate again.`,
    file,
  );
}
