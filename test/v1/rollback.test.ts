/**
 * Rollback files (and lint, rewrite, verify) in drizzle-kit 1.0's layout: `<folder>/down.sql` beside `migration.sql`, written by
 * generate and by `drizzle-d1 rollback <tag>` (also for a migration drizzle-kit 1.0 wrote). Each
 * proof applies the folder D1's way with rows, then the down file, and compares with drizzle-kit
 * 1.0's fresh build of the previous schema; drizzle-kit 1.0 and drizzle-orm 1.0's migrator must never
 * read the down file, and none is written where wrangler's migrations_pattern would run it.
 */
import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm-v1/better-sqlite3';
import { migrate } from 'drizzle-orm-v1/better-sqlite3/migrator';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigration, openD1Database } from '../../src/d1/apply.js';
import { checkIntegrity, dumpRows } from '../../src/d1/inspect.js';
import { readRealSchema } from '../../src/d1/replay.js';
import { UserInputError } from '../../src/diagnostics/errors.js';
import { lintFolder } from '../../src/lint/lint.js';
import { planRewrite, selectRewriteTags, writeRewrite } from '../../src/rewrite/rewrite.js';
import { verifyFolder } from '../../src/verify/verify.js';
import { verifyThroughWrangler } from '../../src/verify/wrangler.js';
import { SKIP_WRANGLER } from '../support/wrangler.js';
import { rollbackCommand } from '../../src/rollback/command.js';
import { IMPORTS } from '../history/histories.js';
import { FORBIDDEN } from '../rollback/support.js';
import type { TempProject } from '../support/project.js';
import { applyFolders, drizzleKitV1, migrationFolders, schemaShape, v1Project } from '../support/v1.js';

const V1 = `${IMPORTS}
export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  role: text('role').notNull().default('member'),
});
export const posts = sqliteTable('posts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  authorId: integer('author_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  title: text('title').notNull(),
}, (t) => [index('posts_author_idx').on(t.authorId)]);
export const comments = sqliteTable('comments', {
  id: integer('id').primaryKey(),
  postId: integer('post_id').references(() => posts.id, { onDelete: 'set null' }),
  body: text('body').notNull(),
});`;
/** Rebuilds users (a changed default), the parent of a CASCADE chain, and adds a nullable column. */
const V2 = V1.replace(`default('member')`, `default('reader')`).replace(`title: text('title').notNull(),`, `title: text('title').notNull(),\n  subtitle: text('subtitle'),`);
/** A column rename. */
const V3 = V1.replace(`name: text('name').notNull(),`, `fullName: text('full_name').notNull(),`);
const RENAME_HINT = JSON.stringify([{ type: 'rename', kind: 'column', from: ['public', 'users', 'name'], to: ['public', 'users', 'full_name'] }]);
const SEED = `INSERT INTO users (id, name, role) VALUES (1, 'Ann', 'author'), (2, 'Bob', 'member');
INSERT INTO posts (id, author_id, title) VALUES (1, 1, 'Hello'), (2, 1, 'Again'), (3, 2, 'Mine');
INSERT INTO comments (id, post_id, body) VALUES (1, 1, 'nice'), (2, 3, 'ok'), (3, NULL, 'orphan');`;
const NO_CHANGES = 'No schema changes, nothing to migrate';

const projects: TempProject[] = [];
const track = (p: TempProject) => (projects.push(p), p);
afterEach(() => projects.splice(0).forEach((p) => p.dispose()));
const times = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n));

async function kit(p: TempProject, args: string[]): Promise<string> {
  const run = await drizzleKitV1(p.dir, args);
  expect(run.exitCode, run.stderr + run.stdout).toBe(0);
  return `${run.stdout}\n${run.stderr}`;
}

/** drizzle-kit 1.0's fresh build of `source`, applied D1's way. */
async function kitFresh(source: string): Promise<Database.Database> {
  const p = track(v1Project()).schema(source);
  await kit(p, ['generate', '--name', 'fresh']);
  const db = openD1Database();
  applyFolders(db, p.out);
  return db;
}

/** The folder applied D1's way with SEED after the first migration, then `down` (one transaction): rows before and after. */
function applyThenRollBack(p: TempProject, down: string) {
  const db = openD1Database();
  applyFolders(db, p.out, (d) => d.exec(SEED));
  const before = dumpRows(db);
  applyMigration(db, down, 'down.sql');
  return { db, before, after: dumpRows(db) };
}

