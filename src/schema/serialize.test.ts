import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as orm from 'drizzle-orm';
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import * as sqliteCore from 'drizzle-orm/sqlite-core';
import {
  blob,
  check,
  customType,
  foreignKey,
  index,
  integer,
  numeric,
  primaryKey,
  real,
  sqliteTable,
  sqliteTableCreator,
  sqliteView,
  text,
  unique,
  uniqueIndex,
  type AnySQLiteColumn,
} from 'drizzle-orm/sqlite-core';
import { generateSQLiteDrizzleJson } from 'drizzle-kit/api';
import { describe, expect, it } from 'vitest';
import { collectEntities, serializeSchema, type Casing, type DrizzleModules } from './serialize.js';

const M: DrizzleModules = { orm, sqliteCore };

/** drizzle-kit's snapshot body as the CLI writes it: tables, views, internal after a JSON round trip. */
async function kit(imports: Record<string, unknown>, casing?: Casing): Promise<string> {
  const snap = (await generateSQLiteDrizzleJson(imports, undefined, casing)) as Record<string, unknown>;
  const body = JSON.parse(JSON.stringify({ tables: snap.tables, views: snap.views, internal: snap.internal }));
  return JSON.stringify(body, null, 2);
}

function ours(imports: Record<string, unknown>, casing?: Casing): string {
  return JSON.stringify(serializeSchema(collectEntities([imports], M), M, casing), null, 2);
}

async function same(imports: Record<string, unknown>, casing?: Casing): Promise<string> {
  const expected = await kit(imports, casing);
  const actual = ours(imports, casing);
  expect(actual).toBe(expected);
  return actual;
}

const schemas: Record<string, { casing?: Casing; build: () => Record<string, unknown> }> = {};
const add = (name: string, build: () => Record<string, unknown>, casing?: Casing) => {
  schemas[name] = { build, casing };
};

// 1. users / posts / comments
add('users-posts-comments', () => {
  const users = sqliteTable('users', {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    email: text('email').notNull().unique(),
    role: text('role', { enum: ['admin', 'member'] }).notNull().default('member'),
    createdAt: integer('created_at', { mode: 'timestamp' }).notNull().default(sql`(unixepoch())`),
  });
  const posts = sqliteTable(
    'posts',
    {
      id: integer('id').primaryKey(),
      authorId: integer('author_id')
        .notNull()
        .references(() => users.id, { onDelete: 'cascade' }),
      title: text('title').notNull(),
      body: text('body'),
    },
    (t) => [index('posts_author_idx').on(t.authorId), index('posts_title_partial_idx').on(t.title).where(sql`${t.body} is not null`)],
  );
  const comments = sqliteTable('comments', {
    id: integer('id').primaryKey({ autoIncrement: true }),
    postId: integer('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade', onUpdate: 'cascade' }),
    authorId: integer('author_id').references(() => users.id, { onDelete: 'set null' }),
    text: text('text').notNull(),
  });
  return { users, posts, comments };
});

// 2. orgs / members with a named composite PK
add('orgs-members', () => {
  const orgs = sqliteTable('orgs', {
    id: text('id').primaryKey(),
    slug: text('slug').notNull().unique('orgs_slug_uq'),
    plan: text('plan', { enum: ['free', 'pro'] }).default('free'),
  });
  const users = sqliteTable('users', { id: integer('id').primaryKey(), email: text('email') });
  const members = sqliteTable(
    'members',
    {
      orgId: text('org_id')
        .notNull()
        .references(() => orgs.id),
      userId: integer('user_id')
        .notNull()
        .references(() => users.id),
      role: text('role').notNull().default('viewer'),
    },
    (t) => [primaryKey({ name: 'members_pk', columns: [t.orgId, t.userId] }), index('members_user_idx').on(t.userId)],
  );
  return { orgs, users, members };
});

// 3. many-to-many with an unnamed composite PK and composite FKs
add('m2m', () => {
  const posts = sqliteTable('posts', { id: integer('id').primaryKey() });
  const tags = sqliteTable('tags', { id: integer('id').primaryKey(), label: text('label').notNull() });
  const postTags = sqliteTable(
    'post_tags',
    {
      postId: integer('post_id')
        .notNull()
        .references(() => posts.id, { onDelete: 'cascade' }),
      tagId: integer('tag_id')
        .notNull()
        .references(() => tags.id, { onDelete: 'cascade' }),
      addedAt: integer('added_at', { mode: 'timestamp_ms' }),
    },
    (t) => [primaryKey({ columns: [t.postId, t.tagId] })],
  );
  const postTagNotes = sqliteTable(
    'post_tag_notes',
    { postId: integer('post_id').notNull(), tagId: integer('tag_id').notNull(), note: text('note') },
    (t) => [
      foreignKey({ columns: [t.postId, t.tagId], foreignColumns: [postTags.postId, postTags.tagId] }).onDelete('cascade'),
    ],
  );
  return { posts, tags, postTags, postTagNotes };
});

// 4. self references, inline and table-level
add('self-reference', () => {
  const employees = sqliteTable(
    'employees',
    {
      id: integer('id').primaryKey(),
      managerId: integer('manager_id').references((): AnySQLiteColumn => employees.id, { onDelete: 'set null' }),
      mentorId: integer('mentor_id'),
    },
    (t) => [foreignKey({ columns: [t.mentorId], foreignColumns: [t.id], name: 'employees_mentor_fk' })],
  );
  return { employees };
});

