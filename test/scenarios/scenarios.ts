/**
 * Planner scenarios: realistic schema changes with rows seeded before the change. Each names the
 * tables drizzle-d1 must rebuild (own change) and move (children that would react to a drop), and
 * whether drizzle-kit 0.31's migration for the same change loses or changes rows (or fails) on D1.
 */
import { CORE } from '../support/project.js';
import type { Scenario } from '../support/scenario.js';

export interface PlannerScenario extends Scenario {
  rebuilt: string[];
  moved?: string[];
  /** Columns whose value may change representation (type change): compared as text. */
  loose?: string[];
  /** Columns whose NULLs the change fills on purpose (NOT NULL with a default): checked by `verify`. */
  filled?: string[];
  /** drizzle-kit's migration for this change loses/changes rows or fails under D1 semantics. */
  kitBreaks?: boolean;
  /** Extra check on the migrated database. */
  verify?: (db: import('better-sqlite3').Database) => void;
}

const users = (extra = '', name = "text('name').notNull()") =>
  `export const users = sqliteTable('users', { id: integer('id').primaryKey(), name: ${name}, email: text('email').notNull()${extra} });\n`;

const blog = (opts: { users?: string; postsExtra?: string; postFk?: string; commentFk?: string; commentsExtra?: string } = {}) =>
  CORE +
  (opts.users ?? users()) +
  `export const posts = sqliteTable('posts', { id: integer('id').primaryKey(), authorId: integer('author_id').notNull().references(() => users.id, ${opts.postFk ?? "{ onDelete: 'cascade' }"}), title: text('title').notNull()${opts.postsExtra ?? ''} });\n` +
  `export const comments = sqliteTable('comments', { id: integer('id').primaryKey(), postId: integer('post_id').notNull().references(() => posts.id, ${opts.commentFk ?? "{ onDelete: 'cascade' }"}), body: text('body')${opts.commentsExtra ?? ''} });\n`;

const blogSeed = `
INSERT INTO users (id, name, email) VALUES (1, 'ada', 'ada@x'), (2, 'bob', 'bob@x'), (3, 'cy', 'cy@x');
INSERT INTO posts (id, author_id, title) VALUES (10, 1, 'hello'), (11, 1, 'again'), (12, 2, 'bob post');
INSERT INTO comments (id, post_id, body) VALUES (100, 10, 'nice'), (101, 10, 'meh'), (102, 12, 'first'), (103, 11, NULL);
`;

const parentChild = (onDelete: string, parentExtra = '', childDefault = '') =>
  CORE +
  `export const teams = sqliteTable('teams', { id: integer('id').primaryKey(), name: text('name').notNull()${parentExtra} });\n` +
  `export const members = sqliteTable('members', { id: integer('id').primaryKey(), teamId: integer('team_id')${childDefault}.references(() => teams.id, { onDelete: '${onDelete}' }), who: text('who').notNull() });\n`;
const teamSeed = `
INSERT INTO teams (id, name) VALUES (0, 'nobody'), (1, 'core'), (2, 'docs');
INSERT INTO members (id, team_id, who) VALUES (1, 1, 'ann'), (2, 1, 'ben'), (3, 2, 'cat'), (4, NULL, 'dan');
`;

const chain = (n: number, rootExtra = '') => {
  let s = CORE + `export const t0 = sqliteTable('t0', { id: integer('id').primaryKey(), v: text('v')${rootExtra} });\n`;
  for (let i = 1; i < n; i++) {
    s += `export const t${i} = sqliteTable('t${i}', { id: integer('id').primaryKey(), parentId: integer('parent_id').references(() => t${i - 1}.id, { onDelete: 'cascade' }), v: text('v') });\n`;
  }
  return s;
};
const chainSeed = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    i === 0
      ? `INSERT INTO t0 (id, v) VALUES (1, 'a'), (2, 'b');`
      : `INSERT INTO t${i} (id, parent_id, v) VALUES (1, 1, 'x${i}'), (2, 2, 'y${i}'), (3, 1, 'z${i}');`,
  ).join('\n');

