/**
 * A corpus of realistic schema histories, kept as data: each history is a list of versions of one
 * `src/schema.ts`, generated one after another into the same migrations folder. Versions only add,
 * drop or change things (no renames: those need hints). `seed` runs after that version's migration
 * is applied; `rows` and `assert` are checked after it (and after the seed), so a rebuild that loses
 * or rewrites rows fails the history.
 */

export interface Version {
  source: string;
  /** SQL run after this version's migration (with D1 semantics: foreign keys on). */
  seed?: string;
  /** Passed to generate as `backfill` (`table.column` → SQL expression). */
  backfill?: Record<string, string>;
  /** Row counts expected after this version's migration (and its seed). */
  rows?: Record<string, number>;
  /** Scalar queries and their expected value after this version's migration (and its seed). */
  assert?: Record<string, unknown>;
}

export interface History {
  name: string;
  /** Extra drizzle.config.ts fields. */
  configExtra?: string;
  casing?: 'snake_case' | 'camelCase';
  versions: (string | Version)[];
}

export const IMPORTS = `import { sqliteTable, sqliteView, integer, text, real, blob, numeric, index, uniqueIndex, unique, primaryKey, foreignKey, check, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { sql, eq, and, isNull, gt } from 'drizzle-orm';
`;

const src = (body: string) => IMPORTS + body;

// ---------------------------------------------------------------------------------------------------
// 1. users / posts / comments
// ---------------------------------------------------------------------------------------------------
const blogUsers = `
export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
});`;
const blogUsersBio = `
export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  bio: text('bio'),
});`;

const usersPostsComments: History = {
  name: 'users, posts and comments',
  versions: [
    {
      source: src(`${blogUsers}
export const posts = sqliteTable('posts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  authorId: integer('author_id').notNull().references(() => users.id),
  title: text('title').notNull(),
  body: text('body'),
});`),
      seed: `INSERT INTO users (id, name, email) VALUES (1, 'Ann', 'ann@example.com'), (2, 'Bob', 'bob@example.com');
INSERT INTO posts (id, author_id, title, body) VALUES (1, 1, 'Hello', NULL), (2, 2, 'Hi', 'body'), (3, 2, 'Gone', NULL);
DELETE FROM posts WHERE id = 3;`,
      rows: { users: 2, posts: 2 },
    },
    {
      source: src(`${blogUsers}
export const posts = sqliteTable('posts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  authorId: integer('author_id').notNull().references(() => users.id),
  title: text('title').notNull(),
  body: text('body'),
  published: integer('published', { mode: 'boolean' }).notNull().default(false),
}, (t) => [index('posts_author_idx').on(t.authorId)]);
export const comments = sqliteTable('comments', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  postId: integer('post_id').notNull().references(() => posts.id, { onDelete: 'cascade' }),
  authorId: integer('author_id').references(() => users.id),
  text: text('text').notNull(),
});`),
      seed: `INSERT INTO comments (id, post_id, author_id, text) VALUES (1, 1, 1, 'nice'), (2, 1, 2, 'ok'), (3, 2, NULL, 'anon');`,
      rows: { users: 2, posts: 2, comments: 3 },
    },
    {
      // created_at's default is an expression: ADD COLUMN cannot take it, so posts is rebuilt under its comments.
      source: src(`${blogUsersBio}
export const posts = sqliteTable('posts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  authorId: integer('author_id').notNull().references(() => users.id),
  title: text('title').notNull(),
  body: text('body'),
  published: integer('published', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at', { mode: 'timestamp' }).notNull().default(sql\`(unixepoch())\`),
}, (t) => [index('posts_author_idx').on(t.authorId)]);
export const comments = sqliteTable('comments', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  postId: integer('post_id').notNull().references(() => posts.id, { onDelete: 'cascade' }),
  authorId: integer('author_id').references(() => users.id),
  text: text('text').notNull(),
});`),
      rows: { users: 2, posts: 2, comments: 3 },
      assert: {
        "SELECT seq FROM sqlite_sequence WHERE name = 'posts'": 3,
        'SELECT count(*) FROM posts WHERE created_at IS NULL': 0,
      },
    },
    {
      source: src(`${blogUsersBio}
export const posts = sqliteTable('posts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  authorId: integer('author_id').notNull().references(() => users.id),
  title: text('title').notNull(),
  body: text('body'),
  published: integer('published', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at', { mode: 'timestamp' }).notNull().default(sql\`(unixepoch())\`),
});
export const comments = sqliteTable('comments', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  postId: integer('post_id').notNull().references(() => posts.id, { onDelete: 'cascade' }),
  authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
  text: text('text').notNull(),
});`),
      rows: { users: 2, posts: 2, comments: 3 },
      assert: { 'SELECT count(*) FROM comments WHERE author_id IS NOT NULL': 2 },
    },
  ],
};

// ---------------------------------------------------------------------------------------------------
// 2. organisations and members (composite PK, enum text)
// ---------------------------------------------------------------------------------------------------
const orgsBase = `
export const orgs = sqliteTable('orgs', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
});
export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
});`;
const orgsWithPlan = `
export const orgs = sqliteTable('orgs', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
  plan: text('plan', { enum: ['free', 'pro'] }).notNull().default('free'),
});
export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
});`;
const membersV2 = (checks: string) => `
export const members = sqliteTable('members', {
  orgId: text('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  role: text('role', { enum: ['owner', 'admin', 'member'] }).notNull().default('member'),
  invitedBy: text('invited_by').references(() => users.id, { onDelete: 'set null' }),
}, (t) => [primaryKey({ columns: [t.orgId, t.userId] })${checks}]);`;
const invitations = `
export const invitations = sqliteTable('invitations', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  orgId: text('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  email: text('email').notNull(),
  role: text('role').notNull().default('member'),
  token: text('token').notNull().unique(),
  expiresAt: integer('expires_at', { mode: 'timestamp' }).notNull(),
}, (t) => [uniqueIndex('invitations_org_email_idx').on(t.orgId, t.email)]);`;
const roleCheck = `, check('members_role_check', sql\`\${t.role} in ('owner', 'admin', 'member')\`)`;

const orgsMembers: History = {
  name: 'organisations and members',
  versions: [
    {
      source: src(`${orgsBase}
export const members = sqliteTable('members', {
  orgId: text('org_id').notNull().references(() => orgs.id, { onDelete: 'cascade' }),
  userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  role: text('role', { enum: ['owner', 'admin', 'member'] }).notNull().default('member'),
}, (t) => [primaryKey({ columns: [t.orgId, t.userId] })]);`),
      seed: `INSERT INTO orgs VALUES ('o1', 'Acme', 'acme'), ('o2', 'Globex', 'globex');
INSERT INTO users VALUES ('u1', 'a@example.com'), ('u2', 'b@example.com');
INSERT INTO members (org_id, user_id, role) VALUES ('o1', 'u1', 'owner'), ('o1', 'u2', 'member'), ('o2', 'u2', 'admin');`,
      rows: { orgs: 2, users: 2, members: 3 },
    },
    {
      source: src(`${orgsBase}${membersV2('')}${invitations}`),
      seed: `UPDATE members SET invited_by = 'u1' WHERE user_id = 'u2';
INSERT INTO invitations (org_id, email, token, expires_at) VALUES ('o1', 'c@example.com', 'tok1', 1800000000);`,
      rows: { members: 3, invitations: 1 },
    },
    {
      source: src(`${orgsBase}${membersV2(roleCheck)}${invitations}`),
      rows: { members: 3, invitations: 1 },
      assert: { 'SELECT count(*) FROM members WHERE invited_by = \'u1\'': 2 },
    },
    {
      source: src(`${orgsWithPlan}${membersV2(roleCheck)}`),
      rows: { orgs: 2, members: 3 },
      assert: { "SELECT count(*) FROM orgs WHERE plan = 'free'": 2 },
    },
  ],
};

