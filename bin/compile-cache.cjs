'use strict';
/**
 * A V8 code cache for the CommonJS modules every run compiles again: the packages drizzle-d1 and the
 * schema load from node_modules (drizzle-orm, zod, commander …), and drizzle-d1's own bundle. Never the
 * user's own files: they are the ones that change between runs.
 *
 * Why: a run of `generate` is a cold process each time, and compiling that JavaScript is a fair share of
 * it. Node 22.1+ has this built in (module.enableCompileCache(), used when present); Node 20 does not.
 * Measured on the 5-table no-change run (2 shared cores, busy machine, medians of 12, interleaved): CPU
 * time 280 → 255 ms with node_modules cached, 310 → 250 ms with drizzle-d1's bundle cached as well
 * (1-minute load 11 during that one).
 *
 * The cache entry of a file is keyed by its path, size, mtime, Node version and a sample of its text,
 * and V8 itself rejects data made by another V8 or with other flags. DRIZZLE_D1_NO_COMPILE_CACHE=1
 * turns it off.
 */
const Module = require('node:module');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');

const NODE_MODULES = `${path.sep}node_modules${path.sep}`;

function cacheDir() {
  const user = typeof process.getuid === 'function' ? process.getuid() : os.userInfo().username;
  return path.join(os.tmpdir(), `drizzle-d1-v8-cache-${user}`, `${process.version}-${process.arch}`);
}

/** Node's own `require` for a module (what its internal makeRequireFunction gives a CommonJS module). */
function makeRequire(mod) {
  const require = (id) => mod.require(id);
  const resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
  resolve.paths = (request) => Module._resolveLookupPaths(request, mod);
  require.resolve = resolve;
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

function keyOf(dir, filename, content) {
  let stat;
  try {
    stat = fs.statSync(filename);
  } catch {
    return null;
  }
  const sample = content.length > 1024 ? content.slice(0, 512) + content.slice(-512) : content;
  const id = `${filename}\0${stat.size}\0${stat.mtimeMs}\0${content.length}\0${sample}`;
  return path.join(dir, crypto.createHash('sha1').update(id).digest('hex'));
}

function readCache(key) {
  try {
    return fs.readFileSync(key);
  } catch {
    return undefined;
  }
}

/** Write the code of every module compiled without usable cached data (atomically: other runs may read). */
function writeMisses(dir, misses) {
  if (misses.length === 0) return;
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch {
    return;
  }
  for (const [key, script] of misses) {
    try {
      const tmp = `${key}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, key);
    } catch {
      // a read-only or full temp folder: the next run compiles again
    }
  }
}

/** Turn the cache on for CommonJS files under node_modules and under `ownDir` (drizzle-d1's dist/). */
function enableCompileCache(ownDir) {
  if (process.env.DRIZZLE_D1_NO_COMPILE_CACHE) return;
  if (typeof Module.enableCompileCache === 'function') {
    Module.enableCompileCache();
    return;
  }
  if (process.execArgv.some((a) => a.startsWith('--inspect'))) return;
  const dir = cacheDir();
  const misses = [];
  const original = Module.prototype._compile;
  Module.prototype._compile = function compile(content, filename, format) {
    // A package file with a dynamic import() is left to Node: on Node 20 a vm.Script's import() needs
    // --experimental-vm-modules, or vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER, which prints an
    // ExperimentalWarning (and was seen failing once the script was collected). drizzle-d1's own
    // dist/ routes its import()s through bin/drizzle-d1.cjs (scripts/build.mjs), except a fallback
    // that only runs without bin/, where this cache is off.
    const own = filename.startsWith(ownDir);
    const cacheable = own || (filename.includes(NODE_MODULES) && !content.includes('import('));
    const key = cacheable && (format === undefined || format === 'commonjs') ? keyOf(dir, filename, content) : null;
    if (!key) return original.apply(this, arguments);
    const cachedData = readCache(key);
    let script;
    try {
      script = new vm.Script(Module.wrap(content), { filename, cachedData });
    } catch {
      return original.apply(this, arguments); // e.g. ES module syntax: Node's own loader knows what to do
    }
    if (!cachedData || script.cachedDataRejected) misses.push([key, script]);
    const wrapper = script.runInThisContext({ displayErrors: true });
    return wrapper.call(this.exports, this.exports, makeRequire(this), this, filename, path.dirname(filename));
  };
  process.once('exit', () => writeMisses(dir, misses));
}

module.exports = { enableCompileCache };
