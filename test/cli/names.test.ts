/**
 * Names SQLite treats as the same or as its own (issue #12), through the built CLI: each class is
 * refused at generate time with exit 1, one paragraph naming the object, and the migrations folder
 * left byte for byte as it was. Hostile but legal identifiers (quotes, backticks, spaces, unicode)
 * go the whole way: generate, apply with D1's semantics, rebuild, apply again.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyFolder, openD1Database } from '../../src/d1/apply.js';
import type { Code } from '../../src/diagnostics/codes.js';
import { UserInputError } from '../../src/diagnostics/errors.js';
import { CORE, TempProject } from '../support/project.js';
import { buildCli, drizzleD1, projectWithHistory, treeOf } from './support.js';

const projects: TempProject[] = [];

beforeAll(async () => {
  await buildCli();
}, 120_000);

afterEach(() => {
  for (const p of projects.splice(0)) p.dispose();
});

const V1 = `${CORE}
export const users = sqliteTable('users', {
  id: integer('id').primaryKey(),
  email: text('email').unique(),
});`;

/** A project with one migration of V1 written, so "nothing written" covers an existing folder. */
const withFirstMigration = () => projectWithHistory(projects, [['first', V1]]);

/**
 * V1 plus `extra`: generate refuses it with `code` (asserted through generate(), which the CLI runs)
 * and the CLI exits 1 with one paragraph mentioning `mentions`, writing nothing.
 */
async function expectNameRefusal(extra: string, code: Code, mentions: (string | RegExp)[]): Promise<void> {
  const p = await withFirstMigration();
  p.schema(`${V1}\n${extra}`);
  const error = await p.generate().then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(UserInputError);
  expect((error as UserInputError).code).toBe(code);

  const before = treeOf(p);
  const r = await drizzleD1(p.dir, ['generate']);
  const output = `exit ${r.exitCode}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
  expect(r.exitCode, output).toBe(1);
  const message = r.stderr.trim();
  expect(message.split('\n'), output).toHaveLength(1);
  expect(message, output).toMatch(new RegExp(`^Error \\[${code}\\]: The schema in src/schema\\.ts cannot be migrated: `));
  for (const m of mentions) expect(message, output).toMatch(m);
  expect(treeOf(p), 'nothing may be written').toEqual(before);
}

describe('drizzle-d1 generate refuses names SQLite would reject when the migration is applied', () => {
  it('a table whose name differs from another only by letter case (D1-555)', async () => {
    await expectNameRefusal(
      `export const Users = sqliteTable('Users', { id: integer('id') });`,
      'D1-555',
      // The loader lists a module's exports in sorted order, so `Users` comes first.
      [/Table "Users" and table "users" differ only by letter case/, /Rename one of them/],
    );
  });

  it('an index named like a table but for letter case (D1-555)', async () => {
    await expectNameRefusal(
      `export const posts = sqliteTable('posts', { id: integer('id') }, (t) => [index('USERS').on(t.id)]);`,
      'D1-555',
      [/Table "users" and index "USERS" of table "posts"/],
    );
  });

  it('columns of a table whose names differ only by letter case (D1-556)', async () => {
    await expectNameRefusal(
      `export const posts = sqliteTable('posts', { title: text('title'), Title: text('Title') });`,
      'D1-556',
      [/Table "posts": columns "title" and "Title" differ only by letter case/],
    );
  });

  it('a table named sqlite_… (D1-557)', async () => {
    await expectNameRefusal(
      `export const stats = sqliteTable('sqlite_stats', { id: integer('id') });`,
      'D1-557',
      [/Table "sqlite_stats": names starting with "sqlite_" are reserved by SQLite/],
    );
  });

  it('a table named _cf_… (D1-559)', async () => {
    await expectNameRefusal(
      `export const cache = sqliteTable('_cf_cache', { id: integer('id') });`,
      'D1-559',
      [/Table "_cf_cache": names starting with "_cf_" are reserved by Cloudflare D1/],
    );
  });

  it('a table named like the new copy of another table (D1-558)', async () => {
    await expectNameRefusal(
      `export const newUsers = sqliteTable('__new_users', { id: integer('id') });`,
      'D1-558',
      [/Table "__new_users": "__new_users" is a name drizzle-d1 gives the new copy of table "users"/, /Rename the table/],
    );
  });
});

/** Names SQLite accepts when quoted, each a trap for a renderer that quotes or escapes carelessly. */
const HOSTILE = ['dq"table', 'bt`table', 'space table', 'ünïcödé 表', "it's"];

/** One table per hostile name, each with a hostile column, an index, and a foreign key to the first. */
function hostileSchema(version: 1 | 2): string {
  const tables = HOSTILE.map((name, i) => {
    const ref = i === 0 ? '' : `.references(() => t0.id, { onDelete: 'cascade' })`;
    // Version 2 makes the hostile column NOT NULL with a default: a rebuild of every table.
    const col = version === 1 ? `text(${JSON.stringify(`${name} col`)})` : `text(${JSON.stringify(`${name} col`)}).notNull().default('x')`;
    return (
      `export const t${i} = sqliteTable(${JSON.stringify(name)}, {\n` +
      `  id: integer('id').primaryKey(),\n  parent: integer('parent')${ref},\n  value: ${col},\n` +
      `}, (t) => [index(${JSON.stringify(`${name} idx`)}).on(t.value)]);`
    );
  });
  return `${CORE}\n${tables.join('\n')}\n`;
}

describe('hostile identifiers round-trip', () => {
  it('quotes, backticks, spaces and unicode in table, column and index names: generate, apply, rebuild, apply', async () => {
    const p = new TempProject();
    projects.push(p);
    p.schema(hostileSchema(1));
    const first = await drizzleD1(p.dir, ['generate', '--name', 'hostile']);
    expect(first.exitCode, first.stderr).toBe(0);
    const db = openD1Database();
    expect(applyFolder(db, p.out)).toEqual(['0000_hostile.sql']);
    const names = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT IN ('d1_migrations', 'sqlite_sequence') ORDER BY name`).pluck().all();
    expect(names).toEqual([...HOSTILE].sort());
    const quote = (n: string) => `"${n.replace(/"/g, '""')}"`;
    db.prepare(`INSERT INTO ${quote(HOSTILE[0]!)} (id, parent, ${quote(`${HOSTILE[0]} col`)}) VALUES (1, NULL, 'root')`).run();
    for (const name of HOSTILE.slice(1)) {
      db.prepare(`INSERT INTO ${quote(name)} (id, parent, ${quote(`${name} col`)}) VALUES (1, 1, NULL)`).run();
    }

    p.schema(hostileSchema(2));
    const second = await drizzleD1(p.dir, ['generate', '--name', 'rebuild']);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(applyFolder(db, p.out)).toEqual(['0001_rebuild.sql']);
    for (const name of HOSTILE) {
      const row = db.prepare(`SELECT id, parent, ${quote(`${name} col`)} AS v FROM ${quote(name)}`).get();
      expect(row, name).toEqual(name === HOSTILE[0] ? { id: 1, parent: null, v: 'root' } : { id: 1, parent: 1, v: 'x' });
    }
    const indexes = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND name LIKE '% idx' ORDER BY name`).pluck().all();
    expect(indexes).toEqual(HOSTILE.map((n) => `${n} idx`).sort());
    expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);

    // And the folder is in sync: nothing left to generate.
    const third = await drizzleD1(p.dir, ['generate']);
    expect(third.exitCode, third.stderr).toBe(0);
    expect(third.stdout).toMatch(/No schema changes/);
  });
});