// ---------------------------------------------------------------------------------------------------
// 3. tags many-to-many with a composite primary key
// ---------------------------------------------------------------------------------------------------
const tagsPosts = (extra: string) => `
export const posts = sqliteTable('posts', {
  id: integer('id').primaryKey(),
  title: text('title').notNull(),${extra}
});`;
const tagsTable = (extra: string) => `
export const tags = sqliteTable('tags', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),${extra}
});`;
const postTags = (extraCols: string, extraTable: string) => `
export const postTags = sqliteTable('post_tags', {
  postId: integer('post_id').notNull().references(() => posts.id, { onDelete: 'cascade' }),
  tagId: integer('tag_id').notNull().references(() => tags.id, { onDelete: 'cascade' }),${extraCols}
}, (t) => [primaryKey({ columns: [t.postId, t.tagId] })${extraTable}]);`;

const tagsManyToMany: History = {
  name: 'tags many-to-many',
  versions: [
    {
      source: src(tagsPosts('') + tagsTable('') + postTags('', '')),
      seed: `INSERT INTO posts VALUES (1, 'a'), (2, 'b');
INSERT INTO tags (id, name) VALUES (1, 'js'), (2, 'ts');
INSERT INTO post_tags VALUES (1, 1), (1, 2), (2, 2);`,
      rows: { posts: 2, tags: 2, post_tags: 3 },
    },
    {
      source: src(
        tagsPosts('') +
          tagsTable(`\n  color: text('color').notNull().default('#ffffff'),`) +
          postTags('', `, index('post_tags_tag_idx').on(t.tagId)`),
      ),
      rows: { tags: 2, post_tags: 3 },
      assert: { "SELECT count(*) FROM tags WHERE color = '#ffffff'": 2 },
    },
    {
      // NOT NULL without a default on a table with rows: needs a backfill, and posts has CASCADE children.
      source: src(
        tagsPosts(`\n  slug: text('slug').notNull().unique(),`) +
          tagsTable(`\n  color: text('color').notNull().default('#ffffff'),`) +
          postTags('', `, index('post_tags_tag_idx').on(t.tagId)`),
      ),
      backfill: { 'posts.slug': "'post-' || id" },
      rows: { posts: 2, post_tags: 3 },
      assert: { 'SELECT slug FROM posts WHERE id = 2': 'post-2' },
    },
    {
      source: src(
        tagsPosts(`\n  slug: text('slug').notNull().unique(),`) +
          tagsTable(`\n  color: text('color').notNull().default('#ffffff'),`) +
          postTags(
            `\n  createdAt: integer('created_at', { mode: 'timestamp' }).notNull().default(sql\`(unixepoch())\`),`,
            `, index('post_tags_tag_idx').on(t.tagId)`,
          ),
      ),
      rows: { posts: 2, tags: 2, post_tags: 3 },
    },
  ],
};

// ---------------------------------------------------------------------------------------------------
// 4. a tree of categories (self reference)
// ---------------------------------------------------------------------------------------------------
const categoryTree: History = {
  name: 'category tree (self reference)',
  versions: [
    {
      source: src(`
export const categories = sqliteTable('categories', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  parentId: integer('parent_id').references((): AnySQLiteColumn => categories.id),
});`),
      seed: `INSERT INTO categories (id, name, parent_id) VALUES (1, 'root', NULL), (2, 'a', 1), (3, 'b', 1), (4, 'a1', 2);`,
      rows: { categories: 4 },
    },
    {
      source: src(`
export const categories = sqliteTable('categories', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  parentId: integer('parent_id').references((): AnySQLiteColumn => categories.id),
  position: integer('position').notNull().default(0),
  slug: text('slug'),
}, (t) => [index('categories_parent_idx').on(t.parentId)]);`),
      rows: { categories: 4 },
    },
    {
      // The self reference becomes ON DELETE CASCADE: a rebuild of a table that points at itself.
      source: src(`
export const categories = sqliteTable('categories', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  parentId: integer('parent_id').references((): AnySQLiteColumn => categories.id, { onDelete: 'cascade' }),
  position: integer('position').notNull().default(0),
  slug: text('slug'),
}, (t) => [index('categories_parent_idx').on(t.parentId)]);`),
      rows: { categories: 4 },
      assert: { 'SELECT parent_id FROM categories WHERE id = 4': 2 },
    },
    {
      source: src(`
export const categories = sqliteTable('categories', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  parentId: integer('parent_id'),
  position: integer('position').notNull().default(0),
  slug: text('slug'),
}, (t) => [
  index('categories_parent_idx').on(t.parentId),
  foreignKey({ name: 'categories_parent_fk', columns: [t.parentId], foreignColumns: [t.id] }).onDelete('cascade'),
]);
export const products = sqliteTable('products', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  categoryId: integer('category_id').references(() => categories.id, { onDelete: 'set null' }),
});`),
      seed: `INSERT INTO products (name, category_id) VALUES ('p1', 4), ('p2', 3);`,
      rows: { categories: 4, products: 2 },
    },
  ],
};

// ---------------------------------------------------------------------------------------------------
// 5. composite keys and a composite foreign key
// ---------------------------------------------------------------------------------------------------
const orders = `
export const orders = sqliteTable('orders', {
  id: integer('id').primaryKey(),
  customer: text('customer').notNull(),
});`;
const shipments = `
export const shipments = sqliteTable('shipments', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  orderId: integer('order_id').notNull(),
  lineNo: integer('line_no').notNull(),
  shippedAt: integer('shipped_at', { mode: 'timestamp' }),
}, (t) => [
  foreignKey({ columns: [t.orderId, t.lineNo], foreignColumns: [orderItems.orderId, orderItems.lineNo] }).onDelete('cascade'),
]);`;
const compositeKeys: History = {
  name: 'composite keys',
  versions: [
    {
      source: src(`${orders}
export const orderItems = sqliteTable('order_items', {
  orderId: integer('order_id').notNull().references(() => orders.id, { onDelete: 'cascade' }),
  lineNo: integer('line_no').notNull(),
  sku: text('sku').notNull(),
  qty: integer('qty').notNull().default(1),
}, (t) => [primaryKey({ columns: [t.orderId, t.lineNo] })]);`),
      seed: `INSERT INTO orders VALUES (1, 'c1'), (2, 'c2');
INSERT INTO order_items VALUES (1, 1, 'A', 2), (1, 2, 'B', 1), (2, 1, 'A', 5);`,
      rows: { orders: 2, order_items: 3 },
    },
    {
      source: src(`${orders}
export const orderItems = sqliteTable('order_items', {
  orderId: integer('order_id').notNull().references(() => orders.id, { onDelete: 'cascade' }),
  lineNo: integer('line_no').notNull(),
  sku: text('sku').notNull(),
  qty: integer('qty').notNull().default(1),
}, (t) => [primaryKey({ columns: [t.orderId, t.lineNo] })]);${shipments}`),
      seed: `INSERT INTO shipments (order_id, line_no, shipped_at) VALUES (1, 1, 1700000000), (2, 1, NULL);`,
      rows: { order_items: 3, shipments: 2 },
    },
    {
      source: src(`${orders}
export const orderItems = sqliteTable('order_items', {
  orderId: integer('order_id').notNull().references(() => orders.id, { onDelete: 'cascade' }),
  lineNo: integer('line_no').notNull(),
  sku: text('sku').notNull(),
  qty: integer('qty').notNull().default(1),
  priceCents: integer('price_cents').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.orderId, t.lineNo] }), uniqueIndex('order_items_order_sku_idx').on(t.orderId, t.sku)]);${shipments}`),
      rows: { order_items: 3, shipments: 2 },
    },
    {
      // qty becomes real: order_items is rebuilt under the composite-FK child.
      source: src(`${orders}
export const orderItems = sqliteTable('order_items', {
  orderId: integer('order_id').notNull().references(() => orders.id, { onDelete: 'cascade' }),
  lineNo: integer('line_no').notNull(),
  sku: text('sku').notNull(),
  qty: real('qty').notNull().default(1),
  priceCents: integer('price_cents').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.orderId, t.lineNo] }), uniqueIndex('order_items_order_sku_idx').on(t.orderId, t.sku)]);${shipments}`),
      rows: { orders: 2, order_items: 3, shipments: 2 },
    },
  ],
};

