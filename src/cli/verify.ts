/**
 * `drizzle-d1 verify`: prove that the pending migrations keep the data, on synthetic rows, on a copy
 * of a real database (`--against`), or through wrangler's local D1 (`--wrangler`). Exit 0 clean,
 * 1 rows lost or changed, a guard that would fire, or drift; 2 bad input or flags.
 */
import { isatty } from 'node:tty';
import type * as Commander from 'commander';
import { resolveConfig } from '../config/index.js';
import { UserInputError } from '../diagnostics/errors.js';
import { loadSchemaState } from '../generate.js';
import type { SchemaState } from '../snapshot/types.js';
import type { VerifyReport } from '../verify/types.js';
import type { VerifyOptions } from '../verify/verify.js';
import { diagnosticJson, errorText } from './report.js';
import { progressPrinter, verifyJson, verifyText } from './verify-report.js';
import { givenFolder } from './lint.js';

interface VerifyFlags {
  config?: string;
  out?: string;
  rows?: string;
  seed?: string;
  from?: string;
  against?: string;
  wrangler?: boolean;
  json?: boolean;
}

function wholeNumber(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UserInputError('D1-462', `${flag} ${value}: expected a whole number from ${min} to ${max}.`);
  return n;
}

/** The folder and, when a config names a schema, schema.ts as a snapshot state. */
async function target(flags: VerifyFlags, cwd: string): Promise<{ out: string; current?: SchemaState }> {
  if (flags.out !== undefined && flags.config === undefined) return { out: givenFolder(flags.out, cwd, 'D1-462') };
  const config = await resolveConfig({ config: flags.config }, cwd);
  return { out: config.out, current: await loadSchemaState(config) };
}

async function runVerify(flags: VerifyFlags, cwd: string): Promise<VerifyReport> {
  if (flags.against !== undefined && flags.wrangler) throw new UserInputError('D1-462', '--against and --wrangler cannot be combined: --against verifies on a copy of your database, --wrangler on a throwaway local D1.');
  const rows = wholeNumber('--rows', flags.rows, 1, 100_000);
  const seed = wholeNumber('--seed', flags.seed, 0, 2 ** 31);
  const { out, current } = await target(flags, cwd);
  const progress = progressPrinter(isatty(2), (s) => process.stderr.write(s));
  const options: VerifyOptions = { out, ...(rows ? { rows } : {}), ...(seed !== undefined ? { seed } : {}), ...(flags.from ? { from: flags.from } : {}), ...(current ? { current } : {}) };
  if (!flags.json) options.onMigration = progress;
  // Loaded on use: every command starts with this file, and verify/wrangler.ts brings execa (~100 ms of ES modules).
  if (flags.against !== undefined) return (await import('../verify/against.js')).verifyAgainst({ ...options, against: flags.against, cwd });
  if (flags.wrangler) return (await import('../verify/wrangler.js')).verifyThroughWrangler({ ...options, cwd });
  return (await import('../verify/verify.js')).verifyFolder(options);
}

async function verifyCommand(flags: VerifyFlags): Promise<number> {
  const cwd = process.cwd();
  try {
    const report = await runVerify(flags, cwd);
    process.stdout.write(`${flags.json ? verifyJson(report, cwd) : verifyText(report, cwd)}\n`);
    return report.exitCode;
  } catch (e) {
    if (!(e instanceof UserInputError)) throw e;
    if (flags.json) process.stdout.write(JSON.stringify({ status: 'error', diagnostics: e.diagnostics.map((d) => diagnosticJson(d, cwd)) }, null, 2) + '\n');
    else console.error(errorText(e, cwd));
    return 2;
  }
}

/** Help and --version end the run as usual; any other command-line error is a usage error: exit 2. */
const PASS_THROUGH = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

function usageError(e: Commander.CommanderError): never {
  if (PASS_THROUGH.has(e.code)) throw e;
  const message = `${e.message.replace(/^error: /, '').replace(/\.?$/, '.')} Run drizzle-d1 verify --help for the flags.`;
  if (process.argv.includes('--json')) process.stdout.write(JSON.stringify({ status: 'error', diagnostics: [{ code: 'D1-713', severity: 'error', message }] }, null, 2) + '\n');
  else console.error(`Error [D1-713]: ${message}`);
  // Nothing was loaded or written yet: ending here loses nothing.
  process.exit(2);
}

export function registerVerify(program: Commander.Command): void {
  program
    .command('verify')
    .exitOverride(usageError)
    .description('replay the migrations on synthetic rows or a copy of a real database and prove no row is lost')
    .option('--config <path>', 'path to drizzle.config.ts|js|json')
    .option('--out <dir>', 'verify this migrations folder without a config (no schema.ts comparison)')
    .option('--rows <n>', 'synthetic rows per table (default 200)')
    .option('--seed <n>', 'seed for the synthetic rows (default 1)')
    .option('--from <tag>', 'the first migration to report (earlier ones count as applied)')
    .option('--against <database>', 'a SQLite file, a project with wrangler local D1 state, or a wrangler d1 export dump')
    .option('--wrangler', 'apply each migration with wrangler d1 migrations apply --local on a throwaway local D1')
    .option('--json', 'print the report as JSON')
    .action(async (flags: VerifyFlags) => {
      process.exitCode = await verifyCommand(flags);
    });
}
