/**
 * Bad input that only the planner can see (issue #12): a parent that leaves the schema while a child
 * still references it, `--backfill` values that are not one SQL expression, names that differ only
 * by letter case, hostile text in checks and table names, D1's column limit. Each refusal exits 1
 * with its code and leaves the folder byte-identical; each migration that is written applies with
 * rows and keeps them.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigration, openD1Database } from '../../src/d1/apply.js';
import { checkIntegrity, dumpRows } from '../../src/d1/inspect.js';
import { CORE, TempProject } from '../support/project.js';
import { freshBuildByDrizzleKit, schemaOf } from '../support/scenario.js';
import { buildCli, expectRefusal } from './support.js';

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.dispose()));
beforeAll(buildCli, 180_000);

const usersPosts = (postsExtra = '', exportUsers = true) =>
  CORE +
  `${exportUsers ? 'export ' : ''}const users = sqliteTable('users', { id: integer('id').primaryKey(), name: text('name') });\n` +
  `export const posts = sqliteTable('posts', { id: integer('id').primaryKey(), authorId: integer('author_id').references(() => users.id, { onDelete: 'cascade' }), title: text('title')${postsExtra} });\n`;

async function projectAt(schema: string) {
  const p = new TempProject();
  projects.push(p);
  p.schema(schema);
  await p.generate({ flags: { name: 'init' } });
  return p;
}

/** Generates `before` → `after`, applies both D1's way with `seed` in between; the database and SQL. */
async function applied(before: string, seed: string, after: string) {
  const p = await projectAt(before);
  p.schema(after);
  const second = await p.generate({ flags: { name: 'change' } });
  const db = openD1Database();
  const [first, change] = p.sqlFiles();
  applyMigration(db, p.read(`drizzle/${first}`), first!);
  db.exec(seed);
  const rows = dumpRows(db);
  const sql = readFileSync(second.migration!.sqlPath, 'utf8');
  applyMigration(db, sql, change!);
  return { p, db, rows, sql, second };
}

describe('a parent that leaves the schema while a child references it', () => {
  it('is refused naming both tables and the schema file (D1-560)', async () => {
    const p = await projectAt(usersPosts());
    p.schema(usersPosts('', false));
    await expectRefusal(p, [], 'D1-560', ['"posts"', '"users"', 'src/schema.ts']);
  });
});

describe('--backfill takes exactly one SQL expression', () => {
  const NOT_NULL = usersPosts(", body: text('body').notNull()");
  for (const [what, value] of [
    ['a second statement', "'x'); DROP TABLE users; --"],
    ['an empty value', ''],
    ['a trailing comment', "'x' --"],
    ['text SQLite cannot parse', "lower(title"],
    ['a column the table lacks', 'nope'],
  ] as const) {
    it(`refuses ${what} (D1-714)`, async () => {
      const p = await projectAt(usersPosts());
      p.schema(NOT_NULL);
      await expectRefusal(p, ['--backfill', `posts.body=${value}`], what === 'an empty value' ? /D1-7\d\d/ : 'D1-714', ['posts.body']);
    });
  }

  it('accepts one expression over the copied columns, and the migration keeps every row', async () => {
    const p = await projectAt(usersPosts());
    p.schema(usersPosts(", body: text('body').notNull()"));
    const r = await p.generate({ flags: { name: 'body' }, backfill: { 'posts.body': "coalesce(title, 'untitled')" } });
    expect(r.migration).not.toBeNull();
  });
});