// 5. every FK action, named and unnamed
add('fk-actions', () => {
  const parent = sqliteTable('parent', { id: integer('id').primaryKey(), code: text('code').notNull().unique() });
  const child = sqliteTable(
    'child',
    {
      id: integer('id').primaryKey(),
      a: integer('a').references(() => parent.id, { onDelete: 'cascade', onUpdate: 'restrict' }),
      b: integer('b').references(() => parent.id, { onDelete: 'restrict', onUpdate: 'no action' }),
      c: integer('c').references(() => parent.id, { onDelete: 'no action', onUpdate: 'set null' }),
      d: integer('d').references(() => parent.id, { onDelete: 'set null', onUpdate: 'set default' }),
      e: integer('e').references(() => parent.id, { onDelete: 'set default', onUpdate: 'cascade' }),
      f: text('f'),
      g: text('g'),
    },
    (t) => [
      foreignKey({ name: 'child_f_named_fk', columns: [t.f], foreignColumns: [parent.code] })
        .onDelete('cascade')
        .onUpdate('cascade'),
      foreignKey({ columns: [t.g], foreignColumns: [parent.code] }),
    ],
  );
  return { parent, child };
});

// 6. all the unique flavours
add('uniques', () => {
  const accounts = sqliteTable(
    'accounts',
    {
      id: integer('id').primaryKey(),
      email: text('email').unique(),
      handle: text('handle').unique('accounts_handle_custom'),
      provider: text('provider').notNull(),
      providerId: text('provider_id').notNull(),
      tenant: text('tenant'),
      slug: text('slug'),
      phone: text('phone'),
    },
    (t) => [
      unique().on(t.provider, t.providerId),
      unique('accounts_tenant_slug').on(t.tenant, t.slug),
      uniqueIndex('accounts_phone_uidx').on(t.phone),
    ],
  );
  return { accounts };
});

// 7. partial indexes
add('partial-indexes', () => {
  const tasks = sqliteTable(
    'tasks',
    {
      id: integer('id').primaryKey(),
      done: integer('done', { mode: 'boolean' }).notNull().default(false),
      dueAt: integer('due_at'),
      owner: text('owner'),
      deletedAt: integer('deleted_at'),
    },
    (t) => [
      index('tasks_open_idx').on(t.dueAt).where(sql`${t.done} = 0`),
      index('tasks_owner_idx').on(t.owner).where(isNotNull(t.owner)),
      uniqueIndex('tasks_owner_live_uidx').on(t.owner, t.dueAt).where(sql`${t.deletedAt} is null and ${t.done} = 0`),
      index('tasks_inline_idx').on(t.owner).where(and(eq(t.done, true), isNotNull(t.dueAt))!.inlineParams()),
    ],
  );
  return { tasks };
});

// 8. expression indexes
add('expression-indexes', () => {
  const people = sqliteTable(
    'people',
    { id: integer('id').primaryKey(), email: text('email').notNull(), first: text('first'), last: text('last') },
    (t) => [
      uniqueIndex('people_email_lower_uidx').on(sql`lower(${t.email})`),
      index('people_name_idx').on(sql`lower(${t.last})`, t.first, sql`length(${t.first})`),
      index('people_same_expr_idx').on(sql`lower(${t.last})`, sql`lower(${t.last})`),
      index('people_expr_where_idx').on(sql`substr(${t.email}, 1, 3)`).where(sql`${t.last} is not null`),
    ],
  );
  return { people };
});

// 9. checks
add('checks', () => {
  const products = sqliteTable(
    'products',
    {
      id: integer('id').primaryKey(),
      price: real('price').notNull(),
      discount: real('discount').default(0),
      sku: text('sku').notNull(),
    },
    (t) => [
      check('price_positive', sql`${t.price} > 0`),
      check('discount_range', sql`${t.discount} >= 0 AND ${t.discount} <= ${sql.raw('1')}`),
      check('sku_format', sql`length(${t.sku}) = 8 and ${t.sku} glob '[A-Z]*'`),
    ],
  );
  return { products };
});

// 10. generated columns
add('generated', () => {
  const items = sqliteTable('items', {
    id: integer('id').primaryKey(),
    first: text('first').notNull(),
    last: text('last').notNull(),
    fullV: text('full_v').generatedAlwaysAs(sql`first || ' ' || last`),
    fullS: text('full_s').generatedAlwaysAs(sql`first || ' ' || last`, { mode: 'stored' }),
    lowerV: text('lower_v').generatedAlwaysAs((): orm.SQL => sql`lower(${items.first})`, { mode: 'virtual' }),
    lenS: integer('len_s').generatedAlwaysAs('length(last)' as never, { mode: 'stored' }),
  });
  return { items };
});