// ---------------------------------------------------------------------------------------------------
// 6. partial and expression indexes
// ---------------------------------------------------------------------------------------------------
const indexUsers = (nameCol: string, indexes: string) => `
export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  email: text('email').notNull(),
  ${nameCol}
  deletedAt: integer('deleted_at', { mode: 'timestamp' }),
}, (t) => [${indexes}]);
export const sessions = sqliteTable('sessions', {
  id: text('id').primaryKey(),
  userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
});`;
const exprIndexes = `
  uniqueIndex('users_email_lower_idx').on(sql\`lower(\${t.email})\`),
  index('users_active_name_idx').on(t.name).where(sql\`\${t.deletedAt} is null\`),`;
const partialExpressionIndexes: History = {
  name: 'partial and expression indexes',
  versions: [
    {
      source: src(indexUsers(`name: text('name'),`, '')),
      seed: `INSERT INTO users (id, email, name, deleted_at) VALUES (1, 'A@example.com', 'Ann', NULL), (2, 'b@example.com', NULL, 1700000000);
INSERT INTO sessions VALUES ('s1', 1), ('s2', 2);`,
      rows: { users: 2, sessions: 2 },
    },
    { source: src(indexUsers(`name: text('name'),`, exprIndexes)), rows: { users: 2 } },
    {
      // name becomes NOT NULL with a default: users is rebuilt and its expression index recreated.
      source: src(indexUsers(`name: text('name').notNull().default(''),`, exprIndexes)),
      backfill: { 'users.name': "''" },
      rows: { users: 2, sessions: 2 },
      assert: { 'SELECT name FROM users WHERE id = 2': '' },
    },
    {
      source: src(
        indexUsers(
          `name: text('name').notNull().default(''),`,
          `
  index('users_active_name_idx').on(t.name).where(sql\`\${t.deletedAt} is null\`),
  index('users_lower_name_live_idx').on(sql\`lower(\${t.name})\`, t.id).where(sql\`\${t.deletedAt} is null and \${t.email} like '%@%'\`),`,
        ),
      ),
      rows: { users: 2, sessions: 2 },
    },
  ],
};

// ---------------------------------------------------------------------------------------------------
// 7. check constraints
// ---------------------------------------------------------------------------------------------------
const products = (cols: string, checks: string) => `
export const products = sqliteTable('products', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),
  price: integer('price').notNull(),
  stock: integer('stock').notNull().default(0),${cols}
}, (t) => [${checks}]);
export const reviews = sqliteTable('reviews', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  productId: integer('product_id').notNull().references(() => products.id, { onDelete: 'cascade' }),
  stars: integer('stars').notNull(),
}, (t) => [check('reviews_stars_range', sql\`\${t.stars} between 1 and 5\`)]);`;
const checks: History = {
  name: 'check constraints',
  versions: [
    {
      source: src(products('', `check('price_nonneg', sql\`\${t.price} >= 0\`)`)),
      seed: `INSERT INTO products (id, name, price, stock) VALUES (1, 'a', 100, 5), (2, 'b', 0, 0);
INSERT INTO reviews (product_id, stars) VALUES (1, 5), (1, 4), (2, 1);`,
      rows: { products: 2, reviews: 3 },
    },
    {
      source: src(
        products('', `check('price_nonneg', sql\`\${t.price} >= 0\`), check('stock_nonneg', sql\`\${t.stock} >= 0\`)`),
      ),
      rows: { products: 2, reviews: 3 },
    },
    {
      source: src(
        products(
          '',
          `check('price_nonneg', sql\`\${t.price} >= 0 and \${t.price} < 1000000\`), check('stock_nonneg', sql\`\${t.stock} >= 0\`)`,
        ),
      ),
      rows: { products: 2, reviews: 3 },
    },
    {
      source: src(
        products(
          `\n  discount: real('discount').notNull().default(0),`,
          `check('price_nonneg', sql\`\${t.price} >= 0 and \${t.price} < 1000000\`), check('discount_range', sql\`\${t.discount} >= 0 and \${t.discount} <= 1\`)`,
        ),
      ),
      rows: { products: 2, reviews: 3 },
    },
  ],
};

// ---------------------------------------------------------------------------------------------------
// 8. generated columns
// ---------------------------------------------------------------------------------------------------
const people = (cols: string) => `
export const people = sqliteTable('people', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  firstName: text('first_name').notNull(),
  ${cols}
});`;
const generatedColumns: History = {
  name: 'generated columns (virtual and stored)',
  versions: [
    {
      source: src(
        people(`lastName: text('last_name').notNull(),
  fullName: text('full_name').generatedAlwaysAs(sql\`first_name || ' ' || last_name\`, { mode: 'virtual' }),`),
      ),
      seed: `INSERT INTO people (first_name, last_name) VALUES ('Ada', 'Lovelace'), ('Alan', 'Turing');`,
      rows: { people: 2 },
    },
    {
      // STORED cannot be added with ALTER TABLE: drizzle-kit emits nothing, drizzle-d1 must rebuild.
      source: src(
        people(`lastName: text('last_name').notNull(),
  fullName: text('full_name').generatedAlwaysAs(sql\`first_name || ' ' || last_name\`, { mode: 'virtual' }),
  nameLength: integer('name_length').generatedAlwaysAs(sql\`length(first_name)\`, { mode: 'stored' }),`),
      ),
      rows: { people: 2 },
      assert: { 'SELECT name_length FROM people WHERE id = 2': 4 },
    },
    {
      source: src(
        people(`lastName: text('last_name').notNull(),
  fullName: text('full_name').generatedAlwaysAs(sql\`last_name || ', ' || first_name\`, { mode: 'virtual' }),
  nameLength: integer('name_length').generatedAlwaysAs(sql\`length(first_name)\`, { mode: 'stored' }),`),
      ),
      rows: { people: 2 },
      assert: { 'SELECT full_name FROM people WHERE id = 1': 'Lovelace, Ada' },
    },
    {
      // last_name becomes nullable: a rebuild of a table holding both kinds of generated column.
      source: src(
        people(`lastName: text('last_name'),
  fullName: text('full_name').generatedAlwaysAs(sql\`last_name || ', ' || first_name\`, { mode: 'virtual' }),
  nameLength: integer('name_length').generatedAlwaysAs(sql\`length(first_name)\`, { mode: 'stored' }),
  email: text('email').notNull().default(''),`),
      ),
      rows: { people: 2 },
      assert: { 'SELECT full_name FROM people WHERE id = 2': 'Turing, Alan', 'SELECT name_length FROM people WHERE id = 1': 3 },
    },
  ],
};

