/**
 * The built CLI (`bin/drizzle-d1.cjs generate`) run as a subprocess, without a TTY, on bad input and on
 * the edge cases of writing: every refusal exits non-zero with one paragraph naming the file at fault
 * and leaves the project exactly as it was.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyFolder, openD1Database } from '../../src/d1/apply.js';
import { CORE, TempProject } from '../support/project.js';
import { buildCli, drizzleD1, expectRefusal, projectWithHistory, readJson, treeOf, writeJson } from './support.js';

const V1 = `${CORE}
export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
});`;
const V2 = `${CORE}
export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  email: text('email'),
});
export const posts = sqliteTable('posts', {
  id: integer('id').primaryKey(),
  authorId: integer('author_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  title: text('title').notNull(),
});`;
/** A change on top of V2, so that a run that did not refuse would write a migration. */
const V3 = V2.replace(`title: text('title').notNull(),`, `title: text('title').notNull(),\n  body: text('body'),`);
/** V2 with users.name renamed to full_name: ambiguous without a hint. */
const V2_RENAMED = V2.replace(`name: text('name').notNull(),`, `fullName: text('full_name').notNull(),`);

const projects: TempProject[] = [];
function project(configExtra?: string): TempProject {
  const p = new TempProject({ configExtra });
  projects.push(p);
  return p;
}

/** A project with two migrations (0000_first, 0001_second) and a pending change. */
const withHistory = () => projectWithHistory(projects, [['first', V1], ['second', V2]], V3);


beforeAll(async () => {
  await buildCli();
}, 120_000);

afterEach(() => {
  for (const p of projects.splice(0)) p.dispose();
});

describe('drizzle-d1 generate: bad config', () => {
  it('a config that throws', async () => {
    const p = project();
    p.schema(V1).write({ 'drizzle.config.ts': `throw new Error('config exploded');\nexport default {};\n` });
    await expectRefusal(p, [], 'D1-502', ['drizzle.config.ts', 'config exploded']);
  });

  it('a config with a syntax error', async () => {
    const p = project();
    p.schema(V1).write({ 'drizzle.config.ts': `export default { dialect: 'sqlite', schema: './src/schema.ts',\n` });
    await expectRefusal(p, [], 'D1-502', ['drizzle.config.ts']);
  });

  it('no config at all', async () => {
    const p = project();
    p.schema(V1);
    rmSync(join(p.dir, 'drizzle.config.ts'));
    await expectRefusal(p, [], 'D1-501', ['drizzle.config.ts', 'drizzle.config.js', 'drizzle.config.json']);
  });

  it('a config without a dialect', async () => {
    const p = project();
    p.schema(V1).write({ 'drizzle.config.ts': `export default { schema: './src/schema.ts', out: './drizzle' };\n` });
    await expectRefusal(p, [], 'D1-504', ['drizzle.config.ts', /dialect/, 'sqlite']);
  });

  it("dialect 'postgresql'", async () => {
    const p = project();
    p.schema(V1).write({
      'drizzle.config.ts': `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'postgresql', schema: './src/schema.ts' });\n`,
    });
    await expectRefusal(p, [], 'D1-504', ['drizzle.config.ts', 'postgresql']);
  });

  it("dialect 'turso'", async () => {
    const p = project();
    p.schema(V1).write({
      'drizzle.config.ts': `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'turso', schema: './src/schema.ts', dbCredentials: { url: 'file:local.db' } });\n`,
    });
    await expectRefusal(p, [], 'D1-504', ['drizzle.config.ts', 'turso']);
  });
});

