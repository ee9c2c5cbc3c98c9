#!/usr/bin/env node
// CommonJS on purpose: see scripts/build.mjs. main() reports every error itself and sets the exit code.
// No process.exit() at the end: tsx writes its transform cache asynchronously, and an early exit would
// lose it (every later run would then transform the config and schema again, ~50 ms each).
require('../dist/cli.cjs').main();
