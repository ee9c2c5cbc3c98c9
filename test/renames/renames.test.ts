/**
 * Renames without data loss: answered on a terminal (a real pseudo-terminal drives the prompt),
 * by hints, or by --rename; emitted as ALTER TABLE … RENAME (no rows copied) and recorded in the
 * snapshot's `_meta` as drizzle-kit does.
 */
import { summarizePlan } from '../../src/plan/summary.js';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyFolder, openD1Database } from '../../src/d1/apply.js';
import { checkIntegrity, dumpRows } from '../../src/d1/inspect.js';
import type { Renames } from '../../src/diff/types.js';
import { CORE, repoRoot, TempProject } from '../support/project.js';
import { buildCli } from '../cli/support.js';
import { freshBuildByDrizzleKit, runScenario, schemaOf } from '../support/scenario.js';

const bin = join(repoRoot, 'bin/drizzle-d1.cjs');
const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.dispose()));
// The CLI runs from dist/: build it once, under the same lock the CLI tests use.
beforeAll(() => buildCli(), 180_000);

const v1 =
  CORE +
  `export const users = sqliteTable('users', { id: integer('id').primaryKey(), name: text('name').notNull(), email: text('email') }, (t) => [index('users_name_idx').on(t.name)]);\n` +
  `export const posts = sqliteTable('posts', { id: integer('id').primaryKey(), authorId: integer('author_id').notNull().references(() => users.id, { onDelete: 'cascade' }), title: text('title') });\n` +
  `export const names = sqliteView('names').as((qb) => qb.select({ id: users.id, name: users.name }).from(users));\n`;
const v2 = v1.replaceAll("name: text('name')", "fullName: text('full_name')").replaceAll('t.name', 't.fullName').replace('name: users.name', 'fullName: users.fullName');
const seed = `INSERT INTO users VALUES (1, 'ada', 'a@x'), (2, 'bob', NULL); INSERT INTO posts VALUES (1, 1, 'p'), (2, 2, 'q'), (3, 1, NULL);`;

function project(source = v1) {
  const p = new TempProject();
  projects.push(p);
  p.schema(source);
  return p;
}
const cli = (p: TempProject, args: string[]) => spawnSync('node', [bin, 'generate', ...args], { cwd: p.dir, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });

/** Applies the whole folder D1-style, seeding after the first migration; returns rows before and after. */
function applyWithRows(p: TempProject) {
  const db = openD1Database();
  const [first, ...rest] = p.sqlFiles();
  db.exec(readFileSync(join(p.out, first!), 'utf8'));
  db.exec(seed);
  const before = dumpRows(db);
  db.exec(`CREATE TABLE d1_migrations(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL); INSERT INTO d1_migrations(name) VALUES ('${first}');`);
  expect(applyFolder(db, p.out)).toEqual(rest);
  return { db, before, after: dumpRows(db) };
}

