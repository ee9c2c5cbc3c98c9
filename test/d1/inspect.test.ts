import { describe, expect, it } from 'vitest';
import { applyMigration, openD1Database } from '../../src/d1/apply.js';
import { checkIntegrity, describeSchema, dumpRows, normalizeTableSql, readSequences } from '../../src/d1/inspect.js';

const USERS = (name: string, emailType = 'text') =>
  `CREATE TABLE \`${name}\` (
  \`id\` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
  \`email\` ${emailType} NOT NULL,
  \`name\` text DEFAULT 'anon' NOT NULL,
  \`score\` integer DEFAULT 0,
  \`doubled\` integer GENERATED ALWAYS AS (score * 2) VIRTUAL,
  CONSTRAINT "score_check" CHECK(score >= 0)
);`;

const REST = `CREATE UNIQUE INDEX \`users_email_unique\` ON \`users\` (\`email\`);
CREATE INDEX \`users_lower_name\` ON \`users\` (lower(name)) WHERE score > 0;
CREATE TABLE \`posts\` (
  \`id\` integer PRIMARY KEY NOT NULL,
  \`user_id\` integer NOT NULL,
  \`title\` text NOT NULL,
  FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON UPDATE no action ON DELETE cascade
);
CREATE TABLE \`post_tags\` (
  \`post_id\` integer NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
  \`tag\` text NOT NULL,
  PRIMARY KEY(\`post_id\`, \`tag\`)
) WITHOUT ROWID;
CREATE VIEW \`user_posts\` AS SELECT u.email, p.title FROM users u JOIN posts p ON p.user_id = u.id;`;

const ROWS = `INSERT INTO users (email, name, score) VALUES ('a@x', 'A', 1), ('b@x', 'B', 2), ('c@x', 'C', 0);
DELETE FROM users WHERE email = 'c@x';
INSERT INTO posts VALUES (1, 1, 'p1'), (2, 2, 'p2'), (3, 1, 'p3');
INSERT INTO post_tags VALUES (3, 'z'), (1, 'b'), (1, 'a');`;

function fresh(emailType = 'text') {
  const db = openD1Database();
  applyMigration(db, `${USERS('users', emailType)}\n${REST}\n${ROWS}`, 'fresh.sql');
  return db;
}

