/**
 * Issue #12's input classes, through the built CLI: folders that git merged, migrations added to the
 * journal by hand, runs killed halfway or run twice at once, file-system failures, Ctrl-C, --json
 * errors and flags. Every refusal exits with its code, names the file, and leaves the folder as it was.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CORE, repoRoot, TempProject } from '../support/project.js';
import { buildCli, CLI_BIN, drizzleD1, expectRefusal, projectWithHistory, readJson, treeOf, writeJson } from './support.js';

const V1 = `${CORE}
export const users = sqliteTable('users', { id: integer('id').primaryKey(), name: text('name').notNull() });`;
const V2 = V1.replace(`name: text('name').notNull() }`, `name: text('name').notNull(), email: text('email') }`);
const V3 = V2.replace(`email: text('email') }`, `email: text('email'), bio: text('bio') }`);
const V2_RENAMED = V2.replace(`name: text('name')`, `fullName: text('full_name')`);

const projects: TempProject[] = [];
function project(options?: ConstructorParameters<typeof TempProject>[0]): TempProject {
  const p = new TempProject(options);
  projects.push(p);
  return p;
}

/** 0000_first (V1) and 0001_second (V2) written, V3 pending. */
const withHistory = () => projectWithHistory(projects, [['first', V1], ['second', V2]], V3);


beforeAll(() => buildCli(), 180_000);
afterEach(() => {
  for (const p of projects.splice(0)) p.dispose();
});

describe('a folder two git branches merged', () => {
  it('two journal entries with one idx: refused, naming both migrations', async () => {
    const p = await withHistory();
    await p.generate({ flags: { name: 'branch_a' } });
    // Branch b also added migration 2; the journal conflict was resolved by keeping both entries.
    const journal = readJson(p, 'drizzle/meta/_journal.json');
    journal.entries.push({ ...journal.entries[2], tag: '0002_branch_b', when: journal.entries[2].when + 1 });
    writeJson(p, 'drizzle/meta/_journal.json', journal);
    p.write({ 'drizzle/0002_branch_b.sql': 'ALTER TABLE `users` ADD `nickname` text;' });
    await expectRefusal(p, [], 'D1-612', ['drizzle/meta/_journal.json', '"0002_branch_a" and "0002_branch_b"', 'two git branches', 'Keep one']);
  });

  it('two snapshots with one prevId: refused, naming both snapshots', async () => {
    const p = await withHistory();
    const snap = readJson(p, 'drizzle/meta/0001_snapshot.json');
    writeJson(p, 'drizzle/meta/0002_snapshot.json', { ...snap, id: '11111111-2222-4333-8444-555555555555' });
    p.write({ 'drizzle/0002_branch.sql': 'SELECT 1;' });
    const journal = readJson(p, 'drizzle/meta/_journal.json');
    journal.entries.push({ idx: 2, version: '6', when: journal.entries[1].when + 1, tag: '0002_branch', breakpoints: true });
    writeJson(p, 'drizzle/meta/_journal.json', journal);
    await expectRefusal(p, [], 'D1-612', ['drizzle/meta/0001_snapshot.json', 'drizzle/meta/0002_snapshot.json', snap.prevId]);
  });

  it('a latest snapshot generated from another state (a branch renumbered by hand): refused', async () => {
    const p = await withHistory();
    const snap = readJson(p, 'drizzle/meta/0001_snapshot.json');
    writeJson(p, 'drizzle/meta/0001_snapshot.json', { ...snap, prevId: '99999999-2222-4333-8444-555555555555' });
    await expectRefusal(p, [], 'D1-613', ['drizzle/meta/0001_snapshot.json', 'drizzle/meta/0000_snapshot.json', 'another state']);
  });

  it('a .sql file the journal does not list is named in a warning, never passed over in silence', async () => {
    const p = await withHistory();
    p.schema(V2).write({ 'drizzle/0001_branch_b.sql': 'ALTER TABLE `users` ADD `nickname` text;' });
    const r = await drizzleD1(p.dir, ['generate']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: drizzle\/0001_branch_b\.sql is not in drizzle\/meta\/_journal\.json/);
  });
});