// ---------------------------------------------------------------------------------------------------
// 9. views
// ---------------------------------------------------------------------------------------------------
const viewTables = (nameCol: string, postExtra: string) => `
export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  ${nameCol}
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
});
export const posts = sqliteTable('posts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  authorId: integer('author_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  title: text('title').notNull(),${postExtra}
});`;
const postCountsView = `
export const postCounts = sqliteView('post_counts', { authorId: integer('author_id'), n: integer('n') })
  .as(sql\`select author_id, count(*) as n from posts group by author_id\`);`;
const views: History = {
  name: 'views',
  versions: [
    {
      source: src(`${viewTables(`name: text('name').notNull(),`, '')}
export const activeUsers = sqliteView('active_users').as((qb) => qb.select({ id: users.id, name: users.name }).from(users).where(eq(users.active, true)));`),
      seed: `INSERT INTO users (id, name, active) VALUES (1, 'Ann', 1), (2, 'Bob', 0);
INSERT INTO posts (author_id, title) VALUES (1, 'a'), (1, 'b'), (2, 'c');`,
      rows: { users: 2, posts: 3, active_users: 1 },
    },
    {
      source: src(`${viewTables(`name: text('name').notNull(),`, '')}
export const activeUsers = sqliteView('active_users').as((qb) => qb.select().from(users).where(and(eq(users.active, true), gt(users.id, 0))));${postCountsView}`),
      rows: { active_users: 1, post_counts: 2 },
    },
    {
      // users is rebuilt (name becomes nullable) while two views read it or its child.
      source: src(`${viewTables(`name: text('name'),`, '')}
export const activeUsers = sqliteView('active_users').as((qb) => qb.select().from(users).where(and(eq(users.active, true), gt(users.id, 0))));${postCountsView}`),
      rows: { users: 2, posts: 3, active_users: 1, post_counts: 2 },
    },
    {
      source: src(`${viewTables(`name: text('name'),`, `\n  views: integer('views').notNull().default(0),`)}
export const activeUsers = sqliteView('active_users').as((qb) => qb.select().from(users).where(and(eq(users.active, true), gt(users.id, 0))));`),
      rows: { users: 2, posts: 3, active_users: 1 },
    },
  ],
};

// ---------------------------------------------------------------------------------------------------
// 10. snake_case casing
// ---------------------------------------------------------------------------------------------------
const snakeUsers = (cols: string, extra: string) => `
export const users = sqliteTable('users', {
  id: integer().primaryKey({ autoIncrement: true }),
  displayName: text().notNull(),
  createdAt: integer({ mode: 'timestamp' }).notNull().default(sql\`(unixepoch())\`),${cols}
}${extra});
export const accounts = sqliteTable('accounts', {
  userId: integer().notNull().references(() => users.id, { onDelete: 'cascade' }),
  providerId: text().notNull(),
  providerAccountId: text().notNull(),
}, (t) => [primaryKey({ columns: [t.providerId, t.providerAccountId] })]);`;
const snakeCase: History = {
  name: 'snake_case casing',
  configExtra: "casing: 'snake_case'",
  casing: 'snake_case',
  versions: [
    {
      source: src(snakeUsers('', '')),
      seed: `INSERT INTO users (id, display_name) VALUES (1, 'Ann'), (2, 'Bob');
INSERT INTO accounts (user_id, provider_id, provider_account_id) VALUES (1, 'github', '1'), (2, 'github', '2'), (2, 'google', 'x');`,
      rows: { users: 2, accounts: 3 },
    },
    {
      source: src(snakeUsers(`\n  avatarUrl: text(),\n  isAdmin: integer({ mode: 'boolean' }).notNull().default(false),`, `, (t) => [index('users_display_name_idx').on(t.displayName)]`)),
      rows: { users: 2, accounts: 3 },
    },
    {
      source: src(
        snakeUsers(
          `\n  avatarUrl: text(),\n  isAdmin: integer({ mode: 'boolean' }).notNull().default(false),\n  lastSeenAt: integer({ mode: 'timestamp_ms' }),`,
          `, (t) => [index('users_display_name_idx').on(t.displayName), uniqueIndex('users_avatar_url_unique').on(t.avatarUrl), check('users_name_len', sql\`length(\${t.displayName}) > 0\`)]`,
        ),
      ),
      rows: { users: 2, accounts: 3 },
    },
  ],
};

// ---------------------------------------------------------------------------------------------------
// 11. a blog evolving over time (the shape of the real "cloudflog" history)
// ---------------------------------------------------------------------------------------------------
const cfUser = (role: string, extra: string) => `
export const user = sqliteTable('user', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name'),
  email: text('email').notNull().unique(),
  role: text('role').notNull().default('${role}'),${extra}
});`;
const cfPost = (publishedDefault: boolean, extra: string) => `
export const post = sqliteTable('post', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  title: text('title').notNull(),
  slug: text('slug').notNull().unique(),
  content: text('content').notNull(),
  authorId: integer('author_id').notNull().references(() => user.id, { onDelete: 'cascade' }),
  published: integer('published', { mode: 'boolean' }).notNull().default(${publishedDefault}),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(sql\`(unixepoch('subsec') * 1000)\`),${extra}
});
export const tags = sqliteTable('tags', {
  slug: text('slug').primaryKey(),
  name: text('name').notNull().unique(),
});
export const postTags = sqliteTable('post_tags', {
  postId: integer('post_id').notNull().references(() => post.id, { onDelete: 'cascade' }),
  tagSlug: text('tag_slug').notNull().references(() => tags.slug, { onDelete: 'cascade' }),
}, (t) => [primaryKey({ columns: [t.postId, t.tagSlug] })]);`;
const cfComment = `
export const comment = sqliteTable('comment', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  content: text('content').notNull(),
  authorId: integer('author_id').references(() => user.id, { onDelete: 'set null' }),
  postId: integer('post_id').notNull().references(() => post.id, { onDelete: 'cascade' }),
  parentId: integer('parent_id').references((): AnySQLiteColumn => comment.id, { onDelete: 'cascade' }),
  approved: integer('approved', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(sql\`(unixepoch('subsec') * 1000)\`),
}, (t) => [index('comment_post_idx').on(t.postId)]);`;
const cfSession = `
export const session = sqliteTable('session', {
  sessionToken: text('session_token').primaryKey(),
  userId: integer('user_id').notNull().references(() => user.id, { onDelete: 'cascade' }),
  expires: integer('expires', { mode: 'timestamp' }).notNull(),
});`;
const blogOverTime: History = {
  name: 'a blog evolving over time',
  versions: [
    {
      source: src(cfUser('reader', '')),
      seed: `INSERT INTO user (id, name, email) VALUES (1, 'Ann', 'ann@example.com'), (2, NULL, 'bob@example.com');`,
      rows: { user: 2 },
    },
    {
      source: src(cfUser('reader', '') + cfPost(false, '')),
      seed: `INSERT INTO post (id, title, slug, content, author_id) VALUES (1, 'One', 'one', '...', 1), (2, 'Two', 'two', '...', 2);
INSERT INTO tags VALUES ('d1', 'D1'), ('sqlite', 'SQLite');
INSERT INTO post_tags VALUES (1, 'd1'), (1, 'sqlite'), (2, 'd1');`,
      rows: { user: 2, post: 2, tags: 2, post_tags: 3 },
    },
    {
      source: src(cfUser('reader', '') + cfPost(false, '') + cfComment),
      seed: `INSERT INTO comment (id, content, author_id, post_id, parent_id) VALUES (1, 'first', 1, 1, NULL), (2, 'reply', 2, 1, 1), (3, 'anon', NULL, 2, NULL);`,
      rows: { comment: 3 },
    },
    {
      source: src(
        cfUser('reader', `\n  image: text('image'),`) +
          cfPost(false, `\n  excerpt: text('excerpt'),\n  coverImage: text('cover_image'),`) +
          cfComment +
          cfSession,
      ),
      seed: `INSERT INTO session VALUES ('tok-a', 1, 1900000000), ('tok-b', 2, 1900000000);`,
      rows: { user: 2, post: 2, comment: 3, session: 2 },
    },
    {
      // Both user and post are rebuilt (new defaults): every CASCADE / SET NULL child must keep its rows.
      source: src(
        cfUser('member', `\n  image: text('image'),`) +
          cfPost(true, `\n  excerpt: text('excerpt'),\n  coverImage: text('cover_image'),\n  viewCount: integer('view_count').notNull().default(0),`) +
          cfComment +
          cfSession,
      ),
      rows: { user: 2, post: 2, tags: 2, post_tags: 3, comment: 3, session: 2 },
      assert: {
        'SELECT count(*) FROM comment WHERE author_id IS NOT NULL': 2,
        "SELECT role FROM user WHERE id = 1": 'reader',
        'SELECT published FROM post WHERE id = 1': 0,
      },
    },
  ],
};

