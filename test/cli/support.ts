/**
 * Running the built drizzle-d1 CLI and the real drizzle-kit CLI as subprocesses.
 *
 * `buildCli()` runs `npm run build` at most once per vitest run and file: test files run in parallel
 * forks, so the build is serialised with a lock directory and skipped when dist/ is newer than every
 * file under src/.
 */
import { execa, type Result } from 'execa';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { repoRoot, TempProject } from '../support/project.js';

export const CLI_BIN = join(repoRoot, 'bin', 'drizzle-d1.cjs');
// The package's own bin, not node_modules/.bin/drizzle-kit: the aliased drizzle-kit-v1 (1.0) claims that name too.
export const DRIZZLE_KIT_BIN = join(repoRoot, 'node_modules', 'drizzle-kit', 'bin.cjs');

const LOCK = join(repoRoot, '.tmp', 'cli-build.lock');
const STAMP = join(repoRoot, '.tmp', 'cli-build.stamp');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let built: Promise<void> | undefined;

/** `npm run build`, unless dist/ is already newer than src/. */
export function buildCli(): Promise<void> {
  built ??= (async () => {
    mkdirSync(join(repoRoot, '.tmp'), { recursive: true });
    const started = Date.now();
    for (;;) {
      try {
        mkdirSync(LOCK);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        // A lock older than two minutes belongs to a crashed run.
        if (Date.now() - statSync(LOCK, { throwIfNoEntry: false })!.mtimeMs > 120_000 || Date.now() - started > 180_000) {
          rmSync(LOCK, { recursive: true, force: true });
        }
        await sleep(200);
      }
    }
    try {
      const fresh = existsSync(STAMP) && statSync(STAMP).mtimeMs > newestMtime(join(repoRoot, 'src'));
      if (!fresh) {
        const r = await execa('npm', ['run', 'build'], { cwd: repoRoot, reject: false, all: true });
        if (r.exitCode !== 0) throw new Error(`npm run build failed:\n${r.all}`);
        writeFileSync(STAMP, new Date().toISOString());
      }
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  })();
  return built;
}

export type Run = Result<{ reject: false; cwd: string }>;

/** `drizzle-d1 <args>` with cwd = dir; stdin is a pipe (not a TTY) and closed at once. */
export function drizzleD1(dir: string, args: string[], input = ''): Promise<Run> {
  return execa(process.execPath, [CLI_BIN, ...args], {
    cwd: dir,
    reject: false,
    input,
    env: { NO_COLOR: '1', FORCE_COLOR: '0' },
    timeout: 60_000,
  }) as Promise<Run>;
}

/** The real `drizzle-kit <args>` (0.31.11) with cwd = dir and no TTY. */
export function drizzleKitCli(dir: string, args: string[]): Promise<Run> {
  return execa(DRIZZLE_KIT_BIN, args, {
    cwd: dir,
    reject: false,
    input: '',
    env: { NO_COLOR: '1', FORCE_COLOR: '0' },
    timeout: 60_000,
  }) as Promise<Run>;
}

/** Every file under the project (node_modules link excluded) with its content: for "nothing was written". */
export function treeOf(project: TempProject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of project.listTree()) {
    if (rel === 'node_modules') continue;
    out[rel] = readFileSync(join(project.dir, rel), 'utf8');
  }
  return out;
}

/** The text of a snapshot file without its `id` and `prevId` lines. */
export const withoutIds = (text: string) =>
  text
    .split('\n')
    .filter((l) => !/^ {2}"(id|prevId)": "[0-9a-f-]{36}",$/.test(l))
    .join('\n');

/**
 * Runs `generate` and checks the refusal: exit code, the diagnostic code, a single paragraph (no
 * blank line, no stack trace, no "unexpected" crash) mentioning every `mentions`, and an unchanged
 * project tree.
 */
export function expectRefusal(p: TempProject, args: string[], code: string | RegExp, mentions: (string | RegExp)[], exit = 1): Promise<Run> {
  return expectCommandRefusal(p, ['generate', ...args], code, mentions, exit);
}

/**
 * expectRefusal for any command (`['lint']`, `['rollback', '0001']`, …). verify's progress lines
 * (`[1/2] ✓ …`) may come before the error; the message checked is what follows them.
 */
export async function expectCommandRefusal(p: TempProject, command: string[], code: string | RegExp, mentions: (string | RegExp)[], exit = 1): Promise<Run> {
  const before = treeOf(p);
  const r = await drizzleD1(p.dir, command);
  if (process.env.SHOW_CLI_MESSAGES) console.log(`[${command[0]}: exit ${r.exitCode}] ${r.stderr}`);
  const output = `exit ${r.exitCode}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
  expect(r.exitCode, output).toBe(exit);
  const message = r.stderr.trim().replace(/^(\[\d+\/\d+\] .*\n)+/, '');
  expect(message, output).not.toBe('');
  expect(message, output).not.toMatch(/failed unexpectedly/);
  expect(message, output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  const shown = /^Error \[(D1-\d{3})\]: /.exec(message);
  expect(shown?.[1], output).toMatch(typeof code === 'string' ? new RegExp(`^${code}$`) : code);
  // One paragraph: one `Error [code]:` line per diagnostic, its fix and the files on indented lines.
  if (exit === 1 || command[0] === 'verify') expect(message.split('\n').every((l) => /^(Error \[D1-\d{3}\]: |\s+\S)/.test(l)), `one paragraph expected:\n${message}`).toBe(true);
  for (const m of mentions) {
    if (typeof m === 'string') expect(message, output).toContain(m);
    else expect(message, output).toMatch(m);
  }
  expect(treeOf(p), 'nothing may be written').toEqual(before);
  return r;
}

export const readJson = (p: TempProject, rel: string) => JSON.parse(p.read(rel));
export const writeJson = (p: TempProject, rel: string, value: unknown) => p.write({ [rel]: JSON.stringify(value, null, 2) });

/**
 * A project kept in `projects` (the test file disposes them) with one migration generated per
 * `[name, schema]` of `history`, then `pending` as its schema when given.
 */
export async function projectWithHistory(projects: TempProject[], history: [string, string][], pending?: string): Promise<TempProject> {
  const p = new TempProject();
  projects.push(p);
  for (const [name, source] of history) {
    p.schema(source);
    await p.generate({ flags: { name } });
  }
  if (pending !== undefined) p.schema(pending);
  return p;
}