describe('journal entries without snapshots', () => {
  /** A migration written by hand and added to the journal by hand, as issue #12 describes. */
  async function withHandWritten(): Promise<TempProject> {
    const p = await withHistory();
    p.schema(V2).write({ 'drizzle/0002_backfill_names.sql': "UPDATE `users` SET `name` = 'x' WHERE `name` = '';" });
    const journal = readJson(p, 'drizzle/meta/_journal.json');
    journal.entries.push({ idx: 2, version: '6', when: journal.entries[1].when + 1, tag: '0002_backfill_names', breakpoints: true });
    writeJson(p, 'drizzle/meta/_journal.json', journal);
    return p;
  }

  it('the latest: refused with how to make the snapshot, not "restore it"', async () => {
    const p = await withHandWritten();
    const r = await expectRefusal(p, [], 'D1-611', ['drizzle/meta/0002_snapshot.json', 'by hand', 'copy drizzle/meta/0001_snapshot.json', '--custom', 'git checkout']);
    expect(r.stderr).not.toMatch(/restore it from version control/i);
  });

  it("following the message (copy the previous snapshot with new ids) lets the next migration through", async () => {
    const p = await withHandWritten();
    const prev = readJson(p, 'drizzle/meta/0001_snapshot.json');
    writeJson(p, 'drizzle/meta/0002_snapshot.json', { ...prev, prevId: prev.id, id: crypto.randomUUID() });
    p.schema(V3);
    const r = await drizzleD1(p.dir, ['generate', '--name', 'bio']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(p.read('drizzle/0003_bio.sql')).toBe('ALTER TABLE `users` ADD `bio` text;');
  });

  it('following the message for a migration that changes the schema (regenerate it, keep its SQL) gives a whole history', async () => {
    const p = await withHandWritten();
    const handWritten = 'ALTER TABLE `users` ADD `bio` text; -- by hand';
    p.schema(V3).write({ 'drizzle/0002_backfill_names.sql': handWritten });
    const journal = readJson(p, 'drizzle/meta/_journal.json');
    journal.entries.pop();
    writeJson(p, 'drizzle/meta/_journal.json', journal);
    rmSync(join(p.out, '0002_backfill_names.sql'));
    expect((await drizzleD1(p.dir, ['generate', '--name', 'backfill_names'])).exitCode).toBe(0);
    p.write({ 'drizzle/0002_backfill_names.sql': handWritten });
    const again = await drizzleD1(p.dir, ['generate']);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toContain('No schema changes');
    expect(again.stderr).toBe('');
  });

  it('an older one: a warning naming it, and the migration is written', async () => {
    const p = await withHistory();
    rmSync(join(p.out, 'meta', '0000_snapshot.json'));
    const r = await drizzleD1(p.dir, ['generate', '--name', 'bio']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/warning: drizzle\/meta\/0000_snapshot\.json is missing/);
    expect(existsSync(join(p.out, '0002_bio.sql'))).toBe(true);
  });
});

describe('a run killed halfway', () => {
  /** The state a run killed after placing its snapshot and SQL file, before the journal, leaves. */
  async function halfWritten(): Promise<TempProject> {
    const p = await withHistory();
    const journal = p.read('drizzle/meta/_journal.json');
    await p.generate({ flags: { name: 'bio' } });
    p.write({ 'drizzle/meta/_journal.json': journal, 'drizzle/meta/._journal.json.0123456789ab.tmp': '{}' });
    return p;
  }

  it('is detected and named, with the fix, although the schema matches its snapshot ("No schema changes" before)', async () => {
    const p = await halfWritten();
    const r = await expectRefusal(p, [], 'D1-614', ['drizzle/0002_bio.sql', 'drizzle/meta/0002_snapshot.json', 'drizzle/meta/._journal.json.0123456789ab.tmp', 'interrupted', 'Delete them']);
    expect(r.stdout).not.toMatch(/No schema changes/);
  });

  it('once the named files are deleted, the next run writes the migration again', async () => {
    const p = await halfWritten();
    for (const f of ['0002_bio.sql', 'meta/0002_snapshot.json', 'meta/._journal.json.0123456789ab.tmp']) rmSync(join(p.out, f));
    const r = await drizzleD1(p.dir, ['generate', '--name', 'bio']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(readJson(p, 'drizzle/meta/_journal.json').entries.map((e: { tag: string }) => e.tag)).toEqual(['0000_first', '0001_second', '0002_bio']);
  });
});

describe('two runs at once', () => {
  const lockOf = (pid: number, started = new Date()) => JSON.stringify({ pid, host: hostname(), started: started.toISOString() });

  it('a live lock: the second run is refused and writes nothing', async () => {
    const p = await withHistory();
    p.write({ 'drizzle/.drizzle-d1.lock': lockOf(process.pid) });
    await expectRefusal(p, [], 'D1-615', ['drizzle/.drizzle-d1.lock', `pid ${process.pid}`, 'Wait for it to finish']);
  });

  it('a stale lock (its process is gone) is taken over and removed', async () => {
    const p = await withHistory();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    p.write({ 'drizzle/.drizzle-d1.lock': lockOf(Number(gone.stdout)) });
    const r = await drizzleD1(p.dir, ['generate', '--name', 'bio']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(existsSync(join(p.out, '0002_bio.sql'))).toBe(true);
    expect(existsSync(join(p.out, '.drizzle-d1.lock'))).toBe(false);
  });

  it('three runs started together write one migration; the others wait their turn or are refused', async () => {
    const p = await withHistory();
    const runs = await Promise.all([1, 2, 3].map(() => drizzleD1(p.dir, ['generate'])));
    for (const r of runs) {
      if (r.exitCode === 0) expect(r.stdout).toMatch(/Your SQL migration file|No schema changes/);
      else expect(r.stderr, r.stderr).toMatch(/^Error \[D1-615\]: /);
    }
    expect(runs.filter((r) => /Your SQL migration file/.test(r.stdout))).toHaveLength(1);
    expect(readJson(p, 'drizzle/meta/_journal.json').entries).toHaveLength(3);
    expect(p.sqlFiles()).toHaveLength(3);
    expect(existsSync(join(p.out, '.drizzle-d1.lock'))).toBe(false);
  });
});

/** A folder where creating files fails with EACCES/EPERM/EROFS, or undefined when this machine has none. */
function unwritableFolder(): { path: string; restore: () => void } | undefined {
  if (process.getuid?.() !== 0) {
    const dir = mkdtempSync(join(tmpdir(), 'd1-readonly-'));
    chmodSync(dir, 0o555);
    return { path: join(dir, 'drizzle'), restore: () => (chmodSync(dir, 0o755), rmSync(dir, { recursive: true, force: true })) };
  }
  // root ignores permissions; sysfs refuses new folders (EPERM) even to root.
  const probe = spawnSync('mkdir', ['/sys/drizzle-d1-probe']);
  return probe.status !== 0 ? { path: '/sys/drizzle-d1-probe/drizzle', restore: () => {} } : undefined;
}

describe('file-system failures: a plain message, exit 1, no stack trace', () => {
  it('out is a file', async () => {
    const p = project();
    p.schema(V1).write({ drizzle: 'a file, not a folder\n' });
    await expectRefusal(p, [], 'D1-621', ['drizzle', 'is a file, not a folder']);
  });

  const unwritable = unwritableFolder();
  it.skipIf(!unwritable)('a folder that cannot be written', async () => {
    const p = project();
    p.schema(V1).write({ 'drizzle.config.ts': `export default { dialect: 'sqlite', schema: './src/schema.ts', out: ${JSON.stringify(unwritable!.path)} };\n` });
    try {
      await expectRefusal(p, [], 'D1-622', [unwritable!.path, 'Nothing was written']);
    } finally {
      unwritable!.restore();
    }
  });

  it('a path longer than the file system allows (ENAMETOOLONG)', async () => {
    const p = project({ out: 'x'.repeat(300) });
    p.schema(V1);
    await expectRefusal(p, [], 'D1-623', ['ENAMETOOLONG', 'shorter']);
  });

  it('--json: the error is a JSON object on stdout, exit 1', async () => {
    const p = await withHistory();
    p.write({ 'drizzle/meta/_journal.json': '{ "entries": [' });
    const before = treeOf(p);
    const r = await drizzleD1(p.dir, ['generate', '--json']);
    expect(r.exitCode).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report).toEqual({ status: 'error', diagnostics: [{ code: 'D1-601', severity: 'error', message: expect.stringContaining('not valid JSON'), file: 'drizzle/meta/_journal.json', fixes: [] }] });
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(treeOf(p)).toEqual(before);
  });

  it('--json: a file-system failure too', async () => {
    const p = project();
    p.schema(V1).write({ drizzle: 'a file\n' });
    const r = await drizzleD1(p.dir, ['generate', '--json']);
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout).diagnostics[0]).toMatchObject({ code: 'D1-621', severity: 'error' });
  });
});