// 11. every default kind
add('defaults', () => {
  const settings = sqliteTable('settings', {
    id: integer('id').primaryKey(),
    plain: text('plain').default('hello'),
    quoted: text('quoted').default("it's a 'test'"),
    empty: text('empty').notNull().default(''),
    num: integer('num').default(42),
    neg: integer('neg').default(-7),
    flt: real('flt').default(3.25),
    boolT: integer('bool_t', { mode: 'boolean' }).default(true),
    boolF: integer('bool_f', { mode: 'boolean' }).notNull().default(false),
    jsonObj: text('json_obj', { mode: 'json' }).default({ a: 1, b: [true, null], c: 'x' }),
    jsonArr: text('json_arr', { mode: 'json' }).$type<string[]>().default(['a', 'b']),
    jsonEmpty: text('json_empty', { mode: 'json' }).notNull().default({}),
    jsonStr: text('json_str', { mode: 'json' }).default("it's"),
    blobJson: blob('blob_json', { mode: 'json' }).default({ k: 'v' }),
    sqlNow: integer('sql_now').default(sql`(unixepoch())`),
    sqlTs: text('sql_ts').default(sql`CURRENT_TIMESTAMP`),
    sqlQuote: text('sql_quote').default(sql`('a''b')`),
    sqlRaw: text('sql_raw').default(sql.raw(`'raw'`)),
    fn: text('fn').$defaultFn(() => 'ignored'),
    onUpd: integer('on_upd').$onUpdate(() => 1),
    both: text('both').default('kept').$onUpdateFn(() => 'x'),
    nul: text('nul').default(null as never),
    ts: integer('ts', { mode: 'timestamp' }).default(new Date('2024-01-02T03:04:05.000Z')),
    tsMs: integer('ts_ms', { mode: 'timestamp_ms' }).default(new Date(0)),
    buf: blob('buf', { mode: 'buffer' }).default(Buffer.from('ab')),
    numStr: numeric('num_str').default('1.50'),
    nowMs: integer('now_ms', { mode: 'timestamp_ms' }).defaultNow(),
    nan: real('nan').default(NaN),
    inf: real('inf').default(-Infinity),
    zero: real('zero').default(-0),
    big: integer('big').default(9007199254740993 as number),
  });
  return { settings };
});

// 12. column types and modes
add('types-and-modes', () => {
  const kinds = sqliteTable('kinds', {
    i: integer('i'),
    iNum: integer('i_num', { mode: 'number' }),
    iBool: integer('i_bool', { mode: 'boolean' }),
    iTs: integer('i_ts', { mode: 'timestamp' }),
    iTsMs: integer('i_ts_ms', { mode: 'timestamp_ms' }),
    r: real('r'),
    n: numeric('n'),
    nNum: numeric('n_num', { mode: 'number' }),
    nBig: numeric('n_big', { mode: 'bigint' }),
    b: blob('b'),
    bBuf: blob('b_buf', { mode: 'buffer' }),
    bJson: blob('b_json', { mode: 'json' }),
    bBig: blob('b_big', { mode: 'bigint' }),
    t: text('t'),
    tLen: text('t_len', { length: 255 }),
    tEnum: text('t_enum', { enum: ['a', 'b', 'c'] }),
    tJson: text('t_json', { mode: 'json' }).$type<{ a: number }>(),
  });
  return { kinds };
});

// 13. autoincrement PKs, single-column table-level PK
add('primary-keys', () => {
  const a = sqliteTable('auto', { id: integer('id').primaryKey({ autoIncrement: true }), x: text('x') });
  const b = sqliteTable('plain_pk', { id: integer('id').primaryKey(), x: text('x') });
  const c = sqliteTable('text_pk', { code: text('code').primaryKey() });
  const d = sqliteTable('table_level_single_pk', { code: text('code'), x: text('x') }, (t) => [primaryKey({ columns: [t.code] })]);
  const e = sqliteTable('pk_desc', { id: integer('id', { mode: 'number' }).primaryKey({ autoIncrement: false, onConflict: 'replace' }) });
  return { a, b, c, d, e };
});

// 14. composite PKs, named and unnamed, three columns
add('composite-pks', () => {
  const ledger = sqliteTable(
    'ledger',
    { year: integer('year').notNull(), month: integer('month').notNull(), account: text('account').notNull(), amount: real('amount') },
    (t) => [primaryKey({ columns: [t.year, t.month, t.account] })],
  );
  const named = sqliteTable(
    'named_pk',
    { a: text('a').notNull(), b: text('b').notNull() },
    (t) => [primaryKey({ name: 'my_custom_pk', columns: [t.b, t.a] })],
  );
  return { ledger, named };
});

// 15. views of every kind
add('views', () => {
  const users = sqliteTable('users', {
    id: integer('id').primaryKey(),
    name: text('name').notNull().default("o'brien"),
    isActive: integer('is_active', { mode: 'boolean' }).notNull().default(true),
    orgId: integer('org_id'),
  });
  const orgs = sqliteTable('orgs', { id: integer('id').primaryKey(), title: text('title') });
  const activeUsers = sqliteView('active_users').as((qb) =>
    qb.select({ id: users.id, name: users.name }).from(users).where(eq(users.isActive, true)),
  );
  const allUsers = sqliteView('all_users').as((qb) => qb.select().from(users));
  const joined = sqliteView('user_orgs').as((qb) =>
    qb
      .select({ userId: users.id, orgTitle: orgs.title, n: sql<number>`1`.as('n') })
      .from(users)
      .leftJoin(orgs, eq(users.orgId, orgs.id)),
  );
  const manual = sqliteView('manual_view', {
    id: integer('id').primaryKey(),
    label: text('label').notNull().default("it's"),
    meta: text('meta', { mode: 'json' }).default({ a: 1 }),
    at: integer('at').default(sql`(unixepoch())`),
    flag: integer('flag', { mode: 'boolean' }).default(false),
  }).as(sql`select id, name as label, null as meta from ${users} where ${users.id} > 10`);
  const existing = sqliteView('legacy_view', { id: integer('id'), note: text('note') }).existing();
  return { users, orgs, activeUsers, allUsers, joined, manual, existing };
});

