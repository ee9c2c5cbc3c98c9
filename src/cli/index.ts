/**
 * The commander program: flags in, exit codes and messages out. 0: written or nothing to do;
 * 1: bad input or an unsafe change (nothing written); 2: renames need an answer and no terminal
 * can ask (nothing written).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isatty } from 'node:tty';
import type * as Commander from 'commander';
import { displayPath, UserInputError } from '../diagnostics/errors.js';
import type { GenerateFlags } from '../config/index.js';
import { parseHints, parseRenameFlag, suggestedHints, type Hint } from '../diff/hints.js';
import { AmbiguityError, generate, type GenerateResult, type RenameResolver } from '../generate.js';
import { packageFile } from '../package.js';
import { terminalResolver } from './prompt.js';
import { errorText, planReport, planSummaryLines, diagnosticJson } from './report.js';
import { shellQuote } from './quote.js';
import { errnoOf, fileSystemError } from '../diagnostics/fs.js';
import { collect, withRowAnswers } from './options.js';
import { registerRollback } from './rollback.js';
import { registerVerify } from './verify.js';
import { registerLint } from './lint.js';
import { registerRewrite } from './rewrite.js';

interface CliOptions extends GenerateFlags {
  json?: boolean;
  hints?: string;
  hintsFile?: string;
  rename?: string[];
  backfill?: string[];
  assumeNotNull?: string[];
  dryRun?: boolean;
  /** false with --no-rollback. */
  rollback?: boolean;
}

// commander is CommonJS: require() skips the ES-module wrapper Node would build around it (~5 ms).
const { Command, Option } = createRequire(import.meta.url)('commander') as typeof Commander;


function printSummary(result: GenerateResult, out: (s: string) => void, dryRun = false) {
  const m = result.migration!;
  if (m.plan) for (const line of planSummaryLines(m.plan, result.config.projectRoot)) out(line);
  for (const d of m.rollback?.diagnostics.filter((x) => x.code !== 'D1-482' && x.code.startsWith('D1-48')) ?? []) out(`  rollback: ${d.code} ${d.message}`);
  if (dryRun) {
    out(`\n${m.sql}\n`);
    out(`(dry run: ${displayPath(m.sqlPath, result.config.projectRoot)} was not written)`);
    return;
  }
  out(`[✓] Your SQL migration file ➜ ${displayPath(m.sqlPath, result.config.projectRoot)} 🚀`);
  if (m.rollback) out(`[✓] Its rollback file ➜ ${displayPath(m.rollback.path, result.config.projectRoot)} (run it by hand: see its header)`);
}

function ambiguityMessage(e: AmbiguityError): string {
  const lines = ['Error [D1-702]: drizzle-d1 cannot tell whether these were renamed or dropped and created, and no terminal is attached to ask:'];
  for (const a of e.ambiguities) {
    const scope = a.kind === 'table' ? 'tables' : `columns of ${a.table}`;
    lines.push(`  ${scope}: gone ${a.removed.join(', ')}; new ${a.added.join(', ')}`);
  }
  const { renames, creates } = suggestedHints(e.ambiguities);
  lines.push('Answer with --hints (or --hints-file, or --rename old=new). To rename:');
  lines.push(`  --hints ${shellQuote(JSON.stringify(renames))}`);
  lines.push('To drop the old ones and create the new ones (their data is deleted):');
  lines.push(`  --hints ${shellQuote(JSON.stringify(creates))}`);
  lines.push('Nothing was written.');
  return lines.join('\n');
}

async function runGenerate(opts: CliOptions): Promise<number> {
  try {
    return await generateCommand(opts);
  } catch (e) {
    return reportError(e, Boolean(opts.json));
  }
}

/** --hints, --hints-file and --rename, in that order, each checked. */
function hintsOf(opts: CliOptions, cwd: string): Hint[] {
  const hints: Hint[] = [];
  if (opts.hints) hints.push(...parseHints(opts.hints, '--hints'));
  if (opts.hintsFile) {
    let text: string;
    try {
      text = readFileSync(opts.hintsFile, 'utf8');
    } catch {
      throw new UserInputError('D1-711', `--hints-file ${opts.hintsFile} cannot be read; check the path (relative to ${cwd}).`, opts.hintsFile);
    }
    hints.push(...parseHints(text, opts.hintsFile));
  }
  for (const r of opts.rename ?? []) hints.push(parseRenameFlag(r));
  return hints;
}

