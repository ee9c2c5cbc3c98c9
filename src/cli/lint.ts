/**
 * `drizzle-d1 lint [tags or files…]`: the findings of src/lint/ for people (grouped by file, coloured
 * on a terminal), as JSON (`--json`) or as GitHub Actions annotations (`--format github`). Exit 1
 * when an error-level finding fires, 0 otherwise.
 */
import { existsSync } from 'node:fs';
import { isatty } from 'node:tty';
import { resolve } from 'node:path';
import type * as Commander from 'commander';
import { displayPath, UserInputError } from '../diagnostics/errors.js';
import { resolveConfig } from '../config/index.js';
import type { Finding } from '../lint/finding.js';
import { diagnosticJson, errorText, fixText } from './report.js';

export interface FolderOptions {
  config?: string;
  out?: string;
  json?: boolean;
}

interface LintCliOptions extends FolderOptions {
  format?: string;
  wrangler?: boolean;
}

/**
 * The folder `--out` names, absolute. Given by hand, it must exist: a typo would otherwise be linted
 * or verified as an empty folder and reported clean. `emptyCode`: the command's code for a bad flag value.
 */
export function givenFolder(out: string, cwd: string, emptyCode: 'D1-703' | 'D1-462'): string {
  if (out === '') throw new UserInputError(emptyCode, '--out is empty: pass the migrations folder (drizzle.config.ts\'s "out", e.g. --out drizzle), or leave --out out to use the config\'s.');
  const dir = resolve(cwd, out);
  if (!existsSync(dir)) {
    throw new UserInputError('D1-625', `The migrations folder ${displayPath(dir, cwd)} (from --out) does not exist. Check the path, which is relative to ${cwd}, or leave --out out to use the folder drizzle.config.ts names.`, dir);
  }
  return dir;
}

/** The migrations folder: `--out`, else the config's `out`. */
export async function migrationsFolder(opts: FolderOptions, cwd: string): Promise<{ out: string; root: string }> {
  if (opts.out !== undefined) return { out: givenFolder(opts.out, cwd, 'D1-703'), root: cwd };
  const config = await resolveConfig({ config: opts.config }, cwd);
  return { out: config.out, root: config.projectRoot };
}

const paint = (on: boolean, code: number, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/** Findings grouped by file, one block per file. */
export function humanLines(findings: readonly Finding[], files: readonly string[], root: string, colour: boolean): string[] {
  const lines: string[] = [];
  for (const file of files) {
    const mine = findings.filter((f) => f.file === file);
    if (!mine.length) continue;
    lines.push(paint(colour, 4, displayPath(file, root)));
    for (const f of mine) {
      const severity = f.severity === 'error' ? paint(colour, 31, 'error  ') : paint(colour, 33, 'warning');
      lines.push(`  ${String(f.line ?? '-').padStart(4)}  ${severity}  ${f.code}  ${f.message}`);
      for (const fix of f.fixes ?? []) lines.push(`${' '.repeat(26)}fix: ${fixText(fix)}`);
    }
    lines.push('');
  }
  return lines;
}

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** One GitHub Actions workflow command per finding (`::error file=…,line=…::message`). */
export function githubLines(findings: readonly Finding[], root: string): string[] {
  return findings.map((f) => {
    const props = [`file=${escapeProperty(displayPath(f.file, root))}`, ...(f.line ? [`line=${f.line}`] : []), `title=${escapeProperty(f.code)}`];
    const fix = f.fixes?.length ? ` Fix: ${f.fixes.map((x) => fixText(x)).join('; or ')}.` : '';
    return `::${f.severity === 'error' ? 'error' : 'warning'} ${props.join(',')}::${escapeData(`${f.code} ${f.message}.${fix}`)}`;
  });
}

function counts(findings: readonly Finding[]) {
  const errors = findings.filter((f) => f.severity === 'error').length;
  return { errors, warnings: findings.length - errors };
}

async function lintCommand(only: string[], opts: LintCliOptions): Promise<number> {
  if (opts.format !== undefined && opts.format !== 'github' && opts.format !== 'human') {
    throw new UserInputError('D1-703', `--format ${opts.format} is not accepted; use --format github (GitHub Actions annotations) or leave it out.`);
  }
  const cwd = process.cwd();
  const { out, root } = await migrationsFolder(opts, cwd);
  const { lintFolder } = await import('../lint/lint.js');
  const result = lintFolder(out, { only, runner: opts.wrangler ? 'wrangler' : 'journal' });
  const { errors, warnings } = counts(result.findings);
  if (opts.json) {
    const report = { status: errors ? 'errors' : 'ok', files: result.files.map((f) => displayPath(f, root)), notReached: result.notReached.map((f) => displayPath(f, root)), errors, warnings, findings: result.findings.map((f) => diagnosticJson(f, root)) };
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  } else if (opts.format === 'github') {
    process.stdout.write(githubLines(result.findings, root).map((l) => `${l}\n`).join(''));
  } else {
    const lines = humanLines(result.findings, result.files, root, isatty(1));
    for (const f of result.notReached) lines.push(`${displayPath(f, root)}: not analysed (an earlier migration fails)`);
    lines.push(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} in ${result.files.length} migration${result.files.length === 1 ? '' : 's'}`);
    process.stdout.write(lines.join('\n') + '\n');
  }
  return errors ? 1 : 0;
}

/** A run's bad input as `Error [D1-xxx]: …` (or JSON); anything else is a bug and keeps its stack. */
export function reportCommandError(e: unknown, json: boolean): number {
  if (e instanceof UserInputError) {
    if (json) process.stdout.write(JSON.stringify({ status: 'error', diagnostics: e.diagnostics.map((d) => diagnosticJson(d, process.cwd())) }, null, 2) + '\n');
    else console.error(errorText(e, process.cwd()));
    return 1;
  }
  console.error(`drizzle-d1 failed unexpectedly: ${(e as Error)?.stack ?? String(e)}`);
  return 1;
}

export function registerLint(program: Commander.Command): void {
  program
    .command('lint')
    .description('check existing migrations for D1 hazards (lost rows, failing applies), against the replayed schema')
    .argument('[migrations...]', 'tags or .sql files to report on (default: every migration)')
    .option('--config <path>', 'path to drizzle.config.ts|js|json')
    .option('--out <dir>', 'migrations folder (instead of the config)')
    .option('--json', 'print the findings as JSON')
    .option('--wrangler', "lint every .sql file in wrangler's order, files without a journal entry included")
    .option('--format <format>', 'github: GitHub Actions annotations')
    .action(async (only: string[], opts: LintCliOptions) => {
      try {
        process.exitCode = await lintCommand(only, opts);
      } catch (e) {
        process.exitCode = reportCommandError(e, Boolean(opts.json));
      }
    });
}