// 16. snake_case casing
add(
  'casing-snake',
  () => {
    const userAccounts = sqliteTable(
      'user_accounts',
      {
        id: integer().primaryKey({ autoIncrement: true }),
        displayName: text().notNull(),
        emailAddress: text().notNull().unique(),
        explicitName: text('ExplicitName'),
        createdAt: integer({ mode: 'timestamp' }).default(sql`(unixepoch())`),
        fullName: text().generatedAlwaysAs((): orm.SQL => sql`${userAccounts.displayName} || '!'`),
      },
      (t) => [
        index('ua_display_idx').on(t.displayName),
        index('ua_lower_email_idx').on(sql`lower(${t.emailAddress})`).where(sql`${t.createdAt} > 0`),
        check('ua_name_len', sql`length(${t.displayName}) > 0`),
        unique().on(t.displayName, t.explicitName),
      ],
    );
    const accountTags = sqliteTable(
      'account_tags',
      {
        accountId: integer()
          .notNull()
          .references(() => userAccounts.id, { onDelete: 'cascade' }),
        tagName: text().notNull(),
        otherRef: integer(),
      },
      (t) => [
        primaryKey({ columns: [t.accountId, t.tagName] }),
        foreignKey({ columns: [t.otherRef], foreignColumns: [userAccounts.id], name: 'fk_otherRef_custom' }),
      ],
    );
    const accountView = sqliteView('account_view').as((qb) =>
      qb.select({ id: userAccounts.id, displayName: userAccounts.displayName }).from(userAccounts).where(isNotNull(userAccounts.createdAt)),
    );
    return { userAccounts, accountTags, accountView };
  },
  'snake_case',
);

// 17. camelCase casing
add(
  'casing-camel',
  () => {
    const orders = sqliteTable(
      'orders',
      {
        order_id: integer().primaryKey(),
        customer_name: text().notNull(),
        total_cents: integer().notNull().default(0),
        Explicit_Col: text('explicit_col'),
      },
      (t) => [index('orders_customer_idx').on(t.customer_name), check('orders_total', sql`${t.total_cents} >= 0`)],
    );
    const orderLines = sqliteTable(
      'order_lines',
      {
        order_id: integer()
          .notNull()
          .references(() => orders.order_id),
        line_no: integer().notNull(),
      },
      (t) => [primaryKey({ columns: [t.order_id, t.line_no] })],
    );
    return { orders, orderLines };
  },
  'camelCase',
);

// 18. table name prefix via sqliteTableCreator, old-style object extra config
add('table-creator-and-object-config', () => {
  const t = sqliteTableCreator((name) => `app_${name}`);
  const users = t('users', { id: integer('id').primaryKey(), email: text('email') }, (u) => ({
    emailIdx: uniqueIndex('app_users_email_idx').on(u.email),
    emailCheck: check('email_has_at', sql`instr(${u.email}, '@') > 0`),
  }));
  const sessions = t('sessions', {
    id: text('id').primaryKey(),
    userId: integer('user_id').references(() => users.id),
  });
  return { users, sessions };
});

// 19. custom types
add('custom-types', () => {
  const money = customType<{ data: number; driverData: string }>({ dataType: () => 'decimal(10, 2)' });
  const uuid = customType<{ data: string }>({ dataType: () => 'text' });
  const things = sqliteTable('things', { id: uuid('id').primaryKey(), price: money('price').default(0), v: uuid('v').notNull() });
  return { things };
});

// 20. export order differs from table-name order; integer-like table names go first in JSON objects
add('ordering', () => {
  const zeta = sqliteTable('a_table', { id: integer('id') });
  const alpha = sqliteTable('z_table', { id: integer('id') });
  const numeric1 = sqliteTable('10', { id: integer('id') });
  const numeric2 = sqliteTable('2', { id: integer('id'), '5': text('5'), b: text('b'), '1': text('1') });
  const mid = sqliteTable('m_table', { id: integer('id') });
  return { zeta, alpha, numeric1, mid, numeric2, dupe: zeta };
});

// 21. FK name patching under casing when the table name contains a column key
add(
  'casing-fk-name-quirk',
  () => {
    const owners = sqliteTable('owners', { ownerId: integer().primaryKey() });
    const weird = sqliteTable(
      'weird_ownerId_map',
      {
        ownerId: integer().references(() => owners.ownerId),
        otherOwnerId: integer(),
        parentKey: integer(),
        childKey: integer(),
      },
      (t) => [
        foreignKey({ columns: [t.otherOwnerId], foreignColumns: [owners.ownerId] }),
        primaryKey({ columns: [t.parentKey, t.childKey], name: 'pk_parentKey_childKey' }),
      ],
    );
    return { owners, weird };
  },
  'snake_case',
);

// 22. duplicated identical definitions that drizzle-kit tolerates
add('tolerated-duplicates', () => {
  const parent = sqliteTable('parent', { id: integer('id').primaryKey() });
  const child = sqliteTable(
    'child',
    {
      id: integer('id').primaryKey(),
      email: text('email').unique(),
      parentId: integer('parent_id').references(() => parent.id),
    },
    (t) => [
      uniqueIndex('child_email_unique').on(t.email),
      foreignKey({ columns: [t.parentId], foreignColumns: [parent.id] }),
      index('child_parent_idx').on(t.parentId),
    ],
  );
  return { parent, child };
});