export const scenarios: PlannerScenario[] = [
  {
    name: 'CASCADE child of a rebuilt parent',
    before: blog(),
    after: blog({ users: users('', "text('name').notNull().default('anon')") }),
    seed: blogSeed,
    rebuilt: ['users'],
    moved: ['posts', 'comments'],
    kitBreaks: true,
  },
  {
    name: 'SET NULL child of a rebuilt parent',
    before: parentChild('set null'),
    after: parentChild('set null', ", motto: text('motto').default(sql`(lower('x'))`)").replace("name: text('name').notNull()", "name: text('name')"),
    seed: teamSeed,
    rebuilt: ['teams'],
    moved: ['members'],
    kitBreaks: true,
  },
  {
    name: 'SET DEFAULT child of a rebuilt parent',
    before: parentChild('set default', '', '.default(0)'),
    after: parentChild('set default', ", size: integer('size').notNull().default(sql`(1 + 1)`)", '.default(0)').replace("name: text('name').notNull()", "name: text('name')"),
    seed: teamSeed,
    rebuilt: ['teams'],
    moved: ['members'],
    kitBreaks: true,
  },
  {
    name: 'RESTRICT child of a rebuilt parent stays in place',
    before: parentChild('restrict'),
    after: parentChild('restrict', ", created: integer('created').default(sql`(unixepoch())`)").replace("name: text('name').notNull()", "name: text('name')"),
    seed: teamSeed,
    rebuilt: ['teams'],
    moved: [],
    kitBreaks: true,
  },
  {
    name: 'NO ACTION child of a rebuilt parent stays in place',
    before: parentChild('no action'),
    after: parentChild('no action').replace("name: text('name').notNull()", "name: text('name')"),
    seed: teamSeed,
    rebuilt: ['teams'],
    moved: [],
    kitBreaks: true,
  },
  {
    name: '3-level cascade chain rebuilt at the top',
    before: blog(),
    after: blog({ users: users(", age: integer('age').notNull().default(18)").replace("email: text('email').notNull()", "email: text('email').notNull().default('')") }),
    seed: blogSeed,
    rebuilt: ['users'],
    moved: ['posts', 'comments'],
    kitBreaks: true,
  },
  {
    name: '3-level cascade chain rebuilt in the middle',
    before: blog(),
    after: blog({ postsExtra: '' }).replace("title: text('title').notNull()", "title: text('title')"),
    seed: blogSeed,
    rebuilt: ['posts'],
    moved: ['comments'],
    kitBreaks: true,
  },
  {
    name: 'self-referencing tree',
    before:
      CORE +
      `export const categories = sqliteTable('categories', { id: integer('id').primaryKey(), parentId: integer('parent_id').references((): any => categories.id, { onDelete: 'cascade' }), name: text('name').notNull() });\n`,
    after:
      CORE +
      `export const categories = sqliteTable('categories', { id: integer('id').primaryKey(), parentId: integer('parent_id').references((): any => categories.id, { onDelete: 'cascade' }), name: text('name').notNull() }, (t) => [check('name_len', sql\`length(\${t.name}) > 0\`)]);\n`,
    seed: `INSERT INTO categories (id, parent_id, name) VALUES (1, NULL, 'root'), (2, 1, 'a'), (3, 2, 'a1'), (4, 1, 'b');`,
    rebuilt: ['categories'],
    moved: [],
  },
  {
    name: 'two-table foreign-key cycle',
    before:
      CORE +
      `export const authors = sqliteTable('authors', { id: integer('id').primaryKey(), favBookId: integer('fav_book_id').references((): any => books.id, { onDelete: 'set null' }), name: text('name') });\n` +
      `export const books = sqliteTable('books', { id: integer('id').primaryKey(), authorId: integer('author_id').references((): any => authors.id, { onDelete: 'cascade' }), title: text('title') });\n`,
    after:
      CORE +
      `export const authors = sqliteTable('authors', { id: integer('id').primaryKey(), favBookId: integer('fav_book_id').references((): any => books.id, { onDelete: 'set null' }), name: text('name').notNull().default('?') });\n` +
      `export const books = sqliteTable('books', { id: integer('id').primaryKey(), authorId: integer('author_id').references((): any => authors.id, { onDelete: 'cascade' }), title: text('title') });\n`,
    seed: `INSERT INTO authors (id, fav_book_id, name) VALUES (1, NULL, 'a'), (2, NULL, 'b');
INSERT INTO books (id, author_id, title) VALUES (1, 1, 'x'), (2, 2, 'y'), (3, 1, 'z');
UPDATE authors SET fav_book_id = 3 WHERE id = 1; UPDATE authors SET fav_book_id = 2 WHERE id = 2;`,
    rebuilt: ['authors'],
    moved: ['books'],
    kitBreaks: true,
  },
  {
    name: 'many-to-many table whose two parents are both rebuilt',
    before:
      CORE +
      `export const posts = sqliteTable('posts', { id: integer('id').primaryKey(), title: text('title') });\n` +
      `export const tags = sqliteTable('tags', { id: integer('id').primaryKey(), label: text('label') });\n` +
      `export const postTags = sqliteTable('post_tags', { postId: integer('post_id').notNull().references(() => posts.id, { onDelete: 'cascade' }), tagId: integer('tag_id').notNull().references(() => tags.id, { onDelete: 'cascade' }) }, (t) => [primaryKey({ columns: [t.postId, t.tagId] })]);\n`,
    after:
      CORE +
      `export const posts = sqliteTable('posts', { id: integer('id').primaryKey(), title: text('title').notNull().default('') });\n` +
      `export const tags = sqliteTable('tags', { id: integer('id').primaryKey(), label: text('label').notNull().default('') });\n` +
      `export const postTags = sqliteTable('post_tags', { postId: integer('post_id').notNull().references(() => posts.id, { onDelete: 'cascade' }), tagId: integer('tag_id').notNull().references(() => tags.id, { onDelete: 'cascade' }) }, (t) => [primaryKey({ columns: [t.postId, t.tagId] })]);\n`,
    seed: `INSERT INTO posts VALUES (1, 'a'), (2, 'b'); INSERT INTO tags VALUES (1, 'x'), (2, 'y'), (3, 'z');
INSERT INTO post_tags VALUES (1, 1), (1, 2), (2, 2), (2, 3);`,
    rebuilt: ['posts', 'tags'],
    moved: ['post_tags'],
    kitBreaks: true,
  },
  {
    name: 'parent dropped while its child drops the foreign key',
    before: parentChild('cascade'),
    after:
      CORE +
      `export const members = sqliteTable('members', { id: integer('id').primaryKey(), teamId: integer('team_id'), who: text('who').notNull() });\n`,
    seed: teamSeed,
    rebuilt: ['members'],
    moved: [],
  },
  {
    name: 'views over rebuilt tables are dropped first and recreated',
    before:
      blog() +
      `export const activeAuthors = sqliteView('active_authors').as((qb) => qb.select({ id: users.id, name: users.name }).from(users));\n` +
      `export const postTitles = sqliteView('post_titles', { id: integer('id'), title: text('title') }).as(sql\`select id, title from posts\`);\n`,
    after:
      blog({ users: users('', "text('name')") }) +
      `export const activeAuthors = sqliteView('active_authors').as((qb) => qb.select({ id: users.id, name: users.name }).from(users));\n` +
      `export const postTitles = sqliteView('post_titles', { id: integer('id'), title: text('title') }).as(sql\`select id, title from posts\`);\n`,
    seed: blogSeed,
    rebuilt: ['users'],
    moved: ['posts', 'comments'],
    kitBreaks: true,
    verify: (db) => {
      const n = db.prepare('SELECT count(*) AS n FROM post_titles').get() as { n: number };
      if (n.n !== 3) throw new Error(`post_titles has ${n.n} rows`);
    },
  },
  {
    name: 'expression and partial indexes survive a rebuild',
    before:
      CORE +
      `export const users = sqliteTable('users', { id: integer('id').primaryKey(), email: text('email').notNull(), deletedAt: integer('deleted_at') }, (t) => [uniqueIndex('users_email_lower').on(sql\`lower(\${t.email})\`), index('users_live').on(t.email).where(sql\`\${t.deletedAt} is null\`)]);\n`,
    after:
      CORE +
      `export const users = sqliteTable('users', { id: integer('id').primaryKey(), email: text('email').notNull(), deletedAt: integer('deleted_at'), plan: text('plan').notNull().default('free') }, (t) => [uniqueIndex('users_email_lower').on(sql\`lower(\${t.email})\`), index('users_live').on(t.email).where(sql\`\${t.deletedAt} is null\`), check('plan_ok', sql\`\${t.plan} in ('free', 'pro')\`)]);\n`,
    seed: `INSERT INTO users VALUES (1, 'A@x', NULL), (2, 'b@x', 5);`,
    rebuilt: ['users'],
    kitBreaks: true,
  },
  {
    name: 'generated columns are not copied',
    before:
      CORE +
      `export const items = sqliteTable('items', { id: integer('id').primaryKey(), title: text('title').notNull(), slug: text('slug').generatedAlwaysAs(sql\`lower(title)\`, { mode: 'virtual' }), price: integer('price') });\n`,
    after:
      CORE +
      `export const items = sqliteTable('items', { id: integer('id').primaryKey(), title: text('title').notNull(), slug: text('slug').generatedAlwaysAs(sql\`lower(title)\`, { mode: 'virtual' }), price: real('price') });\n`,
    seed: `INSERT INTO items (id, title, price) VALUES (1, 'Hello', 3), (2, 'World', NULL);`,
    rebuilt: ['items'],
    loose: ['items.price'],
    kitBreaks: true,
  },
  {
    name: 'stored generated column added',
    before: CORE + `export const items = sqliteTable('items', { id: integer('id').primaryKey(), qty: integer('qty').notNull(), unit: integer('unit').notNull() });\n`,
    after:
      CORE +
      `export const items = sqliteTable('items', { id: integer('id').primaryKey(), qty: integer('qty').notNull(), unit: integer('unit').notNull(), total: integer('total').generatedAlwaysAs(sql\`qty * unit\`, { mode: 'stored' }) });\n`,
    seed: `INSERT INTO items VALUES (1, 2, 5), (2, 3, 7);`,
    rebuilt: ['items'],
    verify: (db) => {
      const r = db.prepare('SELECT total FROM items WHERE id = 2').get() as { total: number };
      if (r.total !== 21) throw new Error(`total is ${r.total}`);
    },
  },
  {
    name: 'column rename and rebuild of the same table',
    before: blog(),
    after: blog({ users: users('', "text('name').notNull()").replace("name: text('name')", "fullName: text('full_name')").replace("email: text('email').notNull()", "email: text('email')") }),
    renames: { tables: {}, columns: { users: { name: 'full_name' } } },
    seed: blogSeed,
    rebuilt: ['users'],
    moved: ['posts', 'comments'],
  },
  {
    name: 'column added to a table that is rebuilt takes its default',
    before: blog(),
    after: blog({ users: users(", bio: text('bio').default('none'), score: integer('score').notNull().default(7)", "text('name')") }),
    seed: blogSeed,
    rebuilt: ['users'],
    moved: ['posts', 'comments'],
    kitBreaks: true,
    verify: (db) => {
      const r = db.prepare('SELECT bio, score FROM users WHERE id = 1').get() as { bio: string; score: number };
      if (r.bio !== 'none' || r.score !== 7) throw new Error(JSON.stringify(r));
    },
  },
  {
    name: 'AUTOINCREMENT high-water mark is carried over',
    before: CORE + `export const logs = sqliteTable('logs', { id: integer('id').primaryKey({ autoIncrement: true }), msg: text('msg').notNull() });\n`,
    after: CORE + `export const logs = sqliteTable('logs', { id: integer('id').primaryKey({ autoIncrement: true }), msg: text('msg') });\n`,
    seed: `INSERT INTO logs (msg) VALUES ('a'), ('b'), ('c'), ('d'); DELETE FROM logs WHERE id >= 3;`,
    rebuilt: ['logs'],
    verify: (db) => {
      const r = db.prepare(`INSERT INTO logs (msg) VALUES ('e') RETURNING id`).get() as { id: number };
      if (r.id !== 5) throw new Error(`new id ${r.id}, expected 5 (ids 3 and 4 were used before)`);
    },
  },
  {
    name: 'column made NOT NULL with a default fills NULLs',
    before: parentChild('cascade'),
    after: parentChild('cascade').replace("who: text('who').notNull()", "who: text('who').notNull()").replace("teamId: integer('team_id')", "teamId: integer('team_id').notNull().default(1)"),
    seed: teamSeed,
    rebuilt: ['members'],
    loose: ['members.team_id'],
    filled: ['members.team_id'],
    verify: (db) => {
      const r = db.prepare('SELECT team_id FROM members WHERE id = 4').get() as { team_id: number };
      if (r.team_id !== 1) throw new Error(`team_id ${r.team_id}`);
    },
  },
  {
    name: 'NOT NULL column added with --backfill',
    before: blog(),
    after: blog({ users: users(", handle: text('handle').notNull()") }),
    backfill: { 'users.handle': "'@' || name" },
    seed: blogSeed,
    rebuilt: ['users'],
    moved: ['posts', 'comments'],
    verify: (db) => {
      const r = db.prepare('SELECT handle FROM users WHERE id = 2').get() as { handle: string };
      if (r.handle !== '@bob') throw new Error(r.handle);
    },
  },
  {
    name: 'dropping an indexed column is a native DROP COLUMN',
    before:
      CORE +
      `export const users = sqliteTable('users', { id: integer('id').primaryKey(), email: text('email'), legacy: text('legacy') }, (t) => [index('users_legacy_idx').on(t.legacy)]);\n` +
      `export const posts = sqliteTable('posts', { id: integer('id').primaryKey(), userId: integer('user_id').references(() => users.id, { onDelete: 'cascade' }) });\n`,
    after:
      CORE +
      `export const users = sqliteTable('users', { id: integer('id').primaryKey(), email: text('email') });\n` +
      `export const posts = sqliteTable('posts', { id: integer('id').primaryKey(), userId: integer('user_id').references(() => users.id, { onDelete: 'cascade' }) });\n`,
    seed: `INSERT INTO users VALUES (1, 'a', 'x'), (2, 'b', NULL); INSERT INTO posts VALUES (1, 1), (2, 2);`,
    rebuilt: [],
  },
  {
    name: 'dropping a column a view uses recreates the view',
    before:
      CORE +
      `export const users = sqliteTable('users', { id: integer('id').primaryKey(), name: text('name'), nick: text('nick') });\n` +
      `export const names = sqliteView('names').as((qb) => qb.select({ id: users.id, nick: users.nick }).from(users));\n`,
    after:
      CORE +
      `export const users = sqliteTable('users', { id: integer('id').primaryKey(), name: text('name') });\n` +
      `export const names = sqliteView('names').as((qb) => qb.select({ id: users.id, name: users.name }).from(users));\n`,
    seed: `INSERT INTO users VALUES (1, 'a', 'x');`,
    rebuilt: [],
  },
  {
    name: 'dropping a foreign-key column rebuilds the child only',
    before: blog({ postsExtra: ", editorId: integer('editor_id').references(() => users.id, { onDelete: 'set null' })" }),
    after: blog(),
    seed: blogSeed + `UPDATE posts SET editor_id = 2 WHERE id = 10;`,
    rebuilt: ['posts'],
    moved: ['comments'],
    kitBreaks: true,
  },
  {
    name: 'changing a foreign key action rebuilds the child and moves its children',
    before: blog({ postFk: "{ onDelete: 'no action' }" }),
    after: blog({ postFk: "{ onDelete: 'cascade' }" }),
    seed: blogSeed,
    rebuilt: ['posts'],
    moved: ['comments'],
    kitBreaks: true,
  },
  {
    name: 'a nullable foreign-key column is added natively with its actions',
    before: blog(),
    after: blog({ postsExtra: ", editorId: integer('editor_id').references(() => users.id, { onDelete: 'set null' })" }),
    seed: blogSeed,
    rebuilt: [],
  },
  {
    name: 'composite primary key changed on a many-to-many table',
    before:
      CORE +
      `export const a = sqliteTable('a', { id: integer('id').primaryKey() });\n` +
      `export const ab = sqliteTable('ab', { aId: integer('a_id').notNull().references(() => a.id, { onDelete: 'cascade' }), k: text('k').notNull(), n: integer('n').notNull() }, (t) => [primaryKey({ columns: [t.aId, t.k] })]);\n`,
    after:
      CORE +
      `export const a = sqliteTable('a', { id: integer('id').primaryKey() });\n` +
      `export const ab = sqliteTable('ab', { aId: integer('a_id').notNull().references(() => a.id, { onDelete: 'cascade' }), k: text('k').notNull(), n: integer('n').notNull() }, (t) => [primaryKey({ columns: [t.aId, t.k, t.n] })]);\n`,
    seed: `INSERT INTO a VALUES (1), (2); INSERT INTO ab VALUES (1, 'x', 1), (1, 'y', 2), (2, 'x', 3);`,
    rebuilt: ['ab'],
  },
  {
    name: 'check added to a parent with cascade and set-null grandchildren',
    before: blog({ commentFk: "{ onDelete: 'set null' }" }).replace("postId: integer('post_id').notNull()", "postId: integer('post_id')"),
    after:
      blog({ commentFk: "{ onDelete: 'set null' }" })
        .replace("postId: integer('post_id').notNull()", "postId: integer('post_id')")
        .replace("email: text('email').notNull() });", "email: text('email').notNull() }, (t) => [check('email_at', sql`instr(${t.email}, '@') > 0`)]);"),
    seed: blogSeed,
    rebuilt: ['users'],
    moved: ['posts', 'comments'],
    kitBreaks: true,
  },
  {
    name: 'renaming a parent table referenced by CASCADE children is a plain rename',
    before: blog(),
    after: blog().replace("sqliteTable('users'", "sqliteTable('accounts'"),
    renames: { tables: { users: 'accounts' }, columns: {} },
    seed: blogSeed,
    rebuilt: [],
  },
  {
    name: 'table rename combined with a rebuild of that table',
    before: blog(),
    after: blog({ users: users('', "text('name')") }).replace("sqliteTable('users'", "sqliteTable('accounts'"),
    renames: { tables: { users: 'accounts' }, columns: {} },
    seed: blogSeed,
    rebuilt: ['accounts'],
    moved: ['posts', 'comments'],
  },
  {
    name: 'snake_case casing with a type change',
    configExtra: "casing: 'snake_case'",
    before:
      CORE +
      `export const users = sqliteTable('users', { id: integer().primaryKey(), displayName: text(), createdAt: integer() });\n` +
      `export const sessions = sqliteTable('sessions', { token: text().primaryKey(), userId: integer().notNull().references(() => users.id, { onDelete: 'cascade' }) });\n`,
    after:
      CORE +
      `export const users = sqliteTable('users', { id: integer().primaryKey(), displayName: text(), createdAt: text() });\n` +
      `export const sessions = sqliteTable('sessions', { token: text().primaryKey(), userId: integer().notNull().references(() => users.id, { onDelete: 'cascade' }) });\n`,
    seed: `INSERT INTO users VALUES (1, 'A', 1700000000), (2, NULL, NULL); INSERT INTO sessions VALUES ('t1', 1), ('t2', 2), ('t3', 1);`,
    rebuilt: ['users'],
    moved: ['sessions'],
    loose: ['users.created_at'],
    kitBreaks: true,
  },
  {
    name: 'cascade chain of 12 tables rebuilt at the root',
    before: chain(12),
    after: chain(12, ".notNull().default('')"),
    seed: chainSeed(12),
    rebuilt: ['t0'],
    moved: Array.from({ length: 11 }, (_, i) => `t${i + 1}`),
    kitBreaks: true,
  },
  {
    name: 'two independent rebuilds in one migration',
    before: blog() + parentChild('cascade').replace(CORE, ''),
    after: blog({ users: users('', "text('name')") }) + parentChild('cascade').replace("name: text('name').notNull()", "name: text('name')").replace(CORE, ''),
    seed: blogSeed + teamSeed,
    rebuilt: ['users', 'teams'],
    moved: ['posts', 'comments', 'members'],
    kitBreaks: true,
  },
  {
    name: 'dropping a table together with its cascade children',
    before: blog(),
    after: CORE + users(),
    seed: blogSeed,
    rebuilt: [],
  },
  {
    name: 'child referencing a UNIQUE column of a rebuilt parent',
    before:
      CORE +
      `export const items = sqliteTable('items', { id: integer('id').primaryKey(), sku: text('sku').notNull().unique(), price: integer('price') });\n` +
      `export const stock = sqliteTable('stock', { id: integer('id').primaryKey(), sku: text('sku').notNull().references(() => items.sku, { onDelete: 'cascade' }), qty: integer('qty') });\n`,
    after:
      CORE +
      `export const items = sqliteTable('items', { id: integer('id').primaryKey(), sku: text('sku').notNull().unique(), price: real('price') });\n` +
      `export const stock = sqliteTable('stock', { id: integer('id').primaryKey(), sku: text('sku').notNull().references(() => items.sku, { onDelete: 'cascade' }), qty: integer('qty') });\n`,
    seed: `INSERT INTO items VALUES (1, 'A-1', 5), (2, 'B-2', NULL); INSERT INTO stock VALUES (1, 'A-1', 3), (2, 'B-2', 0), (3, 'A-1', 9);`,
    rebuilt: ['items'],
    moved: ['stock'],
    loose: ['items.price'],
    kitBreaks: true,
  },
  {
    name: 'views over views are recreated in dependency order',
    before:
      CORE +
      `export const items = sqliteTable('items', { id: integer('id').primaryKey(), qty: integer('qty') });\n` +
      `export const aStocked = sqliteView('a_stocked', { id: integer('id'), qty: integer('qty') }).as(sql\`select id, qty from z_positive where qty > 10\`);\n` +
      `export const zPositive = sqliteView('z_positive', { id: integer('id'), qty: integer('qty') }).as(sql\`select id, qty from items where qty > 0\`);\n`,
    after:
      CORE +
      `export const items = sqliteTable('items', { id: integer('id').primaryKey(), qty: integer('qty').notNull().default(0) });\n` +
      `export const aStocked = sqliteView('a_stocked', { id: integer('id'), qty: integer('qty') }).as(sql\`select id, qty from z_positive where qty > 10\`);\n` +
      `export const zPositive = sqliteView('z_positive', { id: integer('id'), qty: integer('qty') }).as(sql\`select id, qty from items where qty > 0\`);\n`,
    seed: `INSERT INTO items VALUES (1, 20), (2, 5), (3, 11);`,
    rebuilt: ['items'],
    verify: (db) => {
      const ids = db.prepare('SELECT id FROM a_stocked ORDER BY id').pluck().all();
      if (JSON.stringify(ids) !== '[1,3]') throw new Error(JSON.stringify(ids));
    },
  },
  {
    name: 'a new foreign-key column on a rebuilt parent is added after the rebuild',
    before:
      CORE +
      `export const a = sqliteTable('a', { id: integer('id').primaryKey(), v: text('v').notNull() });\n` +
      `export const b = sqliteTable('b', { id: integer('id').primaryKey(), aId: integer('a_id').references(() => a.id, { onDelete: 'cascade' }) });\n` +
      `export const c = sqliteTable('c', { id: integer('id').primaryKey(), bId: integer('b_id').references(() => b.id) });\n`,
    after:
      CORE +
      `export const a = sqliteTable('a', { id: integer('id').primaryKey(), v: text('v') });\n` +
      `export const b = sqliteTable('b', { id: integer('id').primaryKey(), aId: integer('a_id').references(() => a.id, { onDelete: 'cascade' }) });\n` +
      `export const c = sqliteTable('c', { id: integer('id').primaryKey(), bId: integer('b_id').references(() => b.id), aId: integer('a_id').references(() => a.id, { onDelete: 'cascade' }) });\n`,
    seed: `INSERT INTO a VALUES (1, 'x'), (2, 'y'); INSERT INTO b VALUES (1, 1), (2, 2); INSERT INTO c VALUES (1, 1), (2, 2), (3, NULL);`,
    rebuilt: ['a'],
    moved: ['b'],
  },
  {
    name: 'a table renamed into the name of a dropped table takes over its children',
    before:
      CORE +
      `export const users = sqliteTable('users', { id: integer('id').primaryKey(), name: text('name') });\n` +
      `export const usersV2 = sqliteTable('users_v2', { id: integer('id').primaryKey(), name: text('name'), email: text('email') });\n` +
      `export const posts = sqliteTable('posts', { id: integer('id').primaryKey(), authorId: integer('author_id').references(() => users.id, { onDelete: 'cascade' }) });\n`,
    after:
      CORE +
      `export const users = sqliteTable('users', { id: integer('id').primaryKey(), name: text('name'), email: text('email') });\n` +
      `export const posts = sqliteTable('posts', { id: integer('id').primaryKey(), authorId: integer('author_id').references(() => users.id, { onDelete: 'cascade' }) });\n`,
    renames: { tables: { users_v2: 'users' }, columns: {} },
    seed: `INSERT INTO users VALUES (1, 'old ada'), (2, 'old bob'); INSERT INTO users_v2 VALUES (1, 'ada', 'a@x'), (2, 'bob', NULL);
INSERT INTO posts VALUES (1, 1), (2, 2), (3, 1);`,
    rebuilt: ['posts'],
    verify: (db) => {
      const fk = db.prepare(`SELECT "table" FROM pragma_foreign_key_list('posts')`).pluck().get();
      if (fk !== 'users') throw new Error(`posts references ${String(fk)}`);
      const names = db.prepare('SELECT name FROM users ORDER BY id').pluck().all();
      if (JSON.stringify(names) !== '["ada","bob"]') throw new Error(JSON.stringify(names));
    },
  },
  {
    name: 'a column renamed into the name of a dropped column takes its place',
    before:
      CORE +
      `export const users = sqliteTable('users', { id: integer('id').primaryKey(), email: text('email'), newEmail: text('new_email') }, (t) => [index('users_email_idx').on(t.email)]);\n` +
      `export const posts = sqliteTable('posts', { id: integer('id').primaryKey(), authorId: integer('author_id').references(() => users.id, { onDelete: 'cascade' }), title: text('title'), headline: text('headline') });\n`,
    after:
      CORE +
      `export const users = sqliteTable('users', { id: integer('id').primaryKey(), email: text('email') }, (t) => [index('users_email_idx').on(t.email)]);\n` +
      `export const posts = sqliteTable('posts', { id: integer('id').primaryKey(), authorId: integer('author_id').references(() => users.id, { onDelete: 'cascade' }), title: text('title').notNull().default('untitled') });\n`,
    renames: { tables: {}, columns: { users: { new_email: 'email' }, posts: { headline: 'title' } } },
    seed: `INSERT INTO users VALUES (1, 'old@a', 'new@a'), (2, 'old@b', NULL), (3, NULL, 'new@c');
INSERT INTO posts VALUES (1, 1, 'old title', 'new title'), (2, 3, 'old', NULL), (3, NULL, NULL, 'only new');`,
    rebuilt: ['posts'],
    filled: ['posts.title'],
    verify: (db) => {
      const emails = db.prepare('SELECT email FROM users ORDER BY id').pluck().all();
      if (JSON.stringify(emails) !== '["new@a",null,"new@c"]') throw new Error(JSON.stringify(emails));
      const titles = db.prepare('SELECT title FROM posts ORDER BY id').pluck().all();
      if (JSON.stringify(titles) !== '["new title","untitled","only new"]') throw new Error(JSON.stringify(titles));
      const indexed = db.prepare(`SELECT name FROM pragma_index_info('users_email_idx')`).pluck().all();
      if (JSON.stringify(indexed) !== '["email"]') throw new Error(JSON.stringify(indexed));
    },
  },
  {
    name: 'hostile names through a table rename, a column rename and a rebuild',
    before:
      CORE +
      `export const p = sqliteTable('my.table', { id: integer('1st id').primaryKey({ autoIncrement: true }), val: text('va"l'), g: text('group.by').generatedAlwaysAs(sql\`upper("va""l")\`, { mode: 'stored' }) }, (t) => [index('my.table idx').on(t.val), check('my.table chk', sql\`length(\${t.val}) < 100\`)]);\n` +
      `export const c = sqliteTable('select', { id: integer('id').primaryKey(), pid: integer('from').references(() => p.id, { onDelete: 'cascade' }), n: text('where') }, (t) => [uniqueIndex('u "q"').on(t.pid, t.n)]);\n` +
      `export const v = sqliteView('view.my.table').as((qb) => qb.select({ id: p.id, val: p.val, n: c.n }).from(p).leftJoin(c, sql\`\${c.pid} = \${p.id}\`));\n`,
    after:
      CORE +
      `export const p = sqliteTable('Ta ble', { id: integer('1st id').primaryKey({ autoIncrement: true }), val: text("va'l").default("it's"), g: text('group.by').generatedAlwaysAs(sql\`upper("va'l")\`, { mode: 'stored' }) }, (t) => [index('Ta ble idx').on(t.val), check('Ta ble chk', sql\`length(\${t.val}) < 100\`)]);\n` +
      `export const c = sqliteTable('select', { id: integer('id').primaryKey(), pid: integer('from').references(() => p.id, { onDelete: 'cascade' }), n: text('where') }, (t) => [uniqueIndex('u "q"').on(t.pid, t.n)]);\n` +
      `export const v = sqliteView('view.Ta ble').as((qb) => qb.select({ id: p.id, val: p.val, n: c.n }).from(p).leftJoin(c, sql\`\${c.pid} = \${p.id}\`));\n`,
    renames: { tables: { 'my.table': 'Ta ble' }, columns: { 'Ta ble': { 'va"l': "va'l" } } },
    seed: `INSERT INTO "my.table" ("1st id", "va""l") VALUES (1, 'a'), (2, NULL), (3, 'c'); DELETE FROM "my.table" WHERE "1st id" = 3;
INSERT INTO "select" VALUES (1, 1, 'x'), (2, 1, NULL), (3, NULL, 'y'), (4, 2, 'z');`,
    rebuilt: ['Ta ble'],
    moved: ['select'],
    verify: (db) => {
      const rows = db.prepare(`SELECT "1st id" AS id, "va'l" AS v, "group.by" AS g FROM "Ta ble" ORDER BY 1`).all();
      if (JSON.stringify(rows) !== JSON.stringify([{ id: 1, v: 'a', g: 'A' }, { id: 2, v: null, g: null }])) throw new Error(JSON.stringify(rows));
      if (db.prepare(`SELECT count(*) FROM "view.Ta ble"`).pluck().get() !== 3) throw new Error('view rows');
    },
  },
];