describe('names SQLite compares without letter case', () => {
  it('a table renamed only by letter case goes through a spare name, keeping its rows', async () => {
    const before = CORE + `export const users = sqliteTable('users', { id: integer('id').primaryKey(), name: text('name') });\n`;
    const after = CORE + `export const users = sqliteTable('Users', { id: integer('id').primaryKey(), name: text('name') });\n`;
    const p = await projectAt(before);
    p.schema(after);
    const second = await p.generate({ flags: { name: 'case' }, renames: { tables: { users: 'Users' }, columns: {} } });
    const db = openD1Database();
    applyMigration(db, p.read(`drizzle/${p.sqlFiles()[0]}`), 'init.sql');
    db.exec(`INSERT INTO users VALUES (1, 'ada'), (2, 'bob')`);
    applyMigration(db, readFileSync(second.migration!.sqlPath, 'utf8'), 'case.sql');
    expect(db.prepare('SELECT * FROM Users ORDER BY id').all()).toEqual([{ id: 1, name: 'ada' }, { id: 2, name: 'bob' }]);
    expect(db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name = 'Users'`).all()).toEqual([{ name: 'Users' }]);
  });

  it('a table dropped and created again under another letter case: the old one steps aside first', async () => {
    const before = CORE + `export const users = sqliteTable('users', { id: integer('id').primaryKey(), name: text('name') });\n`;
    const after = CORE + `export const users = sqliteTable('Users', { id: integer('id').primaryKey(), email: text('email') });\n`;
    const p = await projectAt(before);
    p.schema(after);
    const second = await p.generate({ flags: { name: 'recreate' }, renames: { tables: {}, columns: {}, createdTables: ['Users'] } });
    const db = openD1Database();
    applyMigration(db, p.read(`drizzle/${p.sqlFiles()[0]}`), 'init.sql');
    db.exec(`INSERT INTO users VALUES (1, 'ada')`);
    applyMigration(db, readFileSync(second.migration!.sqlPath, 'utf8'), 'recreate.sql');
    expect(schemaOf(db)).toEqual(schemaOf(await freshBuildByDrizzleKit(p, after)));
  });
});

describe('checks and names in a rebuild', () => {
  it("a check whose string literal holds the table's quoted name, and one qualified with the bare table name, come out unchanged", async () => {
    const after =
      CORE +
      `export const users = sqliteTable('users', { id: integer('id').primaryKey(), name: text('name') });\n` +
      `export const posts = sqliteTable('posts', { id: integer('id').primaryKey(), authorId: integer('author_id').references(() => users.id, { onDelete: 'cascade' }), title: text('title') }, ` +
      "(t) => [check('note_ok', sql`${t.title} <> '\"posts\".x'`), check('bare', sql`posts.id > 0`)]);\n";
    const { db, rows, sql } = await applied(usersPosts(), `INSERT INTO users VALUES (1, 'a'); INSERT INTO posts (id, author_id, title) VALUES (1, 1, 'ok');`, after);
    expect(sql).toContain(`"__new_posts"."title" <> '"posts".x'`);
    expect(sql).toContain('__new_posts.id > 0');
    expect(dumpRows(db)).toEqual(rows);
    expect(checkIntegrity(db).ok).toBe(true);
    const kept = db.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'posts'`).get() as { sql: string };
    expect(kept.sql).toContain(`'"posts".x'`);
    expect(() => db.exec(`INSERT INTO posts (id, author_id, title) VALUES (2, 1, '"posts".x')`)).toThrow(/CHECK constraint failed: note_ok/);
    expect(() => db.exec(`INSERT INTO posts (id, author_id, title) VALUES (-1, 1, 'y')`)).toThrow(/CHECK constraint failed: bare/);
  });

  it('a table name holding a double quote and a line break survives a rebuild, and the header comment stays a comment', async () => {
    const name = 'we"ird\nDROP TABLE victims; --';
    const table = (extra: string) =>
      CORE +
      `export const victims = sqliteTable('victims', { id: integer('id').primaryKey() });\n` +
      `export const weird = sqliteTable(${JSON.stringify(name)}, { id: integer('id').primaryKey(), v: text('v')${extra} });\n`;
    const { db, rows } = await applied(table(''), `INSERT INTO victims VALUES (1); INSERT INTO "${name.replace(/"/g, '""')}" VALUES (1, 'x');`, table(".notNull().default('y')"));
    expect(dumpRows(db)).toEqual(rows);
  });
});

describe("D1's 100-column limit", () => {
  it('is said when a table is created with more than 100 columns, and when a column takes it past 100', async () => {
    const cols = (n: number) => Array.from({ length: n }, (_, i) => `c${i}: integer('c${i}')`).join(', ');
    const wide = (n: number) => CORE + `export const wide = sqliteTable('wide', { id: integer('id').primaryKey(), ${cols(n)} });\n`;
    const p = new TempProject();
    projects.push(p);
    p.schema(wide(101));
    const created = await p.generate({ flags: { name: 'wide' } });
    expect(created.migration!.plan!.diagnostics.map((d) => d.code)).toContain('D1-201');
    const q = await projectAt(wide(99));
    q.schema(wide(100));
    const widened = await q.generate({ flags: { name: 'wider' } });
    expect(widened.migration!.plan!.diagnostics.map((d) => d.code)).toContain('D1-201');
  });
});