/** --backfill table.column=<SQL>, by column. */
function backfillOf(opts: CliOptions): Record<string, string> {
  const backfill: Record<string, string> = {};
  for (const b of opts.backfill ?? []) {
    const i = b.indexOf('=');
    if (i < 1 || !b.slice(0, i).includes('.')) {
      throw new UserInputError('D1-707', `--backfill "${b}" is not of the form table.column=<SQL expression>, e.g. --backfill "users.role='member'".`);
    }
    backfill[b.slice(0, i).trim()] = b.slice(i + 1).trim();
  }
  return backfill;
}

async function generateCommand(opts: CliOptions): Promise<number> {
  const cwd = process.cwd();
  const hints = hintsOf(opts, cwd);
  const backfill = backfillOf(opts);

  // isatty, not process.stdin.isTTY: touching process.stdin builds a stream (~2 ms) we never read.
  const interactive = isatty(0) && isatty(1) && !opts.json;
  const resolve: RenameResolver | undefined = interactive ? terminalResolver() : undefined;
  const flags: GenerateFlags = {
    config: opts.config, dialect: opts.dialect, schema: opts.schema, out: opts.out, casing: opts.casing,
    driver: opts.driver, breakpoints: opts.breakpoints, name: opts.name, custom: opts.custom, prefix: opts.prefix,
  };
  try {
    const result = await generate({
      cwd,
      flags,
      backfill,
      assumeNotNull: opts.assumeNotNull,
      dryRun: opts.dryRun,
      ...(opts.rollback === false ? { rollback: false } : {}),
      resolve,
      hints,
    });
    if (opts.json) {
      const m = result.migration;
      process.stdout.write(
        JSON.stringify(
          m ? { status: opts.dryRun ? 'dry-run' : 'written', tag: m.tag, sql: displayPath(m.sqlPath, result.config.projectRoot), snapshot: displayPath(m.snapshotPath, result.config.projectRoot), rollback: m.rollback ? displayPath(m.rollback.path, result.config.projectRoot) : null, plan: planReport(m.plan, result.config.projectRoot), dryRun: Boolean(opts.dryRun), warnings: result.warnings }
            : { status: 'no-changes', warnings: result.warnings },
          null,
          2,
        ) + '\n',
      );
    } else if (!result.migration) {
      for (const w of result.warnings) console.error(`warning: ${w}`);
      console.log('No schema changes, nothing to migrate 😴');
    } else {
      // One write: a line per table of a large schema, written one by one, costs several ms.
      const lines: string[] = result.warnings.map((w) => `  warning: ${w}`);
      printSummary(result, (s) => lines.push(s), opts.dryRun);
      process.stdout.write(lines.join('\n') + '\n');
    }
    return 0;
  } catch (e) {
    if (e instanceof AmbiguityError) {
      if (opts.json) {
        const { renames, creates } = suggestedHints(e.ambiguities);
        process.stdout.write(JSON.stringify({ status: 'missing_hints', ambiguities: e.ambiguities, hints: { rename: renames, create: creates } }, null, 2) + '\n');
      }
      console.error(ambiguityMessage(e));
      return 2;
    }
    throw e;
  }
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function program(): Commander.Command {
  const cmd = new Command('drizzle-d1')
    .description('D1-safe migrations for Drizzle: a drop-in replacement for `drizzle-kit generate`')
    .version(packageVersion())
    // Commander's own errors (an unknown flag, a missing value) go through reportError like every
    // other, so that they carry a code and --json gets JSON; help and --version exit as usual.
    .exitOverride()
    .configureOutput({ outputError: () => {} });
  withRowAnswers(
    cmd
      .command('generate')
      .description('diff your Drizzle schema against the migrations folder and write a D1-safe migration')
      .option('--config <path>', 'path to drizzle.config.ts|js|json')
      .option('--dialect <dialect>', 'sqlite (D1)')
      .option('--schema <path>', 'schema file, folder or glob')
      .option('--out <dir>', 'migrations folder')
      .option('--casing <casing>', 'camelCase or snake_case')
      .option('--driver <driver>', 'drizzle driver (d1-http, durable-sqlite, …)')
      .addOption(new Option('--breakpoints [bool]', 'write --> statement-breakpoint markers').argParser((v) => v !== 'false'))
      .option('--name <name>', 'migration name (file suffix)')
      .option('--custom', 'write an empty migration for your own SQL')
      .option('--prefix <prefix>', 'index | timestamp | supabase | unix')
      .option('--hints <json>', 'rename answers as drizzle-kit 1.0 hints JSON')
      .option('--hints-file <path>', 'file holding hints JSON')
      .option('--rename <old=new>', 'rename a table (users=accounts) or column (users.name=users.full_name); repeatable', collect),
  )
    .option('--json', 'print the result and the plan as JSON')
    .option('--dry-run', 'show what would be written, write nothing')
    .option('--no-rollback', 'do not write the rollback file (rollback/<tag>.down.sql, or <folder>/down.sql) beside the migration')
    .action(async (opts: CliOptions) => {
      process.exitCode = await runGenerate(opts);
    });
  registerRollback(cmd);
  registerVerify(cmd);
  registerLint(cmd);
  registerRewrite(cmd);
  return cmd;
}

/** Ctrl-C at an @inquirer/prompts prompt rejects with this error (its class is not exported by name we can rely on). */
const isPromptClosed = (e: unknown) => e instanceof Error && e.name === 'ExitPromptError';

/** The error a failed run ends with, as the user sees it: a known code, or (a bug) "failed unexpectedly". */
function userErrorOf(e: unknown): UserInputError | unknown {
  if (isPromptClosed(e)) return new UserInputError('D1-712', 'The rename prompt was closed before every question was answered. Nothing was written.');
  // A file-system error no stage turned into a diagnostic: still the user's file system, not a bug.
  if (errnoOf(e) && !(e instanceof UserInputError)) return fileSystemError(e, (e as { path?: string }).path ?? process.cwd(), 'read or write the migrations folder');
  return e;
}

/**
 * Prints a failed run's error and returns the exit code: `Error [D1-xxx]: …` on stderr, or with
 * --json `{"status":"error","diagnostics":[…]}` on stdout. Only an unexpected error (a bug) shows a stack.
 */
function reportError(thrown: unknown, json: boolean): number {
  const e = userErrorOf(thrown);
  const exitCode = isPromptClosed(thrown) ? 130 : 1;
  if (e instanceof UserInputError) {
    if (json) printJsonError(e.diagnostics.map((d) => diagnosticJson(d, process.cwd())));
    else console.error(errorText(e, process.cwd()));
    return exitCode;
  }
  const message = `drizzle-d1 failed unexpectedly: ${(e as Error)?.message ?? String(e)}`;
  if (json) printJsonError([{ severity: 'error', message }]);
  console.error(json ? message : `drizzle-d1 failed unexpectedly: ${(e as Error)?.stack ?? String(e)}`);
  return 1;
}

function printJsonError(diagnostics: object[]): void {
  process.stdout.write(JSON.stringify({ status: 'error', diagnostics }, null, 2) + '\n');
}

/** commander's errors carry `code: 'commander.…'` and the exit code it would have used. */
function commanderError(e: unknown): (Error & { code: string; exitCode: number }) | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof Error && typeof code === 'string' && code.startsWith('commander.') ? (e as Error & { code: string; exitCode: number }) : undefined;
}

/** Help and --version (printed by commander) end the run; a bad command line is D1-713. */
const COMMANDER_EXITS = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

const COMMANDS = new Set(['generate', 'rollback', 'verify', 'lint', 'rewrite']);

/** Where the flags of the command the command line names are listed. */
function helpHint(argv: readonly string[]): string {
  const command = argv.slice(2).find((a) => !a.startsWith('-'));
  return command !== undefined && COMMANDS.has(command) ? `Run drizzle-d1 ${command} --help for the flags.` : 'Run drizzle-d1 --help for the commands.';
}

export async function main(argv = process.argv): Promise<void> {
  try {
    await program().parseAsync(argv);
  } catch (e) {
    const cli = commanderError(e);
    if (cli && COMMANDER_EXITS.has(cli.code)) {
      process.exitCode = cli.exitCode;
      return;
    }
    const error = cli ? new UserInputError('D1-713', `${cli.message.replace(/^error: /, '').replace(/\.?$/, '.')} ${helpHint(argv)}`) : e;
    process.exitCode = reportError(error, argv.includes('--json'));
  }
}
