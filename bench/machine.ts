/** The drizzle-d1 build under test, and what the report says about the machine. */
import Database from 'better-sqlite3';
import { copyFileSync, cpSync, readFileSync, symlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { join } from 'node:path';
import { gnuTime } from './child.js';
import { d1Root, log, repo } from './env.js';

/** Compile src/ into the temp folder with bin/, package.json and templates beside it (unless --no-build). */
export function buildUnderTest(): void {
  if (d1Root === repo) return;
  log(`compiling src/ into ${join(d1Root, 'dist')}`);
  execFileSync(process.execPath, [join(repo, 'scripts', 'build.mjs'), '--out-dir', join(d1Root, 'dist')], { cwd: repo, stdio: 'inherit' });
  cpSync(join(repo, 'bin'), join(d1Root, 'bin'), { recursive: true });
  copyFileSync(join(repo, 'package.json'), join(d1Root, 'package.json'));
  cpSync(join(repo, 'templates'), join(d1Root, 'templates'), { recursive: true });
  symlinkSync(join(repo, 'node_modules'), join(d1Root, 'node_modules'), 'dir');
}

export const pkgVersion = (name: string) =>
  (JSON.parse(readFileSync(join(repo, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

function git(...args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

export function machineInfo() {
  const cpus = os.cpus();
  const db = new Database(':memory:');
  const sqliteVersion = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  db.close();
  const dirty = git('status', '--porcelain', '--', 'src', 'bin') ? ' + uncommitted changes in src/ or bin/' : '';
  return {
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cores: cpus.length,
    cpu: `${cpus[0]?.model.trim() ?? 'unknown'} × ${cpus.length} logical cores (os.availableParallelism() = ${os.availableParallelism()})`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    versions:
      `drizzle-kit ${pkgVersion('drizzle-kit')}, drizzle-orm ${pkgVersion('drizzle-orm')}, tsx ${pkgVersion('tsx')}, ` +
      `oxc-transform ${pkgVersion('oxc-transform')}, SQLite ${sqliteVersion} (better-sqlite3 ${pkgVersion('better-sqlite3')})`,
    commit: `${git('rev-parse', '--short', 'HEAD') || 'unknown'}${dirty}`,
    peakRss: gnuTime ? 'GNU time `%M` (max resident set size of the child)' : '`process.resourceUsage().maxRSS` in an exit hook preloaded into the child',
  };
}
export type Machine = ReturnType<typeof machineInfo>;
