/**
 * drizzle-kit 1.0's folder-per-migration layout, with the real drizzle-kit 1.0.0-rc.5 CLI and
 * drizzle-orm 1.0.0-rc.5: a history started by drizzle-kit 1.0 continues with drizzle-d1 and back,
 * snapshots are byte-identical to drizzle-kit 1.0's (ids aside), and the folder applied D1's way
 * (each migration.sql in folder order, one transaction each) keeps every row and ends with the schema
 * of drizzle-kit 1.0's own fresh build. (wrangler 4.86, installed here, cannot read this layout: it
 * needs migrations_pattern, wrangler 4.98+; so these tests apply with src/d1/apply.ts only.)
 */
import { cpSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigration, openD1Database } from '../../src/d1/apply.js';
import { checkIntegrity, dumpRows } from '../../src/d1/inspect.js';
import { readRealSchema } from '../../src/d1/replay.js';
import type { Hint } from '../../src/diff/hints.js';
import { generate } from '../../src/generate.js';
import { IMPORTS } from '../history/histories.js';
import { TempProject } from '../support/project.js';
import { applyFolders, drizzleKitV1, migrationFolders, schemaShape, v1Project, v7WithoutIds } from '../support/v1.js';

const V1 = `${IMPORTS}
export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  role: text('role').notNull().default('member'),
});
export const posts = sqliteTable('posts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  authorId: integer('author_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  title: text('title').notNull(),
}, (t) => [index('posts_author_idx').on(t.authorId)]);`;
/** Additive: a column, a table with a composite PK, an expression index, a check and a view. */
const V2 = `${IMPORTS}
export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  role: text('role').notNull().default('member'),
  bio: text('bio'),
}, (t) => [uniqueIndex('users_email_lower_idx').on(sql\`lower(\${t.email})\`)]);
export const posts = sqliteTable('posts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  authorId: integer('author_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  title: text('title').notNull(),
}, (t) => [index('posts_author_idx').on(t.authorId), check('title_len', sql\`length(\${t.title}) > 0\`)]);
export const likes = sqliteTable('likes', {
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  postId: integer('post_id').notNull().references(() => posts.id, { onDelete: 'cascade' }),
}, (t) => [primaryKey({ columns: [t.userId, t.postId] })]);
export const authors = sqliteView('authors').as((qb) => qb.select({ id: users.id, name: users.name }).from(users).where(eq(users.role, 'author')));`;
/** Rebuilds the parent of two CASCADE children (drizzle-kit 1.0 would empty them on D1). */
const V3 = V2.replace(`role: text('role').notNull().default('member'),`, `role: text('role').notNull().default('reader'),`);
/** A column rename. */
const V4 = V3.replace(`name: text('name').notNull(),`, `fullName: text('full_name').notNull(),`).replace('name: users.name', 'name: users.fullName');
/** Another additive change, for drizzle-kit 1.0 to generate after drizzle-d1. */
const V5 = V4.replace(`title: text('title').notNull(),`, `title: text('title').notNull(),\n  body: text('body').notNull().default(''),`);

const SEED = `INSERT INTO users (id, name, email, role) VALUES (1, 'Ann', 'ann@example.com', 'author'), (2, 'Bob', 'bob@example.com', 'member');
INSERT INTO posts (id, author_id, title) VALUES (1, 1, 'Hello'), (2, 1, 'Again');`;
const SEED_LIKES = `INSERT INTO likes VALUES (2, 1), (2, 2), (1, 2);`;
const NO_CHANGES = 'No schema changes, nothing to migrate';
const RENAME_HINT = JSON.stringify([{ type: 'rename', kind: 'column', from: ['public', 'users', 'name'], to: ['public', 'users', 'full_name'] }]);

const projects: TempProject[] = [];
const track = (p: TempProject) => (projects.push(p), p);
afterEach(() => {
  for (const p of projects.splice(0)) p.dispose();
});

const times = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n));
const lastFolder = (p: TempProject) => migrationFolders(p.out).at(-1)!;
const snapshotOf = (p: TempProject, folder = lastFolder(p)) => readFileSync(join(p.out, folder, 'snapshot.json'), 'utf8');

async function kit(p: TempProject, args: string[]) {
  const run = await drizzleKitV1(p.dir, args);
  expect(run.exitCode, run.stderr + run.stdout).toBe(0);
  return `${run.stdout}\n${run.stderr}`;
}

/** drizzle-kit 1.0's snapshot of `source` built from scratch in a fresh project. */
async function kitFresh(source: string) {
  const p = track(v1Project()).schema(source);
  await kit(p, ['generate', '--name', 'fresh']);
  const db = openD1Database();
  applyFolders(db, p.out);
  return { snapshot: snapshotOf(p), db };
}

/** Applies `p`'s folder D1's way (applyMigration: one transaction per file) with rows seeded after the first and second migrations. */
function applyWithRows(p: TempProject) {
  const db = openD1Database();
  migrationFolders(p.out).forEach((f, i) => {
    applyMigration(db, readFileSync(join(p.out, f, 'migration.sql'), 'utf8'), `${f}/migration.sql`);
    if (i === 0) db.exec(SEED);
    if (i === 1) db.exec(SEED_LIKES);
  });
  return db;
}

