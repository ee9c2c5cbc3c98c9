/**
 * Names SQLite treats as the same (letter case) or as its own (`sqlite_`), and names drizzle-d1's
 * migrations use for a moment, are refused when the migration is generated. Each check is also run
 * against SQLite itself, so the refusals follow what SQLite really does.
 */
import Database from 'better-sqlite3';
import { index, integer, sqliteTable, sqliteView, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { refusal } from '../../test/support/refusal.js';

/** The error SQLite gives for the statements, run in order in a fresh database (null when all pass). */
function sqliteError(...statements: string[]): string | null {
  const db = new Database(':memory:');
  try {
    for (const s of statements) db.exec(s);
    return null;
  } catch (e) {
    return (e as Error).message;
  } finally {
    db.close();
  }
}

describe('names that differ only by letter case', () => {
  it('SQLite keeps tables, views and indexes in one case-insensitive namespace (ASCII letters only)', () => {
    expect(sqliteError('CREATE TABLE users (id)', 'CREATE TABLE Users (id)')).toMatch(/already exists/);
    expect(sqliteError('CREATE TABLE users (id)', 'CREATE VIEW USERS AS SELECT 1')).toMatch(/already exists/);
    expect(sqliteError('CREATE TABLE users (id)', 'CREATE INDEX uSers ON users (id)')).toMatch(/there is already a table/);
    expect(sqliteError('CREATE TABLE t (id)', 'CREATE INDEX i ON t (id)', 'CREATE TABLE I (x)')).toMatch(/there is already an index/);
    expect(sqliteError('CREATE TABLE c (a, A)')).toMatch(/duplicate column name/);
    expect(sqliteError('CREATE TABLE ü (x)', 'CREATE TABLE Ü (x)', 'CREATE TABLE c (é, É)')).toBeNull();
  });

  it('refuses two tables, a table and a view, or a table and an index whose names differ only by case (D1-555)', () => {
    const users = sqliteTable('users', { id: integer('id') });
    const r = refusal({ users, Users: sqliteTable('Users', { id: integer('id') }) });
    expect(r.code).toBe('D1-555');
    expect(r.message).toMatch(/Table "users" and table "Users" differ only by letter case.*Rename one of them/);
    expect(refusal({ users, v: sqliteView('USERS', { id: integer('id') }).existing() }).code).toBe('D1-555');
    const t = sqliteTable('t', { x: integer('x') }, (q) => [index('Users').on(q.x)]);
    expect(refusal({ users, t }).message).toMatch(/Table "users" and index "Users" of table "t"/);
    const two = sqliteTable('two', { x: integer('x'), y: integer('y') }, (q) => [index('by_x').on(q.x), index('BY_X').on(q.y)]);
    expect(refusal({ two }).code).toBe('D1-555');
  });

  it('refuses columns of one table whose names differ only by case (D1-556)', () => {
    const r = refusal({ a: sqliteTable('a', { email: text('email'), Email: text('Email') }) });
    expect(r.code).toBe('D1-556');
    expect(r.message).toMatch(/Table "a": columns "email" and "Email" differ only by letter case/);
  });

  it('accepts names that differ in non-ASCII letters, as SQLite does', () => {
    const a = sqliteTable('ü', { é: integer('é'), É: integer('É') });
    const b = sqliteTable('Ü', { x: integer('x') });
    expect(() => refusal({ a, b })).toThrow(/expected a SchemaError/);
  });
});

describe('names starting with sqlite_', () => {
  it('SQLite refuses them for tables, views, indexes and triggers in any case, but not for columns', () => {
    for (const s of ['CREATE TABLE sqlite_x (a)', 'CREATE TABLE "SQLite_x" (a)', 'CREATE VIEW sqlite_v AS SELECT 1']) {
      expect(sqliteError(s)).toMatch(/object name reserved for internal use/);
    }
    expect(sqliteError('CREATE TABLE t (a)', 'CREATE INDEX sqlite_i ON t (a)')).toMatch(/reserved for internal use/);
    expect(sqliteError('CREATE TABLE t (a)', 'CREATE TRIGGER sqlite_tr AFTER INSERT ON t BEGIN SELECT 1; END')).toMatch(/reserved/);
    expect(sqliteError('CREATE TABLE t (a)', 'ALTER TABLE t RENAME TO sqlite_t')).toMatch(/reserved for internal use/);
    expect(sqliteError('CREATE TABLE t (sqlite_a)')).toBeNull();
  });

  it('refuses a table, view or index named sqlite_… (D1-557), accepts such a column', () => {
    const r = refusal({ t: sqliteTable('SQLite_stats', { id: integer('id') }) });
    expect(r.code).toBe('D1-557');
    expect(r.message).toMatch(/Table "SQLite_stats": names starting with "sqlite_" are reserved by SQLite.*Rename it/);
    const t = sqliteTable('t', { x: integer('x') }, (q) => [uniqueIndex('sqlite_autoindex_t_9').on(q.x)]);
    expect(refusal({ t }).code).toBe('D1-557');
    expect(refusal({ v: sqliteView('sqlite_v', { x: integer('x') }).existing() }).code).toBe('D1-557');
    const ok = sqliteTable('ok', { sqlite_x: integer('sqlite_x') });
    expect(() => refusal({ ok })).toThrow(/expected a SchemaError/);
  });
});

describe('names starting with _cf_ (reserved by D1)', () => {
  // D1's authorizer (verified with wrangler 4.86 local D1) is not emulated by better-sqlite3.
  it('refuses a table, view or index named _cf_… (D1-559), accepts _CF_… and such a column', () => {
    const r = refusal({ t: sqliteTable('_cf_cache', { id: integer('id') }) });
    expect(r.code).toBe('D1-559');
    expect(r.message).toMatch(/Table "_cf_cache": names starting with "_cf_" are reserved by Cloudflare D1.*Rename it/);
    expect(refusal({ t: sqliteTable('t', { x: integer('x') }, (q) => [index('_cf_idx').on(q.x)]) }).code).toBe('D1-559');
    expect(refusal({ v: sqliteView('_cf_v', { x: integer('x') }).existing() }).code).toBe('D1-559');
    const ok = sqliteTable('_CF_ok', { _cf_x: integer('_cf_x') });
    expect(() => refusal({ ok })).toThrow(/expected a SchemaError/);
  });
});

describe("names drizzle-d1's migrations use for a moment", () => {
  const users = sqliteTable('users', { id: integer('id').primaryKey(), email: text('email').unique() });

  it('refuses __new_<table>, __drop_<table>, __rename_<table> in any case, and __new_<index> (D1-558)', () => {
    const r = refusal({ users, n: sqliteTable('__new_users', { id: integer('id') }) });
    expect(r.code).toBe('D1-558');
    expect(r.message).toMatch(/Table "__new_users": "__new_users" is a name drizzle-d1 gives the new copy of table "users".*Rename the table/);
    expect(refusal({ users, n: sqliteTable('__NEW_Users', { id: integer('id') }) }).code).toBe('D1-558');
    expect(refusal({ users, n: sqliteTable('__drop_users', { id: integer('id') }) }).code).toBe('D1-558');
    expect(refusal({ users, n: sqliteTable('__rename_users', { id: integer('id') }) }).code).toBe('D1-558');
    expect(refusal({ users, v: sqliteView('__new_users', { id: integer('id') }).existing() }).code).toBe('D1-558');
    const spare = sqliteTable('__new_users_email_unique', { id: integer('id') });
    expect(refusal({ users, spare }).message).toMatch(/gives index "users_email_unique" while its table is rebuilt/);
  });

  it('refuses the guard table name and anything starting with __drizzle_d1_ (D1-558)', () => {
    expect(refusal({ g: sqliteTable('__drizzle_d1_fk_guard', { id: integer('id') }) }).code).toBe('D1-558');
    expect(refusal({ g: sqliteTable('__DRIZZLE_D1_FK_GUARD_2', { id: integer('id') }) }).code).toBe('D1-558');
  });

  it('refuses a column __rename_<column> beside that column (D1-558)', () => {
    const r = refusal({ a: sqliteTable('a', { x: integer('x'), y: integer('__rename_x') }) });
    expect(r.code).toBe('D1-558');
    expect(r.message).toMatch(/Table "a": column "__rename_x" has the name drizzle-d1 gives column "x"/);
  });

  it('accepts such prefixes when no table or index of the schema has the rest of the name', () => {
    const n = sqliteTable('__new_things', { id: integer('id'), __rename_y: integer('__rename_y') });
    expect(() => refusal({ users, n })).toThrow(/expected a SchemaError/);
  });
});
