/**
 * The fast path for the user's TypeScript: an in-process transform (oxc-transform, a native Node-API
 * addon) behind Node's own CommonJS `require()`, instead of tsx's esbuild service.
 *
 * Why: users run `generate` right after editing the schema, so the edited file is never in tsx's
 * transform cache, and tsx pays an esbuild round trip per cold file (plus ~20 ms to register its hook
 * and start the service). Measured here (Node 20, 2 shared cores, medians, one cold 300-table schema):
 * oxc-transform loads in ~8 ms and strips + converts the file in ~6 ms; esbuild's transformSync (what
 * tsx does) takes 80–150 ms including the service start; sucrase (pure JS, cold JIT) takes ~60 ms to
 * load and ~200 ms to transform; amaro (swc in wasm) ~60–100 ms to load and ~120 ms to strip, and it
 * only strips types (ESM out, which Node 20.12 cannot require()).
 *
 * Every file is loaded the way tsx's CommonJS hook loads it, so drizzle-kit's semantics hold:
 * `require()` through Node's shared cache (the schema and drizzle-d1 share one drizzle-orm), ESM
 * syntax turned into CommonJS, `.js` specifiers that name `.ts` files, extensionless imports,
 * tsconfig `paths`/`baseUrl`, and the exports defined in esbuild's order: own exports sorted by name,
 * then `export *` re-exports in the re-exported module's order (serialize.ts depends on that order
 * for snapshots byte-identical to drizzle-kit's).
 *
 * Two oxc passes: `transformSync` strips the types (TypeScript's elision of unused imports, or
 * `verbatimModuleSyntax`), `moduleRunnerTransformSync` rewrites `import`/`export` into calls to a
 * small runtime (Vite's SSR module format); its `await __vite_ssr_import__(…)` is made synchronous,
 * since our import is `require()`. What this cannot do is reported as a FastPathUnsupported or as
 * Node's own SyntaxError, and the caller (load.ts) then loads the project through tsx instead.
 */
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

type Oxc = typeof import('oxc-transform');
type PathsMatcher = (specifier: string) => string[];

/** The file needs something only tsx provides (a syntax error is one: tsx words it as drizzle-kit does). */
export class FastPathUnsupported extends Error {
  override name = 'FastPathUnsupported';
}

interface CompilableModule extends NodeModule {
  _compile(code: string, filename: string): void;
}
type ExtensionHandler = (module: CompilableModule, filename: string) => void;
type ResolveFilename = (request: string, parent: NodeModule | undefined, isMain: boolean, options?: unknown) => string;
interface ModuleInternals {
  _extensions: Record<string, ExtensionHandler | undefined>;
  _resolveFilename: ResolveFilename;
}