// 23. a large realistic schema
add('blog-app', () => {
  const users = sqliteTable(
    'users',
    {
      id: integer('id').primaryKey({ autoIncrement: true }),
      email: text('email').notNull(),
      name: text('name'),
      prefs: text('prefs', { mode: 'json' }).$type<Record<string, unknown>>().default({}),
      score: integer('score').default(0),
      isActive: integer('is_active', { mode: 'boolean' }).notNull().default(true),
      createdAt: integer('created_at', { mode: 'timestamp' }).notNull().default(sql`(unixepoch())`),
      updatedAt: integer('updated_at', { mode: 'timestamp' }).$onUpdate(() => new Date()),
    },
    (t) => [
      uniqueIndex('users_email_lower_uidx').on(sql`lower(${t.email})`),
      index('users_name_idx').on(t.name),
      check('score_nonneg', sql`${t.score} >= 0`),
    ],
  );
  const posts = sqliteTable(
    'posts',
    {
      id: integer('id').primaryKey(),
      authorId: integer('author_id')
        .notNull()
        .references(() => users.id, { onDelete: 'cascade' }),
      title: text('title').notNull(),
      body: text('body').notNull().default(''),
      rating: real('rating'),
      slugLower: text('slug_lower').generatedAlwaysAs(sql`lower(title)`),
    },
    (t) => [
      index('posts_author_idx').on(t.authorId),
      index('posts_title_partial_idx').on(t.title).where(sql`${t.body} is not null`),
      index('posts_lower_title_idx').on(sql`lower(${t.title})`),
    ],
  );
  const postTags = sqliteTable(
    'post_tags',
    { postId: integer('post_id').notNull().references(() => posts.id), tag: text('tag').notNull() },
    (t) => [primaryKey({ columns: [t.postId, t.tag] })],
  );
  const activeUsers = sqliteView('active_users').as((qb) =>
    qb.select({ id: users.id, name: users.name }).from(users).where(eq(users.isActive, true)),
  );
  return { users, posts, postTags, activeUsers };
});

// 24. snake_case with explicit names, expression + generated + view of all columns
add(
  'casing-snake-view-columns',
  () => {
    const events = sqliteTable('events', {
      eventId: integer().primaryKey(),
      occurredAt: integer({ mode: 'timestamp_ms' }).notNull(),
      payloadJson: text({ mode: 'json' }).default({ kind: 'x' }),
      kindName: text('KindName').default('plain'),
    });
    const v = sqliteView('events_view').as((qb) => qb.select().from(events));
    const m = sqliteView('events_manual', { eventId: integer(), someField: text('some_field') }).as(
      sql`select ${events.eventId}, ${events.kindName} from ${events}`,
    );
    return { events, v, m };
  },
  'snake_case',
);

// 25. no casing but casing-sensitive keys (column names equal their TS keys)
add('keys-as-names-no-casing', () => {
  const t = sqliteTable(
    'keyed',
    { someId: integer().primaryKey(), otherThing: text().notNull(), ref: integer().references((): AnySQLiteColumn => t.someId) },
    (x) => [index('keyed_other_idx').on(x.otherThing), unique().on(x.otherThing, x.ref)],
  );
  return { t };
});

// 26. empty schema and a table with nothing but a column
// Real-world shapes: the Auth.js Drizzle adapter's SQLite tables and a better-auth style schema.
add('authjs-adapter', () => {
  const users = sqliteTable('user', {
    id: text('id').primaryKey().$defaultFn(() => crypto.randomUUID()),
    name: text('name'),
    email: text('email').unique(),
    emailVerified: integer('emailVerified', { mode: 'timestamp_ms' }),
    image: text('image'),
  });
  const accounts = sqliteTable(
    'account',
    {
      userId: text('userId').notNull().references(() => users.id, { onDelete: 'cascade' }),
      type: text('type').$type<'oauth' | 'email'>().notNull(),
      provider: text('provider').notNull(),
      providerAccountId: text('providerAccountId').notNull(),
      refresh_token: text('refresh_token'),
      expires_at: integer('expires_at'),
      session_state: text('session_state'),
    },
    (account) => [primaryKey({ columns: [account.provider, account.providerAccountId] })],
  );
  const sessions = sqliteTable('session', {
    sessionToken: text('sessionToken').primaryKey(),
    userId: text('userId').notNull().references(() => users.id, { onDelete: 'cascade' }),
    expires: integer('expires', { mode: 'timestamp_ms' }).notNull(),
  });
  const verificationTokens = sqliteTable(
    'verificationToken',
    { identifier: text('identifier').notNull(), token: text('token').notNull(), expires: integer('expires', { mode: 'timestamp_ms' }).notNull() },
    (vt) => [primaryKey({ columns: [vt.identifier, vt.token] })],
  );
  const authenticators = sqliteTable(
    'authenticator',
    {
      credentialID: text('credentialID').notNull().unique(),
      userId: text('userId').notNull().references(() => users.id, { onDelete: 'cascade' }),
      providerAccountId: text('providerAccountId').notNull(),
      credentialBackedUp: integer('credentialBackedUp', { mode: 'boolean' }).notNull(),
      transports: text('transports'),
    },
    (a) => [primaryKey({ columns: [a.userId, a.credentialID] })],
  );
  return { users, accounts, sessions, verificationTokens, authenticators };
});

add('better-auth-style', () => {
  const user = sqliteTable('user', {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    email: text('email').notNull().unique(),
    emailVerified: integer('email_verified', { mode: 'boolean' }).default(false).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).default(sql`(cast(unixepoch('subsecond') * 1000 as integer))`).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).$onUpdate(() => new Date()).notNull(),
    settings: text('settings', { mode: 'json' }).$type<{ theme: string }>().default({ theme: 'dark' }),
  });
  const session = sqliteTable(
    'session',
    {
      id: text('id').primaryKey(),
      expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
      token: text('token').notNull().unique(),
      userId: text('user_id').notNull(),
      meta: blob('meta', { mode: 'json' }),
    },
    (t) => [
      foreignKey({ columns: [t.userId], foreignColumns: [user.id], name: 'session_user_fk' }).onDelete('cascade'),
      index('session_user_id_idx').on(t.userId),
    ],
  );
  return { user, session };
});

