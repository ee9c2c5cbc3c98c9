/**
 * Command-line input of every command through the built CLI: a bad command line names the command
 * whose --help lists the flags, an empty path flag is refused rather than ignored, and a migrations
 * folder given with --out that does not exist is refused rather than reported clean.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CORE, TempProject } from '../support/project.js';
import { buildCli, drizzleD1, expectCommandRefusal, projectWithHistory } from './support.js';

const V1 = `${CORE}
export const users = sqliteTable('users', { id: integer('id').primaryKey(), name: text('name').notNull() });`;

const projects: TempProject[] = [];
const withHistory = () => projectWithHistory(projects, [['first', V1]]);

beforeAll(() => buildCli(), 180_000);
afterEach(() => {
  for (const p of projects.splice(0)) p.dispose();
});

describe('a bad command line', () => {
  it.each([
    [['rollback'], 'drizzle-d1 rollback --help'],
    [['lint', '--bogus'], 'drizzle-d1 lint --help'],
    [['rewrite', '--pending-after'], 'drizzle-d1 rewrite --help'],
    [['generate', '--bogus'], 'drizzle-d1 generate --help'],
    [['bogus-command'], 'drizzle-d1 --help'],
  ])('%j points at the help of its own command', async (args, help) => {
    const p = await withHistory();
    await expectCommandRefusal(p, args, 'D1-713', [help]);
  });
});

describe('an empty path flag is refused, not ignored', () => {
  it.each([
    [['generate', '--config', '']],
    [['lint', '--config', '']],
    [['lint', '--out', '']],
    [['rollback', '0000', '--config', '']],
  ])('%j', async (args) => {
    const p = await withHistory();
    await expectCommandRefusal(p, args, 'D1-703', [/--(config|out) is empty/]);
  });

  it('verify --out ""', async () => {
    const p = await withHistory();
    await expectCommandRefusal(p, ['verify', '--out', ''], 'D1-462', ['--out is empty'], 2);
  });
});

describe('--out naming a folder that does not exist', () => {
  it.each([
    [['lint', '--out', 'migrations'], 1],
    [['verify', '--out', 'migrations'], 2],
    [['rewrite', '--out', 'migrations', '0000_first'], 1],
  ])('%j is refused, naming the folder, instead of "0 migrations, clean"', async (args, exit) => {
    const p = await withHistory();
    await expectCommandRefusal(p, args as string[], 'D1-625', ['migrations', 'does not exist'], exit as number);
  });

  it('an unknown migration is named with the folder as the user wrote it, not an absolute path', async () => {
    const p = await withHistory();
    await expectCommandRefusal(p, ['lint', 'nope'], 'D1-616', [/^Error \[D1-616\]: drizzle has no migration "nope"/]);
    await expectCommandRefusal(p, ['rewrite', 'nope', '--yes'], 'D1-616', [/^Error \[D1-616\]: drizzle has no migration "nope"/]);
  });

  it('the config\'s own folder, before the first migration, is still linted as empty', async () => {
    const p = new TempProject();
    projects.push(p);
    p.schema(V1);
    const r = await drizzleD1(p.dir, ['lint']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('0 migrations');
  });
});