const localRequire = createRequire(import.meta.url);
const Internals = Module as unknown as ModuleInternals;
const RUNTIME = Symbol.for('drizzle-d1.fast-load');
const TS_EXTENSIONS = ['.ts', '.mts', '.cts'];
/** The project's own JavaScript with ESM syntax goes through the transform too, as under tsx (Node 20.19+ would otherwise load it as a second, ESM module graph with its own drizzle-orm). */
const JS_EXTENSIONS = ['.js', '.mjs'];
const ESM_SYNTAX = /\b(?:import|export)\b/;
const TS_PARENT = /\.(?:ts|mts|cts|tsx)$/;
/** TypeScript's ESM convention: `./users.js` names `./users.ts` (tsx resolves it the same way). */
const JS_TO_TS: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };
const NODE_MODULES = `${path.sep}node_modules${path.sep}`;
const HOISTED_IMPORT = /^(const __vite_ssr_import_\d+__ = )await (__vite_ssr_import__\()/gm;
const PRELUDE =
  'const { exports: __vite_ssr_exports__, import: __vite_ssr_import__, dynamicImport: __vite_ssr_dynamic_import__, ' +
  'exportAll: __vite_ssr_exportAll__, meta: __vite_ssr_import_meta__, done: __d1_done__ } = ' +
  'globalThis[Symbol.for("drizzle-d1.fast-load")](module, require);';

const TSCONFIG_OPTIONS = /"(?:extends|paths|baseUrl|verbatimModuleSyntax|preserveValueImports|experimentalDecorators)"/;

interface TsconfigOptions {
  /** `verbatimModuleSyntax` / `preserveValueImports`: keep imports that are never used as values. */
  keepValueImports: boolean;
  matchPaths: PathsMatcher | null;
}

/**
 * The tsconfig options the fast path honours, or null when it names one only tsx handles
 * (`experimentalDecorators`) or cannot be read (tsx then applies its own lenient reading).
 */
function readTsconfig(tsconfigPath: string | undefined): TsconfigOptions | null {
  const defaults = { keepValueImports: false, matchPaths: null };
  if (!tsconfigPath) return defaults;
  try {
    // Loading get-tsconfig costs ~5 ms (more on a busy machine): only a tsconfig naming an option
    // the fast path honours, or another tsconfig, needs it.
    if (!TSCONFIG_OPTIONS.test(readFileSync(tsconfigPath, 'utf8'))) return defaults;
    const { createPathsMatcher, parseTsconfig } = localRequire('get-tsconfig') as typeof import('get-tsconfig');
    const config = parseTsconfig(tsconfigPath);
    const options = config.compilerOptions ?? {};
    if (options.experimentalDecorators) return null;
    return {
      keepValueImports: options.verbatimModuleSyntax === true || options.preserveValueImports === true,
      matchPaths: createPathsMatcher({ path: tsconfigPath, config }),
    };
  } catch {
    return null;
  }
}

/** oxc's diagnostics that stop the fast path: errors (its parser recovers from some, which tsx would reject). */
function failIfErrors(filename: string, diagnostics: { severity: string; message: string }[]): void {
  const errors = diagnostics.filter((d) => d.severity === 'Error');
  if (errors.length) throw new FastPathUnsupported(`${filename}: ${errors.map((e) => e.message).join('; ')}`);
}

/** TypeScript source → CommonJS that calls the runtime below. */
function compileTs(oxc: Oxc, filename: string, source: string, options: TsconfigOptions): string {
  const stripped = oxc.transformSync(filename, source, { typescript: { onlyRemoveTypeImports: options.keepValueImports } });
  failIfErrors(filename, stripped.errors);
  return compileEsm(oxc, filename, stripped.code);
}

/** JavaScript with `import`/`export` → CommonJS that calls the runtime below; a script is left as it is. */
function compileEsm(oxc: Oxc, filename: string, code: string): string {
  const esm = oxc.moduleRunnerTransformSync(filename, code);
  failIfErrors(filename, esm.errors);
  // No import/export at all: a script (CommonJS, maybe written in TypeScript) runs as it is.
  if (!esm.code.includes('__vite_ssr_')) return code;
  // The prelude stays on the first line; `__d1_done__()` defines exports not yet defined when the body ends.
  return `${PRELUDE}${esm.code.replace(HOISTED_IMPORT, '$1$2')}\n;__d1_done__();`;
}

// ---------------------------------------------------------------------------------------------------
// Runtime called by the compiled modules
// ---------------------------------------------------------------------------------------------------

/** CommonJS module.exports behind the namespace objects made for them, for `export *`. */
const rawExports = new WeakMap<object, unknown>();

/** What `import * as ns` sees: an ES-compiled module as it is, other CommonJS with `default` = module.exports (esbuild's interop). */
function namespaceOf(mod: unknown): object {
  if (typeof mod === 'object' && mod !== null && (mod as { __esModule?: unknown }).__esModule) return mod;
  const ns: Record<string, unknown> = { default: mod };
  if ((typeof mod === 'object' || typeof mod === 'function') && mod !== null) {
    for (const key of Object.keys(mod)) {
      if (key !== 'default') Object.defineProperty(ns, key, { enumerable: true, get: () => (mod as Record<string, unknown>)[key] });
    }
    rawExports.set(ns, mod);
  }
  return ns;
}

/**
 * The module's exports object as the compiled code sees it. Its own exports are defined first (Vite's
 * format hoists them) and buffered, then defined on module.exports in sorted order before the first
 * import runs, as esbuild's `__export` does; `export *` then appends in the source module's order.
 */
function exportsCollector(target: object): { proxy: object; flush: () => void } {
  let pending: [string, PropertyDescriptor][] | null = [];
  const flush = () => {
    if (!pending) return;
    for (const [key, desc] of pending.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) Object.defineProperty(target, key, desc);
    pending = null;
  };
  const proxy = new Proxy(target, {
    defineProperty(t, key, desc) {
      if (pending && typeof key === 'string') pending.push([key, desc]);
      else Reflect.defineProperty(t, key, desc);
      return true;
    },
  });
  return { proxy, flush };
}

/** esbuild's `__reExport`: every own name not already exported, except `default`, as a live getter. */
function reExport(target: object, ns: object): void {
  const source = (rawExports.get(ns) ?? ns) as Record<string, unknown>;
  if (typeof source !== 'object' && typeof source !== 'function') return;
  for (const key of Object.getOwnPropertyNames(source)) {
    if (key === 'default' || Object.prototype.hasOwnProperty.call(target, key)) continue;
    const enumerable = Object.getOwnPropertyDescriptor(source, key)?.enumerable ?? true;
    Object.defineProperty(target, key, { enumerable, get: () => source[key] });
  }
}

function runtimeFor(module: NodeModule, req: NodeJS.Require) {
  const target = module.exports as object;
  Object.defineProperty(target, '__esModule', { value: true });
  const { proxy, flush } = exportsCollector(target);
  const load = (specifier: string) => {
    flush();
    return namespaceOf(req(specifier));
  };
  return {
    exports: proxy,
    import: load,
    dynamicImport: (specifier: string) => Promise.resolve().then(() => load(specifier)),
    exportAll: (ns: object) => {
      flush();
      reExport(target, ns);
    },
    meta: { url: pathToFileURL(module.filename).href, filename: module.filename, dirname: path.dirname(module.filename) },
    done: flush,
  };
}

// ---------------------------------------------------------------------------------------------------
// Resolution and registration
// ---------------------------------------------------------------------------------------------------

/** Node's own handler for `.js`/`.mjs`, except for the project's files that use ESM syntax. */
function jsHandler(oxc: Oxc, original: ExtensionHandler): ExtensionHandler {
  return (module, filename) => {
    if (filename.includes(NODE_MODULES)) return original(module, filename);
    const source = readFileSync(filename, 'utf8');
    if (!ESM_SYNTAX.test(source)) return original(module, filename);
    module._compile(compileEsm(oxc, filename, source), filename);
  };
}

const isBare = (request: string) => !request.startsWith('.') && !path.isAbsolute(request) && !request.startsWith('node:');

function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'MODULE_NOT_FOUND';
}