add('empty', () => ({}));
add('minimal', () => ({ only: sqliteTable('only', { x: text('x') }), notATable: { foo: 1 }, fn: () => 1 }));

describe('serializeSchema matches drizzle-kit 0.31.11 byte for byte', () => {
  for (const [name, { build, casing }] of Object.entries(schemas)) {
    it(name, async () => {
      await same(build(), casing);
    });
  }

  it('covers at least 20 schemas', () => {
    expect(Object.keys(schemas).length).toBeGreaterThanOrEqual(20);
  });

  it('is the same under every casing for every schema', async () => {
    for (const { build } of Object.values(schemas)) {
      for (const casing of ['snake_case', 'camelCase', undefined] as const) {
        await same(build(), casing);
      }
    }
  });

  it('writes drizzle-kit quirks as drizzle-kit does', async () => {
    const json = JSON.parse(await same(schemas.defaults!.build()));
    const cols = json.tables.settings.columns;
    expect(cols.quoted.default).toBe("'it''s a ''test'''");
    expect(cols.boolT).toBeUndefined(); // keys are DB names
    expect(cols.bool_t.default).toBe(true);
    expect(cols.json_obj.default).toBe(`'{"a":1,"b":[true,null],"c":"x"}'`);
    expect(cols.json_str.default).toBe("'it''s'");
    expect(cols.nul.default).toBe("'null'");
    expect(cols.ts.default).toBe(`'"2024-01-02T03:04:05.000Z"'`);
    expect(cols.buf.default).toBe(`'{"type":"Buffer","data":[97,98]}'`);
    expect(cols.fn.default).toBeUndefined();
    expect(Object.keys(cols.sql_now)).toEqual(['name', 'type', 'primaryKey', 'notNull', 'autoincrement', 'default']);
    const gen = JSON.parse(await same(schemas.generated!.build())).tables.items.columns;
    expect(gen.lower_v.generated).toEqual({ as: '(lower("first"))', type: 'virtual' });
    const pk = JSON.parse(await same(schemas['primary-keys']!.build())).tables.table_level_single_pk.columns.code;
    expect(pk).toMatchObject({ primaryKey: true, notNull: false });
    const order = JSON.parse(await same(schemas.ordering!.build()));
    expect(Object.keys(order.tables)).toEqual(['2', '10', 'a_table', 'z_table', 'm_table']);
    const quirk = JSON.parse(await same(schemas['casing-fk-name-quirk']!.build(), 'snake_case'));
    expect(Object.keys(quirk.tables.weird_ownerId_map.foreignKeys)).toEqual([
      'weird_owner_id_map_owner_id_owners_ownerId_fk',
      'weird_owner_id_map_other_owner_id_owners_ownerId_fk',
    ]);
    expect(Object.keys(quirk.tables.weird_ownerId_map.compositePrimaryKeys)).toEqual(['pk_parent_key_child_key']);
  });
});

// The last snapshot that drizzle-kit 0.31's CLI wrote for a public D1 project (casing snake_case),
// rebuilt from its schema: a check against real CLI output rather than the API.
const CLOUDFLOG = join(import.meta.dirname, '../../test/real/corpus/cloudflog/meta/0003_snapshot.json');
describe('real project snapshot', () => {
  it('cloudflog 0003 (snake_case)', async () => {
    const now = () => sql`(unixepoch('subsec') * 1000)`;
    const users = sqliteTable('user', {
      id: integer().primaryKey({ autoIncrement: true }),
      name: text(),
      email: text().notNull(),
      createdAt: integer({ mode: 'timestamp_ms' }).notNull().default(now()),
      image: text(),
      role: text({ enum: ['admin', 'reader'] }).notNull().default('reader'),
    });
    const posts = sqliteTable('post', {
      id: integer().primaryKey({ autoIncrement: true }),
      title: text().notNull(),
      slug: text().notNull().unique(),
      content: text().notNull(),
      excerpt: text(),
      coverImage: text(),
      published: integer({ mode: 'boolean' }).notNull().default(false),
      featured: integer({ mode: 'boolean' }).notNull().default(false),
      viewCount: integer().notNull().default(0),
      createdAt: integer({ mode: 'timestamp_ms' }).notNull().default(now()),
      updatedAt: integer({ mode: 'timestamp_ms' }).notNull().default(now()),
    });
    const comment = sqliteTable('comment', {
      id: integer().primaryKey({ autoIncrement: true }),
      content: text().notNull(),
      authorId: integer().references(() => users.id, { onDelete: 'set null' }),
      postId: integer()
        .notNull()
        .references(() => posts.id, { onDelete: 'cascade' }),
      parentId: integer(),
      deletedAt: integer({ mode: 'timestamp_ms' }),
      createdAt: integer({ mode: 'timestamp_ms' }).notNull().default(now()),
      updatedAt: integer({ mode: 'timestamp_ms' }).notNull().default(now()),
    });
    const image = sqliteTable('image', {
      objectKey: text().primaryKey(),
      originalName: text().notNull(),
      mimeType: text().notNull(),
      size: integer().notNull(),
      createdAt: integer({ mode: 'timestamp_ms' }).notNull().default(now()),
    });
    const tags = sqliteTable('tags', {
      name: text().notNull().unique(),
      slug: text().primaryKey(),
      createdAt: integer({ mode: 'timestamp_ms' }).notNull().default(now()),
    });
    const postTags = sqliteTable(
      'post_tags',
      {
        postId: integer()
          .notNull()
          .references(() => posts.id, { onDelete: 'cascade' }),
        tagSlug: text()
          .notNull()
          .references(() => tags.slug, { onDelete: 'cascade' }),
        createdAt: integer({ mode: 'timestamp_ms' }).notNull().default(now()),
      },
      (t) => [primaryKey({ columns: [t.postId, t.tagSlug] })],
    );
    const postViews = sqliteTable(
      'post_views',
      {
        postId: integer()
          .notNull()
          .references(() => posts.id, { onDelete: 'cascade' }),
        userId: integer().default(0),
        viewCount: integer().notNull().default(0),
        createdAt: integer({ mode: 'timestamp_ms' }).notNull().default(now()),
        updatedAt: integer({ mode: 'timestamp_ms' }).notNull().default(now()),
      },
      (t) => [primaryKey({ columns: [t.postId, t.userId] })],
    );
    const sessions = sqliteTable('session', {
      sessionToken: text().primaryKey(),
      userId: integer()
        .notNull()
        .references(() => users.id, { onDelete: 'cascade' }),
      expires: integer({ mode: 'timestamp_ms' }).notNull().default(now()),
    });
    // Export identifiers in the sorted order tsx/esbuild gives them.
    const mod = { comment, image, postTags, postViews, posts, sessions, tags, users };
    const cli = JSON.parse(readFileSync(CLOUDFLOG, 'utf8'));
    const expected = JSON.stringify({ tables: cli.tables, views: cli.views, internal: cli.internal }, null, 2);
    expect(ours(mod, 'snake_case')).toBe(expected);
    expect(await kit(mod, 'snake_case')).toBe(expected);
  });
});

