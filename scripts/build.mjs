/**
 * `npm run build`: the library (ES modules and type declarations, by tsc) and the CLI bundle
 * `dist/cli.cjs` (one CommonJS file, by esbuild) that `bin/drizzle-d1.cjs` loads.
 *
 * Why a CommonJS bundle for the CLI: `drizzle-d1 generate` runs many times a day, and on Node 20 a
 * CommonJS entry never starts the ES-module loader (compiling Node's own loader internals plus one
 * module record per file cost ~25 ms of a ~200 ms run). Packages stay external, so the user's
 * schema shares drizzle-orm (and tsx's require hook) with us through Node's require cache.
 *
 *   node scripts/build.mjs [--out-dir <dir>]   (default: dist)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repo = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const at = process.argv.indexOf('--out-dir');
const outDir = path.resolve(at > 0 ? process.argv[at + 1] : path.join(repo, 'dist'));

execFileSync(
  process.execPath,
  [path.join(repo, 'node_modules/typescript/bin/tsc'), '-p', path.join(repo, 'tsconfig.build.json'), '--outDir', outDir],
  { stdio: 'inherit' },
);

const cliBundle = path.join(outDir, 'cli.cjs');
await build({
  entryPoints: [path.join(repo, 'src/cli/index.ts')],
  outfile: cliBundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  // CommonJS has no import.meta: the bundle's own file URL stands in (createRequire anchors on it).
  // The dynamic import()s go through a function bin/ provides (see routeDynamicImports).
  banner: {
    js:
      "'use strict';\nconst importMetaUrl = require('node:url').pathToFileURL(__filename).href;\n" +
      "const __drizzleD1Import = globalThis[Symbol.for('drizzle-d1.import')] ?? ((specifier) => import(specifier));",
  },
  define: { 'import.meta.url': 'importMetaUrl' },
  logLevel: 'warning',
});

/**
 * bin/compile-cache.cjs compiles the bundle with vm.Script to reuse V8's code between runs, and on
 * Node 20 an import() inside such a script fails (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG without
 * --experimental-vm-modules). So the bundle's import() of packages (ESM-only ones such as
 * @inquirer/prompts) calls `__drizzleD1Import` (banner), which bin/drizzle-d1.cjs defines in a file Node
 * compiles itself. Only `import("<package>")` calls are rewritten: the banner's own fallback stays.
 */
function routeDynamicImports(file) {
  const code = readFileSync(file, 'utf8');
  const routed = code.replace(/\bimport\((?="[^"./][^"]*"\))/g, '__drizzleD1Import(');
  writeFileSync(file, routed);
}
routeDynamicImports(cliBundle);