// ---------------------------------------------------------------------------------------------------
// 12. a SaaS billing schema
// ---------------------------------------------------------------------------------------------------
const billingCustomers = (nameCol: string) => `
export const customers = sqliteTable('customers', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),${nameCol}
  metadata: text('metadata', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(sql\`(unixepoch() * 1000)\`),
});`;
const billingPlans = (checks: string) => `
export const plans = sqliteTable('plans', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  amountCents: integer('amount_cents').notNull(),
  currency: text('currency').notNull().default('usd'),
  interval: text('interval', { enum: ['month', 'year'] }).notNull().default('month'),
}${checks});`;
const billingSubscriptions = (extra: string) => `
export const subscriptions = sqliteTable('subscriptions', {
  id: text('id').primaryKey(),
  customerId: text('customer_id').notNull().references(() => customers.id, { onDelete: 'cascade' }),
  planId: text('plan_id').notNull().references(() => plans.id, { onDelete: 'restrict' }),
  status: text('status', { enum: ['trialing', 'active', 'past_due', 'canceled'] }).notNull().default('trialing'),
  currentPeriodEnd: integer('current_period_end', { mode: 'timestamp' }),
  cancelAtPeriodEnd: integer('cancel_at_period_end', { mode: 'boolean' }).notNull().default(false),${extra}
});`;
const billingInvoices = (indexes: string) => `
export const invoices = sqliteTable('invoices', {
  id: text('id').primaryKey(),
  subscriptionId: text('subscription_id').references(() => subscriptions.id, { onDelete: 'set null' }),
  customerId: text('customer_id').notNull().references(() => customers.id, { onDelete: 'cascade' }),
  status: text('status', { enum: ['draft', 'open', 'paid', 'void'] }).notNull().default('draft'),
  totalCents: integer('total_cents').notNull().default(0),
  issuedAt: integer('issued_at', { mode: 'timestamp' }),
}, (t) => [${indexes}]);
export const invoiceLines = sqliteTable('invoice_lines', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  invoiceId: text('invoice_id').notNull().references(() => invoices.id, { onDelete: 'cascade' }),
  description: text('description').notNull(),
  amountCents: integer('amount_cents').notNull(),
  quantity: integer('quantity').notNull().default(1),
});`;
const billingCoupons = `
export const coupons = sqliteTable('coupons', {
  id: text('id').primaryKey(),
  percentOff: integer('percent_off').notNull(),
}, (t) => [check('coupons_percent_range', sql\`\${t.percentOff} between 1 and 100\`)]);`;
const couponCol = `\n  couponId: text('coupon_id').references(() => coupons.id, { onDelete: 'set null' }),`;
const invoiceIdx = `index('invoices_customer_status_idx').on(t.customerId, t.status)`;
const saasBilling: History = {
  name: 'SaaS billing',
  versions: [
    {
      source: src(billingCustomers(`\n  name: text('name'),`) + billingPlans('') + billingSubscriptions('')),
      seed: `INSERT INTO customers (id, email, name) VALUES ('cus_1', 'a@example.com', 'A'), ('cus_2', 'b@example.com', NULL);
INSERT INTO plans (id, name, amount_cents) VALUES ('basic', 'Basic', 900), ('pro', 'Pro', 2900);
INSERT INTO subscriptions (id, customer_id, plan_id, status) VALUES ('sub_1', 'cus_1', 'basic', 'active'), ('sub_2', 'cus_2', 'pro', 'trialing');`,
      rows: { customers: 2, plans: 2, subscriptions: 2 },
    },
    {
      source: src(billingCustomers(`\n  name: text('name'),`) + billingPlans('') + billingSubscriptions('') + billingInvoices(invoiceIdx)),
      seed: `INSERT INTO invoices (id, subscription_id, customer_id, status, total_cents) VALUES ('in_1', 'sub_1', 'cus_1', 'paid', 900), ('in_2', 'sub_2', 'cus_2', 'open', 2900);
INSERT INTO invoice_lines (invoice_id, description, amount_cents) VALUES ('in_1', 'Basic', 900), ('in_2', 'Pro', 2900), ('in_2', 'Tax', 0);`,
      rows: { invoices: 2, invoice_lines: 3 },
    },
    {
      source: src(
        billingCustomers(`\n  name: text('name'),`) + billingPlans('') + billingCoupons + billingSubscriptions(couponCol) + billingInvoices(invoiceIdx),
      ),
      seed: `INSERT INTO coupons VALUES ('HALF', 50);
UPDATE subscriptions SET coupon_id = 'HALF' WHERE id = 'sub_2';`,
      rows: { subscriptions: 2, invoices: 2, invoice_lines: 3, coupons: 1 },
    },
    {
      // plans gets a check: it is rebuilt under subscriptions (ON DELETE RESTRICT), whose invoices SET NULL.
      source: src(
        billingCustomers(`\n  name: text('name'),`) +
          billingPlans(`, (t) => [check('plans_amount_nonneg', sql\`\${t.amountCents} >= 0\`)]`) +
          billingCoupons +
          billingSubscriptions(couponCol) +
          billingInvoices(invoiceIdx),
      ),
      rows: { plans: 2, subscriptions: 2, invoices: 2, invoice_lines: 3 },
      assert: { 'SELECT count(*) FROM invoices WHERE subscription_id IS NOT NULL': 2 },
    },
    {
      source: src(
        billingCustomers('') +
          billingPlans(`, (t) => [check('plans_amount_nonneg', sql\`\${t.amountCents} >= 0\`)]`) +
          billingCoupons +
          billingSubscriptions(couponCol) +
          billingInvoices(''),
      ),
      rows: { customers: 2, subscriptions: 2, invoices: 2, invoice_lines: 3 },
      assert: { "SELECT coupon_id FROM subscriptions WHERE id = 'sub_2'": 'HALF' },
    },
  ],
};