/** Node's resolution, plus what tsx adds: tsconfig `paths` for the project's own files, and `.js` → `.ts`. */
function resolveWith(original: ResolveFilename, matchPaths: PathsMatcher | null): ResolveFilename {
  return function resolve(request, parent, isMain, options) {
    const from = parent?.filename;
    if (matchPaths && from && !from.includes(NODE_MODULES) && isBare(request)) {
      for (const candidate of matchPaths(request)) {
        try {
          return original.call(Module, candidate, parent, isMain, options);
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
    }
    try {
      return original.call(Module, request, parent, isMain, options);
    } catch (err) {
      const ext = path.extname(request);
      if (!isNotFound(err) || !from || !TS_PARENT.test(from) || isBare(request) || !JS_TO_TS[ext]) throw err;
      for (const alt of JS_TO_TS[ext]) {
        try {
          return original.call(Module, request.slice(0, -ext.length) + alt, parent, isMain, options);
        } catch {
          // try the next extension
        }
      }
      throw err;
    }
  };
}

/** What a registration of the fast path needs: the transform and the tsconfig options it honours. */
export interface FastTs {
  oxc: Oxc;
  options: TsconfigOptions;
}

/**
 * The fast path for a project with `tsconfigPath`, or null when it cannot serve this process:
 * oxc-transform is not installed for this platform, the tsconfig asks for decorators or cannot be
 * read, or Node's source maps are on (tsx's inline maps then put the user's own lines in stacks).
 */
export function prepareFastTs(tsconfigPath: string | undefined): FastTs | null {
  if (process.sourceMapsEnabled) return null;
  const options = readTsconfig(tsconfigPath);
  if (!options) return null;
  const oxc = loadOxc();
  return oxc ? { oxc, options } : null;
}

/** The binding packages oxc-transform's own (napi-rs) loader would pick for this platform, in its order. */
function bindingNames(): string[] {
  const { platform, arch } = process;
  if (platform === 'linux') {
    const abis = arch === 'arm' ? ['gnueabihf', 'musleabihf'] : ['gnu', 'musl'];
    return abis.map((abi) => `@oxc-transform/binding-linux-${arch}-${abi}`);
  }
  if (platform === 'win32') return [`@oxc-transform/binding-win32-${arch}-msvc`];
  if (platform === 'android' && arch === 'arm') return ['@oxc-transform/binding-android-arm-eabi'];
  return [`@oxc-transform/binding-${platform}-${arch}`];
}

/**
 * The platform's native binding, required directly next to oxc-transform: its entry is an ES module,
 * which Node 20 only require()s from 20.19 on, and then through the ESM loader (9 ms against 3.6 ms
 * for the binding alone, measured here). The package entry is the second choice (it also knows WASI).
 */
function loadOxc(): Oxc | null {
  let packageRequire: NodeJS.Require;
  try {
    packageRequire = createRequire(localRequire.resolve('oxc-transform/package.json'));
  } catch {
    return null;
  }
  for (const name of bindingNames()) {
    try {
      return packageRequire(name) as Oxc;
    } catch {
      // not installed for this platform, or the wrong libc: try the next
    }
  }
  try {
    return localRequire('oxc-transform') as Oxc;
  } catch {
    return null;
  }
}

/** Register the fast path for `.ts`/`.mts`/`.cts` files; returns the function that undoes it. */
export function registerFastTs({ oxc, options }: FastTs): () => void {
  const savedHandlers = [...TS_EXTENSIONS, ...JS_EXTENSIONS].map((ext) => [ext, Internals._extensions[ext]] as const);
  const savedResolve = Internals._resolveFilename;
  const handler: ExtensionHandler = (module, filename) =>
    module._compile(compileTs(oxc, filename, readFileSync(filename, 'utf8'), options), filename);
  for (const ext of TS_EXTENSIONS) Internals._extensions[ext] = handler;
  for (const [ext, original] of savedHandlers) {
    if (JS_EXTENSIONS.includes(ext) && original) Internals._extensions[ext] = jsHandler(oxc, original);
  }
  Internals._resolveFilename = resolveWith(savedResolve, options.matchPaths);
  (globalThis as Record<symbol, unknown>)[RUNTIME] = runtimeFor;
  return () => {
    for (const [ext, saved] of savedHandlers) {
      if (saved) Internals._extensions[ext] = saved;
      else delete Internals._extensions[ext];
    }
    Internals._resolveFilename = savedResolve;
    delete (globalThis as Record<symbol, unknown>)[RUNTIME];
  };
}
