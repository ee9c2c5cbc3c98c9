/**
 * The rollback files through the built CLI and next to the other tools: drizzle-kit's CLI and
 * drizzle-orm's better-sqlite3 migrator ignore the rollback folder; `generate --no-rollback` and the
 * config's `rollback: false` turn it off; `--custom` gets a down file to write by hand;
 * `drizzle-d1 rollback <tag>` writes a missing down file (a migration drizzle-kit wrote), prints the
 * runbook with the wrangler config's database name, and never overwrites.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyMigration, openD1Database } from '../../src/d1/apply.js';
import { dumpRows } from '../../src/d1/inspect.js';
import { TempProject } from '../support/project.js';
import { freshBuildByDrizzleKit, schemaOf } from '../support/scenario.js';
import { IMPORTS } from '../history/histories.js';
import { buildCli, drizzleD1, drizzleKitCli, treeOf, type Run } from '../cli/support.js';

const V1 = `${IMPORTS}
export const users = sqliteTable('users', { id: integer('id').primaryKey(), name: text('name').notNull(), legacy: text('legacy').notNull() });
export const posts = sqliteTable('posts', { id: integer('id').primaryKey(), authorId: integer('author_id').notNull().references(() => users.id, { onDelete: 'cascade' }), title: text('title') });`;
/** Drops a NOT NULL column without a default and rebuilds the parent of a CASCADE child. */
const V2 = `${IMPORTS}
export const users = sqliteTable('users', { id: integer('id').primaryKey(), name: text('name').notNull().default('anon') });
export const posts = sqliteTable('posts', { id: integer('id').primaryKey(), authorId: integer('author_id').notNull().references(() => users.id, { onDelete: 'cascade' }), title: text('title') });`;
const V3 = V2.replace(`title: text('title') })`, `title: text('title'), body: text('body') })`);
const SEED = `INSERT INTO users VALUES (1, 'ann', 'x'), (2, 'bob', 'y'); INSERT INTO posts VALUES (10, 1, 'a'), (11, 2, 'b');`;
const NO_CHANGES = 'No schema changes, nothing to migrate';

const projects: TempProject[] = [];
const project = (configExtra?: string) => {
  const p = new TempProject(configExtra ? { configExtra } : {});
  projects.push(p);
  return p;
};
afterEach(() => projects.splice(0).forEach((p) => p.dispose()));
beforeAll(() => buildCli(), 120_000);