describe('describeSchema', () => {
  it('a table rebuilt via __new_x + rename describes equal to a freshly created one, rows kept', () => {
    const a = fresh();
    const b = openD1Database();
    applyMigration(
      b,
      `CREATE TABLE users (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, email integer NOT NULL, name text DEFAULT 'anon' NOT NULL, score integer DEFAULT 0, doubled integer GENERATED ALWAYS AS (score * 2) VIRTUAL, CONSTRAINT "score_check" CHECK(score >= 0));
${REST}
${ROWS}`,
      'old.sql',
    );
    expect(describeSchema(b)).not.toEqual(describeSchema(a));
    // D1-safe rebuild of users (email integer -> text): demote the reacting children deepest first
    // (FK kept, actions NO ACTION), rebuild, reattach, recreate the view.
    const postTags = (fk: string) => `CREATE TABLE \`__new_post_tags\` (
  \`post_id\` integer NOT NULL REFERENCES posts(id)${fk},
  \`tag\` text NOT NULL,
  PRIMARY KEY(\`post_id\`, \`tag\`)
) WITHOUT ROWID;
INSERT INTO __new_post_tags SELECT post_id, tag FROM post_tags;
DROP TABLE post_tags;
ALTER TABLE __new_post_tags RENAME TO post_tags;`;
    const posts = (fk: string) => `CREATE TABLE \`__new_posts\` (
  \`id\` integer PRIMARY KEY NOT NULL,
  \`user_id\` integer NOT NULL,
  \`title\` text NOT NULL,
  FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`)${fk}
);
INSERT INTO __new_posts SELECT id, user_id, title FROM posts;
DROP TABLE posts;
ALTER TABLE __new_posts RENAME TO posts;`;
    applyMigration(
      b,
      `PRAGMA defer_foreign_keys = ON;
DROP VIEW user_posts;
${postTags('')}
${posts('')}
${USERS('__new_users')}
INSERT INTO __new_users (id, email, name, score) SELECT id, email, name, score FROM users;
DROP TABLE users;
ALTER TABLE __new_users RENAME TO users;
CREATE UNIQUE INDEX users_email_unique ON users (email);
CREATE INDEX "users_lower_name" ON "users" (lower(name))   WHERE score > 0;
${posts(' ON UPDATE no action ON DELETE cascade')}
${postTags(' ON DELETE CASCADE')}
CREATE VIEW \`user_posts\` AS SELECT u.email, p.title FROM users u JOIN posts p ON p.user_id = u.id;
CREATE TABLE __guard (n INTEGER CHECK (n = 0));
INSERT INTO __guard SELECT count(*) FROM pragma_foreign_key_check;
DROP TABLE __guard;
PRAGMA defer_foreign_keys = OFF;`,
      'rebuild.sql',
    );
    // RENAME rewrote the header with its own quoting.
    expect(b.prepare("SELECT sql FROM sqlite_schema WHERE name = 'users'").pluck().get()).toMatch(/^CREATE TABLE "users" \(/);
    expect(a.prepare("SELECT sql FROM sqlite_schema WHERE name = 'users'").pluck().get()).toMatch(/^CREATE TABLE `users` \(/);
    expect(describeSchema(b)).toEqual(describeSchema(a));
    expect(dumpRows(b)).toEqual(dumpRows(a));
    expect(checkIntegrity(b)).toEqual({ foreignKeyViolations: [], integrity: ['ok'], ok: true });
    // The AUTOINCREMENT mark was not carried over: the deleted row's id 3 will be reused.
    expect(readSequences(a)).toEqual({ users: 3 });
    expect(readSequences(b)).toEqual({ users: 2 });
  });

  it('describes different column types, defaults, FK actions and indexes as unequal', () => {
    const base = describeSchema(fresh());
    expect(describeSchema(fresh('integer'))).not.toEqual(base);
    const variants = [
      (s: string) => s.replace("DEFAULT 'anon'", "DEFAULT 'anonymous'"),
      (s: string) => s.replace('ON DELETE cascade', 'ON DELETE set null'),
      (s: string) => s.replace('WHERE score > 0', 'WHERE score > 1'),
      (s: string) => s.replace('CREATE UNIQUE INDEX', 'CREATE INDEX'),
      (s: string) => s.replace(' WITHOUT ROWID', ''),
      (s: string) => s.replace('p.title FROM', 'p.title AS t FROM'),
    ];
    for (const change of variants) {
      const db = openD1Database();
      const sql = change(`${USERS('users')}\n${REST}`);
      expect(sql).not.toEqual(`${USERS('users')}\n${REST}`);
      applyMigration(db, sql, 'variant.sql');
      expect(describeSchema(db)).not.toEqual(base);
    }
  });

  it('records columns, foreign keys, indexes (expressions too) and flags', () => {
    const schema = describeSchema(fresh());
    expect(schema.tables.map((t) => t.name)).toEqual(['post_tags', 'posts', 'users']);
    const users = schema.tables.find((t) => t.name === 'users')!;
    expect(users.autoincrement).toBe(true);
    expect(users.columns.map((c) => [c.name, c.hidden])).toEqual([
      ['id', 0],
      ['email', 0],
      ['name', 0],
      ['score', 0],
      ['doubled', 2],
    ]);
    expect(users.columns[2]).toEqual({ name: 'name', type: 'TEXT', notnull: 1, dflt_value: "'anon'", pk: 0, hidden: 0 });
    expect(users.indexes).toEqual([
      {
        name: 'users_email_unique',
        unique: 1,
        origin: 'c',
        partial: 0,
        columns: [{ name: 'email', desc: 0, coll: 'BINARY' }],
        sql: 'CREATE UNIQUE INDEX users_email_unique ON users ( email )',
      },
      {
        name: 'users_lower_name',
        unique: 0,
        origin: 'c',
        partial: 1,
        columns: [{ name: null, desc: 0, coll: 'BINARY' }],
        sql: 'CREATE INDEX users_lower_name ON users ( lower ( name ) ) WHERE score > 0',
      },
    ]);
    expect(users.sql.startsWith('( id integer PRIMARY KEY AUTOINCREMENT NOT NULL ,')).toBe(true);
    const tags = schema.tables.find((t) => t.name === 'post_tags')!;
    expect(tags.withoutRowid).toBe(true);
    expect(tags.foreignKeys).toEqual([
      { table: 'posts', from: ['post_id'], to: ['id'], on_update: 'NO ACTION', on_delete: 'CASCADE', match: 'NONE' },
    ]);
    expect(tags.indexes.map((i) => [i.origin, i.sql])).toEqual([['pk', null]]);
    expect(schema.views).toEqual([
      { name: 'user_posts', sql: 'CREATE VIEW user_posts AS SELECT u . email , p . title FROM users u JOIN posts p ON p . user_id = u . id' },
    ]);
  });

  it('ignores sqlite_*, d1_migrations, __drizzle_migrations and _cf_* tables', () => {
    const db = openD1Database();
    const empty = describeSchema(db);
    applyMigration(
      db,
      `CREATE TABLE d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE);
INSERT INTO d1_migrations (name) VALUES ('x');
CREATE TABLE "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric);
CREATE TABLE _cf_METADATA (key INTEGER PRIMARY KEY, value BLOB);`,
      'internal.sql',
    );
    expect(describeSchema(db)).toEqual(empty);
    expect(dumpRows(db)).toEqual({});
    expect(readSequences(db)).toEqual({});
  });

  it('normalises the table header, quoting and whitespace but keeps string literals', () => {
    expect(normalizeTableSql('CREATE TABLE IF NOT EXISTS "main"."t" ( [a] text DEFAULT \'[x] "y"\',b int)')).toBe(
      '( a text DEFAULT \'[x] "y"\' , b int )',
    );
    expect(normalizeTableSql('CREATE TABLE `t`(`a` text)')).toBe(normalizeTableSql('create table t (\n  a   text\n)'));
  });
});

describe('dumpRows and checkIntegrity', () => {
  it('orders rows by rowid, or by all columns for WITHOUT ROWID tables', () => {
    const rows = dumpRows(fresh());
    expect(Object.keys(rows)).toEqual(['post_tags', 'posts', 'users']);
    expect(rows.post_tags).toEqual([
      { post_id: 1, tag: 'a' },
      { post_id: 1, tag: 'b' },
      { post_id: 3, tag: 'z' },
    ]);
    expect(rows.users).toEqual([
      { id: 1, email: 'a@x', name: 'A', score: 1, doubled: 2 },
      { id: 2, email: 'b@x', name: 'B', score: 2, doubled: 4 },
    ]);
  });

  it('reports dangling references', () => {
    const db = fresh();
    db.pragma('foreign_keys = OFF');
    db.exec("INSERT INTO posts VALUES (9, 42, 'orphan')");
    db.pragma('foreign_keys = ON');
    const report = checkIntegrity(db);
    expect(report.ok).toBe(false);
    expect(report.integrity).toEqual(['ok']);
    expect(report.foreignKeyViolations).toEqual([{ table: 'posts', rowid: 9, parent: 'users', fkid: 0 }]);
  });
});