describe('collectEntities', () => {
  it('keeps export order, de-duplicates tables by identity but not views', () => {
    const a = sqliteTable('a', { id: integer('id') });
    const b = sqliteTable('b', { id: integer('id') });
    const v = sqliteView('v').as((qb) => qb.select().from(a));
    const got = collectEntities([{ z: b, a, v, junk: 1, nil: null }, { a2: a, v, b }], M);
    expect(got.tables).toEqual([b, a]);
    expect(got.views).toEqual([v, v]);
    // drizzle-kit exits on the duplicated view; we accept the very same object twice.
    expect(Object.keys(serializeSchema(got, M).views)).toEqual(['v']);
  });

  it('orders tables across modules like drizzle-kit (one merged export object per module)', async () => {
    const m1 = { zeta: sqliteTable('a_table', { id: integer('id') }), alpha: sqliteTable('z_table', { id: integer('id') }) };
    const m2 = { mid: sqliteTable('m_table', { id: integer('id') }), again: m1.alpha };
    const ents = collectEntities([m1, m2], M);
    const state = serializeSchema(ents, M);
    const kitState = JSON.parse(await kit({ ...m1, ...m2 }));
    expect(Object.keys(state.tables)).toEqual(Object.keys(kitState.tables));
    expect(Object.keys(state.tables)).toEqual(['a_table', 'z_table', 'm_table']);
  });

  it('matches drizzle-kit order for files loaded the way drizzle-kit loads them (tsx CommonJS)', async () => {
    const require = createRequire(import.meta.url);
    const corePath = require.resolve('drizzle-orm/sqlite-core');
    const { require: tsxRequire } = (await import('tsx/cjs/api')) as unknown as {
      require: (id: string, from: string) => Record<string, unknown>;
    };
    const dir = mkdtempSync(join(tmpdir(), 'd1-serialize-'));
    try {
      writeFileSync(
        join(dir, 'b.ts'),
        `import { sqliteTable, integer } from ${JSON.stringify(corePath)};\n` +
          `export const mmm = sqliteTable('from_b_mmm', { id: integer() });\n` +
          `export const aaa = sqliteTable('from_b_aaa', { id: integer() });\n`,
      );
      writeFileSync(
        join(dir, 's.ts'),
        `import { sqliteTable, integer } from ${JSON.stringify(corePath)};\n` +
          `export * from './b';\n` +
          `export const zeta = sqliteTable('a_table', { id: integer() });\n` +
          `export const alpha = sqliteTable('z_table', { id: integer() });\n` +
          `export const Beta = sqliteTable('m_table', { id: integer() });\n`,
      );
      const mod = tsxRequire('./s.ts', join(dir, 'index.ts'));
      const names = Object.keys(serializeSchema(collectEntities([mod], M), M).tables);
      // The order drizzle-kit 0.31.11's CLI wrote for these two files.
      expect(names).toEqual(['m_table', 'z_table', 'a_table', 'from_b_aaa', 'from_b_mmm']);
      expect(names).toEqual(Object.keys(JSON.parse(await kit(mod)).tables));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('errors where drizzle-kit fails or writes SQL that SQLite rejects', () => {
  const run = (imports: Record<string, unknown>, casing?: Casing) => () => ours(imports, casing);

  it('rejects two different tables with one name', () => {
    const a = sqliteTable('dup', { id: integer('id') });
    const b = sqliteTable('dup', { id: integer('id'), x: text('x') });
    expect(run({ a, b })).toThrow(/Two different tables are named "dup"/);
    // An identical copy is harmless (drizzle-kit writes the same thing).
    const c = sqliteTable('dup', { id: integer('id') });
    expect(run({ a, c })).not.toThrow();
  });

  it('rejects index names reused across tables', () => {
    const a = sqliteTable('a', { x: text('x') }, (t) => [index('shared_idx').on(t.x)]);
    const b = sqliteTable('b', { x: text('x') }, (t) => [index('shared_idx').on(t.x)]);
    expect(run({ a, b })).toThrow(/Index "shared_idx" is defined on both table "a" and table "b"/);
  });

  it('rejects two different indexes with one name in a table', () => {
    const a = sqliteTable('a', { x: text('x'), y: text('y') }, (t) => [index('i').on(t.x), index('i').on(t.y)]);
    expect(run({ a })).toThrow(/Table "a" has two different indexes named "i"/);
  });

  it('rejects unique-name conflicts (drizzle-kit exits too)', () => {
    const a = sqliteTable('a', { x: text('x').unique() }, (t) => [unique('a_x_unique').on(t.x)]);
    expect(run({ a })).toThrow(/Table "a": the unique constraint "a_x_unique"/);
    const b = sqliteTable('b', { x: text('x').unique('same'), y: text('y').unique('same') });
    expect(run({ b })).toThrow(/Table "b": the unique constraint "same" on column "y"/);
  });

  it('rejects duplicate check names and duplicate view names', () => {
    const a = sqliteTable('a', { x: integer('x') }, (t) => [check('c', sql`${t.x} > 0`), check('c', sql`${t.x} < 9`)]);
    expect(run({ a })).toThrow(/Table "a" has two check constraints named "c"/);
    const t = sqliteTable('t', { x: integer('x') });
    const v1 = sqliteView('v').as((qb) => qb.select().from(t));
    const v2 = sqliteView('v').as((qb) => qb.select({ x: t.x }).from(t));
    expect(run({ t, v1, v2 })).toThrow(/Two different views are named "v"/);
  });

  it('rejects bound parameters that drizzle-kit would write as "?"', () => {
    const a = sqliteTable('a', { x: integer('x'), b: integer('b', { mode: 'boolean' }) }, (t) => [
      index('a_b_idx').on(t.x).where(eq(t.b, true)),
    ]);
    expect(run({ a })).toThrow(/Table "a": index "a_b_idx" \(WHERE clause\) contains bound parameters \(1\)/);
    const c = sqliteTable('c', { x: integer('x') }, (t) => [check('min', sql`${t.x} > ${5}`)]);
    expect(run({ c })).toThrow(/Table "c": check "min" contains bound parameters/);
    const g = sqliteTable('g', { x: text('x').generatedAlwaysAs(sql`${'k'}`) });
    expect(run({ g })).toThrow(/Table "g": column "x" \(generated expression\) contains bound parameters/);
    const e = sqliteTable('e', { x: text('x') }, (t) => [index('e_idx').on(sql`coalesce(${t.x}, ${'-'})`)]);
    expect(run({ e })).toThrow(/Table "e": index "e_idx" contains bound parameters/);
  });

  it('rejects params in sql defaults like drizzle-kit', async () => {
    const a = sqliteTable('a', { x: text('x').default(sql`${'v'}`) });
    expect(run({ a })).toThrow(/Table "a": column "x": we don't support params/);
    await expect(generateSQLiteDrizzleJson({ a })).rejects.toThrow(/we don't support params/);
  });

  it('rejects a JSON default containing a single quote (drizzle-kit writes it unescaped)', async () => {
    const a = sqliteTable('a', { j: text('j', { mode: 'json' }).default({ s: "it's" }) });
    expect(run({ a })).toThrow(/Table "a": column "j": JSON default/);
    const snap = JSON.parse(JSON.stringify(await generateSQLiteDrizzleJson({ a })));
    expect(snap.tables.a.columns.j.default).toBe(`'{"s":"it's"}'`);
  });

  it('rejects two columns with one database name and more than one primary key', () => {
    const a = sqliteTable('a', { fooBar: integer(), foo_bar: integer() });
    expect(run({ a }, 'snake_case')).toThrow(/Table "a" has two columns named "foo_bar"/);
    const b = sqliteTable('b', { x: integer('x').primaryKey(), y: integer('y').primaryKey() });
    expect(run({ b })).toThrow(/Table "b" has more than one primary key/);
    const c = sqliteTable('c', { x: integer('x').primaryKey(), y: integer('y'), z: integer('z') }, (t) => [
      primaryKey({ columns: [t.y, t.z] }),
    ]);
    expect(run({ c })).toThrow(/Table "c" has more than one primary key/);
  });

  it('rejects a view named like a table, and an index named like a table', () => {
    const t = sqliteTable('t', { x: integer('x') });
    const v = sqliteView('t', { x: integer('x') }).existing();
    expect(run({ t, v })).toThrow(/View "t" has the same name as a table/);
    const u = sqliteTable('u', { x: integer('x') }, (q) => [index('t').on(q.x)]);
    expect(run({ t, u })).toThrow(/Index "t" has the same name as a table or view/);
  });

  it('writes a bigint default as a text literal (drizzle-kit 0.31 cannot serialize it)', async () => {
    const a = sqliteTable('a', { big: blob('big', { mode: 'bigint' }).default(12345678901234567890n) });
    const state = serializeSchema(collectEntities([{ a }], M), M);
    expect(state.tables.a!.columns.big!.default).toBe("'12345678901234567890'");
    const snap = await generateSQLiteDrizzleJson({ a });
    expect(() => JSON.stringify(snap)).toThrow(/BigInt/);
  });
});