describe('Ctrl-C at the rename prompt', () => {
  it('exits 130 with a plain message and writes nothing', async () => {
    const p = await withHistory();
    p.schema(V2_RENAMED);
    const before = treeOf(p);
    const keys = join(mkdtempSync(join(tmpdir(), 'd1-keys-')), 'keys.json');
    writeFileSync(keys, JSON.stringify([{ expect: 'created or renamed', send: '\u0003' }]));
    const r = spawnSync('python3', [join(repoRoot, 'test/support/pty-drive.py'), p.dir, keys, '--', process.execPath, CLI_BIN, 'generate'], { encoding: 'utf8' });
    expect(r.status, r.stdout).toBe(130);
    expect(r.stdout).toContain('Error [D1-712]: The rename prompt was closed');
    expect(r.stdout).not.toMatch(/^\s+at /m);
    expect(treeOf(p)).toEqual(before);
  });
});

describe('flags', () => {
  it.each([
    ['a newline', 'add\nusers'],
    ['a quote', "it's"],
    ['a slash', '../outside'],
    ['more than 100 characters', 'n'.repeat(101)],
  ])('--name with %s is refused, also when nothing changed', async (_, name) => {
    const p = await withHistory();
    await expectRefusal(p, ['--name', name], 'D1-706', ['--name', 'letters, digits']);
    p.schema(V2);
    await expectRefusal(p, ['--name', name], 'D1-706', ['--name']);
  });

  it.each([
    ['--backfill without =', ['--backfill', 'users.role'], 'D1-707'],
    ['--rename of unequal parts', ['--rename', 'users=users.name'], 'D1-708'],
    ['--hints that is not JSON', ['--hints', '[{'], 'D1-709'],
    ['a hint naming no table', ['--hints', '[{"type":"rename","kind":"table","from":["people"],"to":["users"]}]'], 'D1-710'],
    ['--hints-file that does not exist', ['--hints-file', 'hints.json'], 'D1-711'],
    ['--config with --out', ['--config', 'drizzle.config.ts', '--out', 'elsewhere'], 'D1-704'],
    ['--out without --schema', ['--out', 'elsewhere', '--dialect', 'sqlite'], 'D1-705'],
    ['--dialect other than sqlite', ['--dialect', 'postgresql', '--schema', 'src/schema.ts'], 'D1-504'],
    ['--prefix with an unknown value', ['--prefix', 'sometimes'], 'D1-703'],
    ['an unknown flag', ['--bogus'], 'D1-713'],
    ['--prefix none', ['--prefix', 'none'], 'D1-505'],
  ])('%s is refused with its code', async (_, args, code) => {
    const p = await withHistory();
    // The message names the flag, or what is wrong with its value.
    const mention = code === 'D1-710' ? '"people"' : code === 'D1-505' ? 'migrations.prefix "none"' : args[0]!;
    await expectRefusal(p, args, code, [mention]);
  });

  it('the --hints lines printed for CI are shell-quoted and, pasted into a shell, answer the question', async () => {
    const p = await withHistory();
    p.schema(V2_RENAMED);
    const first = await drizzleD1(p.dir, ['generate']);
    expect(first.exitCode).toBe(2);
    const line = first.stderr.split('\n').find((l) => l.includes('--hints') && l.includes('"rename"'))!.trim();
    // Through a real shell, as a user pastes it.
    const r = spawnSync('sh', ['-c', `${process.execPath} ${CLI_BIN} generate --name pasted ${line}`], { cwd: p.dir, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(p.read('drizzle/0002_pasted.sql')).toContain('RENAME COLUMN "name" TO "full_name"');
  });
});

it('the lock and the fresh folder it needed are gone after a refusal in a new project', async () => {
  const p = project();
  p.schema(V1);
  await expectRefusal(p, ['--name', 'a/b'], 'D1-706', ['--name']);
  expect(existsSync(p.out)).toBe(false);
  // A dry run in a new project leaves no folder either.
  const r = await drizzleD1(p.dir, ['generate', '--dry-run']);
  expect(r.exitCode, r.stderr).toBe(0);
  expect(existsSync(p.out)).toBe(false);
  expect(readFileSync(join(p.dir, 'src/schema.ts'), 'utf8')).toBe(V1);
});
