#!/usr/bin/env node
// `npm run bench`: runs bench/run.ts under tsx's loader (no extra process, arguments passed through).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const { status, signal } = spawnSync(process.execPath, ['--import', tsxLoader, join(here, 'run.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exitCode = status ?? (signal ? 1 : 0);
