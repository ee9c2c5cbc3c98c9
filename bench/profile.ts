/**
 * Where drizzle-d1's time goes: load phases measured alone (one `node` process each) and one
 * `node --cpu-prof` run per tool and case, read two ways (by owning package, by pipeline stage).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runTool, TOOLS, type Tool } from './child.js';
import { base, childEnv, d1Root, median, repo, reps } from './env.js';
import { SMALL_TABLES, TABLES } from './schemas.js';
import type { Case } from './speed.js';

const PROBE = `import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
const [what, arg] = process.argv.slice(2);
const repoRequire = createRequire(${JSON.stringify(join(repo, 'package.json'))});
const projectRequire = createRequire(join(process.cwd(), 'package.json'));
const schema = join(process.cwd(), 'src/schema.ts');
const orm = () => { projectRequire('drizzle-orm'); projectRequire('drizzle-orm/sqlite-core'); };
const tsx = () => repoRequire('tsx/cjs/api').register();
const oxc = () => {
  const o = repoRequire('oxc-transform');
  return o.moduleRunnerTransformSync(schema, o.transformSync(schema, readFileSync(schema, 'utf8')).code).code;
};
if (what === 'schema') { orm(); tsx(); }
const t0 = performance.now();
if (what === 'require') repoRequire(arg);
if (what === 'orm') orm();
if (what === 'tsx') tsx();
if (what === 'tsx-orm') { tsx(); orm(); }
if (what === 'schema') projectRequire(schema);
if (what === 'oxc') oxc();
process.stdout.write(String(performance.now() - t0));
`;

export interface Probe {
  label: string;
  ms: number;
}

/** The packages the CLI bundle dist/cli.cjs requires as it loads (its top-level requires). */
function d1Packages(): string[] {
  const bundle = readFileSync(join(d1Root, 'dist', 'cli.cjs'), 'utf8');
  const specs = [...bundle.matchAll(/^var \w+ = (?:__toESM\()?require\("([^"]+)"\)/gm)].map((m) => m[1]!);
  return [...new Set(specs.filter((spec) => !spec.startsWith('node:')))].sort();
}

/** Each probe in its own process, `reps` times after a warm-up; the in-process time of the step (wall time for the bare process). */
export function runProbes(cases: Case[]): Probe[] {
  const probe = join(base, 'probe.mjs');
  writeFileSync(probe, PROBE);
  const dirOf = (id: string) => cases.find((c) => c.id === id)!.dir;
  const [small, big] = [dirOf('same5'), dirOf('same300')];
  const pkgs = d1Packages();
  const probes: { label: string; args: string[]; cwd: string }[] = [
    { label: 'bare `node -e ""` process (spawn to exit)', args: [], cwd: small },
    { label: `require drizzle-d1's CLI bundle (dist/cli.cjs, and ${pkgs.map((d) => `\`${d}\``).join(', ')})`, args: ['require', join(d1Root, 'dist', 'cli.cjs')], cwd: small },
    ...pkgs.map((d) => ({ label: `… \`${d}\` alone`, args: ['require', d], cwd: small })),
    { label: "require('drizzle-orm') + 'drizzle-orm/sqlite-core', no TypeScript hook", args: ['orm'], cwd: small },
    { label: '… the same two requires after the tsx hook is registered', args: ['tsx-orm'], cwd: small },
    { label: "load oxc-transform and transform the 300-table schema (both passes, cold process)", args: ['oxc'], cwd: big },
    { label: "register tsx's CommonJS hook (require('tsx/cjs/api').register())", args: ['tsx'], cwd: small },
    { label: `require the ${SMALL_TABLES}-table schema through tsx, warm cache (drizzle-orm already loaded)`, args: ['schema'], cwd: small },
    { label: `require the ${TABLES}-table schema through tsx, warm cache (drizzle-orm already loaded)`, args: ['schema'], cwd: big },
  ];
  return probes.map((p) => {
    const xs: number[] = [];
    for (let i = 0; i <= reps; i++) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, p.args.length ? [probe, ...p.args] : ['-e', ''], { cwd: p.cwd, encoding: 'utf8', env: childEnv });
      const wall = performance.now() - t0;
      if (r.status !== 0) throw new Error(`probe ${p.label} failed:\n${r.stderr}`);
      if (i > 0) xs.push(p.args.length ? Number(r.stdout) : wall); // first run is a warm-up
    }
    return { label: p.label, ms: median(xs) };
  });
}

