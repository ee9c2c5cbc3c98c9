#!/usr/bin/env node
// CommonJS on purpose: see scripts/build.mjs. main() reports every error itself and sets the exit code.
require('../dist/cli.cjs')
  .main()
  .then(() => {
    // Exit once our output is flushed instead of letting Node wind down: before a natural exit V8
    // finishes the incremental garbage collection a large schema started, ~15 ms of nothing useful.
    // (Waiting for the write callbacks keeps piped output whole where pipes are asynchronous, macOS.)
    let open = 2;
    const flushed = () => --open === 0 && process.exit();
    process.stdout.write('', flushed);
    process.stderr.write('', flushed);
  });
