/**
 * `npm run bench` (issue "Benchmarks: generate speed and migration cost against drizzle-kit").
 *
 * 1. Generate speed: synthetic Drizzle projects in a temp folder; drizzle-d1 and drizzle-kit run on the
 *    same inputs, alternating, each measured run on a fresh copy of the prepared folder. Wall time is
 *    measured around the child process, peak memory is the child's peak RSS (GNU `time -f %M`, or
 *    `process.resourceUsage().maxRSS` from a preloaded exit hook when GNU time is absent).
 * 2. Migration cost: rows each generated migration rewrites (drizzle-d1's plan and what the D1 applier
 *    counts), next to the detach/reattach workaround and the minimum, for every planner scenario and
 *    for the 300-table change; and the wall time to apply that change to a 1,000,000-row child table.
 * 3. A markdown report on stdout and in bench/README.md, with the command that reproduces it.
 *
 * Flags: --reps N (default 21), --quick (2 reps, 1 apply), --rows N (rows of the big child table,
 * default 1000000), --no-readme (print only), --no-build (skip `tsc`), --keep (keep the temp folder).
 */
import Database from 'better-sqlite3';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { applyMigration, openD1Database } from '../src/d1/apply.js';
import { summarizePlan, type PlanSummary } from '../src/plan/summary.js';
import { migrationWrites, prepareScenario } from '../test/support/scenario.js';
import { scenarios } from '../test/scenarios/scenarios.js';

