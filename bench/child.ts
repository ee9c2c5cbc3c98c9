/**
 * One child run of `drizzle-d1 generate` or `drizzle-kit generate`: wall time around the process, its
 * peak RSS and CPU time (GNU `time -f %M`, or `process.resourceUsage()` from a preloaded exit hook
 * when GNU time is absent).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { base, childEnv, D1_BIN, KIT_BIN } from './env.js';

export type Tool = 'drizzle-d1' | 'drizzle-kit';
export const TOOLS: Tool[] = ['drizzle-d1', 'drizzle-kit'];

/** Peak RSS in KB, user and system CPU seconds. */
const TIME_FORMAT = '%M %U %S';
/** How peak RSS is measured: GNU time if it works here, else an exit hook preloaded into the child. */
export const gnuTime = (() => {
  const out = join(base, 'time-probe.txt');
  const r = spawnSync('/usr/bin/time', ['-f', TIME_FORMAT, '-o', out, process.execPath, '-e', ''], { encoding: 'utf8' });
  return r.status === 0 && existsSync(out) && /^\d+ [\d.]+ [\d.]+\s*$/.test(readFileSync(out, 'utf8')) ? '/usr/bin/time' : null;
})();
const rssHook = join(base, 'peak-rss.cjs');
writeFileSync(
  rssHook,
  `process.on('exit', () => { const u = process.resourceUsage(); require('node:fs').writeFileSync(process.env.BENCH_RSS_FILE, \`\${u.maxRSS} \${u.userCPUTime / 1e6} \${u.systemCPUTime / 1e6}\`); });\n`,
);

export interface Run {
  ms: number;
  rssKB: number;
  /** User + system CPU time of the child. */
  cpuMs: number;
  stdout: string;
  stderr: string;
  dir: string;
}

export interface RunOptions {
  args?: string[];
  nodeArgs?: string[];
  keep?: boolean;
  /** Changes the fresh copy before the run (the user's edit of the schema). */
  edit?: (dir: string) => void;
  /** A fresh, empty TMPDIR for the child: no transform cache of tsx's (drizzle-kit's and ours) survives. */
  coldCache?: boolean;
}

let runCounter = 0;
/** A number no earlier run of this bench used: edits set defaults from it, so no transform cache has seen the file. */
export const nextEditValue = () => 1000 + runCounter;

/** `node <args>` in `cwd`, measured: wall time, and peak RSS + CPU from GNU time or the exit hook. */
export function measuredSpawn(nodeArgs: string[], cwd: string, env: NodeJS.ProcessEnv = childEnv): Omit<Run, 'dir'> & { status: number | null } {
  const rssFile = join(base, `rss-${++runCounter}.txt`);
  const [file, args] = gnuTime
    ? [gnuTime, ['-f', TIME_FORMAT, '-o', rssFile, process.execPath, ...nodeArgs]]
    : [process.execPath, ['--require', rssHook, ...nodeArgs]];
  const t0 = performance.now();
  const r = spawnSync(file, args, { cwd, encoding: 'utf8', env: { ...env, BENCH_RSS_FILE: rssFile }, maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  const [rssKB, user, sys] = existsSync(rssFile)
    ? (readFileSync(rssFile, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number) as [number, number, number])
    : [0, 0, 0];
  rmSync(rssFile, { force: true });
  return { ms, rssKB, cpuMs: (user + sys) * 1000, stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/**
 * One child run of `tool generate` in a fresh copy of `prepared`, always at the same path (as a user
 * re-running in their project; tsx's transform cache is keyed by path), removed after unless `keep`.
 */
export function runTool(tool: Tool, prepared: string, opts: RunOptions = {}): Run {
  const dir = join(base, 'project');
  rmSync(dir, { recursive: true, force: true });
  cpSync(prepared, dir, { recursive: true, verbatimSymlinks: true });
  opts.edit?.(dir);
  const env = { ...childEnv };
  if (opts.coldCache) {
    env.TMPDIR = join(base, `tmp-${runCounter}`);
    rmSync(env.TMPDIR, { recursive: true, force: true });
    mkdirSync(env.TMPDIR);
  }
  const nodeArgs = [...(opts.nodeArgs ?? []), tool === 'drizzle-d1' ? D1_BIN : KIT_BIN, 'generate', ...(opts.args ?? [])];
  const r = measuredSpawn(nodeArgs, dir, env);
  if (env.TMPDIR !== childEnv.TMPDIR) rmSync(env.TMPDIR!, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`${tool} generate failed in ${dir} (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  return { ms: r.ms, rssKB: r.rssKB, cpuMs: r.cpuMs, stdout: r.stdout, stderr: r.stderr, dir };
}

export const sqlFiles = (dir: string) => {
  const out = join(dir, 'drizzle');
  return existsSync(out) ? readdirSync(out).filter((f) => f.endsWith('.sql')).sort() : [];
};