describe('rename prompt on a terminal', () => {
  it('asks per new column, offers create or rename, and keeps every row', async () => {
    const p = project();
    await p.generate({ flags: { name: 'init' } });
    p.schema(v2);
    const keys = join(p.dir, 'keys.json');
    // First choice is "create"; one arrow down selects "rename from name".
    writeFileSync(keys, JSON.stringify([{ expect: 'full_name column in users table', send: '\u001b[B\r' }]));
    const r = spawnSync('python3', [join(repoRoot, 'test/support/pty-drive.py'), p.dir, keys, '--', 'node', bin, 'generate', '--name', 'renamed'], { encoding: 'utf8' });
    expect(r.stdout).toContain('created or renamed from another column?');
    expect(r.stdout).toContain('~ name › full_name');
    expect(r.status).toBe(0);
    const sql = p.read('drizzle/0001_renamed.sql');
    expect(sql).toContain('ALTER TABLE `users` RENAME COLUMN "name" TO "full_name";');
    expect(sql).not.toMatch(/INSERT INTO|DROP TABLE `users`/);
    const snap = JSON.parse(p.read('drizzle/meta/0001_snapshot.json'));
    expect(snap._meta.columns).toEqual({ '"users"."name"': '"users"."full_name"' });
    const { db, before, after } = applyWithRows(p);
    expect(after.users!.map((u) => u.full_name)).toEqual(before.users!.map((u) => u.name));
    expect(after.posts).toEqual(before.posts);
    expect(checkIntegrity(db).ok).toBe(true);
    expect(schemaOf(db)).toEqual(schemaOf(await freshBuildByDrizzleKit(p, v2)));
  });

  it('asks about tables first and renames a table natively', async () => {
    const p = project();
    await p.generate({ flags: { name: 'init' } });
    p.schema(v1.replace("sqliteTable('users'", "sqliteTable('accounts'"));
    const keys = join(p.dir, 'keys.json');
    writeFileSync(keys, JSON.stringify([{ expect: 'accounts table created or renamed', send: '\u001b[B\r' }]));
    const r = spawnSync('python3', [join(repoRoot, 'test/support/pty-drive.py'), p.dir, keys, '--', 'node', bin, 'generate', '--name', 'accounts'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const sql = p.read('drizzle/0001_accounts.sql');
    expect(sql).toContain('ALTER TABLE `users` RENAME TO `accounts`;');
    expect(sql).not.toContain('__new_');
    expect(JSON.parse(p.read('drizzle/meta/0001_snapshot.json'))._meta.tables).toEqual({ '"users"': '"accounts"' });
    const { db, before, after } = applyWithRows(p);
    expect(after.accounts).toEqual(before.users);
    expect(after.posts).toEqual(before.posts);
    expect(db.prepare(`SELECT "table" FROM pragma_foreign_key_list('posts')`).pluck().get()).toBe('accounts');
  });
});

describe('hints and --rename outside a terminal', () => {
  const hintForms: [string, string[]][] = [
    ['drizzle-kit 1.0 hints with the schema element', ['--hints', JSON.stringify([{ type: 'rename', kind: 'column', from: ['public', 'users', 'name'], to: ['public', 'users', 'full_name'] }])]],
    ['hints without the schema element', ['--hints', JSON.stringify([{ type: 'rename', kind: 'column', from: ['users', 'name'], to: ['users', 'full_name'] }])]],
    ['the short --rename form', ['--rename', 'users.name=users.full_name']],
  ];
  for (const [what, args] of hintForms) {
    it(`renames with ${what}`, async () => {
      const p = project();
      await p.generate({ flags: { name: 'init' } });
      p.schema(v2);
      const r = cli(p, ['--name', 'renamed', ...args]);
      expect(r.status, r.stderr).toBe(0);
      expect(p.read('drizzle/0001_renamed.sql')).toContain('RENAME COLUMN "name" TO "full_name"');
    });
  }

  it('reads --hints-file and accepts create hints', async () => {
    const p = project();
    await p.generate({ flags: { name: 'init' } });
    p.schema(v2);
    writeFileSync(join(p.dir, 'hints.json'), JSON.stringify([{ type: 'create', kind: 'column', to: ['users', 'full_name'] }]));
    const r = cli(p, ['--name', 'recreated', '--hints-file', 'hints.json', '--backfill', "users.full_name='?'"]);
    expect(r.status, r.stderr).toBe(0);
    const sql = p.read('drizzle/0001_recreated.sql');
    expect(sql).not.toContain('RENAME COLUMN');
    expect(r.stdout).toContain('drop column users.name (destructive');
  });

  it('refuses a hint naming something that does not exist, writing nothing', async () => {
    const p = project();
    await p.generate({ flags: { name: 'init' } });
    p.schema(v2);
    const tree = p.listTree();
    const r = cli(p, ['--rename', 'users.nmae=users.full_name']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/"users\.nmae", which is not in the previous snapshot/);
    expect(p.listTree()).toEqual(tree);
  });

  it('exits 2 with the hints that would answer, as JSON with --json', async () => {
    const p = project();
    await p.generate({ flags: { name: 'init' } });
    p.schema(v2);
    const tree = p.listTree();
    const r = cli(p, ['--json']);
    expect(r.status).toBe(2);
    const report = JSON.parse(r.stdout);
    expect(report.status).toBe('missing_hints');
    expect(report.hints.rename).toEqual([{ type: 'rename', kind: 'column', from: ['users', 'name'], to: ['users', 'full_name'] }]);
    expect(p.listTree()).toEqual(tree);
    // The printed answer works as is.
    const again = cli(p, ['--hints', JSON.stringify(report.hints.rename)]);
    expect(again.status, again.stderr).toBe(0);
  });
});

describe('renames combined with other changes keep every row (D1 rules)', () => {
  const blog = (users: string, usersName = 'users') =>
    CORE +
    `export const users = sqliteTable('${usersName}', ${users});\n` +
    `export const posts = sqliteTable('posts', { id: integer('id').primaryKey(), authorId: integer('author_id').notNull().references(() => users.id, { onDelete: 'cascade' }), title: text('title') });\n` +
    `export const comments = sqliteTable('comments', { id: integer('id').primaryKey(), postId: integer('post_id').references(() => posts.id, { onDelete: 'cascade' }) });\n`;
  const usersV1 = "{ id: integer('id').primaryKey(), name: text('name').notNull(), age: integer('age') }";
  const seedBlog = `INSERT INTO users VALUES (1, 'ada', 36), (2, 'bob', NULL); INSERT INTO posts VALUES (1, 1, 'p'), (2, 2, NULL); INSERT INTO comments VALUES (1, 1), (2, 2), (3, 1);`;

  const cases: { name: string; after: string; renames: Renames; rebuilt: string[] }[] = [
    {
      name: 'table rename and column rename in the same migration',
      after: blog("{ id: integer('id').primaryKey(), fullName: text('full_name').notNull(), age: integer('age') }", 'accounts'),
      renames: { tables: { users: 'accounts' }, columns: { accounts: { name: 'full_name' } } },
      rebuilt: [],
    },
    {
      name: 'rename and type change in one table',
      after: blog("{ id: integer('id').primaryKey(), fullName: text('full_name').notNull(), age: text('age') }"),
      renames: { tables: {}, columns: { users: { name: 'full_name' } } },
      rebuilt: ['users', 'posts', 'comments'],
    },
    {
      name: 'rename of a parent table referenced by CASCADE children',
      after: blog(usersV1, 'members'),
      renames: { tables: { users: 'members' }, columns: {} },
      rebuilt: [],
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const run = await runScenario({ name: c.name, before: blog(usersV1), seed: seedBlog, after: c.after, renames: c.renames });
      projects.push(run.project);
      expect(summarizePlan(run.second.migration!.plan!).rebuilds.map((r) => r.table).sort()).toEqual([...c.rebuilt].sort());
      const usersAfter = run.after[c.renames.tables.users ?? 'users']!;
      expect(usersAfter.map((u) => [u.id, u.full_name ?? u.name])).toEqual(run.before.users!.map((u) => [u.id, u.name]));
      expect(usersAfter.map((u) => (u.age === null ? null : String(u.age)))).toEqual(run.before.users!.map((u) => (u.age === null ? null : String(u.age))));
      expect(run.after.posts).toEqual(run.before.posts);
      expect(run.after.comments).toEqual(run.before.comments);
      expect(checkIntegrity(run.db).ok).toBe(true);
      expect(schemaOf(run.db)).toEqual(schemaOf(await freshBuildByDrizzleKit(run.project, c.after)));
    });
  }

  it('two tables swap names, two columns swap names and one takes an index name of the other, with a rebuild', async () => {
    const before =
      CORE +
      `export const a = sqliteTable('a', { id: integer('id').primaryKey(), x: text('x'), y: text('y') }, (t) => [index('i1').on(t.x), uniqueIndex('i2').on(t.y)]);\n` +
      `export const b = sqliteTable('b', { id: integer('id').primaryKey(), aId: integer('a_id').references(() => a.id, { onDelete: 'cascade' }) });\n` +
      `export const c = sqliteTable('c', { id: integer('id').primaryKey(), w: text('w') });\n`;
    const after =
      CORE +
      `export const a = sqliteTable('c', { id: integer('id').primaryKey(), y: text('y'), x: text('x').notNull().default('-') }, (t) => [index('i2').on(t.x), uniqueIndex('i1').on(t.y)]);\n` +
      `export const b = sqliteTable('b', { id: integer('id').primaryKey(), aId: integer('a_id').references(() => a.id, { onDelete: 'cascade' }) });\n` +
      `export const c = sqliteTable('a', { id: integer('id').primaryKey(), w: text('w') });\n`;
    const seedSwap = `INSERT INTO a VALUES (1, 'x1', 'y1'), (2, NULL, 'y2'); INSERT INTO b VALUES (1, 1), (2, 2); INSERT INTO c VALUES (7, 'w7');`;
    const renames = { tables: { a: 'c', c: 'a' }, columns: { c: { x: 'y', y: 'x' } } };
    const run = await runScenario({ name: 'swaps', before, seed: seedSwap, after, renames });
    projects.push(run.project);
    // Old a's x is now c's y, old y is c's x (NULL filled with the default); old c is a.
    expect(run.after.c).toEqual([{ id: 1, y: 'x1', x: 'y1' }, { id: 2, y: null, x: 'y2' }]);
    expect(run.after.a).toEqual(run.before.c);
    expect(run.after.b).toEqual(run.before.b);
    expect(checkIntegrity(run.db).ok).toBe(true);
    expect(schemaOf(run.db)).toEqual(schemaOf(await freshBuildByDrizzleKit(run.project, after)));
  });

  it('rename of a column used by an index and by a view', async () => {
    const run = await runScenario({ name: 'index and view', before: v1, seed, after: v2, renames: { tables: {}, columns: { users: { name: 'full_name' } } } });
    projects.push(run.project);
    expect(summarizePlan(run.second.migration!.plan!).rebuilds).toEqual([]);
    expect(run.sql).toContain('DROP VIEW `names`');
    expect(run.sql).not.toContain('DROP INDEX');
    expect(run.db.prepare('SELECT full_name FROM names ORDER BY id').pluck().all()).toEqual(['ada', 'bob']);
    expect(schemaOf(run.db)).toEqual(schemaOf(await freshBuildByDrizzleKit(run.project, v2)));
  });
});