// ---------------------------------------------------------------------------------------------------
// 13. Auth.js (@auth/drizzle-adapter's SQLite tables)
// ---------------------------------------------------------------------------------------------------
const authUsers = (nameCol: string) => `
export const users = sqliteTable('user', {
  id: text('id').primaryKey().$defaultFn(() => crypto.randomUUID()),
  ${nameCol}
  email: text('email').unique(),
  emailVerified: integer('emailVerified', { mode: 'timestamp_ms' }),
  image: text('image'),
});`;
const authCore = `
export const accounts = sqliteTable('account', {
  userId: text('userId').notNull().references(() => users.id, { onDelete: 'cascade' }),
  type: text('type').$type<'oauth' | 'oidc' | 'email' | 'webauthn'>().notNull(),
  provider: text('provider').notNull(),
  providerAccountId: text('providerAccountId').notNull(),
  refresh_token: text('refresh_token'),
  access_token: text('access_token'),
  expires_at: integer('expires_at'),
  token_type: text('token_type'),
  scope: text('scope'),
  id_token: text('id_token'),
  session_state: text('session_state'),
}, (account) => [primaryKey({ columns: [account.provider, account.providerAccountId] })]);
export const sessions = sqliteTable('session', {
  sessionToken: text('sessionToken').primaryKey(),
  userId: text('userId').notNull().references(() => users.id, { onDelete: 'cascade' }),
  expires: integer('expires', { mode: 'timestamp_ms' }).notNull(),
});
export const verificationTokens = sqliteTable('verificationToken', {
  identifier: text('identifier').notNull(),
  token: text('token').notNull(),
  expires: integer('expires', { mode: 'timestamp_ms' }).notNull(),
}, (vt) => [primaryKey({ columns: [vt.identifier, vt.token] })]);`;
const authenticators = `
export const authenticators = sqliteTable('authenticator', {
  credentialID: text('credentialID').notNull().unique(),
  userId: text('userId').notNull().references(() => users.id, { onDelete: 'cascade' }),
  providerAccountId: text('providerAccountId').notNull(),
  credentialPublicKey: text('credentialPublicKey').notNull(),
  counter: integer('counter').notNull(),
  credentialDeviceType: text('credentialDeviceType').notNull(),
  credentialBackedUp: integer('credentialBackedUp', { mode: 'boolean' }).notNull(),
  transports: text('transports'),
}, (authenticator) => [primaryKey({ columns: [authenticator.userId, authenticator.credentialID] })]);`;
const authJs: History = {
  name: 'Auth.js adapter tables',
  versions: [
    {
      source: src(authUsers(`name: text('name'),`) + authCore),
      seed: `INSERT INTO user (id, name, email) VALUES ('u1', 'Ann', 'ann@example.com'), ('u2', NULL, 'bob@example.com');
INSERT INTO account (userId, type, provider, providerAccountId) VALUES ('u1', 'oauth', 'github', '42'), ('u2', 'oidc', 'google', 'g-1');
INSERT INTO session VALUES ('sess-1', 'u1', 1900000000000), ('sess-2', 'u2', 1900000000000);
INSERT INTO verificationToken VALUES ('ann@example.com', 'vt', 1900000000000);`,
      rows: { user: 2, account: 2, session: 2, verificationToken: 1 },
    },
    {
      source: src(authUsers(`name: text('name'),`) + authCore + authenticators),
      seed: `INSERT INTO authenticator VALUES ('cred-1', 'u1', '42', 'pk', 0, 'singleDevice', 1, 'usb');`,
      rows: { authenticator: 1 },
    },
    {
      // As in the real cloudflare-authjs-sample history: the users table is rebuilt for a default.
      source: src(authUsers(`name: text('name').default('anonymous'),`) + authCore + authenticators),
      rows: { user: 2, account: 2, session: 2, verificationToken: 1, authenticator: 1 },
      assert: { "SELECT name FROM user WHERE id = 'u2'": null },
    },
  ],
};

// ---------------------------------------------------------------------------------------------------
// 14. json, timestamp, boolean, blob and numeric modes
// ---------------------------------------------------------------------------------------------------
const events = (extra: string, payloadDefault: string, ratio: string) => `
export const events = sqliteTable('events', {
  id: integer('id').primaryKey(),
  at: integer('at', { mode: 'timestamp' }).notNull(),
  atMs: integer('at_ms', { mode: 'timestamp_ms' }),
  flag: integer('flag', { mode: 'boolean' }).default(false),
  payload: text('payload', { mode: 'json' }).$type<{ a?: number }>()${payloadDefault},
  raw: blob('raw', { mode: 'buffer' }),
  big: blob('big', { mode: 'bigint' }),
  jsonBlob: blob('json_blob', { mode: 'json' }),
  amount: numeric('amount'),
  ratio: real('ratio')${ratio},
  createdAt: text('created_at').notNull().default(sql\`CURRENT_TIMESTAMP\`),${extra}
});`;
const modes: History = {
  name: 'json and timestamp modes',
  versions: [
    {
      source: src(events('', '', '')),
      seed: `INSERT INTO events (id, at, at_ms, flag, payload, raw, amount, ratio) VALUES (1, 1700000000, 1700000000123, 1, '{"a":1}', x'0102', '12.50', 0.25), (2, 1700000001, NULL, NULL, NULL, NULL, NULL, NULL);`,
      rows: { events: 2 },
    },
    {
      source: src(
        events(
          `\n  tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default([]),\n  settings: text('settings', { mode: 'json' }).notNull().default({ theme: 'dark', n: 1 }),`,
          '',
          '',
        )
      ),
      rows: { events: 2 },
      assert: { "SELECT settings FROM events WHERE id = 1": '{"theme":"dark","n":1}', 'SELECT tags FROM events WHERE id = 2': '[]' },
    },
    {
      source: src(
        events(
          `\n  tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default([]),\n  settings: text('settings', { mode: 'json' }).notNull().default({ theme: 'dark', n: 1 }),`,
          `.default({})`,
          `.default(0.5)`,
        ),
      ),
      rows: { events: 2 },
      assert: { 'SELECT payload FROM events WHERE id = 1': '{"a":1}', 'SELECT hex(raw) FROM events WHERE id = 1': '0102' },
    },
  ],
};

