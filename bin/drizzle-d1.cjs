#!/usr/bin/env node
// CommonJS on purpose: see scripts/build.mjs. main() reports every error itself and sets the exit code.
// No process.exit() at the end: when a project loads through tsx (the fallback of src/schema/fast-load.ts),
// tsx writes its transform cache asynchronously, and an early exit would lose it (every later run would
// then transform the config and schema again, ~50 ms each).
// A run lasts a fraction of a second, and Node finishes any incremental marking V8 started before it
// lets the process exit (~15 ms after a 300-table schema): a full collection, if one is due, is cheaper.
// The V8 flag is set before anything is compiled: the compile cache's data is only valid for the same flags.
require('node:v8').setFlagsFromString('--no-incremental-marking');
// dist/cli.cjs imports ES-module packages through this (scripts/build.mjs says why): an import() in a file
// Node compiled itself.
globalThis[Symbol.for('drizzle-d1.import')] = (specifier) => import(specifier);
require('./compile-cache.cjs').enableCompileCache(require('node:path').join(__dirname, '..', 'dist'));
require('../dist/cli.cjs').main();