/** drizzle-d1's pipeline functions (dist/), innermost on the stack wins: the stage a sample is charged to. */
const STAGES: Record<string, string> = {
  preloadDrizzle: 'preload drizzle-orm (before the tsx hook)',
  ensureTsx: 'register the tsx require hook',
  prepareFastTs: 'load oxc-transform, read tsconfig',
  compileTs: 'transform TypeScript (oxc, in-process)',
  compileEsm: 'transform TypeScript (oxc, in-process)',
  loadConfigModule: 'require drizzle.config.ts',
  resolveConfig: 'resolve config (rest)',
  readMigrationsFolder: 'read + zod-validate the migrations folder',
  loadSchemaModules: 'require the schema (drizzle-orm modules, schema code)',
  collectEntities: 'serialize the schema to a snapshot',
  serializeSchema: 'serialize the schema to a snapshot',
  resolveRenames: 'diff',
  diffSchemas: 'diff',
  planMigration: 'plan',
  renderMigration: 'render SQL',
  writeMigration: 'format + write files',
  main: 'CLI and generate() glue (commander, output)',
};

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

/** The package owning a frame's file, or null for Node's own frames. */
function ownerOf(url: string): string | null {
  if (!url || url.startsWith('node:')) return null;
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (m) return m[1] === 'drizzle-kit' ? 'drizzle-kit (bundle)' : m[1]!;
  if (path.startsWith(join(d1Root, 'dist')) || path.startsWith(join(d1Root, 'bin'))) return 'drizzle-d1 (dist/)';
  if (path.startsWith(join(base, 'project'))) return 'schema + config (user files)';
  return 'other';
}

const SPECIAL: Record<string, string> = {
  '(garbage collector)': 'garbage collector',
  '(idle)': 'idle (waiting on I/O)',
  '(program)': 'V8/Node native (program)',
};

/**
 * One CPU profile, two views: sampled time by owner (the package of the nearest non-Node frame on the
 * stack) and, for drizzle-d1, by pipeline stage (innermost STAGES function on the stack).
 */
export function analyseProfile(file: string): { owners: Map<string, number>; stages: Map<string, Map<string, number>> } {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const d1Dist = pathToFileURL(join(d1Root, 'dist')).href;
  const owners = new Map<string, number>();
  const stages = new Map<string, Map<string, number>>();
  const add = <K>(m: Map<K, number>, k: K, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  prof.samples.forEach((leaf, i) => {
    const dt = (prof.timeDeltas[i] ?? 0) / 1000;
    let bucket: string | null = SPECIAL[byId.get(leaf)?.callFrame.functionName ?? ''] ?? null;
    let stage: string | null = null;
    for (let id: number | undefined = leaf; id !== undefined && (bucket === null || stage === null); id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      bucket ??= ownerOf(frame.url);
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

export interface Profile {
  c: Case;
  tool: Tool;
  buckets: Map<string, number>;
  stages: Map<string, Map<string, number>>;
}

/** One profiled run per tool of each case in `ids` (after the same edit the speed runs make). */
export function runProfiles(cases: Case[], ids: string[]): Profile[] {
  const profiles: Profile[] = [];
  for (const c of cases.filter((x) => ids.includes(x.id))) {
    for (const tool of TOOLS) {
      const dir = join(base, 'prof', `${c.id}-${tool}`);
      mkdirSync(dir, { recursive: true });
      runTool(tool, c.dir, { edit: c.edit, nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '250'] });
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
      if (!file) continue;
      const { owners, stages } = analyseProfile(join(dir, file));
      profiles.push({ c, tool, buckets: owners, stages });
    }
  }
  return profiles;
}