// ---------------------------------------------------------------------------------------------------
// 15. defaults of every kind
// ---------------------------------------------------------------------------------------------------
const settings = (defaults: { s: string; n: string; b: string; ts: string }, extra: string) => `
export const settings = sqliteTable('settings', {
  id: integer('id').primaryKey(),
  s: text('s').default(${defaults.s}),
  n: integer('n').default(${defaults.n}),
  neg: integer('neg').default(-1),
  r: real('r').default(3.14),
  t: integer('t', { mode: 'boolean' }).default(${defaults.b}),
  ts: text('ts').default(sql\`${defaults.ts}\`),
  u: integer('u').default(sql\`(unixepoch())\`),
  j: text('j', { mode: 'json' }).default({ a: [1, 2], q: 'x' }),
  arr: text('arr', { mode: 'json' }).default([]),
  e: text('e', { enum: ['a', 'b'] }).default('b'),
  empty: text('empty').notNull().default(''),
  nl: text('nl').default(sql\`NULL\`),${extra}
});`;
const everyDefault: History = {
  name: 'defaults of every kind',
  versions: [
    {
      source: src(settings({ s: `"it's"`, n: '42', b: 'true', ts: 'CURRENT_TIMESTAMP' }, '')),
      seed: `INSERT INTO settings (id) VALUES (1);`,
      rows: { settings: 1 },
      assert: { 'SELECT s FROM settings': "it's", 'SELECT n FROM settings': 42, 'SELECT t FROM settings': 1, 'SELECT j FROM settings': '{"a":[1,2],"q":"x"}' },
    },
    {
      source: src(settings({ s: `"it''s ok"`, n: '0', b: 'false', ts: 'CURRENT_DATE' }, '')),
      seed: `INSERT INTO settings (id) VALUES (2);`,
      rows: { settings: 2 },
      assert: {
        'SELECT s FROM settings WHERE id = 1': "it's",
        'SELECT s FROM settings WHERE id = 2': "it''s ok",
        'SELECT t FROM settings WHERE id = 2': 0,
      },
    },
    {
      source: src(
        settings(
          { s: `"it''s ok"`, n: '0', b: 'false', ts: 'CURRENT_DATE' },
          `
  a1: text('a1').notNull().default('x'),
  a2: integer('a2').notNull().default(sql\`(unixepoch())\`),
  a3: text('a3').default(sql\`CURRENT_TIMESTAMP\`),
  a4: real('a4').default(1.5),
  a5: integer('a5', { mode: 'boolean' }).notNull().default(true),`,
        ),
      ),
      rows: { settings: 2 },
      assert: {
        "SELECT count(*) FROM settings WHERE a1 = 'x' AND a2 > 0 AND a3 IS NOT NULL AND a4 = 1.5 AND a5 = 1": 2,
        'SELECT n FROM settings WHERE id = 1': 42,
      },
    },
  ],
};

// ---------------------------------------------------------------------------------------------------
// 16. dropping tables and changing the foreign-key graph
// ---------------------------------------------------------------------------------------------------
const library = (
  booksFk: string,
  extra: { awards: boolean; reviews: boolean; books: boolean; authorCols: string; publishers?: boolean },
) => `
export const authors = sqliteTable('authors', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull(),${extra.authorCols}
});${
  extra.publishers
    ? `
export const publishers = sqliteTable('publishers', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
});`
    : ''
}${
  extra.books
    ? `
export const books = sqliteTable('books', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  authorId: integer('author_id')${booksFk},
  publisherId: integer('publisher_id')${extra.publishers ? '.references(() => publishers.id)' : ''},
  title: text('title').notNull(),
});`
    : ''
}${
  extra.reviews
    ? `
export const reviews = sqliteTable('reviews', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  bookId: integer('book_id').notNull().references(() => books.id, { onDelete: 'cascade' }),
  body: text('body').notNull(),
});`
    : ''
}${
  extra.awards
    ? `
export const awards = sqliteTable('awards', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  authorId: integer('author_id').notNull().references(() => authors.id),
  year: integer('year').notNull(),
});`
    : ''
}`;
const cascadeFk = `.notNull().references(() => authors.id, { onDelete: 'cascade' })`;
const setNullFk = `.references(() => authors.id, { onDelete: 'set null' })`;
const tableDrops: History = {
  name: 'dropping tables and changing foreign keys',
  versions: [
    {
      source: src(library(cascadeFk, { awards: true, reviews: true, books: true, authorCols: '', publishers: true })),
      seed: `INSERT INTO authors (id, name) VALUES (1, 'Le Guin'), (2, 'Herbert');
INSERT INTO publishers VALUES (1, 'Ace'), (2, 'Chilton');
INSERT INTO books (id, author_id, publisher_id, title) VALUES (1, 1, 1, 'Earthsea'), (2, 1, NULL, 'Dispossessed'), (3, 2, 2, 'Dune');
INSERT INTO reviews (book_id, body) VALUES (1, 'great'), (3, 'sandy'), (3, 'long');
INSERT INTO awards (author_id, year) VALUES (1, 1975);`,
      rows: { authors: 2, publishers: 2, books: 3, reviews: 3, awards: 1 },
    },
    {
      // publishers is dropped while books still hold its ids (the foreign key goes, the column stays).
      source: src(library(cascadeFk, { awards: false, reviews: true, books: true, authorCols: '' })),
      rows: { authors: 2, books: 3, reviews: 3 },
      assert: { 'SELECT publisher_id FROM books WHERE id = 3': 2 },
    },
    {
      // books.author_id becomes nullable with ON DELETE SET NULL: books is rebuilt under its reviews.
      source: src(library(setNullFk, { awards: false, reviews: true, books: true, authorCols: '' })),
      rows: { authors: 2, books: 3, reviews: 3 },
      assert: { 'SELECT count(*) FROM books WHERE author_id IS NULL': 0 },
    },
    {
      source: src(library(setNullFk, { awards: false, reviews: false, books: false, authorCols: `\n  born: integer('born'),` })),
      rows: { authors: 2 },
    },
  ],
};

// ---------------------------------------------------------------------------------------------------
// 17. a column-type and primary-key change on a table with an autoincrement sequence
// ---------------------------------------------------------------------------------------------------
const counters: History = {
  name: 'column types, autoincrement and dropped columns',
  versions: [
    {
      source: src(`
export const counters = sqliteTable('counters', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  key: text('key').notNull().unique(),
  value: integer('value').notNull().default(0),
  legacy: text('legacy'),
});
export const counterEvents = sqliteTable('counter_events', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  counterId: integer('counter_id').notNull().references(() => counters.id, { onDelete: 'cascade' }),
  delta: integer('delta').notNull(),
});`),
      seed: `INSERT INTO counters (key, value, legacy) VALUES ('a', 1, 'x'), ('b', 2, NULL), ('c', 3, NULL);
DELETE FROM counters WHERE key = 'c';
INSERT INTO counter_events (counter_id, delta) VALUES (1, 1), (2, 2), (2, -1);`,
      rows: { counters: 2, counter_events: 3 },
    },
    {
      source: src(`
export const counters = sqliteTable('counters', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  key: text('key').notNull().unique(),
  value: integer('value').notNull().default(0),
});
export const counterEvents = sqliteTable('counter_events', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  counterId: integer('counter_id').notNull().references(() => counters.id, { onDelete: 'cascade' }),
  delta: integer('delta').notNull(),
});`),
      rows: { counters: 2, counter_events: 3 },
    },
    {
      source: src(`
export const counters = sqliteTable('counters', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  key: text('key').notNull().unique(),
  value: real('value').notNull().default(0),
});
export const counterEvents = sqliteTable('counter_events', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  counterId: integer('counter_id').notNull().references(() => counters.id, { onDelete: 'cascade' }),
  delta: integer('delta').notNull(),
});`),
      rows: { counters: 2, counter_events: 3 },
      assert: { "SELECT seq FROM sqlite_sequence WHERE name = 'counters'": 3, "SELECT value FROM counters WHERE key = 'b'": 2 },
    },
  ],
};