// ---------------------------------------------------------------------------------------------------
// Options and environment
// ---------------------------------------------------------------------------------------------------

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const numberFlag = (name: string, fallback: number) => {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} needs a positive integer`);
  return n;
};
const quick = flag('--quick');
const reps = numberFlag('--reps', quick ? 2 : 21);
const applyReps = quick ? 1 : 3;
const bigRows = numberFlag('--rows', 1_000_000);
const command = `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`;

const TABLES = 300;
const SMALL_TABLES = 5;
/** Tables whose `price` column changes type (real → integer): every sixth, 50 of 300. */
const CHANGED = new Set(Array.from({ length: TABLES }, (_, i) => i).filter((i) => i % 6 === 5));
/** Rows per table for the row counts, and per table besides the big child for the apply timing. */
const COST_ROWS = 10;
const BASE_ROWS = 1_000;
/** A child of a changed table (t024 → t011) that does not change itself, so drizzle-d1 must move it. */
const BIG_CHILD = 24;

const base = mkdtempSync(join(os.tmpdir(), 'drizzle-d1-bench-'));
// The temp folder goes away however the run ends (unless --keep).
process.on('exit', () => {
  if (!flag('--keep')) rmSync(base, { recursive: true, force: true });
});
/**
 * The drizzle-d1 under test: by default compiled from src/ into the temp folder (bin/ copied next to it),
 * so the run neither touches the repository's dist/ nor sees a concurrent rebuild of it. --no-build: the
 * repository's bin/ and dist/ as they are.
 */
const d1Root = flag('--no-build') ? repo : join(base, 'drizzle-d1');
const D1_BIN = join(d1Root, 'bin', 'drizzle-d1.cjs');
const KIT_BIN = join(repo, 'node_modules', 'drizzle-kit', 'bin.cjs');
const childEnv: NodeJS.ProcessEnv = { ...process.env };
delete childEnv.NODE_OPTIONS;

const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);

// ---------------------------------------------------------------------------------------------------
// Synthetic schema
// ---------------------------------------------------------------------------------------------------

const pad = (i: number) => String(i).padStart(3, '0');
const tname = (i: number) => `t${pad(i)}`;
/** Each table references one earlier table (a binary tree: t001, t002 → t000; t003, t004 → t001 …). */
const parentOf = (i: number) => Math.floor((i - 1) / 2);

/** `n` tables of 8 columns, one index and (but t000) one ON DELETE CASCADE foreign key each. */
function schemaSource(n: number, changed: ReadonlySet<number> = new Set()): string {
  let s = `import { sqliteTable, integer, text, real, index } from 'drizzle-orm/sqlite-core';\n\n`;
  for (let i = 0; i < n; i++) {
    const t = tname(i);
    const parent =
      i === 0
        ? `integer('parent_id')`
        : `integer('parent_id').notNull().references(() => ${tname(parentOf(i))}.id, { onDelete: 'cascade' })`;
    s +=
      `export const ${t} = sqliteTable('${t}', {\n` +
      `  id: integer('id').primaryKey(),\n` +
      `  parentId: ${parent},\n` +
      `  name: text('name').notNull(),\n` +
      `  email: text('email'),\n` +
      `  score: integer('score').notNull().default(0),\n` +
      `  price: ${changed.has(i) ? `integer('price')` : `real('price')`},\n` +
      `  createdAt: integer('created_at', { mode: 'timestamp' }),\n` +
      `  note: text('note'),\n` +
      `}, (t) => [index('${t}_parent_idx').on(t.parentId)]);\n\n`;
  }
  return s;
}

/** Fill every table (parents first): `rows(i)` rows, each child row pointing at an existing parent row. */
function seedSql(n: number, rows: (i: number) => number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const parent = i === 0 ? 'NULL' : `((x - 1) % ${rows(parentOf(i))}) + 1`;
    out.push(
      `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${rows(i)}) ` +
        `INSERT INTO ${tname(i)} (id, parent_id, name, email, score, price, created_at, note) ` +
        `SELECT x, ${parent}, 'name ' || x, 'user' || x || '@example.com', x % 100, x * 0.25, 1700000000 + x, NULL FROM c;`,
    );
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------------
// Projects and child processes
// ---------------------------------------------------------------------------------------------------

let runCounter = 0;

function makeProject(dir: string, schema: string): string {
  mkdirSync(join(dir, 'src'), { recursive: true });
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(
    join(dir, 'drizzle.config.ts'),
    `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'sqlite', schema: './src/schema.ts', out: './drizzle' });\n`,
  );
  writeFileSync(join(dir, 'src', 'schema.ts'), schema);
  return dir;
}

const sqlFiles = (dir: string) => {
  const out = join(dir, 'drizzle');
  return existsSync(out) ? readdirSync(out).filter((f) => f.endsWith('.sql')).sort() : [];
};

type Tool = 'drizzle-d1' | 'drizzle-kit';
const TOOLS: Tool[] = ['drizzle-d1', 'drizzle-kit'];

/** Peak RSS in KB, user and system CPU seconds. */
const TIME_FORMAT = '%M %U %S';
/** How peak RSS is measured: GNU time if it works here, else an exit hook preloaded into the child. */
const gnuTime = (() => {
  const out = join(base, 'time-probe.txt');
  const r = spawnSync('/usr/bin/time', ['-f', TIME_FORMAT, '-o', out, process.execPath, '-e', ''], { encoding: 'utf8' });
  return r.status === 0 && existsSync(out) && /^\d+ [\d.]+ [\d.]+\s*$/.test(readFileSync(out, 'utf8')) ? '/usr/bin/time' : null;
})();
const rssHook = join(base, 'peak-rss.cjs');
writeFileSync(
  rssHook,
  `process.on('exit', () => { const u = process.resourceUsage(); require('node:fs').writeFileSync(process.env.BENCH_RSS_FILE, \`\${u.maxRSS} \${u.userCPUTime / 1e6} \${u.systemCPUTime / 1e6}\`); });\n`,
);

interface Run {
  ms: number;
  rssKB: number;
  /** User + system CPU time of the child. */
  cpuMs: number;
  stdout: string;
  stderr: string;
  dir: string;
}

/**
 * One child run of `tool generate` in a fresh copy of `prepared`, always at the same path (as a user
 * re-running in their project; tsx's transform cache is keyed by path), removed after unless `keep`.
 */
function runTool(tool: Tool, prepared: string, opts: { args?: string[]; nodeArgs?: string[]; keep?: boolean } = {}): Run {
  const dir = join(base, 'project');
  ++runCounter;
  rmSync(dir, { recursive: true, force: true });
  cpSync(prepared, dir, { recursive: true, verbatimSymlinks: true });
  const rssFile = join(base, `rss-${runCounter}.txt`);
  const nodeArgs = [...(opts.nodeArgs ?? []), tool === 'drizzle-d1' ? D1_BIN : KIT_BIN, 'generate', ...(opts.args ?? [])];
  const [file, args] = gnuTime
    ? [gnuTime, ['-f', TIME_FORMAT, '-o', rssFile, process.execPath, ...nodeArgs]]
    : [process.execPath, ['--require', rssHook, ...nodeArgs]];
  const t0 = performance.now();
  const r = spawnSync(file, args, { cwd: dir, encoding: 'utf8', env: { ...childEnv, BENCH_RSS_FILE: rssFile }, maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${tool} generate failed in ${dir} (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  const [rssKB, user, sys] = readFileSync(rssFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number) as [number, number, number];
  rmSync(rssFile);
  if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  return { ms, rssKB, cpuMs: (user + sys) * 1000, stdout: r.stdout, stderr: r.stderr, dir };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

// ---------------------------------------------------------------------------------------------------
// Report helpers
// ---------------------------------------------------------------------------------------------------

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (kb: number) => (kb / 1024).toFixed(1);
const x = (r: number) => `${r.toFixed(2)}×`;
const table = (head: string[], rows: (string | number)[][], align?: string[]) =>
  [
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => align?.[i] ?? '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

// ---------------------------------------------------------------------------------------------------
// 0. Build and machine
// ---------------------------------------------------------------------------------------------------

const started = performance.now();
const loadAtStart = os.loadavg();
if (d1Root !== repo) {
  log(`compiling src/ into ${join(d1Root, 'dist')}`);
  execFileSync(process.execPath, [join(repo, 'scripts', 'build.mjs'), '--out-dir', join(d1Root, 'dist')], { cwd: repo, stdio: 'inherit' });
  mkdirSync(join(d1Root, 'bin'));
  copyFileSync(join(repo, 'bin', 'drizzle-d1.cjs'), D1_BIN);
  copyFileSync(join(repo, 'package.json'), join(d1Root, 'package.json'));
  cpSync(join(repo, 'templates'), join(d1Root, 'templates'), { recursive: true });
  symlinkSync(join(repo, 'node_modules'), join(d1Root, 'node_modules'), 'dir');
}

const pkgVersion = (name: string) =>
  (JSON.parse(readFileSync(join(repo, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
const git = (...args: string[]) => {
  try {
    return execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
};
const cpus = os.cpus();
const sqliteVersion = (new Database(':memory:').prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
const machine = {
  node: process.version,
  os: `${os.type()} ${os.release()} ${os.arch()}`,
  cpu: `${cpus[0]?.model.trim() ?? 'unknown'} × ${cpus.length} logical cores (os.availableParallelism() = ${os.availableParallelism()})`,
  memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
  versions: `drizzle-kit ${pkgVersion('drizzle-kit')}, drizzle-orm ${pkgVersion('drizzle-orm')}, tsx ${pkgVersion('tsx')}, SQLite ${sqliteVersion} (better-sqlite3 ${pkgVersion('better-sqlite3')})`,
  commit: `${git('rev-parse', '--short', 'HEAD') || 'unknown'}${git('status', '--porcelain', '--', 'src', 'bin') ? ' + uncommitted changes in src/ or bin/' : ''}`,
  peakRss: gnuTime ? 'GNU time `%M` (max resident set size of the child)' : '`process.resourceUsage().maxRSS` in an exit hook preloaded into the child',
};

// ---------------------------------------------------------------------------------------------------
// 1. Generate speed
// ---------------------------------------------------------------------------------------------------

log(`temp folder ${base}`);
const prepared = join(base, 'prepared');
const init300 = makeProject(join(prepared, 'init300'), schemaSource(TABLES));
const same300 = makeProject(join(prepared, 'same300'), schemaSource(TABLES));
const same5 = makeProject(join(prepared, 'same5'), schemaSource(SMALL_TABLES));
// The folders that already hold an initial migration get it from drizzle-kit (the adoption path: a
// project switching to drizzle-d1 has drizzle-kit's files); drizzle-d1 must read them as its own.
for (const dir of [same300, same5]) {
  const r = spawnSync(process.execPath, [KIT_BIN, 'generate'], { cwd: dir, encoding: 'utf8', env: childEnv });
  if (r.status !== 0 || sqlFiles(dir).length !== 1) throw new Error(`preparing ${dir} failed:\n${r.stdout}\n${r.stderr}`);
}
const change300 = join(prepared, 'change300');
cpSync(same300, change300, { recursive: true, verbatimSymlinks: true });
writeFileSync(join(change300, 'src', 'schema.ts'), schemaSource(TABLES, CHANGED));

interface Case {
  id: string;
  label: string;
  dir: string;
  /** .sql files the folder must hold after the run (proves both tools did the same work). */
  expectSql: number;
}
const cases: Case[] = [
  { id: 'init300', label: `initial migration, ${TABLES} tables`, dir: init300, expectSql: 1 },
  { id: 'change300', label: `type change in ${CHANGED.size} of ${TABLES} tables`, dir: change300, expectSql: 2 },
  { id: 'same300', label: `no change, ${TABLES} tables`, dir: same300, expectSql: 1 },
  { id: 'same5', label: `no change, ${SMALL_TABLES} tables`, dir: same5, expectSql: 1 },
];

interface CaseResult {
  c: Case;
  ms: Record<Tool, number[]>;
  rss: Record<Tool, number[]>;
  cpu: Record<Tool, number[]>;
}
const speed: CaseResult[] = [];
for (const c of cases) {
  const res: CaseResult = { c, ms: { 'drizzle-d1': [], 'drizzle-kit': [] }, rss: { 'drizzle-d1': [], 'drizzle-kit': [] }, cpu: { 'drizzle-d1': [], 'drizzle-kit': [] } };
  const once = (tool: Tool) => {
    const r = runTool(tool, c.dir, { keep: true });
    const n = sqlFiles(r.dir).length;
    rmSync(r.dir, { recursive: true, force: true });
    if (n !== c.expectSql) throw new Error(`${tool} on ${c.id}: ${n} .sql files, expected ${c.expectSql}\n${r.stdout}\n${r.stderr}`);
    return r;
  };
  for (const tool of TOOLS) once(tool); // warm-up (file cache, tsx's transform cache), not counted
  for (let i = 0; i < reps; i++) {
    for (const tool of i % 2 ? [...TOOLS].reverse() : TOOLS) {
      const r = once(tool);
      res.ms[tool].push(r.ms);
      res.rss[tool].push(r.rssKB);
      res.cpu[tool].push(r.cpuMs);
    }
  }
  speed.push(res);
  log(
    `${c.label}: drizzle-d1 ${int(median(res.ms['drizzle-d1']))} ms / ${mb(median(res.rss['drizzle-d1']))} MB, ` +
      `drizzle-kit ${int(median(res.ms['drizzle-kit']))} ms / ${mb(median(res.rss['drizzle-kit']))} MB`,
  );
}
const ratio = (r: CaseResult, what: 'ms' | 'rss' | 'cpu') => median(r[what]['drizzle-d1']) / median(r[what]['drizzle-kit']);
/** The wall-time ratio of each repetition's pair of runs (back to back), lowest to highest: how much the machine's noise moves it. */
const pairedRange = (r: CaseResult) => {
  const q = r.ms['drizzle-d1'].map((d, i) => d / r.ms['drizzle-kit'][i]!).sort((a, b) => a - b);
  return `${x(q[0]!)}–${x(q.at(-1)!)}`;
};

// ---------------------------------------------------------------------------------------------------
// 1b. Where the time goes: isolated load-phase probes and a CPU profile of one run per tool
// ---------------------------------------------------------------------------------------------------

const probe = join(base, 'probe.mjs');
writeFileSync(
  probe,
  `import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { join } from 'node:path';
const [what, arg] = process.argv.slice(2);
const repoRequire = createRequire(${JSON.stringify(join(repo, 'package.json'))});
const projectRequire = createRequire(join(process.cwd(), 'package.json'));
const orm = () => { projectRequire('drizzle-orm'); projectRequire('drizzle-orm/sqlite-core'); };
const tsx = () => repoRequire('tsx/cjs/api').register();
if (what === 'schema') { orm(); tsx(); }
const t0 = performance.now();
if (what === 'require') repoRequire(arg);
if (what === 'orm') orm();
if (what === 'tsx') tsx();
if (what === 'tsx-orm') { tsx(); orm(); }
if (what === 'schema') projectRequire(join(process.cwd(), 'src/schema.ts'));
process.stdout.write(String(performance.now() - t0));
`,
);
/** The packages the CLI bundle dist/cli.cjs requires as it loads (its top-level requires). */
const d1Packages = [
  ...new Set(
    [...readFileSync(join(d1Root, 'dist', 'cli.cjs'), 'utf8').matchAll(/^var \w+ = (?:__toESM\()?require\("([^"]+)"\)/gm)]
      .map((m) => m[1]!)
      .filter((spec) => !spec.startsWith('node:')),
  ),
].sort();
const probes: { label: string; args: string[]; cwd: string }[] = [
  { label: 'bare `node -e ""` process (spawn to exit)', args: [], cwd: same5 },
  {
    label: `require drizzle-d1's CLI bundle (dist/cli.cjs, and ${d1Packages.map((d) => `\`${d}\``).join(', ')})`,
    args: ['require', join(d1Root, 'dist', 'cli.cjs')],
    cwd: same5,
  },
  ...d1Packages.map((d) => ({ label: `… \`${d}\` alone`, args: ['require', d], cwd: same5 })),
  { label: "require('drizzle-orm') + 'drizzle-orm/sqlite-core', no tsx hook yet", args: ['orm'], cwd: same5 },
  { label: '… the same two requires after the tsx hook is registered', args: ['tsx-orm'], cwd: same5 },
  { label: "register tsx's CommonJS hook (require('tsx/cjs/api').register())", args: ['tsx'], cwd: same5 },
  { label: `require the ${SMALL_TABLES}-table schema through tsx (drizzle-orm already loaded)`, args: ['schema'], cwd: same5 },
  { label: `require the ${TABLES}-table schema through tsx (drizzle-orm already loaded)`, args: ['schema'], cwd: same300 },
];
const probeResults: { label: string; ms: number }[] = [];
for (const p of probes) {
  const xs: number[] = [];
  for (let i = 0; i <= reps; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, p.args.length ? [probe, ...p.args] : ['-e', ''], { cwd: p.cwd, encoding: 'utf8', env: childEnv });
    const wall = performance.now() - t0;
    if (r.status !== 0) throw new Error(`probe ${p.label} failed:\n${r.stderr}`);
    if (i > 0) xs.push(p.args.length ? Number(r.stdout) : wall); // first run is a warm-up
  }
  probeResults.push({ label: p.label, ms: median(xs) });
}

/** drizzle-d1's pipeline functions (dist/), innermost on the stack wins: the stage a sample is charged to. */
const STAGES: Record<string, string> = {
  preloadDrizzle: 'preload drizzle-orm (before the tsx hook)',
  ensureTsx: 'register the tsx require hook',
  loadConfigModule: 'require drizzle.config.ts',
  resolveConfig: 'resolve config (rest)',
  readMigrationsFolder: 'read + zod-validate the migrations folder',
  loadSchemaModules: 'require the schema (tsx transform, drizzle-orm modules, schema code)',
  collectEntities: 'serialize the schema to a snapshot',
  serializeSchema: 'serialize the schema to a snapshot',
  resolveRenames: 'diff',
  diffSchemas: 'diff',
  planMigration: 'plan',
  renderMigration: 'render SQL',
  writeMigration: 'format + write files',
  main: 'CLI and generate() glue (commander, output)',
};

/**
 * One CPU profile, two views: sampled time by owner (the package of the nearest non-Node frame on the
 * stack) and, for drizzle-d1, by pipeline stage (innermost STAGES function on the stack).
 */
function analyseProfile(file: string): { owners: Map<string, number>; stages: Map<string, Map<string, number>> } {
  interface Node {
    id: number;
    callFrame: { functionName: string; url: string };
    children?: number[];
  }
  const prof = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const d1Dist = pathToFileURL(join(d1Root, 'dist')).href;
  const owner = (url: string): string | null => {
    if (!url || url.startsWith('node:')) return null;
    const path = url.startsWith('file://') ? fileURLToPath(url) : url;
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    if (m) return m[1] === 'drizzle-kit' ? 'drizzle-kit (bundle)' : m[1]!;
    if (path.startsWith(join(d1Root, 'dist')) || path.startsWith(join(d1Root, 'bin'))) return 'drizzle-d1 (dist/)';
    if (path.startsWith(join(base, 'project'))) return 'schema + config (user files)';
    return 'other';
  };
  const owners = new Map<string, number>();
  const stages = new Map<string, Map<string, number>>();
  const add = <K>(m: Map<K, number>, k: K, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  prof.samples.forEach((leaf, i) => {
    const dt = (prof.timeDeltas[i] ?? 0) / 1000;
    const leafName = byId.get(leaf)?.callFrame.functionName;
    let bucket: string | null = null;
    if (leafName === '(garbage collector)') bucket = 'garbage collector';
    else if (leafName === '(idle)') bucket = 'idle (waiting on I/O)';
    else if (leafName === '(program)') bucket = 'V8/Node native (program)';
    let stage: string | null = null;
    for (let id: number | undefined = leaf; id !== undefined && (bucket === null || stage === null); id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      bucket ??= owner(frame.url);
      if (stage === null && frame.url.startsWith(d1Dist) && STAGES[frame.functionName]) stage = STAGES[frame.functionName]!;
    }
    bucket ??= 'Node internals, no package on stack (startup, module loading)';
    add(owners, bucket, dt);
    stage ??= 'outside the pipeline (startup, loading dist/cli.cjs and its deps, GC, idle)';
    if (!stages.has(stage)) stages.set(stage, new Map());
    add(stages.get(stage)!, bucket, dt);
  });
  return { owners, stages };
}
const profiles: { c: Case; tool: Tool; buckets: Map<string, number>; stages: Map<string, Map<string, number>> }[] = [];
for (const c of [cases[0]!, cases[1]!, cases[3]!]) {
  for (const tool of TOOLS) {
    const dir = join(base, 'prof', `${c.id}-${tool}`);
    mkdirSync(dir, { recursive: true });
    runTool(tool, c.dir, { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '250'] });
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (file) {
      const { owners, stages } = analyseProfile(join(dir, file));
      profiles.push({ c, tool, buckets: owners, stages });
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// 2. Migration cost: rows rewritten
// ---------------------------------------------------------------------------------------------------

interface Cost {
  name: string;
  own: string[];
  moved: string[];
  /** Rows of the tables whose own definition changed (the minimum). */
  minimum: number;
  movedRows: number;
  /** drizzle-d1's plan: sum of rows of every rebuilt table (own + moved). */
  plan: number;
  /** The D1 applier's rowsWritten minus bookkeeping rows (sqlite_sequence carry, foreign-key guard). */
  applied: number;
  rowsWritten: number;
  bookkeeping: number;
  /** Rows written by the INSERT … SELECT copies. */
  copied: number;
  /** Rows SQLite deletes one by one in DROP TABLE of a table some foreign key still names (foreign keys on). */
  dropDeletes: number;
  /** What the plan says of those (`deletedByDrop`): the rows of the tables it names as certain… */
  planDeletes: number;
  /** …and at most the rows of every table it names plus those their ON DELETE actions reach in old tables. */
  planDeletesAtMost: number;
  /** Any other write (foreign-key actions, UPDATEs). */
  other: number;
  /** Most times one source table was copied. */
  maxCopies: number;
  /** detach + reattach: rebuilt tables once, every moved child twice. */
  workaround: number;
  /** Some other table references a table whose own definition changed. */
  referenced: boolean;
  ok: boolean;
}

const quoteId = (s: string) => `"${s.replace(/"/g, '""')}"`;
const countRows = (db: Database.Database, t: string) => (db.prepare(`SELECT count(*) AS n FROM ${quoteId(t)}`).get() as { n: number }).n;

/**
 * Apply `sql` to `db` (seeded, pre-migration) with the D1 applier, after replaying it on a copy one
 * statement at a time to tell copies, DROP TABLE's deletions and bookkeeping writes apart.
 */
function migrationCost(
  name: string,
  db: Database.Database,
  sql: string,
  plan: { rebuilds: { table: string; reasons: string[] }[]; deletedByDrop: PlanSummary['deletedByDrop'] },
  renamedTables: Record<string, string> = {},
): Cost {
  const oldName = new Map(Object.entries(renamedTables).map(([from, to]) => [to, from]));
  const rowsOf = (t: string) => countRows(db, oldName.get(t) ?? t);
  const own = plan.rebuilds.filter((r) => r.reasons.length).map((r) => r.table);
  const moved = plan.rebuilds.filter((r) => !r.reasons.length).map((r) => r.table);
  const minimum = own.reduce((s, t) => s + rowsOf(t), 0);
  const movedRows = moved.reduce((s, t) => s + rowsOf(t), 0);
  const planDeletes = plan.deletedByDrop.reduce((s, d) => s + (d.certain ? rowsOf(d.table) : 0), 0);
  const planDeletesAtMost = plan.deletedByDrop.reduce((s, d) => s + rowsOf(d.table) + d.actionsInto.reduce((n, t) => n + rowsOf(t), 0), 0);
  const referenced = own.some(
    (t) =>
      (db
        .prepare(`SELECT count(*) AS n FROM sqlite_schema m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table' AND m.name <> ? AND f."table" = ?`)
        .get(oldName.get(t) ?? t, oldName.get(t) ?? t) as { n: number }).n > 0,
  );

  const writes = migrationWrites(db, sql);
  const { rowsWritten } = applyMigration(db, sql, `${name}.sql`);
  if (rowsWritten !== writes.total) throw new Error(`${name}: applier counted ${rowsWritten} rows, replay ${writes.total}`);
  const copied = [...writes.copiedFrom.values()].flat().reduce((s, n) => s + n, 0);
  const dropDeletes = [...writes.deletedByDrop.values()].reduce((s, n) => s + n, 0);
  const maxCopies = Math.max(0, ...[...writes.copiedFrom.values()].map((c) => c.length));
  const plannedRows = minimum + movedRows;
  return {
    name,
    own,
    moved,
    minimum,
    movedRows,
    plan: plannedRows,
    planDeletes,
    planDeletesAtMost,
    applied: rowsWritten - writes.bookkeeping,
    rowsWritten,
    bookkeeping: writes.bookkeeping,
    copied,
    dropDeletes,
    other: writes.other,
    maxCopies,
    workaround: minimum + 2 * movedRows,
    referenced,
    ok:
      copied === plannedRows &&
      dropDeletes >= planDeletes &&
      dropDeletes <= planDeletesAtMost &&
      writes.other === 0 &&
      maxCopies <= 1 &&
      (referenced || copied === minimum),
  };
}

log(`migration cost of ${scenarios.length} planner scenarios`);
const costs: Cost[] = [];
for (const s of scenarios) {
  const { project, second, db } = await prepareScenario(s);
  try {
    const m = second.migration!;
    costs.push(migrationCost(s.name, db, m.sql, m.plan ? summarizePlan(m.plan) : { rebuilds: [], deletedByDrop: [] }, s.renames?.tables));
    db.close();
  } finally {
    project.dispose();
  }
}

interface JsonPlan {
  status: string;
  sql: string;
  plan: { rebuilt: { table: string; reasons: string[]; movedOffParents: { parent: string }[] }[]; deletedByDrop: PlanSummary['deletedByDrop'] };
}
log(`migration cost of the ${CHANGED.size}-table change`);
const d1Change = runTool('drizzle-d1', change300, { args: ['--json'], keep: true });
const json = JSON.parse(d1Change.stdout) as JsonPlan;
const changeSql = readFileSync(join(d1Change.dir, json.sql), 'utf8');
const initialSql = readFileSync(join(change300, 'drizzle', sqlFiles(change300)[0]!), 'utf8');
const kitChange = runTool('drizzle-kit', change300, { keep: true });
const kitChangeSql = readFileSync(join(kitChange.dir, 'drizzle', sqlFiles(kitChange.dir)[1]!), 'utf8');
rmSync(d1Change.dir, { recursive: true, force: true });
rmSync(kitChange.dir, { recursive: true, force: true });

const seeded = openD1Database();
applyMigration(seeded, initialSql, '0000_initial.sql');
seeded.exec(seedSql(TABLES, () => COST_ROWS));
const seededImage = seeded.serialize();
const bigCost = migrationCost(`${CHANGED.size} of ${TABLES} tables change a column type`, seeded, changeSql, { rebuilds: json.plan.rebuilt, deletedByDrop: json.plan.deletedByDrop });
seeded.close();
if (!bigCost.moved.includes(tname(BIG_CHILD))) throw new Error(`${tname(BIG_CHILD)} is not moved by the plan; pick another big child`);

// drizzle-kit's own migration for the same change, applied the way D1 runs it, on the same rows.
const kitDb = new Database(seededImage);
kitDb.pragma('foreign_keys = ON');
const totalRows = (db: Database.Database) => Array.from({ length: TABLES }, (_, i) => countRows(db, tname(i))).reduce((a, b) => a + b, 0);
const kitRowsBefore = totalRows(kitDb);
let kitOutcome: string;
try {
  applyMigration(kitDb, kitChangeSql, '0001_drizzle_kit.sql');
  const lost = kitRowsBefore - totalRows(kitDb);
  kitOutcome = lost > 0 ? `applies, but ON DELETE CASCADE deletes ${int(lost)} of ${int(kitRowsBefore)} rows` : 'applies without losing rows';
} catch (e) {
  kitOutcome = `fails: ${(e as Error).message.split('\n')[0]}`;
}
kitDb.close();

// ---------------------------------------------------------------------------------------------------
// 2b. Apply time with a 1,000,000-row child table
// ---------------------------------------------------------------------------------------------------

log(`apply timing: seeding ${int(bigRows)} rows in ${tname(BIG_CHILD)} and ${int(BASE_ROWS)} in every other table`);
const bigDbFile = join(base, 'big.db');
const rowsFor = (i: number) => (i === BIG_CHILD ? bigRows : BASE_ROWS);
{
  const db = openD1Database(bigDbFile);
  applyMigration(db, initialSql, '0000_initial.sql');
  const t0 = performance.now();
  db.exec('BEGIN');
  db.exec(seedSql(TABLES, rowsFor));
  db.exec('COMMIT');
  log(`seeded in ${int(performance.now() - t0)} ms`);
  db.close();
}
const bigTotalRows = Array.from({ length: TABLES }, (_, i) => rowsFor(i)).reduce((a, b) => a + b, 0);
const rebuiltSet = new Set(json.plan.rebuilt.map((r) => r.table));
const bigRewritten = Array.from({ length: TABLES }, (_, i) => i)
  .filter((i) => rebuiltSet.has(tname(i)))
  .reduce((s, i) => s + rowsFor(i), 0);
const bigMinimum = Array.from(CHANGED).reduce((s, i) => s + rowsFor(i), 0);
const applyMs: number[] = [];
let applyRowsWritten = 0;
for (let i = 0; i < applyReps; i++) {
  const file = join(base, `apply-${i}.db`);
  copyFileSync(bigDbFile, file);
  const db = openD1Database(file);
  const t0 = performance.now();
  applyRowsWritten = applyMigration(db, changeSql, '0001_change.sql').rowsWritten;
  applyMs.push(performance.now() - t0);
  if (countRows(db, tname(BIG_CHILD)) !== bigRows) throw new Error('rows lost in the apply timing run');
  db.close();
  rmSync(file);
}
const bigDbMB = statSync(bigDbFile).size / 2 ** 20;
log(`applied in ${int(median(applyMs))} ms`);

// ---------------------------------------------------------------------------------------------------
// 3. Report
// ---------------------------------------------------------------------------------------------------

const byId = (id: string) => speed.find((r) => r.c.id === id)!;
interface Target {
  target: string;
  measured: string;
  met: boolean;
}
const targets: Target[] = [];
for (const id of ['init300', 'change300', 'same300']) {
  const r = byId(id);
  targets.push({
    target: `generate, ${r.c.label}: wall time ≤ 0.5× drizzle-kit`,
    measured: `${x(ratio(r, 'ms'))} (${int(median(r.ms['drizzle-d1']))} ms vs ${int(median(r.ms['drizzle-kit']))} ms)`,
    met: ratio(r, 'ms') <= 0.5,
  });
  targets.push({
    target: `generate, ${r.c.label}: peak memory ≤ 0.8× drizzle-kit`,
    measured: `${x(ratio(r, 'rss'))} (${mb(median(r.rss['drizzle-d1']))} MB vs ${mb(median(r.rss['drizzle-kit']))} MB)`,
    met: ratio(r, 'rss') <= 0.8,
  });
}
{
  const r = byId('same5');
  targets.push({
    target: `${r.c.label} (the everyday run): wall time ≤ 0.5× drizzle-kit`,
    measured: `${x(ratio(r, 'ms'))} (${int(median(r.ms['drizzle-d1']))} ms vs ${int(median(r.ms['drizzle-kit']))} ms)`,
    met: ratio(r, 'ms') <= 0.5,
  });
}
const allCosts = [...costs, bigCost];
const overCopied = allCosts.filter(
  (c) => c.maxCopies > 1 || c.copied > c.plan || c.other !== 0 || c.dropDeletes < c.planDeletes || c.dropDeletes > c.planDeletesAtMost,
);
targets.push({
  target: 'rows rewritten: every child row at most once',
  measured: overCopied.length
    ? `missed in ${overCopied.map((c) => `"${c.name}" (copied ${c.copied}, plan ${c.plan}, a table copied ${c.maxCopies}×, DROP TABLE deletes ${c.dropDeletes} where the plan says ${c.planDeletes}–${c.planDeletesAtMost}, other writes ${c.other})`).join('; ')}`
    : `${allCosts.length}/${allCosts.length} migrations copy each table at most once and write nothing else but DROP TABLE's own deletions (see *Migration cost*), each as the plan says; copied = plan in ${allCosts.filter((c) => c.copied === c.plan).length}/${allCosts.length}`,
  met: overCopied.length === 0,
});
const unreferenced = allCosts.filter((c) => !c.referenced && c.own.length);
const aboveMin = unreferenced.filter((c) => c.copied !== c.minimum);
targets.push({
  target: 'rows rewritten = minimum where no table references a rebuilt one',
  measured: aboveMin.length
    ? `missed in ${aboveMin.map((c) => `"${c.name}" (copied ${c.copied}, minimum ${c.minimum})`).join('; ')}`
    : `${unreferenced.length}/${unreferenced.length} such migrations copy exactly the minimum`,
  met: aboveMin.length === 0,
});
const withDropDeletes = allCosts.filter((c) => c.dropDeletes > 0);
const dropsAsPlanned = allCosts.filter((c) => c.dropDeletes >= c.planDeletes && c.dropDeletes <= c.planDeletesAtMost);
const dropNote =
  `**DROP TABLE's own writes.** Besides the copies, the D1 applier counts the rows \`DROP TABLE\` of an old table ` +
  `deletes one by one: SQLite's implicit \`DELETE FROM\` when foreign keys are on and a foreign key still names the ` +
  `table (a child left in place under RESTRICT/NO ACTION, a self-reference, a cycle, where the deletions' ON DELETE ` +
  `actions also write into old tables dropped later). No surviving row changes, but each is a write. drizzle-d1's plan ` +
  `names these tables (\`deletedByDrop\` and \`rowsDeletedByDrop\` in \`--json\`); the count agrees with it in ` +
  `${dropsAsPlanned.length}/${allCosts.length} migrations` +
  (withDropDeletes.length
    ? `. Where it is not zero: ${withDropDeletes.map((c) => `"${c.name}" ${c.dropDeletes} rows (plan ${c.planDeletes === c.planDeletesAtMost ? c.planDeletes : `${c.planDeletes}–${c.planDeletesAtMost}`})`).join('; ')}.`
    : '.');

const speedTable = table(
  ['case', 'drizzle-d1 wall', 'drizzle-kit wall', 'd1/kit', 'd1/kit, one pair of runs', 'drizzle-d1 peak RSS', 'drizzle-kit peak RSS', 'd1/kit', 'drizzle-d1 CPU', 'drizzle-kit CPU', 'd1/kit'],
  speed.map((r) => [
    r.c.label,
    `${int(median(r.ms['drizzle-d1']))} ms`,
    `${int(median(r.ms['drizzle-kit']))} ms`,
    x(ratio(r, 'ms')),
    pairedRange(r),
    `${mb(median(r.rss['drizzle-d1']))} MB`,
    `${mb(median(r.rss['drizzle-kit']))} MB`,
    x(ratio(r, 'rss')),
    `${int(median(r.cpu['drizzle-d1']))} ms`,
    `${int(median(r.cpu['drizzle-kit']))} ms`,
    x(ratio(r, 'cpu')),
  ]),
  ['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:'],
);
const targetTable = table(
  ['target', 'measured', 'met?'],
  targets.map((t) => [t.target, t.measured, t.met ? 'yes' : '**NO — missed**']),
);
const probeTable = table(['phase (median, separate process each)', 'time'], probeResults.map((p) => [p.label, `${int(p.ms)} ms`]), ['---', '---:']);
const bucketNames = [...new Set(profiles.flatMap((p) => [...p.buckets.keys()]))].sort(
  (a, b) => Math.max(...profiles.map((p) => p.buckets.get(b) ?? 0)) - Math.max(...profiles.map((p) => p.buckets.get(a) ?? 0)),
);
const profileTable = table(
  ['sampled CPU time by owner', ...profiles.map((p) => `${p.tool}, ${p.c.label}`)],
  [
    ...bucketNames.map((b) => [b, ...profiles.map((p) => (p.buckets.has(b) ? `${int(p.buckets.get(b)!)} ms` : '–'))]),
    ['**total sampled**', ...profiles.map((p) => `**${int([...p.buckets.values()].reduce((a, c) => a + c, 0))} ms**`)],
  ],
  ['---', ...profiles.map(() => '---:')],
);
const d1Profiles = profiles.filter((p) => p.tool === 'drizzle-d1');
const stageTotal = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
const stageNames = [...new Set(d1Profiles.flatMap((p) => [...p.stages.keys()]))].sort(
  (a, b) => Math.max(...d1Profiles.map((p) => stageTotal(p.stages.get(b) ?? new Map()))) - Math.max(...d1Profiles.map((p) => stageTotal(p.stages.get(a) ?? new Map()))),
);
const stageCell = (m: Map<string, number> | undefined) => {
  if (!m) return '–';
  const top = [...m].filter(([, v]) => v >= 5).sort((a, b) => b[1] - a[1]).slice(0, 3);
  return `${int(stageTotal(m))} ms${top.length ? ` (${top.map(([k, v]) => `${k.replace(/ \(.*\)$/, '')} ${int(v)}`).join(', ')})` : ''}`;
};
const stageTable = table(
  ['drizzle-d1 stage (sampled CPU, main owners in ms)', ...d1Profiles.map((p) => p.c.label)],
  stageNames.map((st) => [st, ...d1Profiles.map((p) => stageCell(p.stages.get(st)))]),
);
const costTable = table(
  ['migration', 'rebuilt (own change)', 'moved children', 'drizzle-d1 plan: copies', 'applied: copied', 'drizzle-d1 plan: DROP TABLE deletes', 'applied: DROP TABLE deletes', 'detach/reattach', 'minimum', 'referenced?', 'ok'],
  allCosts.map((c) => [
    c.name,
    c.own.length > 4 ? `${c.own.length} tables` : c.own.join(', ') || '–',
    c.moved.length > 4 ? `${c.moved.length} tables` : c.moved.join(', ') || '–',
    int(c.plan),
    int(c.copied),
    c.planDeletes === c.planDeletesAtMost ? int(c.planDeletes) : `${int(c.planDeletes)}–${int(c.planDeletesAtMost)}`,
    int(c.dropDeletes),
    int(c.workaround),
    int(c.minimum),
    c.referenced ? 'yes' : 'no',
    c.ok ? 'yes' : '**NO**',
  ]),
  ['---', '---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---', '---'],
);
const applyTable = table(
  ['', ''],
  [
    ['database', `SQLite file in ${os.tmpdir()}, ${int(bigTotalRows)} rows (${int(bigRows)} in ${tname(BIG_CHILD)}, ${int(BASE_ROWS)} in each other table), ${bigDbMB.toFixed(0)} MB`],
    ['migration', `drizzle-d1's ${CHANGED.size}-table change: ${bigCost.own.length} rebuilt + ${bigCost.moved.length} moved tables (${tname(BIG_CHILD)} among the moved)`],
    ['rows rewritten', `${int(bigRewritten)} copied by drizzle-d1 (applier rowsWritten ${int(applyRowsWritten)}, bookkeeping included); minimum ${int(bigMinimum)}; detach/reattach ${int(bigMinimum + 2 * (bigRewritten - bigMinimum))}`],
    ['wall time to apply (one D1 transaction, foreign keys on)', `**${int(median(applyMs))} ms** (median of ${applyReps}: ${applyMs.map(int).join(', ')} ms)`],
  ],
);
const missed = targets.filter((t) => !t.met);
const totalS = (performance.now() - started) / 1000;

const report = `# drizzle-d1 benchmarks

Generated by \`bench/run.ts\`. Reproduce with:

\`\`\`sh
${command}
\`\`\`

(\`npm run bench -- --reps N\` for N alternating runs per tool and case, \`--quick\` for 2; this run: ${reps} runs, ${applyReps} apply run(s), ${totalS.toFixed(0)} s in total.)

## Machine

- Node ${machine.node}, ${machine.os}
- CPU: ${machine.cpu}, RAM ${machine.memory}
- ${machine.versions}
- drizzle-d1 commit ${machine.commit}, run ${new Date().toISOString()}
- peak memory measured with ${machine.peakRss}
- 1-minute load average ${loadAtStart[0]!.toFixed(2)} at the start, ${os.loadavg()[0]!.toFixed(2)} at the end (${cpus.length} cores); other work on the machine inflates wall times (drizzle-d1 and drizzle-kit alternate, so both see it)

## Targets

${targetTable}

${missed.length ? `**Missed: ${missed.length} of ${targets.length} targets.** ${missed.map((t) => `${t.target}: measured ${t.measured}.`).join(' ')}` : `All ${targets.length} targets met.`}

## Generate: wall time and peak memory

Median of ${reps} runs per tool, drizzle-d1 and drizzle-kit alternating (order swapped every repetition) after one
unmeasured warm-up run each; every run starts from a fresh copy of the same prepared folder. Wall time is measured
from spawn to exit of \`node <bin> generate\` in the project folder; peak memory is the child's peak RSS; CPU is the
child's user + system time (less sensitive than wall time to other load on the machine). *d1/kit, one pair of runs*:
the lowest and highest wall-time ratio of the ${reps} back-to-back pairs, which shows how far this machine's noise
moves a single measurement.

${speedTable}

The schema: ${TABLES} tables \`t000\`…\`t${pad(TABLES - 1)}\` of 8 columns, one index each, and (all but \`t000\`) one
\`ON DELETE CASCADE\` foreign key to an earlier table (\`t<i>\` → \`t<(i-1)/2>\`, a binary tree). The change turns
\`price\` from \`real\` into \`integer\` in every sixth table (${CHANGED.size} tables), which SQLite can only do by
rebuilding them, and drizzle-d1 also moves their ${bigCost.moved.length} cascade descendants. The folders that
start with a migration hold drizzle-kit's initial migration (the adoption path), for both tools.

## Where drizzle-d1's time goes

Load phases measured alone (each in its own \`node\` process, median of ${reps}; in-process time of the step, except
the bare-process row):

${probeTable}

One \`node --cpu-prof\` run per tool (sampling adds overhead; each sample is charged to the package of the nearest
non-Node frame on its stack, so module loading triggered from a package counts for that package, and everything
loaded through tsx's require hook shows up under \`tsx\`):

${profileTable}

The same drizzle-d1 profiles by pipeline stage (innermost drizzle-d1 function on the stack):

${stageTable}

## Migration cost: rows rewritten

Every planner scenario (\`test/scenarios/scenarios.ts\`, with its seed rows) and the ${CHANGED.size}-of-${TABLES}-table change
(${COST_ROWS} rows in every table). *Plan: copies*: drizzle-d1's plan, the sum of the rows of every table it rebuilds (own
change or moved child). *Plan: DROP TABLE deletes*: the rows of the tables its \`deletedByDrop\` names (a range where a
cycle's ON DELETE actions may also write into old tables dropped later). *Applied*: rows counted by the D1 applier (\`total_changes()\` difference of the migration's
transaction) minus bookkeeping writes (the \`sqlite_sequence\` carry-over and the foreign-key guard row), split by
replaying the file statement by statement on a copy into rows *copied* (\`INSERT … SELECT\`) and rows *deleted by
\`DROP TABLE\`* (SQLite's implicit delete of a table a foreign key still names); no other write occurred unless *ok* says
otherwise. *detach/reattach*: the public workaround (rebuild the children
without the foreign key, rebuild the parent, rebuild the children with it again) = rebuilt tables once + every
moved child twice. *Minimum*: rows of the tables whose own definition changed. *Referenced?*: another table has a
foreign key to a table rebuilt for its own change. *ok*: copied = plan, DROP TABLE deletes within the plan's, no
table copied twice, no other writes, and copied = minimum when not referenced.

${dropNote}

${costTable}

drizzle-kit ${pkgVersion('drizzle-kit')}'s own migration for the ${CHANGED.size}-table change, applied the same way on the same rows: ${kitOutcome}.

## Applying the ${CHANGED.size}-table change with ${int(bigRows)} rows in a child table

${applyTable}
`;

process.stdout.write(`${report}\n`);
if (!flag('--no-readme')) {
  writeFileSync(join(repo, 'bench', 'README.md'), report);
  log('wrote bench/README.md');
}
if (flag('--keep')) log(`kept ${base}`);
