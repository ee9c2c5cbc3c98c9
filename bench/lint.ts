/**
 * `drizzle-d1 lint` on a 200-migration folder against drizzle-kit's own `generate` on the same
 * project (the acceptance of issue #13: lint takes no longer than drizzle-kit generate).
 *
 * The project is built by drizzle-d1's generate, one migration per schema change: 12 tables in a
 * cascade chain first, then a rotating mix of new child tables, added columns, indexes and changed
 * defaults (a rebuild of a parent with its children moved), so the folder holds drizzle-d1's real
 * files and snapshots. Then each tool runs as the user runs it, a fresh process in the project folder:
 *   lint       node bin/drizzle-d1.cjs lint            (replays all 200 files, every rule)
 *   generate   node node_modules/drizzle-kit/bin.cjs generate  (reads all 200 snapshots, no change to write;
 *              the 0.x package by path: node_modules/.bin/drizzle-kit may link the 1.0 alias drizzle-kit-v1)
 * alternating, --runs N times each (default 5) after one unmeasured warm-up; medians and their ratio.
 * Two folders, measured one after the other in the same project: drizzle-d1's own files, then every
 * migration after the first replaced by the SQL drizzle-kit's API writes for the same two snapshots
 * (the folder lint usually meets: single-table rebuilds, no children moved; the snapshots, so
 * drizzle-kit's work, stay the same). For each, SQLite alone running the folder's statements in
 * this process shows the floor of any replay.
 *
 *   npx tsx bench/lint.ts [--runs N] [--migrations N] [--keep]
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CORE, repoRoot, TempProject } from '../test/support/project.js';
import { flag, numberFlag } from './args.js';

const RUNS = numberFlag('--runs', 5);
const MIGRATIONS = numberFlag('--migrations', 200);
const CHAIN = 12;

interface TableShape {
  parent?: string;
  columns: string[];
  /** The default of `label`, changed to make a rebuild. */
  label: number;
  indexes: string[];
}

function tableSource(name: string, t: TableShape): string {
  const cols = [`id: integer('id').primaryKey()`, `label: text('label').notNull().default('v${t.label}')`];
  if (t.parent) cols.push(`parentId: integer('parent_id').references(() => ${t.parent}.id, { onDelete: 'cascade' })`);
  for (const c of t.columns) cols.push(`${c}: text('${c}')`);
  const extra = t.indexes.length ? `, (t) => [${t.indexes.map((c) => `index('${name}_${c}_idx').on(t.${c})`).join(', ')}]` : '';
  return `export const ${name} = sqliteTable('${name}', { ${cols.join(', ')} }${extra});\n`;
}

const schemaSource = (tables: Map<string, TableShape>) => CORE + [...tables].map(([n, t]) => tableSource(n, t)).join('');

/** The change of step k, applied to `tables`. */
function change(tables: Map<string, TableShape>, k: number): void {
  const target = `t${k % CHAIN}`;
  const t = tables.get(target)!;
  if (k % 4 === 0) tables.set(`n${k}`, { parent: target, columns: [], label: 0, indexes: [] });
  else if (k % 4 === 1) t.columns.push(`c${k}`);
  else if (k % 4 === 2) t.label = k;
  else if (t.columns.length > t.indexes.length) t.indexes.push(t.columns[t.indexes.length]!);
  else t.columns.push(`c${k}`);
}

async function buildProject(): Promise<TempProject> {
  const project = new TempProject();
  const tables = new Map<string, TableShape>();
  for (let i = 0; i < CHAIN; i++) tables.set(`t${i}`, { parent: i ? `t${i - 1}` : undefined, columns: [], label: 0, indexes: [] });
  const started = performance.now();
  for (let k = 0; k < MIGRATIONS; k++) {
    if (k > 0) change(tables, k);
    project.schema(schemaSource(tables));
    const r = await project.generate({ flags: { name: `step_${k}` } });
    if (!r.migration) throw new Error(`step ${k}: no migration generated`);
  }
  console.log(`built ${MIGRATIONS} migrations in ${((performance.now() - started) / 1000).toFixed(1)} s: ${project.dir}`);
  return project;
}

