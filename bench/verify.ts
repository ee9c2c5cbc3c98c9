/**
 * How long `drizzle-d1 verify` takes on a long history: a synthetic folder of 200 migrations over 50
 * tables (0000 creates them, every third one a cascade child of the one before; then column adds,
 * indexes, and rebuilds of the tables without children, round the tables), verified with the default synthetic rows (200
 * per table, topped up after every migration). Prints the wall time of verifyFolder, median of
 * --runs N (default 3). Target: under 10 s on a 2-core machine. Not a test: nothing is asserted.
 *
 *   npx tsx bench/verify.ts [--runs N] [--migrations N] [--tables N] [--rows N] [--keep]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { verifyFolder } from '../src/verify/verify.js';
import { numberFlag } from './args.js';

const argv = process.argv.slice(2);
const RUNS = numberFlag('--runs', 3);
const MIGRATIONS = numberFlag('--migrations', 200);
const TABLES = numberFlag('--tables', 50);
const ROWS = numberFlag('--rows', 200);
const BREAK = '\n--> statement-breakpoint\n';

/** Table i: an id, a name, a timestamp, and every third one a cascade reference to table i-1. */
function columnsOf(i: number, extra: string[]): string {
  const fk = i > 0 && i % 3 === 0 ? [`\`parent_id\` integer REFERENCES \`t${i - 1}\`(\`id\`) ON DELETE cascade`] : [];
  return ['`id` integer PRIMARY KEY NOT NULL', '`name` text NOT NULL', '`created_at` integer DEFAULT (unixepoch()) NOT NULL', ...fk, ...extra].join(',\n\t');
}

/** A rebuild of table i, which has no children (its default changes): copy, drop, rename. */
function rebuild(i: number, extra: string[]): string {
  const cols = ['id', 'name', 'created_at', ...(i > 0 && i % 3 === 0 ? ['parent_id'] : []), ...extra.map((e) => e.split('`')[1]!)].map((c) => `\`${c}\``).join(', ');
  return [
    'PRAGMA defer_foreign_keys = ON;',
    `CREATE TABLE \`__new_t${i}\` (\n\t${columnsOf(i, extra.map((e) => e.replace(" DEFAULT 'x'", " DEFAULT 'y'")))}\n);`,
    `INSERT INTO \`__new_t${i}\` (${cols}) SELECT ${cols} FROM \`t${i}\`;`,
    `DROP TABLE \`t${i}\`;`,
    `ALTER TABLE \`__new_t${i}\` RENAME TO \`t${i}\`;`,
    'PRAGMA defer_foreign_keys = OFF;',
  ].join(BREAK);
}

/** Table i has a child (table i+1 references it). */
const hasChild = (i: number) => (i + 1) % 3 === 0 && i + 1 < TABLES;

/** Write the folder: SQL files and a journal (no snapshots: every migration declares nothing). */
function writeHistory(dir: string): void {
  mkdirSync(join(dir, 'meta'), { recursive: true });
  const extras: string[][] = Array.from({ length: TABLES }, () => []);
  const files: string[] = [Array.from({ length: TABLES }, (_, i) => `CREATE TABLE \`t${i}\` (\n\t${columnsOf(i, [])}\n);`).join(BREAK)];
  for (let m = 1; m < MIGRATIONS; m++) {
    const i = m % TABLES;
    if (m % 3 === 1 || (m % 3 === 0 && hasChild(i))) {
      extras[i]!.push(`\`c${m}\` text DEFAULT 'x'`);
      files.push(`ALTER TABLE \`t${i}\` ADD \`c${m}\` text DEFAULT 'x';`);
    } else if (m % 3 === 2) files.push(`CREATE INDEX \`t${i}_i${m}\` ON \`t${i}\` (\`name\`);`);
    else files.push(rebuild(i, extras[i]!));
  }
  const entries = files.map((sql, idx) => {
    const tag = `${String(idx).padStart(4, '0')}_m${idx}`;
    writeFileSync(join(dir, `${tag}.sql`), sql);
    return { idx, version: '6', when: 1700000000000 + idx, tag, breakpoints: true };
  });
  writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify({ version: '7', dialect: 'sqlite', entries }, null, 2));
}

const dir = mkdtempSync(join(os.tmpdir(), 'drizzle-d1-bench-verify-'));
try {
  writeHistory(dir);
  const times: number[] = [];
  let summary = '';
  for (let r = 0; r < RUNS; r++) {
    const started = performance.now();
    const report = verifyFolder({ out: dir, rows: ROWS });
    times.push(performance.now() - started);
    const copied = report.migrations.reduce((n, m) => n + (m.cost?.rowsCopied ?? 0), 0);
    summary = `${report.migrations.length} migrations verified, ${copied} rows copied by rebuilds, ${report.diagnostics.length} findings, exit ${report.exitCode}`;
  }
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  console.log(`verify: ${MIGRATIONS} migrations over ${TABLES} tables, ${ROWS} rows per table: ${(median / 1000).toFixed(2)} s (median of ${RUNS}; runs ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s; target < 10 s)`);
  console.log(summary);
} finally {
  if (!argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
}
