/**
 * Interoperability with the real drizzle-kit 0.31.11 CLI (`node_modules/.bin/drizzle-kit generate`,
 * run without a TTY in the same project and migrations folder) and with drizzle-orm's better-sqlite3
 * migrator: a folder can change hands between the two tools in either direction, drizzle-kit sees
 * drizzle-d1's snapshots as its own, and both tools write byte-identical snapshots (ids aside).
 * (test/history/histories.test.ts also runs drizzle-kit at the end of every corpus history.)
 */
import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyFolder, openD1Database } from '../../src/d1/apply.js';
import { checkIntegrity } from '../../src/d1/inspect.js';
import { TempProject } from '../support/project.js';
import { freshBuildByDrizzleKit, schemaOf } from '../support/scenario.js';
import { histories, IMPORTS, versionOf } from '../history/histories.js';
import { buildCli, drizzleD1, drizzleKitCli, treeOf, withoutIds, type Run } from './support.js';

const ZERO_ID = '00000000-0000-0000-0000-000000000000';
const NO_CHANGES = 'No schema changes, nothing to migrate';

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
/** Additive: a column, a table with a composite PK, an expression index and a view. */
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
}, (t) => [index('posts_author_idx').on(t.authorId)]);
export const likes = sqliteTable('likes', {
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  postId: integer('post_id').notNull().references(() => posts.id, { onDelete: 'cascade' }),
}, (t) => [primaryKey({ columns: [t.userId, t.postId] })]);
export const authors = sqliteView('authors').as((qb) => qb.select({ id: users.id, name: users.name }).from(users).where(eq(users.role, 'author')));`;
/** A change that rebuilds the parent of two CASCADE children (drizzle-kit would empty them on D1). */
const V3 = V2.replace(`role: text('role').notNull().default('member'),`, `role: text('role').notNull().default('reader'),`);
/** Another additive change, for drizzle-kit to generate after drizzle-d1. */
const V4 = V3.replace(`title: text('title').notNull(),`, `title: text('title').notNull(),\n  body: text('body').notNull().default(''),`);

const SEED = `INSERT INTO users (id, name, email, role) VALUES (1, 'Ann', 'ann@example.com', 'author'), (2, 'Bob', 'bob@example.com', 'member');
INSERT INTO posts (id, author_id, title) VALUES (1, 1, 'Hello'), (2, 1, 'Again');
INSERT INTO likes VALUES (2, 1), (2, 2), (1, 2);`;

const projects: TempProject[] = [];
function project(): TempProject {
  const p = new TempProject();
  projects.push(p);
  return p;
}
function pair(configExtra?: string): [TempProject, TempProject] {
  const a = new TempProject({ configExtra });
  const b = new TempProject({ configExtra });
  projects.push(a, b);
  return [a, b];
}
afterEach(() => {
  for (const p of projects.splice(0)) p.dispose();
});
beforeAll(async () => {
  await buildCli();
}, 120_000);

const ok = (r: Run) => {
  expect(r.exitCode, `exit ${r.exitCode}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
};
const journalOf = (p: TempProject) => JSON.parse(p.read('drizzle/meta/_journal.json'));
const snapshotOf = (p: TempProject, prefix: string) => JSON.parse(p.read(`drizzle/meta/${prefix}_snapshot.json`));
const count = (db: ReturnType<typeof openD1Database>, table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get();

describe('drizzle-kit CLI and drizzle-d1 share one migrations folder', () => {
  it('drizzle-d1 continues a folder drizzle-kit started', async () => {
    const p = project();
    p.schema(V1);
    ok(await drizzleKitCli(p.dir, ['generate', '--name', 'init']));
    p.schema(V2);
    ok(await drizzleKitCli(p.dir, ['generate', '--name', 'likes']));
    const kitFiles = Object.fromEntries(Object.entries(treeOf(p)).filter(([k]) => k.startsWith('drizzle/')));
    const kitJournal = journalOf(p);
    expect(kitJournal.entries.map((e: { tag: string }) => e.tag)).toEqual(['0000_init', '0001_likes']);

    // drizzle-d1 reads drizzle-kit's snapshots as the same schema: nothing to do.
    const same = ok(await drizzleD1(p.dir, ['generate']));
    expect(same.stdout).toContain(NO_CHANGES);

    const db = openD1Database();
    expect(applyFolder(db, p.out)).toEqual(['0000_init.sql', '0001_likes.sql']);
    db.exec(SEED);

    p.schema(V3);
    ok(await drizzleD1(p.dir, ['generate', '--name', 'reader_default']));
    const journal = journalOf(p);
    expect(journal.entries.slice(0, 2)).toEqual(kitJournal.entries);
    expect(journal.entries[2]).toMatchObject({ idx: 2, version: '6', tag: '0002_reader_default', breakpoints: true });
    expect(journal.entries[2].when).toBeGreaterThan(kitJournal.entries[1].when);
    expect(snapshotOf(p, '0002').prevId).toBe(snapshotOf(p, '0001').id);
    // drizzle-kit's files are untouched.
    for (const [rel, text] of Object.entries(kitFiles)) if (rel !== 'drizzle/meta/_journal.json') expect(p.read(rel)).toBe(text);

    expect(applyFolder(db, p.out)).toEqual(['0002_reader_default.sql']);
    expect([count(db, 'users'), count(db, 'posts'), count(db, 'likes'), count(db, 'authors')]).toEqual([2, 2, 3, 1]);
    expect(checkIntegrity(db).ok).toBe(true);
    expect(schemaOf(db)).toEqual(schemaOf(await freshBuildByDrizzleKit(p, V3)));

    // And drizzle-kit, handed the folder back, agrees that it is up to date.
    expect(ok(await drizzleKitCli(p.dir, ['generate'])).stdout).toContain(NO_CHANGES);
  });

  it('drizzle-kit continues a folder drizzle-d1 started', async () => {
    const p = project();
    p.schema(V1);
    ok(await drizzleD1(p.dir, ['generate', '--name', 'init']));
    p.schema(V2);
    ok(await drizzleD1(p.dir, ['generate', '--name', 'likes']));

    // Right after drizzle-d1, drizzle-kit finds nothing to do: our snapshot is equivalent to its own.
    const before = treeOf(p);
    const none = ok(await drizzleKitCli(p.dir, ['generate']));
    expect(none.stdout).toContain(NO_CHANGES);
    expect(treeOf(p)).toEqual(before);

    const db = openD1Database();
    expect(applyFolder(db, p.out)).toEqual(['0000_init.sql', '0001_likes.sql']);
    db.exec(SEED);

    p.schema(V3);
    ok(await drizzleD1(p.dir, ['generate', '--name', 'reader_default']));
    expect(ok(await drizzleKitCli(p.dir, ['generate'])).stdout).toContain(NO_CHANGES);

    // drizzle-kit generates the next change normally, chained to our snapshot.
    p.schema(V4);
    const next = ok(await drizzleKitCli(p.dir, ['generate', '--name', 'post_body']));
    expect(next.stdout).toContain('0003_post_body.sql');
    expect(p.read('drizzle/0003_post_body.sql')).toBe("ALTER TABLE `posts` ADD `body` text DEFAULT '' NOT NULL;");
    const journal = journalOf(p);
    expect(journal.entries.map((e: { idx: number; tag: string }) => `${e.idx}:${e.tag}`)).toEqual([
      '0:0000_init',
      '1:0001_likes',
      '2:0002_reader_default',
      '3:0003_post_body',
    ]);
    expect(snapshotOf(p, '0003').prevId).toBe(snapshotOf(p, '0002').id);

    // And drizzle-d1 reads drizzle-kit's new snapshot as the current schema.
    expect(ok(await drizzleD1(p.dir, ['generate'])).stdout).toContain(NO_CHANGES);

    expect(applyFolder(db, p.out)).toEqual(['0002_reader_default.sql', '0003_post_body.sql']);
    expect([count(db, 'users'), count(db, 'posts'), count(db, 'likes')]).toEqual([2, 2, 3]);
    expect(checkIntegrity(db).ok).toBe(true);
    expect(schemaOf(db)).toEqual(schemaOf(await freshBuildByDrizzleKit(p, V4)));
  });

  it('both CLIs write the same snapshot bytes apart from id/prevId, and journal entries of the same shape', async () => {
    const kit = project();
    const d1 = project();
    for (const [i, schema] of [V1, V2].entries()) {
      kit.schema(schema);
      d1.schema(schema);
      const name = `step${i}`;
      const [k, d] = await Promise.all([drizzleKitCli(kit.dir, ['generate', '--name', name]), drizzleD1(d1.dir, ['generate', '--name', name])]);
      ok(k);
      ok(d);
      const prefix = String(i).padStart(4, '0');
      const kitText = kit.read(`drizzle/meta/${prefix}_snapshot.json`);
      const ourText = d1.read(`drizzle/meta/${prefix}_snapshot.json`);
      expect(withoutIds(ourText)).toBe(withoutIds(kitText));
      // Exactly two lines differ: the ids.
      expect(ourText.split('\n').length).toBe(kitText.split('\n').length);
      expect(withoutIds(ourText).split('\n').length).toBe(ourText.split('\n').length - 2);
      if (i === 0) expect(JSON.parse(ourText).prevId).toBe(ZERO_ID);

      const kj = kit.read('drizzle/meta/_journal.json');
      const dj = d1.read('drizzle/meta/_journal.json');
      const mask = (t: string) => t.replace(/"when": \d+/g, '"when": 0');
      expect(mask(dj)).toBe(mask(kj));
      expect(dj.endsWith('}')).toBe(true);
      // The same files, and drizzle-d1's rollback/ folder beside them.
      expect(readdirSync(d1.out).filter((n) => n !== 'rollback').sort()).toEqual(readdirSync(kit.out).sort());
    }
    // Creates only: the same statements as drizzle-kit's (drizzle-d1 orders parents before children,
    // drizzle-kit sorts by export name).
    const statements = (t: string) => t.split('--> statement-breakpoint\n').map((x) => x.trim()).sort();
    expect(statements(d1.read('drizzle/0000_step0.sql'))).toEqual(statements(kit.read('drizzle/0000_step0.sql')));
  });

  it('the same holds for snake_case casing', async () => {
    const [kit, d1] = pair("casing: 'snake_case'");
    const schema = `${IMPORTS}
export const userAccounts = sqliteTable('user_accounts', {
  id: integer().primaryKey({ autoIncrement: true }),
  displayName: text().notNull(),
  createdAt: integer({ mode: 'timestamp' }).notNull().default(sql\`(unixepoch())\`),
  settingsJson: text({ mode: 'json' }).notNull().default({ theme: 'dark' }),
}, (t) => [index('user_accounts_display_name_idx').on(t.displayName), check('name_not_empty', sql\`length(\${t.displayName}) > 0\`)]);
export const sessions = sqliteTable('sessions', {
  token: text().primaryKey(),
  userAccountId: integer().notNull().references(() => userAccounts.id, { onDelete: 'cascade' }),
});`;
    kit.schema(schema);
    d1.schema(schema);
    ok(await drizzleKitCli(kit.dir, ['generate', '--name', 'init']));
    ok(await drizzleD1(d1.dir, ['generate', '--name', 'init']));
    expect(withoutIds(d1.read('drizzle/meta/0000_snapshot.json'))).toBe(withoutIds(kit.read('drizzle/meta/0000_snapshot.json')));
  });

  it('--custom: the same SQL file, journal entry and snapshot bytes as drizzle-kit', async () => {
    const [kit, d1] = pair();
    // Foreign key, generated column, partial expression index and view: drizzle-kit's --custom
    // snapshot is the previous one as its zod schema re-parses it, which reorders their keys.
    const schema = `${IMPORTS}
export const users = sqliteTable('users', {
  id: integer('id').primaryKey(),
  email: text('email').notNull().unique(),
  emailLower: text('email_lower').generatedAlwaysAs(sql\`lower(email)\`),
}, (t) => [uniqueIndex('users_email_ci_idx').on(sql\`lower(\${t.email})\`).where(sql\`\${t.id} > 0\`)]);
export const posts = sqliteTable('posts', {
  id: integer('id').primaryKey(),
  authorId: integer('author_id').references(() => users.id, { onDelete: 'cascade' }),
});
export const firstUser = sqliteView('first_user').as((qb) => qb.select({ id: users.id }).from(users).where(eq(users.id, 1)));`;
    kit.schema(schema);
    d1.schema(schema);
    ok(await drizzleKitCli(kit.dir, ['generate', '--name', 'init']));
    ok(await drizzleD1(d1.dir, ['generate', '--name', 'init']));
    ok(await drizzleKitCli(kit.dir, ['generate', '--custom', '--name', 'data']));
    ok(await drizzleD1(d1.dir, ['generate', '--custom', '--name', 'data']));
    expect(d1.read('drizzle/0001_data.sql')).toBe(kit.read('drizzle/0001_data.sql'));
    const mask = (t: string) => t.replace(/"when": \d+/g, '"when": 0');
    expect(mask(d1.read('drizzle/meta/_journal.json'))).toBe(mask(kit.read('drizzle/meta/_journal.json')));
    expect(withoutIds(d1.read('drizzle/meta/0001_snapshot.json'))).toBe(withoutIds(kit.read('drizzle/meta/0001_snapshot.json')));
  });
});

describe("drizzle-orm's better-sqlite3 migrator reads drizzle-d1's folder", () => {
  it('applies it in two runs, records every migration hash, and keeps the rows', async () => {
    const blog = histories.find((h) => h.name === 'a blog evolving over time')!;
    const p = project();
    const db = openD1Database();
    const orm = drizzle(db);
    const folder = join(p.dir, 'snapshot-of-drizzle');
    for (const [i, raw] of blog.versions.entries()) {
      const v = versionOf(raw);
      p.schema(v.source);
      ok(await drizzleD1(p.dir, ['generate', '--name', `v${i + 1}`]));
      // Deploy after v2 and after the last version, the way an app would.
      if (i === 1 || i === blog.versions.length - 1) {
        cpSync(p.out, folder, { recursive: true });
        migrate(orm, { migrationsFolder: folder });
        if (i === 1) for (const seeded of blog.versions.slice(0, 2)) db.exec(versionOf(seeded).seed!);
      }
    }
    const journal = journalOf(p);
    const recorded = db.prepare('SELECT hash, created_at FROM __drizzle_migrations ORDER BY created_at').all() as { hash: string; created_at: number }[];
    expect(recorded.map((r) => Number(r.created_at))).toEqual(journal.entries.map((e: { when: number }) => e.when));
    expect(recorded.map((r) => r.hash)).toEqual(
      journal.entries.map((e: { tag: string }) => createHash('sha256').update(readFileSync(join(p.out, `${e.tag}.sql`), 'utf8')).digest('hex')),
    );
    expect([count(db, 'user'), count(db, 'post'), count(db, 'tags'), count(db, 'post_tags')]).toEqual([2, 2, 2, 3]);
    expect(checkIntegrity(db).ok).toBe(true);
    const last = versionOf(blog.versions.at(-1)!).source;
    expect(schemaOf(db)).toEqual(schemaOf(await freshBuildByDrizzleKit(p, last)));
  });
});

describe('drivers whose migrator imports a bundle (durable-sqlite, expo)', () => {
  for (const driver of ['durable-sqlite', 'expo']) {
    it(`${driver}: migrations.js is the file drizzle-kit writes, kept up to date`, async () => {
      const [kit, d1] = pair(`driver: '${driver}'`);
      for (const p of [kit, d1]) p.schema(V1);
      ok(await drizzleKitCli(kit.dir, ['generate', '--name', 'init']));
      ok(await drizzleD1(d1.dir, ['generate', '--name', 'init']));
      expect(d1.read('drizzle/migrations.js')).toBe(kit.read('drizzle/migrations.js'));
      for (const p of [kit, d1]) p.schema(V2);
      ok(await drizzleKitCli(kit.dir, ['generate', '--name', 'likes']));
      ok(await drizzleD1(d1.dir, ['generate', '--name', 'likes']));
      expect(d1.read('drizzle/migrations.js')).toBe(kit.read('drizzle/migrations.js'));
      expect(d1.read('drizzle/migrations.js')).toContain("import m0001 from './0001_likes.sql';");
    });
  }
});
