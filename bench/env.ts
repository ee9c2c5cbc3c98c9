/**
 * The bench's flags, paths and temp folder, shared by every module. Flags: --reps N (default 21),
 * --quick (2 reps, 1 apply), --rows N (rows of the big child table, default 1000000), --no-readme
 * (print only), --no-build (use the repository's dist/ as it is), --keep (keep the temp folder).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flag, numberFlag } from './args.js';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
export { flag };

const quick = flag('--quick');
export const reps = numberFlag('--reps', quick ? 2 : 21);
export const applyReps = quick ? 1 : 3;
export const bigRows = numberFlag('--rows', 1_000_000);
export const command = `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`;

export const base = mkdtempSync(join(os.tmpdir(), 'drizzle-d1-bench-'));
// The temp folder goes away however the run ends (unless --keep).
process.on('exit', () => {
  if (!flag('--keep')) rmSync(base, { recursive: true, force: true });
});

/**
 * The drizzle-d1 under test: by default compiled from src/ into the temp folder (bin/ copied next to it),
 * so the run neither touches the repository's dist/ nor sees a concurrent rebuild of it. --no-build: the
 * repository's bin/ and dist/ as they are.
 */
export const d1Root = flag('--no-build') ? repo : join(base, 'drizzle-d1');
export const D1_BIN = join(d1Root, 'bin', 'drizzle-d1.cjs');
export const KIT_BIN = join(repo, 'node_modules', 'drizzle-kit', 'bin.cjs');
export const childEnv: NodeJS.ProcessEnv = { ...process.env };
delete childEnv.NODE_OPTIONS;

export const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