describe("rollback files in drizzle-kit 1.0's layout", () => {
  it('generate writes <folder>/down.sql, which takes the database back keeping every row; the runners never read it', async () => {
    const p = track(v1Project()).schema(V1);
    await kit(p, ['generate', '--name', 'init']);
    p.schema(V2);
    const r = await p.generate({ flags: { name: 'rebuild' }, now: times(0) });
    const m = r.migration!;
    expect(m.rollback?.path).toBe(join(p.out, m.tag, 'down.sql'));
    const down = readFileSync(m.rollback!.path, 'utf8');
    for (const re of FORBIDDEN) expect(down).not.toMatch(re);
    expect(down).toContain(`-- Rollback of ${m.tag}/migration.sql, written by drizzle-d1.`);
    // The runbook forgets the migration by the names the runners record: wrangler's path, drizzle-orm 1.0's folder name.
    expect(down).toContain(`DELETE FROM d1_migrations WHERE name = '${m.tag}/migration.sql';`);
    expect(down).toContain(`DELETE FROM __drizzle_migrations WHERE name = '${m.tag}';`);
    expect(down).toContain(`--file drizzle/${m.tag}/down.sql`);

    const { db, before, after } = applyThenRollBack(p, down);
    expect(before.users!.map((u) => u.role)).toEqual(['author', 'member']);
    expect(after).toEqual({ ...before, posts: before.posts!.map(({ subtitle: _, ...rest }) => rest) });
    expect(schemaShape(db)).toEqual(schemaShape(await kitFresh(V1)));
    expect(checkIntegrity(db)).toMatchObject({ ok: true });

    // drizzle-kit 1.0 reads the folder as before; drizzle-orm 1.0's migrator and the replay run migration.sql only.
    expect(await kit(p, ['generate'])).toContain(NO_CHANGES);
    const orm = new Database(':memory:');
    migrate(drizzle({ client: orm }), { migrationsFolder: p.out });
    expect(orm.prepare('SELECT name FROM __drizzle_migrations ORDER BY id').pluck().all()).toEqual(migrationFolders(p.out));
    orm.exec('DROP TABLE __drizzle_migrations');
    expect(schemaShape(orm)).toEqual(schemaShape(await kitFresh(V2)));
    const real = readRealSchema(p.out);
    expect(real.replay.applied).toEqual(migrationFolders(p.out));
    expect(real.drift).toEqual([]);
    real.replay.db.close();
  }, 120_000);

  it('drizzle-d1 rollback writes the down file of a migration drizzle-kit 1.0 wrote, reading its recorded renames', async () => {
    const p = track(v1Project()).schema(V1);
    await kit(p, ['generate', '--name', 'init']);
    p.schema(V3);
    await kit(p, ['generate', '--name', 'rename', '--hints', RENAME_HINT]);
    const tag = migrationFolders(p.out)[1]!;
    expect(existsSync(join(p.out, tag, 'down.sql'))).toBe(false);
    const written = await rollbackCommand({ cwd: p.dir, tag: tag.slice(0, 14) });
    expect(written).toMatchObject({ status: 'written' });
    expect(written.file.path).toBe(join(p.out, tag, 'down.sql'));
    expect(written.text).toMatch(/RENAME COLUMN [`"]full_name[`"] TO [`"]name[`"]/);
    // By its name or its file, the file on disk is kept as it is.
    writeFileSync(written.file.path, written.text + '-- edited\n');
    expect(await rollbackCommand({ cwd: p.dir, tag: 'rename' })).toMatchObject({ status: 'kept', text: written.text + '-- edited\n' });
    expect((await rollbackCommand({ cwd: p.dir, tag: `${tag}/migration.sql`, print: true })).text).toBe(written.text);
    await expect(rollbackCommand({ cwd: p.dir, tag: 'nope' })).rejects.toMatchObject({ code: 'D1-616', message: expect.stringContaining(tag) });

    const { db, before, after } = applyThenRollBack(p, written.text);
    expect(after.users).toEqual(before.users!.map(({ full_name, ...rest }) => ({ ...rest, name: full_name })));
    expect(after.posts).toEqual(before.posts);
    expect(after.comments).toEqual(before.comments);
    expect(schemaShape(db)).toEqual(schemaShape(await kitFresh(V1)));
    // The first migration goes back to an empty database.
    expect((await rollbackCommand({ cwd: p.dir, tag: migrationFolders(p.out)[0]!, print: true })).text).toMatch(/DROP TABLE `comments`/);
  }, 120_000);

  it("writes none where wrangler's migrations_pattern would run it as a migration (D1-636, D1-637)", async () => {
    const p = track(v1Project()).schema(V1);
    p.write({ 'wrangler.jsonc': `{ "d1_databases": [{ "binding": "DB", "database_name": "app", "migrations_dir": "drizzle", "migrations_pattern": "drizzle/*/*.sql" }] }` });
    const first = await p.generate({ flags: { name: 'init' }, now: times(0) });
    expect(first.migration?.rollback).toBeNull();
    expect(existsSync(join(p.out, first.migration!.tag, 'down.sql'))).toBe(false);
    expect(first.warnings.join('\n')).toMatch(/D1-636.*down\.sql.*"drizzle\/\*\/migration\.sql"/);
    const refused = rollbackCommand({ cwd: p.dir, tag: 'init' });
    await expect(refused).rejects.toBeInstanceOf(UserInputError);
    await expect(refused).rejects.toMatchObject({ code: 'D1-637' });
    expect(existsSync(join(p.out, first.migration!.tag, 'down.sql'))).toBe(false);
    expect((await rollbackCommand({ cwd: p.dir, tag: 'init', print: true })).status).toBe('printed');
    // Narrowed: the down file is written again, and the runbook names the database.
    p.write({ 'wrangler.jsonc': `{ "d1_databases": [{ "binding": "DB", "database_name": "app", "migrations_dir": "drizzle", "migrations_pattern": "drizzle/*/migration.sql" }] }` });
    p.schema(V2);
    const second = await p.generate({ flags: { name: 'two' }, now: times(60) });
    expect(second.warnings).toEqual([]);
    expect(readFileSync(second.migration!.rollback!.path, 'utf8')).toContain('npx wrangler d1 execute app --remote');
  }, 60_000);
});

describe("lint and rewrite in drizzle-kit 1.0's layout", () => {
  it("lint flags drizzle-kit 1.0's rebuild that empties the children on D1; rewrite makes it keep every row", async () => {
    const p = track(v1Project()).schema(V1);
    await kit(p, ['generate', '--name', 'init']);
    p.schema(V2);
    await kit(p, ['generate', '--name', 'rebuild']);
    const tag = migrationFolders(p.out)[1]!;
    const flagged = lintFolder(p.out).findings.filter((f) => f.severity === 'error');
    expect(flagged.map((f) => f.file)).toContain(join(p.out, tag, 'migration.sql'));
    expect(flagged.map((f) => f.message).join('\n')).toMatch(/posts/);
    // verify on synthetic rows sees the rows drizzle-kit 1.0's migration loses.
    const lossy = verifyFolder({ out: p.out, rows: 20 });
    expect(lossy.exitCode).toBe(1);
    expect(lossy.migrations[1]!.tables.find((t) => t.table === 'posts')).toMatchObject({ rowsAfter: 0 });

    const items = planRewrite(p.out, selectRewriteTags(p.out, [`${tag}/migration.sql`]));
    expect(items.map((i) => i.status)).toEqual(['rewrite']);
    expect(planRewrite(p.out, selectRewriteTags(p.out, [], migrationFolders(p.out)[0]!)).map((i) => i.tag)).toEqual([tag]);
    writeRewrite(items);
    expect(lintFolder(p.out).findings.filter((f) => f.severity === 'error')).toEqual([]);
    const verified = verifyFolder({ out: p.out, rows: 20 });
    expect(verified.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(verified.exitCode).toBe(0);
    if (!SKIP_WRANGLER) {
      // wrangler's local D1 applies the same migration.sql files, with the same verdict.
      const viaWrangler = await verifyThroughWrangler({ out: p.out, cwd: p.dir, rows: 20 });
      expect(viaWrangler.migrations.map((m) => [m.file, m.status])).toEqual(migrationFolders(p.out).map((f) => [`${f}/migration.sql`, 'applied']));
      expect(viaWrangler.exitCode).toBe(0);
    }
    expect(await kit(p, ['generate'])).toContain(NO_CHANGES);
    const db = openD1Database();
    applyFolders(db, p.out, (d) => d.exec(SEED));
    const rows = dumpRows(db);
    expect([rows.users, rows.posts, rows.comments].map((r) => r!.length)).toEqual([2, 3, 3]);
    expect(rows.comments!.map((c) => c.post_id)).toEqual([1, 3, null]);
    expect(schemaShape(db)).toEqual(schemaShape(await kitFresh(V2)));
  }, 120_000);
});
