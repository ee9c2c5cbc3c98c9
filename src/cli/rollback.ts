/**
 * `drizzle-d1 rollback <tag> [--print]`: prints the runbook for undoing one migration and writes its
 * down file (`<out>/rollback/<tag>.down.sql`, or `<out>/<folder>/down.sql` in drizzle-kit 1.0's layout) when it is missing. It never connects to a database.
 * Errors are thrown to `main`, which prints them with their code.
 */
import type * as Commander from 'commander';
import { displayPath } from '../diagnostics/errors.js';
import { diagnosticJson } from './report.js';

interface RollbackCliOptions {
  config?: string;
  print?: boolean;
  json?: boolean;
}

/** The leading comment block of a down file (header and runbook), without the comment markers. */
export function runbookText(fileText: string): string[] {
  const lines: string[] = [];
  for (const line of fileText.split('\n')) {
    if (!line.startsWith('--') || line.startsWith('--> statement-breakpoint')) break;
    lines.push(line.replace(/^-- ?/, ''));
  }
  return lines;
}

async function runRollback(tag: string, opts: RollbackCliOptions): Promise<number> {
  const { rollbackCommand } = await import('../rollback/command.js');
  const r = await rollbackCommand({ cwd: process.cwd(), tag, ...(opts.config !== undefined ? { config: opts.config } : {}), print: Boolean(opts.print) });
  const shown = displayPath(r.file.path, r.projectRoot);
  if (opts.json) {
    const json = { status: r.status, tag: r.file.runbook.tag, file: shown, kind: r.file.down.kind, diagnostics: r.file.diagnostics.map((d) => diagnosticJson(d, r.projectRoot)), ...(opts.print ? { text: r.text } : {}) };
    process.stdout.write(JSON.stringify(json, null, 2) + '\n');
  } else if (opts.print) {
    process.stdout.write(r.text);
  } else {
    const status = r.status === 'written' ? 'written' : 'already there, kept as it is';
    process.stdout.write([`[✓] Rollback file ➜ ${shown} (${status})`, '', ...runbookText(r.text)].join('\n') + '\n');
  }
  return 0;
}

export function registerRollback(program: Commander.Command): void {
  program
    .command('rollback')
    .description('print the runbook that undoes a migration, and write its down file if missing (rollback/<tag>.down.sql; <folder>/down.sql in drizzle-kit 1.0\'s layout)')
    .argument('<tag>', 'the migration: its tag (0003_add_posts, 20261202093000_add_posts), file name, number (0003), timestamp or name')
    .option('--config <path>', 'path to drizzle.config.ts|js|json')
    .option('--print', 'print the down file instead of writing it')
    .option('--json', 'print the result as JSON')
    .action(async (tag: string, opts: RollbackCliOptions) => {
      process.exitCode = await runRollback(tag, opts);
    });
}