// ---------------------------------------------------------------------------------------------------
// 18. dropping columns that are indexed, unique, checked, or read by a view
// ---------------------------------------------------------------------------------------------------
const docs = (cols: string, table: string, view: string) => `
export const docs = sqliteTable('docs', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  title: text('title').notNull(),${cols}
  body: text('body').notNull().default(''),
}, (t) => [${table}]);${view}`;
const droppedColumns: History = {
  name: 'dropping indexed, unique, checked and viewed columns',
  versions: [
    {
      source: src(
        docs(
          `
  slug: text('slug').notNull().unique(),
  status: text('status').notNull().default('draft'),
  archived: integer('archived', { mode: 'boolean' }).notNull().default(false),`,
          `index('docs_status_idx').on(t.status), index('docs_live_title_idx').on(t.title).where(sql\`\${t.archived} = 0\`), check('docs_status_check', sql\`\${t.status} in ('draft', 'published')\`)`,
          `
export const docList = sqliteView('doc_list').as((qb) => qb.select({ id: docs.id, title: docs.title, status: docs.status }).from(docs));`,
        ),
      ),
      seed: `INSERT INTO docs (title, slug, status, archived) VALUES ('a', 'a', 'draft', 0), ('b', 'b', 'published', 1);`,
      rows: { docs: 2, doc_list: 2 },
    },
    {
      source: src(
        docs(
          `
  archived: integer('archived', { mode: 'boolean' }).notNull().default(false),`,
          `index('docs_live_title_idx').on(t.title).where(sql\`\${t.archived} = 0\`)`,
          `
export const docList = sqliteView('doc_list').as((qb) => qb.select({ id: docs.id, title: docs.title }).from(docs));`,
        ),
      ),
      rows: { docs: 2, doc_list: 2 },
    },
    {
      source: src(
        docs(
          '',
          `index('docs_title_idx').on(t.title)`,
          `
export const docList = sqliteView('doc_list').as((qb) => qb.select({ id: docs.id, title: docs.title }).from(docs));`,
        ),
      ),
      rows: { docs: 2, doc_list: 2 },
      assert: { "SELECT title FROM doc_list WHERE id = 2": 'b' },
    },
  ],
};

// ---------------------------------------------------------------------------------------------------
// 19. a foreign key to a UNIQUE (non-key) column, and a view over a view
// ---------------------------------------------------------------------------------------------------
const skuCatalog = (skuCol: string, extraItem: string) => `
export const items = sqliteTable('items', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  ${skuCol}
  label: text('label').notNull(),${extraItem}
});
export const stock = sqliteTable('stock', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  itemSku: text('item_sku').notNull().references(() => items.sku, { onDelete: 'cascade', onUpdate: 'cascade' }),
  warehouse: text('warehouse').notNull(),
  qty: integer('qty').notNull().default(0),
});
export const stockedItems = sqliteView('stocked_items').as((qb) =>
  qb.select({ sku: items.sku, label: items.label, qty: stock.qty }).from(items).innerJoin(stock, eq(stock.itemSku, items.sku)),
);
export const bigStock = sqliteView('big_stock', { sku: text('sku'), qty: integer('qty') }).as(
  sql\`select sku, qty from stocked_items where qty > 10\`,
);`;
const uniqueReferences: History = {
  name: 'foreign key to a unique column, view over a view',
  versions: [
    {
      source: src(skuCatalog(`sku: text('sku').notNull().unique(),`, '')),
      seed: `INSERT INTO items (id, sku, label) VALUES (1, 'A-1', 'Apple'), (2, 'B-2', 'Banana');
INSERT INTO stock (item_sku, warehouse, qty) VALUES ('A-1', 'north', 5), ('A-1', 'south', 50), ('B-2', 'north', 20);`,
      rows: { items: 2, stock: 3, stocked_items: 3, big_stock: 2 },
    },
    {
      // items is rebuilt (label gets a default) while stock references its UNIQUE sku and two stacked views read it.
      source: src(skuCatalog(`sku: text('sku').notNull().unique(),`, `
  price: integer('price').notNull().default(sql\`(0)\`),`)),
      rows: { items: 2, stock: 3, stocked_items: 3, big_stock: 2 },
    },
    {
      source: src(skuCatalog(`sku: text('sku').notNull().unique(),`, `
  price: integer('price').notNull().default(sql\`(0)\`),
  discontinued: integer('discontinued', { mode: 'boolean' }).notNull().default(false),`).replace(`label: text('label').notNull(),`, `label: text('label'),`)),
      rows: { items: 2, stock: 3, stocked_items: 3, big_stock: 2 },
    },
  ],
};

// ---------------------------------------------------------------------------------------------------
// 20. a REFERENCES column with a non-NULL default, dropping generated columns, dropping AUTOINCREMENT
// ---------------------------------------------------------------------------------------------------
const teams = `
export const teams = sqliteTable('teams', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
});`;
const awkwardAdds: History = {
  name: 'awkward column additions and removals',
  versions: [
    {
      source: src(`${teams}
export const players = sqliteTable('players', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  first: text('first').notNull(),
  last: text('last').notNull(),
  full: text('full').generatedAlwaysAs(sql\`first || ' ' || last\`, { mode: 'virtual' }),
  initials: text('initials').generatedAlwaysAs(sql\`substr(first, 1, 1) || substr(last, 1, 1)\`, { mode: 'stored' }),
});`),
      seed: `INSERT INTO teams VALUES (1, 'Default'), (2, 'Other');
INSERT INTO players (first, last) VALUES ('Ada', 'Lovelace'), ('Alan', 'Turing'), ('Tmp', 'Tmp');
DELETE FROM players WHERE first = 'Tmp';`,
      rows: { teams: 2, players: 2 },
    },
    {
      // SQLite refuses ALTER TABLE ADD of a REFERENCES column whose default is not NULL (foreign keys on).
      source: src(`${teams}
export const players = sqliteTable('players', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  first: text('first').notNull(),
  last: text('last').notNull(),
  full: text('full').generatedAlwaysAs(sql\`first || ' ' || last\`, { mode: 'virtual' }),
  initials: text('initials').generatedAlwaysAs(sql\`substr(first, 1, 1) || substr(last, 1, 1)\`, { mode: 'stored' }),
  teamId: integer('team_id').notNull().default(1).references(() => teams.id),
});`),
      rows: { players: 2 },
      assert: { 'SELECT count(*) FROM players WHERE team_id = 1': 2 },
    },
    {
      source: src(`${teams}
export const players = sqliteTable('players', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  first: text('first').notNull(),
  last: text('last').notNull(),
  teamId: integer('team_id').notNull().default(1).references(() => teams.id),
});`),
      rows: { players: 2 },
    },
    {
      source: src(`${teams}
export const players = sqliteTable('players', {
  id: integer('id').primaryKey(),
  first: text('first').notNull(),
  last: text('last').notNull(),
  teamId: integer('team_id').notNull().default(1).references(() => teams.id),
});`),
      rows: { players: 2 },
      assert: { "SELECT count(*) FROM sqlite_sequence WHERE name IN ('players', '__new_players')": 0 },
    },
  ],
};

export const histories: History[] = [
  usersPostsComments,
  orgsMembers,
  tagsManyToMany,
  categoryTree,
  compositeKeys,
  partialExpressionIndexes,
  checks,
  generatedColumns,
  views,
  snakeCase,
  blogOverTime,
  saasBilling,
  authJs,
  modes,
  everyDefault,
  tableDrops,
  counters,
  droppedColumns,
  uniqueReferences,
  awkwardAdds,
];

export const versionOf = (v: string | Version): Version => (typeof v === 'string' ? { source: v } : v);