describe('drizzle-kit 1.0 layout', () => {
  it('continues a history drizzle-kit 1.0 started, byte-identically, and drizzle-kit 1.0 then finds no changes', async () => {
    const p = track(v1Project()).schema(V1);
    await kit(p, ['generate', '--name', 'init']);
    const first = lastFolder(p);
    p.schema(V2);
    const r2 = await p.generate({ flags: { name: 'additive' }, now: times(0) });
    expect(r2.migration?.tag).toMatch(/^\d{14}_additive$/);
    expect(JSON.parse(snapshotOf(p)).prevIds).toEqual([JSON.parse(snapshotOf(p, first)).id]);
    p.schema(V3);
    const r3 = await p.generate({ flags: { name: 'rebuild' } });
    expect(r3.migration?.sql).not.toContain('PRAGMA foreign_keys');
    p.schema(V4);
    await p.generate({ flags: { name: 'rename' }, renames: { tables: {}, columns: { users: { name: 'full_name' } } } });
    expect(JSON.parse(snapshotOf(p)).renames).toEqual(['users.name->users.full_name']);
    // Folder names are strictly increasing even when the clock is not.
    const stamps = migrationFolders(p.out).map((f) => f.slice(0, 14));
    expect([...stamps].sort()).toEqual(stamps);
    expect(new Set(stamps).size).toBe(stamps.length);

    expect(await kit(p, ['generate'])).toContain(NO_CHANGES);
    expect(await p.generate()).toMatchObject({ migration: null });

    const fresh = await kitFresh(V4);
    expect(v7WithoutIds(snapshotOf(p)).replace(/"renames": \[[^\]]*\]/, '')).toBe(v7WithoutIds(fresh.snapshot).replace(/"renames": \[[^\]]*\]/, ''));
    const db = applyWithRows(p);
    expect(schemaShape(db)).toEqual(schemaShape(fresh.db));
    const rows = dumpRows(db);
    expect(rows.users).toHaveLength(2);
    expect(rows.posts).toHaveLength(2);
    expect(rows.likes).toHaveLength(3);
    expect(rows.users!.map((u) => u.full_name)).toEqual(['Ann', 'Bob']);
    expect(checkIntegrity(db)).toMatchObject({ ok: true });

    // The replay every command shares reads the 1.0 layout in folder order, snapshots included.
    const real = readRealSchema(p.out);
    expect(real.replay.failure).toBeUndefined();
    expect(real.replay.applied).toEqual(migrationFolders(p.out));
    expect(real.handWritten).toEqual([]);
    expect(real.drift).toEqual([]);
    expect(Object.keys(real.snapshot.tables).sort()).toEqual(['likes', 'posts', 'users']);
    expect(readRealSchema(p.out, { before: migrationFolders(p.out)[1] }).replay.applied).toEqual([first]);
    real.replay.db.close();
  }, 120_000);

  it('a drizzle-d1 history in the 1.0 layout continues with drizzle-kit 1.0', async () => {
    const p = track(v1Project()).schema(V1);
    // Past clocks: drizzle-kit 1.0's folders, named by its own clock, come after these.
    await p.generate({ flags: { name: 'init' }, now: times(0) });
    expect(existsSync(join(p.out, 'meta'))).toBe(false);
    expect(migrationFolders(p.out)).toEqual(['20260101000000_init']);
    for (const [source, name, at] of [[V2, 'two', 60], [V3, 'three', 120]] as const) {
      p.schema(source);
      await p.generate({ flags: { name }, now: times(at) });
    }
    expect(await kit(p, ['generate'])).toContain(NO_CHANGES);
    p.schema(V4);
    await kit(p, ['generate', '--name', 'rename', '--hints', RENAME_HINT]);
    p.schema(V5);
    await kit(p, ['generate', '--name', 'body']);
    expect(migrationFolders(p.out)).toHaveLength(5);
    expect(await p.generate()).toMatchObject({ migration: null });
    const fresh = await kitFresh(V5);
    const db = applyWithRows(p);
    expect(schemaShape(db)).toEqual(schemaShape(fresh.db));
    expect(dumpRows(db).likes).toHaveLength(3);
  }, 120_000);

  it('a 0.31-layout folder converted with drizzle-kit 1.0 up continues with drizzle-d1', async () => {
    const old = track(new TempProject()).schema(V1);
    await old.generate({ flags: { name: 'init' } });
    old.schema(V2);
    await old.generate({ flags: { name: 'two' } });
    const p = track(v1Project()).schema(V2);
    cpSync(old.out, p.out, { recursive: true });
    await kit(p, ['up']);
    expect(existsSync(join(p.out, 'meta'))).toBe(false);
    expect(migrationFolders(p.out)).toHaveLength(2);
    p.schema(V3);
    const r = await p.generate({ flags: { name: 'three' } });
    expect(r.migration?.sqlPath).toMatch(/_three\/migration\.sql$/);
    expect(await kit(p, ['generate'])).toContain(NO_CHANGES);
    const db = applyWithRows(p);
    expect(dumpRows(db).likes).toHaveLength(3);
    expect(schemaShape(db)).toEqual(schemaShape((await kitFresh(V3)).db));
  }, 120_000);

  it('--custom and --hints behave as in the 0.31 layout, in the format of drizzle-kit 1.0', async () => {
    const p = track(v1Project()).schema(V1);
    await p.generate({ flags: { name: 'init' } });
    const init = JSON.parse(snapshotOf(p));
    const custom = await p.generate({ flags: { custom: true, name: 'seed' } });
    expect(custom.migration?.tag).toMatch(/^\d{14}_seed$/);
    expect(readFileSync(custom.migration!.sqlPath, 'utf8')).toBe('-- Custom SQL migration file, put your code below! --');
    const copy = JSON.parse(snapshotOf(p));
    expect(Object.keys(copy)).toEqual(['id', 'prevIds', 'version', 'dialect', 'ddl', 'renames']);
    expect(copy).toMatchObject({ prevIds: [init.id], ddl: init.ddl });
    p.schema(V1.replace(`name: text('name').notNull(),`, `fullName: text('full_name').notNull(),`));
    const renamed = await generate({ cwd: p.dir, flags: { name: 'rename' }, hints: JSON.parse(RENAME_HINT) as Hint[] });
    expect(renamed.migration?.sql).toContain('RENAME COLUMN');
    expect(JSON.parse(snapshotOf(p))).toMatchObject({ prevIds: [copy.id], renames: ['users.name->users.full_name'] });
    expect(await kit(p, ['generate'])).toContain(NO_CHANGES);
  }, 60_000);

  it('a .unique() drizzle-kit 1.0 wrote inline is dropped and added by rebuilding, keeping the rows', async () => {
    const p = track(v1Project()).schema(V1);
    await kit(p, ['generate', '--name', 'init']);
    p.schema(V1.replace(`email: text('email').notNull().unique(),`, `email: text('email').notNull(),`));
    const dropped = await p.generate({ flags: { name: 'drop_unique' } });
    expect(dropped.migration?.sql).not.toContain('DROP INDEX');
    expect(await kit(p, ['generate'])).toContain(NO_CHANGES);
    p.schema(V1);
    const added = await p.generate({ flags: { name: 'add_unique' } });
    expect(added.migration?.sql).toContain('UNIQUE(`email`)');
    expect(await kit(p, ['generate'])).toContain(NO_CHANGES);
    const db = openD1Database();
    const folders = migrationFolders(p.out);
    folders.forEach((f, i) => {
      applyMigration(db, readFileSync(join(p.out, f, 'migration.sql'), 'utf8'), f);
      if (i === 0) db.exec(SEED);
      if (i === 1) db.exec(`INSERT INTO users (id, name, email) VALUES (3, 'Cy', 'cy@example.com')`);
    });
    expect(dumpRows(db).users).toHaveLength(3);
    expect(dumpRows(db).posts).toHaveLength(2);
    expect(schemaShape(db)).toEqual(schemaShape((await kitFresh(V1)).db));
  }, 60_000);

  it('a new project follows the installed drizzle-kit: 1.x writes folders, 0.x the journal', async () => {
    const v1 = track(v1Project()).schema(V1);
    await v1.generate({ flags: { name: 'init' } });
    expect(existsSync(join(v1.out, lastFolder(v1), 'migration.sql'))).toBe(true);
    const v0 = track(v1Project({ kit: false })).schema(V1);
    await v0.generate({ flags: { name: 'init' } });
    expect(existsSync(join(v0.out, 'meta', '_journal.json'))).toBe(true);
  });

  it('warns (D1-634) when wrangler.jsonc points migrations_dir at a 1.0 folder without migrations_pattern', async () => {
    const p = track(v1Project()).schema(V1);
    p.write({ 'wrangler.jsonc': `{ // D1\n "d1_databases": [{ "binding": "DB", "database_name": "x", "database_id": "y", "migrations_dir": "drizzle" }] }` });
    const r = await p.generate({ flags: { name: 'init' } });
    expect(r.warnings.join('\n')).toContain('D1-634');
    // wrangler takes the pattern relative to its config: "*/migration.sql" is refused there.
    writeFileSync(join(p.dir, 'wrangler.jsonc'), `{ "d1_databases": [{ "binding": "DB", "migrations_dir": "drizzle", "migrations_pattern": "*/migration.sql" }] }`);
    p.schema(V2);
    expect((await p.generate({ flags: { name: 'two' } })).warnings.join('\n')).toContain('does not start with "drizzle/"');
    writeFileSync(join(p.dir, 'wrangler.jsonc'), `{ "d1_databases": [{ "binding": "DB", "migrations_dir": "drizzle", "migrations_pattern": "drizzle/*/migration.sql" }] }`);
    p.schema(V3);
    expect((await p.generate({ flags: { name: 'three' } })).warnings.join('\n')).not.toContain('D1-634');
  });
});