describe('drizzle-d1 generate: bad schema', () => {
  it('a schema file that throws', async () => {
    const p = project();
    p.schema(`${CORE}\nthrow new Error('schema exploded');\n`);
    await expectRefusal(p, [], 'D1-511', ['src/schema.ts', 'schema exploded']);
  });

  it('a schema glob that matches nothing', async () => {
    const p = project();
    p.schema(V1).write({
      'drizzle.config.ts': `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'sqlite', schema: './src/db/*.schema.ts' });\n`,
    });
    await expectRefusal(p, [], 'D1-510', ['./src/db/*.schema.ts']);
  });

  it('a references() callback that throws while the tables are read names the schema file, not a crash', async () => {
    const p = project();
    p.schema(`${V1}\nlet hidden: any;\nexport const refs = sqliteTable('refs', { id: integer('id').primaryKey(), h: integer('h').references(() => hidden.id) });\n`);
    await expectRefusal(p, [], 'D1-511', ['src/schema.ts', "Cannot read properties of undefined (reading 'id')", 'references(']);
  });

  it("a table's extra-config callback that throws names the schema file", async () => {
    const p = project();
    p.schema(`${CORE}\nexport const t = sqliteTable('t', { id: integer('id').primaryKey() }, () => { throw new Error('extra config exploded'); });\n`);
    await expectRefusal(p, [], 'D1-511', ['src/schema.ts', 'extra config exploded']);
  });

  it('a schema that exports no SQLite table: the migration dropping every table comes with a warning saying why', async () => {
    const p = await withHistory();
    p.schema(`import { pgTable, integer } from 'drizzle-orm/pg-core';\nexport const users = pgTable('users', { id: integer('id').primaryKey() });\n`);
    const r = await drizzleD1(p.dir, ['generate', '--name', 'emptied', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.warnings[0]).toMatch(/^src\/schema\.ts exports no SQLite table or view .* drops every table: posts, users\./);
    const text = await drizzleD1(p.dir, ['generate', '--dry-run']);
    expect(text.stdout).not.toContain('no SQLite table');
  });

  it('a schema drizzle-kit would serialise into invalid SQL (a quote in a JSON default) is a user error naming the schema file', async () => {
    const p = project();
    p.schema(`${CORE}
export const users = sqliteTable('users', {
  id: integer('id').primaryKey(),
  prefs: text('prefs', { mode: 'json' }).default({ greeting: "it's" }),
});`);
    await expectRefusal(p, [], /D1-5[45]\d/, ['src/schema.ts', 'prefs']);
  });
});

describe('drizzle-d1 generate: changes that cannot be made safely', () => {
  it('a NOT NULL column added without a default names the schema file and --backfill', async () => {
    const p = await withHistory();
    p.schema(V2.replace(`email: text('email'),`, `email: text('email'),\n  role: text('role').notNull(),`));
    await expectRefusal(p, [], 'D1-101', ['src/schema.ts', '`users`.`role`', '--backfill users.role=']);
  });

  it('a rebuild that would write a child whose parent columns are not unique', async () => {
    const p = await withHistory();
    const aliases = `\nexport const aliases = sqliteTable('aliases', { id: integer('id').primaryKey(), userName: text('user_name').references(() => users.name) });`;
    p.schema(V2 + aliases);
    await p.generate({ flags: { name: 'aliases' } });
    p.schema((V2 + aliases).replace(`name: text('name').notNull(),`, `name: text('name'),`));
    await expectRefusal(p, [], 'D1-103', ['src/schema.ts', '`aliases` references `users`(name)', 'foreign key mismatch']);
  });
});

describe('drizzle-d1 generate: bad migrations folder', () => {
  it('a journal that is not JSON', async () => {
    const p = await withHistory();
    p.write({ 'drizzle/meta/_journal.json': '{ "version": "7", "dialect": "sqlite", "entries": [' });
    await expectRefusal(p, [], 'D1-601', ['drizzle/meta/_journal.json', /JSON/]);
  });

  it('a journal of the wrong shape', async () => {
    const p = await withHistory();
    const journal = readJson(p, 'drizzle/meta/_journal.json');
    delete journal.entries[1].tag;
    journal.entries[0].idx = 'zero';
    writeJson(p, 'drizzle/meta/_journal.json', journal);
    await expectRefusal(p, [], 'D1-601', ['drizzle/meta/_journal.json']);
  });

  it('a journal that is an array', async () => {
    const p = await withHistory();
    writeJson(p, 'drizzle/meta/_journal.json', []);
    await expectRefusal(p, [], 'D1-601', ['drizzle/meta/_journal.json']);
  });

  it('a journal entry whose snapshot file is missing', async () => {
    const p = await withHistory();
    rmSync(join(p.out, 'meta', '0001_snapshot.json'));
    await expectRefusal(p, [], 'D1-611', ['drizzle/meta/0001_snapshot.json', '0001_second']);
  });

  it('a journal entry whose .sql file is missing', async () => {
    const p = await withHistory();
    rmSync(join(p.out, '0001_second.sql'));
    await expectRefusal(p, [], 'D1-610', ['drizzle/0001_second.sql']);
  });

  it('a version "5" snapshot', async () => {
    const p = await withHistory();
    const snap = readJson(p, 'drizzle/meta/0000_snapshot.json');
    writeJson(p, 'drizzle/meta/0000_snapshot.json', { ...snap, version: '5' });
    await expectRefusal(p, [], 'D1-604', ['drizzle/meta/0000_snapshot.json', /drizzle-kit up/]);
  });

  it('a version "7" snapshot', async () => {
    const p = await withHistory();
    const snap = readJson(p, 'drizzle/meta/0001_snapshot.json');
    writeJson(p, 'drizzle/meta/0001_snapshot.json', { ...snap, version: '7' });
    await expectRefusal(p, [], 'D1-604', ['drizzle/meta/0001_snapshot.json', '"7"']);
  });

  it('two snapshots with the same prevId (migrations generated on two branches)', async () => {
    const p = await withHistory();
    const snap = readJson(p, 'drizzle/meta/0001_snapshot.json');
    p.write({
      'drizzle/meta/0002_snapshot.json': JSON.stringify({ ...snap, id: '11111111-2222-4333-8444-555555555555' }, null, 2),
      'drizzle/0002_branch.sql': 'ALTER TABLE `users` ADD `nickname` text;',
    });
    const journal = readJson(p, 'drizzle/meta/_journal.json');
    journal.entries.push({ idx: 2, version: '6', when: journal.entries[1].when + 1, tag: '0002_branch', breakpoints: true });
    writeJson(p, 'drizzle/meta/_journal.json', journal);
    await expectRefusal(p, [], 'D1-612', ['drizzle/meta/0001_snapshot.json', 'drizzle/meta/0002_snapshot.json', snap.prevId]);
  });
});

describe('drizzle-d1 generate: writing', () => {
  it('no changes: exit 0, "No schema changes", nothing written', async () => {
    const p = await withHistory();
    p.schema(V2);
    const before = treeOf(p);
    const r = await drizzleD1(p.dir, ['generate']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('No schema changes, nothing to migrate');
    expect(treeOf(p)).toEqual(before);
  });

  it('--custom writes drizzle-kit\'s custom migration file, snapshot and journal entry', async () => {
    const p = await withHistory();
    const prev = readJson(p, 'drizzle/meta/0001_snapshot.json');
    const r = await drizzleD1(p.dir, ['generate', '--custom', '--name', 'seed_data']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(p.read('drizzle/0002_seed_data.sql')).toBe('-- Custom SQL migration file, put your code below! --');
    const text = p.read('drizzle/meta/0002_snapshot.json');
    const snap = JSON.parse(text);
    expect(Object.keys(snap)).toEqual(['id', 'prevId', 'version', 'dialect', 'tables', 'views', 'enums', '_meta', 'internal']);
    expect(snap.prevId).toBe(prev.id);
    expect(snap.id).not.toBe(prev.id);
    expect(snap._meta).toEqual({ columns: {}, schemas: {}, tables: {} });
    expect(Object.keys(snap._meta)).toEqual(['columns', 'schemas', 'tables']);
    expect(snap.tables).toEqual(prev.tables);
    expect(text.endsWith('}')).toBe(true);
    const journal = readJson(p, 'drizzle/meta/_journal.json');
    expect(journal.entries).toHaveLength(3);
    expect(journal.entries[2]).toMatchObject({ idx: 2, version: '6', tag: '0002_seed_data', breakpoints: true });
    // The custom file applies (it is only a comment) and the next generate diffs against V2.
    const db = openD1Database();
    expect(applyFolder(db, p.out)).toEqual(['0000_first.sql', '0001_second.sql', '0002_seed_data.sql']);
    const next = await drizzleD1(p.dir, ['generate', '--name', 'body']);
    expect(next.exitCode, next.stderr).toBe(0);
    expect(p.read('drizzle/0003_body.sql')).toBe('ALTER TABLE `posts` ADD `body` text;');
    expect(readJson(p, 'drizzle/meta/0003_snapshot.json').prevId).toBe(snap.id);
  });

  it('never overwrites an existing migration file', async () => {
    const p = await withHistory();
    p.write({ 'drizzle/0002_third.sql': '-- written by hand, keep me\n' });
    await expectRefusal(p, ['--name', 'third'], 'D1-620', ['drizzle/0002_third.sql']);
    expect(p.read('drizzle/0002_third.sql')).toBe('-- written by hand, keep me\n');
    // A dry run predicts the refusal rather than showing a migration the real run would not write.
    await expectRefusal(p, ['--name', 'third', '--dry-run'], 'D1-620', ['drizzle/0002_third.sql']);
  });

  it('never overwrites a down file someone else wrote at the new migration\'s rollback path', async () => {
    const p = await withHistory();
    p.write({ 'drizzle/rollback/0002_third.down.sql': '-- my own rollback, keep me\n' });
    await expectRefusal(p, ['--name', 'third'], 'D1-620', ['drizzle/rollback/0002_third.down.sql', '--no-rollback']);
    expect(p.read('drizzle/rollback/0002_third.down.sql')).toBe('-- my own rollback, keep me\n');
    // --no-rollback writes the migration and leaves the file alone.
    const r = await drizzleD1(p.dir, ['generate', '--name', 'third', '--no-rollback']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(p.read('drizzle/rollback/0002_third.down.sql')).toBe('-- my own rollback, keep me\n');
  });

  it.each([
    ['wrangler.jsonc', '{ "d1_databases": [ { "binding": "DB", '],
    ['wrangler.toml', '[[d1_databases]\nbinding = "DB'],
  ])('a %s that cannot be parsed: the migration is written, with a warning naming the file', async (file, text) => {
    const p = await withHistory();
    p.write({ [file]: text });
    const r = await drizzleD1(p.dir, ['generate', '--name', 'third']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`warning: ${file.replace('.', '\\.')} cannot be parsed \\(.+\\), so drizzle-d1 did not check`));
    expect(p.read('drizzle/0002_third.sql')).toBe('ALTER TABLE `posts` ADD `body` text;');
  });

  it('a rename ambiguity without a TTY: exit 2, nothing written, the ambiguity and hints JSON printed', async () => {
    const p = await withHistory();
    p.schema(V2_RENAMED);
    const r = await expectRefusal(p, [], 'D1-702', ['users', 'name', 'full_name', 'Nothing was written'], 2);
    const hintLines = r.stderr.split('\n').filter((l) => /--hints '/.test(l));
    expect(hintLines.length).toBeGreaterThanOrEqual(1);
    const hints = hintLines.map((l) => JSON.parse(/--hints '(.*)'/.exec(l)![1]!));
    expect(hints).toContainEqual([{ type: 'rename', kind: 'column', from: ['users', 'name'], to: ['users', 'full_name'] }]);
  });

  it('the printed rename hint, given back with --hints, resolves the ambiguity', async () => {
    const p = await withHistory();
    p.schema(V2_RENAMED);
    const first = await drizzleD1(p.dir, ['generate']);
    expect(first.exitCode).toBe(2);
    const renameHint = /--hints '(.*rename.*)'/.exec(first.stderr)![1]!;
    const r = await drizzleD1(p.dir, ['generate', '--name', 'hinted', '--hints', renameHint]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(p.read('drizzle/0002_hinted.sql')).toContain('RENAME COLUMN "name" TO "full_name"');
  });

  it('--rename users.name=users.full_name resolves it: the migration renames the column and keeps its values', async () => {
    const p = await withHistory();
    p.schema(V2);
    const db = openD1Database();
    applyFolder(db, p.out);
    db.exec(`INSERT INTO users (id, name) VALUES (1, 'Ann'), (2, 'Bob'); INSERT INTO posts VALUES (1, 1, 'hello');`);
    p.schema(V2_RENAMED);
    const r = await drizzleD1(p.dir, ['generate', '--name', 'rename', '--rename', 'users.name=users.full_name']);
    expect(r.exitCode, r.stderr).toBe(0);
    const sql = p.read('drizzle/0002_rename.sql');
    expect(sql).toBe('ALTER TABLE `users` RENAME COLUMN "name" TO "full_name";');
    const snap = readJson(p, 'drizzle/meta/0002_snapshot.json');
    expect(snap._meta).toEqual({ schemas: {}, tables: {}, columns: { '"users"."name"': '"users"."full_name"' } });
    expect(applyFolder(db, p.out)).toEqual(['0002_rename.sql']);
    expect(db.prepare('SELECT full_name FROM users ORDER BY id').pluck().all()).toEqual(['Ann', 'Bob']);
    expect(db.prepare('SELECT count(*) FROM posts').pluck().get()).toBe(1);
  });

  it('--json prints parseable JSON: written, no changes, and missing hints', async () => {
    const p = await withHistory();
    const written = await drizzleD1(p.dir, ['generate', '--json', '--name', 'third']);
    expect(written.exitCode, written.stderr).toBe(0);
    const w = JSON.parse(written.stdout);
    expect(w).toMatchObject({ status: 'written', tag: '0002_third', sql: 'drizzle/0002_third.sql', snapshot: 'drizzle/meta/0002_snapshot.json' });
    expect(p.read('drizzle/0002_third.sql')).toBe('ALTER TABLE `posts` ADD `body` text;');

    const none = await drizzleD1(p.dir, ['generate', '--json']);
    expect(none.exitCode, none.stderr).toBe(0);
    expect(JSON.parse(none.stdout)).toEqual({ status: 'no-changes', warnings: [] });

    p.schema(V3.replace(`name: text('name').notNull(),`, `fullName: text('full_name').notNull(),`));
    const before = treeOf(p);
    const missing = await drizzleD1(p.dir, ['generate', '--json']);
    expect(missing.exitCode).toBe(2);
    const m = JSON.parse(missing.stdout);
    expect(m.status).toBe('missing_hints');
    expect(m.hints.rename).toContainEqual({ type: 'rename', kind: 'column', from: ['users', 'name'], to: ['users', 'full_name'] });
    expect(treeOf(p)).toEqual(before);
  });
});