function timeRun(dir: string, command: string, args: string[]): { ms: number; status: number | null; out: string } {
  const started = performance.now();
  const r = spawnSync(command, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { ms: performance.now() - started, status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Each migration after the first replaced by drizzle-kit's SQL for the same two snapshots. */
async function useDrizzleKitSql(project: TempProject): Promise<void> {
  const api = await import('drizzle-kit/api');
  type Json = Parameters<typeof api.generateSQLiteMigration>[0];
  const files = project.sqlFiles();
  const snapshot = (file: string) => JSON.parse(readFileSync(join(project.out, 'meta', `${file.split('_')[0]}_snapshot.json`), 'utf8')) as Json;
  for (let i = 1; i < files.length; i++) {
    const statements = await api.generateSQLiteMigration(snapshot(files[i - 1]!), snapshot(files[i]!));
    writeFileSync(join(project.out, files[i]!), statements.join('--> statement-breakpoint\n'));
  }
  console.log(`replaced ${files.length - 1} migrations by drizzle-kit's SQL`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Comparison {
  folder: string;
  lint: number[];
  generate: number[];
  /** SQLite alone running the folder's statements in this process (the replay's floor), best of three. */
  sqlite: number;
}

/** SQLite running every file of `out` in a transaction of its own, foreign keys on: what any replay costs at least. */
function sqliteAlone(out: string, files: string[]): number {
  const best: number[] = [];
  for (let i = 0; i < 3; i++) {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    const started = performance.now();
    for (const file of files) {
      db.exec('BEGIN');
      for (const statement of readFileSync(join(out, file), 'utf8').split('--> statement-breakpoint')) db.exec(statement);
      db.exec('COMMIT');
    }
    best.push(performance.now() - started);
    db.close();
  }
  return Math.min(...best);
}

/** lint and drizzle-kit generate in the project as it is now, alternating, after one warm-up each. */
function compare(project: TempProject, folder: string, cli: string, kit: string): Comparison {
  const lint = () => timeRun(project.dir, process.execPath, [cli, 'lint']);
  const generate = () => timeRun(project.dir, process.execPath, [kit, 'generate']);
  const first = lint();
  const kitFirst = generate();
  console.log(`${folder}: lint (warm-up) exit ${first.status}, ${first.out.trim().split('\n').at(-1)}`);
  if (kitFirst.status !== 0) throw new Error(`drizzle-kit generate failed, so there is nothing to compare with:\n${kitFirst.out}`);
  const times = { lint: [] as number[], generate: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    const order = i % 2 ? (['generate', 'lint'] as const) : (['lint', 'generate'] as const);
    for (const tool of order) times[tool].push((tool === 'lint' ? lint() : generate()).ms);
  }
  return { folder, ...times, sqlite: sqliteAlone(project.out, project.sqlFiles()) };
}

function report(c: Comparison): string {
  const l = median(c.lint);
  const g = median(c.generate);
  const runs = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  return [
    `${c.folder}:`,
    `  lint                  median ${l.toFixed(0)} ms (${runs(c.lint)})`,
    `  drizzle-kit generate  median ${g.toFixed(0)} ms (${runs(c.generate)})`,
    `  ratio lint / drizzle-kit generate: ${(l / g).toFixed(2)}×`,
    `  SQLite alone on the folder's statements: ${c.sqlite.toFixed(0)} ms (${(c.sqlite / g).toFixed(2)}× of drizzle-kit generate; the replay's floor)`,
  ].join('\n');
}

async function main(): Promise<void> {
  const cli = join(repoRoot, 'bin', 'drizzle-d1.cjs');
  if (!existsSync(join(repoRoot, 'dist', 'cli.cjs'))) throw new Error('build the CLI first: npm run build');
  const kit = join(repoRoot, 'node_modules', 'drizzle-kit', 'bin.cjs');
  const project = await buildProject();
  const own = compare(project, "drizzle-d1's migrations (every rebuild moves the parent's children: one RENAME per table)", cli, kit);
  await useDrizzleKitSql(project);
  const kits = compare(project, "drizzle-kit's migrations for the same changes (the folder lint usually meets)", cli, kit);
  console.log(`\n${MIGRATIONS} migrations, ${RUNS} runs per tool and folder\n${report(kits)}\n${report(own)}`);
  const met = median(kits.lint) <= median(kits.generate);
  console.log(`target (issue #13): lint on drizzle-kit's folder ≤ 1.00× drizzle-kit generate: ${met ? 'met' : 'not met'}`);
  if (!flag('--keep')) project.dispose();
}

await main();