const ok = (r: Run) => {
  expect(r.exitCode, `exit ${r.exitCode}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
};
const rollbackDir = (p: TempProject) => join(p.out, 'rollback');

describe('the rollback folder next to drizzle-kit and drizzle-orm', () => {
  it('drizzle-kit finds no changes and continues the folder; its snapshot reading ignores rollback/', async () => {
    const p = project();
    p.schema(V1);
    ok(await drizzleD1(p.dir, ['generate', '--name', 'init']));
    p.schema(V2);
    ok(await drizzleD1(p.dir, ['generate', '--name', 'slim']));
    expect(readdirSync(rollbackDir(p)).sort()).toEqual(['0000_init.down.sql', '0001_slim.down.sql']);
    const before = treeOf(p);
    expect(ok(await drizzleKitCli(p.dir, ['generate'])).stdout).toContain(NO_CHANGES);
    expect(treeOf(p)).toEqual(before);
    p.schema(V3);
    const next = ok(await drizzleKitCli(p.dir, ['generate', '--name', 'body']));
    expect(next.stdout).toContain('0002_body.sql');
    expect(p.read('drizzle/0002_body.sql')).toBe('ALTER TABLE `posts` ADD `body` text;');
    expect(JSON.parse(p.read('drizzle/meta/0002_snapshot.json')).prevId).toBe(JSON.parse(p.read('drizzle/meta/0001_snapshot.json')).id);
  });

  it("drizzle-orm's better-sqlite3 migrator applies the journal's migrations only", async () => {
    const p = project();
    p.schema(V1);
    ok(await drizzleD1(p.dir, ['generate', '--name', 'init']));
    p.schema(V2);
    ok(await drizzleD1(p.dir, ['generate', '--name', 'slim']));
    const dir = mkdtempSync(join(tmpdir(), 'drizzle-d1-migrator-'));
    try {
      const sqlite = new Database(join(dir, 'app.db'));
      migrate(drizzle(sqlite), { migrationsFolder: p.out });
      expect(sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(2);
      const fresh = await freshBuildByDrizzleKit(p, V2);
      sqlite.exec('DROP TABLE __drizzle_migrations');
      expect(schemaOf(sqlite)).toEqual(schemaOf(fresh));
      sqlite.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('generate and the down file', () => {
  it('the down file restores the rows, with a typed placeholder for a dropped NOT NULL column', async () => {
    const p = project();
    p.schema(V1);
    ok(await drizzleD1(p.dir, ['generate', '--name', 'init']));
    p.schema(V2);
    const text = ok(await drizzleD1(p.dir, ['generate', '--name', 'slim', '--dry-run']));
    expect(text.stdout).toContain('rollback: D1-483 `users`.`legacy`: the migration dropped this NOT NULL column');
    expect(existsSync(rollbackDir(p))).toBe(true); // the first migration's, not this one's
    expect(readdirSync(rollbackDir(p))).toEqual(['0000_init.down.sql']);
    const r = ok(await drizzleD1(p.dir, ['generate', '--name', 'slim', '--json']));
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'written', rollback: 'drizzle/rollback/0001_slim.down.sql' });
    const down = p.read('drizzle/rollback/0001_slim.down.sql');
    expect(down).toContain("`users`.`legacy`: the migration dropped this NOT NULL column; it comes back holding '' in every row");
    const db = openD1Database();
    applyMigration(db, p.read('drizzle/0000_init.sql'), '0000_init.sql');
    db.exec(SEED);
    const seeded = dumpRows(db);
    applyMigration(db, p.read('drizzle/0001_slim.sql'), '0001_slim.sql');
    applyMigration(db, down, '0001_slim.down.sql');
    expect(dumpRows(db)).toEqual({ ...seeded, users: seeded.users!.map((u) => ({ ...u, legacy: '' })) });
    expect(schemaOf(db)).toEqual(schemaOf(await freshBuildByDrizzleKit(p, V1)));
  });

  it('--no-rollback and rollback: false write none; --custom gets a down file to write by hand', async () => {
    const a = project();
    a.schema(V1);
    ok(await drizzleD1(a.dir, ['generate', '--name', 'init', '--no-rollback']));
    expect(existsSync(rollbackDir(a))).toBe(false);
    const b = project('rollback: false');
    b.schema(V1);
    ok(await drizzleD1(b.dir, ['generate', '--name', 'init']));
    expect(existsSync(rollbackDir(b))).toBe(false);
    ok(await drizzleD1(a.dir, ['generate', '--custom', '--name', 'trigger']));
    const down = a.read('drizzle/rollback/0001_trigger.down.sql');
    expect(down).toContain('was written by hand (generate --custom), so its reverse must be written by hand');
    expect(down).toContain("DELETE FROM d1_migrations WHERE name = '0001_trigger.sql';");
    expect(down.split('\n').every((l) => l === '' || l.startsWith('--'))).toBe(true);
  });

  it('a rollback setting that is not a boolean is D1-488', async () => {
    const p = project("rollback: 'no'");
    p.schema(V1);
    const r = await drizzleD1(p.dir, ['generate']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^Error \[D1-488\]: .*rollback: "no"/);
    expect(existsSync(p.out)).toBe(false);
  });
});

describe('drizzle-d1 rollback <tag>', () => {
  it('writes the missing down file of a migration drizzle-kit wrote and prints the runbook', async () => {
    const p = project();
    p.write({ 'wrangler.jsonc': `// the worker\n{\n  "name": "app", /* prod */\n  "d1_databases": [{ "binding": "DB", "database_name": "app-db", "database_id": "x", "migrations_dir": "drizzle", }],\n}\n` });
    p.schema(V1);
    ok(await drizzleKitCli(p.dir, ['generate', '--name', 'init']));
    p.schema(V2);
    ok(await drizzleKitCli(p.dir, ['generate', '--name', 'slim']));
    expect(existsSync(rollbackDir(p))).toBe(false);

    const printed = ok(await drizzleD1(p.dir, ['rollback', '0001', '--print']));
    expect(existsSync(rollbackDir(p))).toBe(false);
    expect(printed.stdout).toContain('PRAGMA defer_foreign_keys = ON;');

    const r = ok(await drizzleD1(p.dir, ['rollback', '0001_slim']));
    expect(r.stdout).toContain('Rollback file ➜ drizzle/rollback/0001_slim.down.sql (written)');
    expect(r.stdout).toContain('npx wrangler d1 export app-db --remote --output backup-before-rollback-0001_slim.sql');
    expect(r.stdout).toContain('npx wrangler d1 execute app-db --remote --file drizzle/rollback/0001_slim.down.sql');
    expect(r.stdout).toContain(`DELETE FROM d1_migrations WHERE name = '0001_slim.sql';`);
    expect(r.stdout).toContain('npx wrangler d1 time-travel restore app-db --timestamp');
    // (execa strips the final newline of stdout)
    expect(p.read('drizzle/rollback/0001_slim.down.sql')).toBe(`${printed.stdout}\n`);

    const json = JSON.parse(ok(await drizzleD1(p.dir, ['rollback', '0001', '--print', '--json'])).stdout);
    expect(json).toMatchObject({ status: 'printed', tag: '0001_slim', file: 'drizzle/rollback/0001_slim.down.sql', kind: 'planned' });
    expect(json.diagnostics.map((d: { code: string }) => d.code)).toContain('D1-483');

    const again = ok(await drizzleD1(p.dir, ['rollback', '0001_slim.sql']));
    expect(again.stdout).toContain('(already there, kept as it is)');

    const before = treeOf(p);
    const missing = await drizzleD1(p.dir, ['rollback', '0007_nope']);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/^Error \[D1-616\]: drizzle has no migration "0007_nope"/);
    expect(treeOf(p)).toEqual(before);
  });
});
