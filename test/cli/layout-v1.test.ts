/**
 * The built CLI in drizzle-kit 1.0's layout: `--json`, missing hints and a refused plan behave as in
 * the 0.31 layout (same statuses, codes and exit codes; nothing half-written), and a broken latest
 * folder is a D1-63x error naming the file.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IMPORTS } from '../history/histories.js';
import type { TempProject } from '../support/project.js';
import { migrationFolders, v1Project } from '../support/v1.js';
import { buildCli, drizzleD1, expectCommandRefusal, expectRefusal, treeOf } from './support.js';

const V1 = `${IMPORTS}
export const users = sqliteTable('users', { id: integer('id').primaryKey(), name: text('name').notNull() });`;
const V2 = V1.replace(`name: text('name').notNull() `, `name: text('name').notNull(), bio: text('bio') `);

const projects: TempProject[] = [];
afterEach(() => projects.splice(0).forEach((p) => p.dispose()));
beforeAll(async () => {
  await buildCli();
}, 300_000);
const project = () => {
  const p = v1Project().schema(V1);
  projects.push(p);
  return p;
};

describe('drizzle-d1 generate in the drizzle-kit 1.0 layout', () => {
  it('--json: written, no changes, missing hints', async () => {
    const p = project();
    const first = await drizzleD1(p.dir, ['generate', '--json', '--name', 'init']);
    expect(first.exitCode, first.stderr).toBe(0);
    const w = JSON.parse(first.stdout);
    expect(w).toMatchObject({ status: 'written', tag: expect.stringMatching(/^\d{14}_init$/) });
    expect(w.sql).toBe(`drizzle/${w.tag}/migration.sql`);
    expect(w.snapshot).toBe(`drizzle/${w.tag}/snapshot.json`);
    expect(JSON.parse((await drizzleD1(p.dir, ['generate', '--json'])).stdout)).toEqual({ status: 'no-changes', warnings: [] });
    p.schema(V1.replace(`name: text('name')`, `fullName: text('full_name')`));
    const before = treeOf(p);
    const missing = await drizzleD1(p.dir, ['generate', '--json']);
    expect(missing.exitCode).toBe(2);
    expect(JSON.parse(missing.stdout)).toMatchObject({ status: 'missing_hints' });
    expect(treeOf(p)).toEqual(before);
    const hinted = await drizzleD1(p.dir, ['generate', '--name', 'rename', '--rename', 'users.name=users.full_name']);
    expect(hinted.exitCode, hinted.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(p.out, migrationFolders(p.out).at(-1)!, 'snapshot.json'), 'utf8')).renames).toEqual(['users.name->users.full_name']);
  }, 60_000);

  it('a latest folder without migration.sql or with a broken snapshot is refused, naming the file', async () => {
    const p = project();
    expect((await drizzleD1(p.dir, ['generate', '--name', 'init'])).exitCode).toBe(0);
    const folder = join(p.out, migrationFolders(p.out)[0]!);
    const sql = readFileSync(join(folder, 'migration.sql'), 'utf8');
    p.schema(V2);
    writeFileSync(join(folder, 'snapshot.json'), '{"version":"7","dialect":"sqlite"}');
    await expectRefusal(p, [], 'D1-630', ['snapshot.json']);
    rmSync(join(folder, 'migration.sql'));
    writeFileSync(join(folder, 'snapshot.json'), '{"version":"7","dialect":"sqlite","id":"x","prevIds":[],"ddl":[],"renames":[]}');
    await expectRefusal(p, [], 'D1-631', ['migration.sql']);
    writeFileSync(join(folder, 'migration.sql'), sql);
  }, 60_000);

  it('a snapshot.json that is a folder: a read error naming it once, relatively, from every command', async () => {
    const p = project();
    expect((await drizzleD1(p.dir, ['generate', '--name', 'init'])).exitCode).toBe(0);
    const folder = migrationFolders(p.out)[0]!;
    rmSync(join(p.out, folder, 'snapshot.json'));
    mkdirSync(join(p.out, folder, 'snapshot.json'));
    writeFileSync(join(p.out, folder, 'snapshot.json', 'keep'), '');
    p.schema(V2);
    const exact = `Error [D1-624]: Cannot read the migrations folder: drizzle/${folder}/snapshot.json is a folder, not a file (EISDIR).`;
    for (const [args, exit] of [[['generate'], 1], [['lint'], 1], [['verify', '--rows', '3'], 2], [['rollback', folder], 1]] as const) {
      await expectCommandRefusal(p, [...args], 'D1-624', [exact], exit);
    }
  }, 60_000);

  it('a folder holding a journal and 1.0 folders is refused (D1-633)', async () => {
    const p = project();
    expect((await drizzleD1(p.dir, ['generate', '--name', 'init'])).exitCode).toBe(0);
    p.write({ 'drizzle/meta/_journal.json': '{"version":"7","dialect":"sqlite","entries":[]}' });
    p.schema(V2);
    await expectRefusal(p, [], 'D1-633', ['_journal.json']);
  }, 60_000);
});
