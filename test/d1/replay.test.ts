/**
 * The replayed database: a folder written by drizzle-d1's own generate plus `--custom` files with
 * what D1 projects write by hand (FTS5 kept in sync by triggers, an audit trigger, a view, a partial
 * index, a hand-written table with a CASCADE foreign key), replayed into in-memory SQLite and read
 * back as a typed model, hand-written objects and drift. No database is mocked.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dependentsOf, type HandWrittenObject } from '../../src/d1/handwritten.js';
import { readSchemaModel, type SchemaModel } from '../../src/d1/model.js';
import { openD1Database } from '../../src/d1/apply.js';
import { readRealSchema, replayFolder, type RealSchema } from '../../src/d1/replay.js';
import { parseCreateIndex, parseTriggerHeader, parseVirtualTable } from '../../src/d1/sql-parse.js';
import { CORE, repoRoot, TempProject } from '../support/project.js';
import { describeWrangler, WranglerProject } from '../support/wrangler.js';

const SCHEMA = `${CORE}
export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  email: text('email').notNull().unique(),
  name: text('name'),
});
export const posts = sqliteTable('posts', {
  id: integer('id').primaryKey(),
  authorId: integer('author_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  title: text('title').notNull(),
  body: text('body').notNull().default(''),
  updatedAt: integer('updated_at'),
});
`;

/** What a D1 project writes with `generate --custom`: everything drizzle cannot describe. */
const HAND_WRITTEN = `-- Custom SQL migration file, put your code below! --
CREATE VIRTUAL TABLE posts_fts USING fts5(title, body, content='posts', content_rowid='id');
CREATE TRIGGER posts_ai AFTER INSERT ON posts BEGIN
  INSERT INTO posts_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER posts_ad AFTER DELETE ON posts BEGIN
  INSERT INTO posts_fts(posts_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER posts_au AFTER UPDATE OF title, body ON posts BEGIN
  INSERT INTO posts_fts(posts_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
  INSERT INTO posts_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  action TEXT NOT NULL,
  at INTEGER NOT NULL DEFAULT (unixepoch())
);
CREATE TRIGGER users_audit AFTER UPDATE ON users WHEN old.email IS NOT new.email BEGIN
  INSERT INTO audit_log (user_id, action) VALUES (new.id, 'email changed');
END;
CREATE TRIGGER posts_touch AFTER UPDATE OF title ON posts FOR EACH ROW BEGIN
  UPDATE posts SET updated_at = unixepoch() WHERE id = new.id;
END;
CREATE VIEW author_stats AS SELECT u.id, u.email, count(p.id) AS posts FROM users AS u LEFT JOIN posts p ON p.author_id = u.id GROUP BY u.id;
CREATE VIEW busy_authors AS SELECT email FROM author_stats WHERE posts > 10;
CREATE INDEX posts_recent ON posts (author_id, updated_at DESC) WHERE updated_at IS NOT NULL;
CREATE INDEX users_email_lower ON users (lower(email));
`;

const SHADOWS = ['posts_fts_config', 'posts_fts_data', 'posts_fts_docsize', 'posts_fts_idx'];

let project: TempProject;

/** init (drizzle) → search (hand-written) → tags (drizzle adds a column afterwards). */
async function buildFolder(): Promise<TempProject> {
  const p = new TempProject().schema(SCHEMA);
  await p.generate({ flags: { name: 'init' } });
  const custom = await p.generate({ flags: { name: 'search', custom: true } });
  writeFileSync(custom.migration!.sqlPath, HAND_WRITTEN);
  p.schema(SCHEMA.replace(`  updatedAt:`, `  slug: text('slug'),\n  updatedAt:`));
  await p.generate({ flags: { name: 'slug' } });
  return p;
}

beforeAll(async () => {
  project = await buildFolder();
});
afterAll(() => project?.dispose());

function withRealSchema<T>(fn: (real: RealSchema) => T, out = project.out): T {
  const real = readRealSchema(out);
  try {
    return fn(real);
  } finally {
    real.replay.db.close();
  }
}

const object = (real: RealSchema, name: string): HandWrittenObject => {
  const found = real.handWritten.find((o) => o.name === name);
  if (!found) throw new Error(`no hand-written object ${name}`);
  return found;
};

describe('replayFolder', () => {
  it('replays every migration in journal order', () => {
    const r = replayFolder(project.out);
    try {
      expect(r.failure).toBeUndefined();
      expect(r.applied).toEqual(['0000_init', '0001_search', '0002_slug']);
    } finally {
      r.db.close();
    }
  });

  it('stops before a tag: the state that migration starts from', () => {
    const r = replayFolder(project.out, { before: '0001_search' });
    try {
      expect(r.applied).toEqual(['0000_init']);
      const model = readSchemaModel(r.db);
      expect(model.virtualTables).toEqual([]);
      expect(model.tables.map((t) => t.name)).toEqual(['posts', 'users']);
    } finally {
      r.db.close();
    }
  });

  it('stops after a tag with `through`, and shows each intermediate state to onApplied', () => {
    const seen: string[] = [];
    const r = replayFolder(project.out, {
      through: '0001_search',
      onApplied: (tag, db) => seen.push(`${tag}: ${readSchemaModel(db).triggers.length} triggers`),
    });
    r.db.close();
    expect(r.applied).toEqual(['0000_init', '0001_search']);
    expect(seen).toEqual(['0000_init: 0 triggers', '0001_search: 5 triggers']);
  });

  it('reports a migration that fails by file and statement, and keeps the state before it', () => {
    const p = new TempProject();
    try {
      copyFolder(project.out, p.out);
      writeFileSync(join(p.out, '0001_search.sql'), `CREATE TABLE tags (id INTEGER PRIMARY KEY);\nCREATE INDEX tags_name ON tags (name);\n`);
      const r = replayFolder(p.out);
      r.db.close();
      expect(r.applied).toEqual(['0000_init']);
      expect(r.failure).toEqual({
        tag: '0001_search',
        file: '0001_search.sql',
        reason: 'statement',
        statement: 'CREATE INDEX tags_name ON tags (name);',
        message: 'no such column: name',
      });
    } finally {
      p.dispose();
    }
  });

  it('reports a statement D1 rejects, and a file the journal lists but the folder lacks', () => {
    const p = new TempProject();
    try {
      copyFolder(project.out, p.out);
      writeFileSync(join(p.out, '0001_search.sql'), `BEGIN TRANSACTION;\nCREATE TABLE tags (id INTEGER PRIMARY KEY);\nCOMMIT;\n`);
      const rejected = replayFolder(p.out);
      rejected.db.close();
      expect(rejected.failure).toMatchObject({ file: '0001_search.sql', reason: 'statement', statement: 'BEGIN TRANSACTION;' });
      expect(rejected.failure?.message).toMatch(/state\.storage\.transaction/);

      writeFileSync(join(p.out, '0001_search.sql'), HAND_WRITTEN);
      rmSync(join(p.out, '0002_slug.sql'));
      const missing = replayFolder(p.out);
      missing.db.close();
      expect(missing.applied).toEqual(['0000_init', '0001_search']);
      expect(missing.failure).toEqual({
        tag: '0002_slug',
        file: '0002_slug.sql',
        reason: 'missing',
        message: 'the journal lists 0002_slug.sql but the file is missing',
      });
    } finally {
      p.dispose();
    }
  });
});

describe('what D1 runs that SQLite proper refuses, and files the journal does not list', () => {
  it('reads a double-quoted name that names no column as a string literal, as D1 does, and reports it', () => {
    const p = new TempProject();
    try {
      copyFolder(project.out, p.out);
      // Without the hand-written views: a view over users would block the RENAME below.
      writeFileSync(join(p.out, '0001_search.sql'), '-- nothing by hand\nSELECT 1;\n');
      // drizzle-kit's copy when a rebuild lost a rename: "nick" is no column of users.
      writeFileSync(
        join(p.out, '0002_slug.sql'),
        "INSERT INTO `users` (`email`) VALUES ('a@x');--> statement-breakpoint\n" +
          'CREATE TABLE `__new_users` (`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL, `email` text NOT NULL, `name` text);--> statement-breakpoint\n' +
          'INSERT INTO `__new_users`("id", "email", "name") SELECT "id", "email", "nick" FROM `users`;--> statement-breakpoint\n' +
          'DROP TABLE `users`;--> statement-breakpoint\n' +
          'ALTER TABLE `__new_users` RENAME TO `users`;',
      );
      const r = replayFolder(p.out);
      try {
        expect(r.failure).toBeUndefined();
        expect(r.doubleQuotedLiterals).toEqual([
          {
            tag: '0002_slug',
            file: '0002_slug.sql',
            statement: 'INSERT INTO `__new_users`("id", "email", "name") SELECT "id", "email", "nick" FROM `users`;',
            identifier: 'nick',
          },
        ]);
        expect(r.db.prepare('SELECT email, name FROM users').all()).toEqual([{ email: 'a@x', name: 'nick' }]);
      } finally {
        r.db.close();
      }
    } finally {
      p.dispose();
    }
  });

  it('replays files the journal does not list only as wrangler does, and names them', () => {
    const p = new TempProject();
    try {
      copyFolder(project.out, p.out);
      writeFileSync(join(p.out, '0003_by_hand.sql'), 'ALTER TABLE `posts` ADD `views` integer DEFAULT 0 NOT NULL;\n');
      const journal = readRealSchema(p.out);
      journal.replay.db.close();
      expect(journal.unlisted).toEqual(['0003_by_hand.sql']);
      expect(journal.replay.applied).toEqual(['0000_init', '0001_search', '0002_slug']);
      expect(journal.drift).toEqual([]);
      const wrangler = readRealSchema(p.out, { runner: 'wrangler' });
      wrangler.replay.db.close();
      expect(wrangler.replay.applied.at(-1)).toBe('0003_by_hand');
      expect(wrangler.drift.map((d) => d.message)).toEqual([
        'column posts.views is in the database the migrations build but not in the snapshot',
      ]);
    } finally {
      p.dispose();
    }
  });
});

const CORPUS = join(repoRoot, 'test/real/corpus');

describe('real public folders (test/real/corpus)', () => {
  const replayed = (name: string, runner?: 'wrangler') => {
    const real = readRealSchema(join(CORPUS, name), runner ? { runner } : {});
    real.replay.db.close();
    return real;
  };
  const literals = (real: RealSchema) => real.replay.doubleQuotedLiterals.map((l) => `${l.file} ${l.identifier}`);

  it('every folder replays as D1 runs it, and agrees with its snapshot', () => {
    for (const name of ['cloudflare-authjs-sample', 'cloudflog', 'rage2', 'vh7', 'wasmchannel']) {
      const real = replayed(name);
      expect(real.replay.failure, name).toBeUndefined();
      expect(real.drift, name).toEqual([]);
      expect(real.handWritten, name).toEqual([]);
    }
  });

  it("names the double-quoted copies drizzle-kit wrote when a rebuild lost a rename", () => {
    expect(literals(replayed('cloudflog'))).toEqual([
      '0001_chemical_wong.sql created_at',
      '0001_chemical_wong.sql updated_at',
      '0001_chemical_wong.sql created_at',
    ]);
    expect(literals(replayed('wasmchannel'))).toEqual(['0002_nappy_bucky.sql refrence_id', '0003_living_christian_walker.sql reactions']);
  });

  it("rage2's hand-written files outside the journal add a column its snapshot lacks", () => {
    const real = replayed('rage2', 'wrangler');
    expect(real.unlisted).toHaveLength(4);
    expect(real.replay.failure).toBeUndefined();
    expect(real.drift.map((d) => d.message)).toEqual(['column videos.match_status is in the database the migrations build but not in the snapshot']);
  });
});

describe('the schema model', () => {
  let model: SchemaModel;
  beforeAll(() => {
    const r = replayFolder(project.out);
    model = readSchemaModel(r.db);
    r.db.close();
  });

  it('reads the FTS5 table with its module, options and shadow tables', () => {
    expect(model.virtualTables).toHaveLength(1);
    const fts = model.virtualTables[0]!;
    expect(fts).toMatchObject({
      name: 'posts_fts',
      module: 'fts5',
      arguments: ['title', 'body', "content='posts'", "content_rowid='id'"],
      columns: ['title', 'body'],
      options: { content: 'posts', content_rowid: 'id' },
      contentTable: 'posts',
      shadowTables: SHADOWS, // external content: no posts_fts_content
      reads: [{ name: 'posts', kind: 'table', columns: ['id', 'title', 'body'] }],
    });
    for (const s of SHADOWS) expect(model.shadowOwner[s]).toBe('posts_fts');
    expect(model.tables.map((t) => t.name)).toEqual(['audit_log', 'posts', 'users']);
  });

  it('reads triggers: timing, event, UPDATE OF, WHEN, what they read and write', () => {
    const byName = Object.fromEntries(model.triggers.map((t) => [t.name, t]));
    expect(byName['posts_au']).toMatchObject({
      table: 'posts',
      timing: 'AFTER',
      event: 'UPDATE',
      updateOf: ['title', 'body'],
      writes: ['posts_fts'],
      reads: [
        { name: 'posts', kind: 'table', columns: ['id', 'title', 'body'] },
        { name: 'posts_fts', kind: 'virtual', columns: ['title', 'body', 'posts_fts'] },
      ],
    });
    expect(byName['users_audit']).toMatchObject({
      table: 'users',
      when: 'old.email IS NOT new.email',
      writes: ['audit_log'],
      reads: [
        { name: 'audit_log', columns: ['user_id', 'action'] },
        { name: 'users', columns: ['id', 'email'] },
      ],
    });
    expect(byName['posts_touch']).toMatchObject({ writes: ['posts'], reads: [{ name: 'posts', columns: ['id', 'title', 'updated_at'] }] });
  });

  it('reads views with aliases, views over views, and the columns they name', () => {
    const byName = Object.fromEntries(model.views.map((v) => [v.name, v]));
    expect(byName['author_stats']!.reads).toEqual([
      { name: 'posts', kind: 'table', columns: ['id', 'author_id'] },
      { name: 'users', kind: 'table', columns: ['id', 'email'] },
    ]);
    expect(byName['author_stats']!.columns).toEqual(['id', 'email', 'posts']);
    expect(byName['busy_authors']!.reads).toEqual([{ name: 'author_stats', kind: 'view', columns: ['email', 'posts'] }]);
  });

  it('reads partial and expression indexes, and skips automatic ones', () => {
    const byName = Object.fromEntries(model.indexes.map((i) => [i.name, i]));
    expect(byName['posts_recent']).toMatchObject({
      table: 'posts',
      unique: false,
      where: 'updated_at IS NOT NULL',
      columns: [
        { name: 'author_id', text: 'author_id', desc: false },
        { name: 'updated_at', text: 'updated_at DESC', desc: true },
      ],
      reads: [{ name: 'posts', columns: ['author_id', 'updated_at'] }],
    });
    expect(byName['users_email_lower']!.columns).toEqual([{ name: null, text: 'lower(email)', desc: false }]);
    expect(byName['users_email_unique']).toMatchObject({ unique: true, columns: [{ name: 'email' }] });
    expect(model.indexes.some((i) => i.name.startsWith('sqlite_autoindex'))).toBe(false);
  });

  it('reads tables: columns, foreign keys, AUTOINCREMENT', () => {
    const users = model.tables.find((t) => t.name === 'users')!;
    expect(users.autoincrement).toBe(true);
    const audit = model.tables.find((t) => t.name === 'audit_log')!;
    expect(audit.foreignKeys).toEqual([{ parent: 'users', from: ['user_id'], to: ['id'], onDelete: 'CASCADE', onUpdate: 'NO ACTION' }]);
    expect(audit.columns.find((c) => c.name === 'at')).toMatchObject({ notNull: true, default: 'unixepoch()' });
  });
});

describe('hand-written objects', () => {
  it('lists what the snapshot does not describe, with the snapshot tables each depends on', () => {
    withRealSchema((real) => {
      expect(real.handWritten.map((o) => `${o.kind} ${o.name}`)).toEqual([
        'virtual-table posts_fts',
        'table audit_log',
        'view author_stats',
        'view busy_authors',
        'index posts_recent',
        'index users_email_lower',
        'trigger posts_ad',
        'trigger posts_ai',
        'trigger posts_au',
        'trigger posts_touch',
        'trigger users_audit',
      ]);
      expect(object(real, 'posts_fts')).toMatchObject({ shadowTables: SHADOWS, dependsOn: [{ name: 'posts', columns: ['id', 'title', 'body'] }] });
      expect(object(real, 'posts_ai').dependsOn).toEqual([{ name: 'posts', kind: 'table', columns: ['id', 'title', 'body'] }]);
      expect(object(real, 'posts_ai').references.map((r) => r.name)).toEqual(['posts', 'posts_fts']);
      expect(object(real, 'users_audit').dependsOn).toEqual([{ name: 'users', kind: 'table', columns: ['id', 'email'] }]);
      expect(object(real, 'busy_authors').dependsOn).toEqual([]);
      expect(object(real, 'author_stats').dependsOn.map((d) => d.name)).toEqual(['posts', 'users']);
      expect(object(real, 'posts_recent').dependsOn).toEqual([{ name: 'posts', kind: 'table', columns: ['author_id', 'updated_at'] }]);
      const audit = object(real, 'audit_log');
      expect(audit.kind === 'table' && audit.foreignKeysToSnapshot.map((fk) => `${fk.parent} ${fk.onDelete}`)).toEqual(['users CASCADE']);
      expect(audit.dependsOn).toEqual([{ name: 'users', kind: 'table', columns: ['id'] }]);
    });
  });

  it('finds everything a rebuild of users reaches, through hand-written objects too', () => {
    withRealSchema((real) => {
      expect(dependentsOf(real.handWritten, ['users']).map((o) => o.name)).toEqual([
        'audit_log',
        'author_stats',
        'busy_authors',
        'users_email_lower',
        'users_audit',
      ]);
    });
  });

  it('finds no drift in a folder drizzle-d1 wrote', () => {
    withRealSchema((real) => expect(real.drift).toEqual([]));
  });

  it('before a tag, compares with the snapshot of the migration before it', () => {
    const real = readRealSchema(project.out, { before: '0002_slug' });
    real.replay.db.close();
    expect(real.replay.applied).toEqual(['0000_init', '0001_search']);
    expect(real.drift).toEqual([]); // the --custom snapshot repeats 0000's, and posts has no slug yet
    expect(real.handWritten).toHaveLength(11);
    expect(Object.keys(real.snapshot.tables).sort()).toEqual(['posts', 'users']);
  });
});

describe('drift', () => {
  it('reports a hand-edited generated migration, one sentence per difference', () => {
    const p = new TempProject();
    try {
      copyFolder(project.out, p.out);
      const init = join(p.out, '0000_init.sql');
      const edited = readFileSync(init, 'utf8')
        .replace('`email` text NOT NULL', '`email` text')
        .replace("`body` text DEFAULT '' NOT NULL", '`body` text NOT NULL')
        .replace('CREATE UNIQUE INDEX `users_email_unique`', 'CREATE INDEX `users_email_unique`')
        .replace('ON DELETE cascade', 'ON DELETE set null');
      expect(edited).not.toBe(readFileSync(init, 'utf8'));
      writeFileSync(init, edited);
      writeFileSync(join(p.out, '0002_slug.sql'), '-- slug was never added\nSELECT 1;\n');
      withRealSchema((real) => {
        expect(real.drift.map((d) => d.message)).toEqual([
          "column posts.body has default '' in the snapshot but no default in the database the migrations build",
          'column posts.slug is in the snapshot but not in the database the migrations build',
          'foreign key posts(author_id) -> users(id) on delete cascade on update no action is in the snapshot but not in the database the migrations build',
          'foreign key posts(author_id) -> users(id) on delete set null on update no action is in the database the migrations build but not in the snapshot',
          'column users.email is NOT NULL in the snapshot but nullable in the database the migrations build',
          'index users_email_unique has unique true in the snapshot but false in the database the migrations build',
        ]);
        expect(real.drift[4]).toMatchObject({ kind: 'column-differs', table: 'users', column: 'email', property: 'notNull' });
      }, p.out);
    } finally {
      p.dispose();
    }
  });
});

describe('SQL text readers', () => {
  it('read trigger headers SQLite accepts', () => {
    expect(parseTriggerHeader('CREATE TRIGGER IF NOT EXISTS "t r" INSTEAD OF DELETE ON main.v BEGIN SELECT 1; END')).toMatchObject({
      name: 't r',
      timing: 'INSTEAD OF',
      event: 'DELETE',
      table: 'v',
    });
    // No timing written means BEFORE (lang_createtrigger.html).
    expect(parseTriggerHeader('CREATE TRIGGER t UPDATE OF [a], "b" ON x WHEN new.a > 1 BEGIN SELECT 1; END')).toMatchObject({
      timing: 'BEFORE',
      updateOf: ['a', 'b'],
      table: 'x',
      when: 'new.a > 1',
    });
  });

  it('read index and virtual table text', () => {
    expect(parseCreateIndex("CREATE UNIQUE INDEX i ON t (a COLLATE NOCASE, (b + 1)) WHERE c = 'x, y'")).toMatchObject({
      unique: true,
      table: 't',
      columns: ['a COLLATE NOCASE', '(b + 1)'],
      where: "c = 'x, y'",
    });
    expect(parseVirtualTable("CREATE VIRTUAL TABLE IF NOT EXISTS docs USING FTS5(a, b UNINDEXED, tokenize = 'porter unicode61')")).toEqual({
      name: 'docs',
      module: 'fts5',
      arguments: ['a', 'b UNINDEXED', "tokenize = 'porter unicode61'"],
    });
  });

  it('a contentless FTS5 table keeps its own content shadow table', () => {
    const db = openD1Database();
    try {
      db.exec("CREATE VIRTUAL TABLE notes USING fts5(body, tokenize = 'porter'); CREATE VIRTUAL TABLE notes_x USING fts5(a);");
      const model = readSchemaModel(db);
      expect(model.virtualTables.map((v) => [v.name, v.shadowTables, v.columns])).toEqual([
        ['notes', ['notes_config', 'notes_content', 'notes_data', 'notes_docsize', 'notes_idx'], ['body']],
        ['notes_x', ['notes_x_config', 'notes_x_content', 'notes_x_data', 'notes_x_docsize', 'notes_x_idx'], ['a']],
      ]);
      expect(model.tables).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('an FTS4 external-content table is read the same way', () => {
    const db = openD1Database();
    try {
      db.exec('CREATE TABLE d (id INTEGER PRIMARY KEY, body TEXT); CREATE VIRTUAL TABLE d_fts USING fts4(body, content="d");');
      const model = readSchemaModel(db);
      expect(model.virtualTables[0]).toMatchObject({
        module: 'fts4',
        columns: ['body'],
        contentTable: 'd',
        shadowTables: ['d_fts_docsize', 'd_fts_segdir', 'd_fts_segments', 'd_fts_stat'],
        reads: [{ name: 'd', columns: ['body'] }],
      });
      expect(model.tables.map((t) => t.name)).toEqual(['d']);
    } finally {
      db.close();
    }
  });
});

describe('SQLite behaviour the model relies on', () => {
  it('a broken view (its table dropped) is modelled from its text, without its columns', () => {
    const db = openD1Database();
    try {
      db.exec('CREATE TABLE q (id INTEGER PRIMARY KEY); CREATE VIEW v (qid) AS SELECT id FROM q; DROP TABLE q;');
      // pragma_table_xinfo('v') now fails with "no such table: main.q".
      const model = readSchemaModel(db);
      expect(model.views).toEqual([{ name: 'v', sql: 'CREATE VIEW v (qid) AS SELECT id FROM q', select: 'SELECT id FROM q', columns: ['qid'], reads: [] }]);
    } finally {
      db.close();
    }
  });

  it('RENAME rewrites a trigger ON clause but not FTS5 content=, which keeps naming the old table', () => {
    const db = openD1Database();
    try {
      db.exec(`CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT);
        CREATE VIRTUAL TABLE f USING fts5(title, content='posts', content_rowid='id');
        CREATE TRIGGER fa AFTER INSERT ON posts BEGIN INSERT INTO f(rowid, title) VALUES (new.id, new.title); END;
        ALTER TABLE posts RENAME TO articles;`);
      const model = readSchemaModel(db);
      expect(model.triggers[0]).toMatchObject({ table: 'articles', writes: ['f'] });
      expect(model.virtualTables[0]!.contentTable).toBe('posts');
      expect(model.virtualTables[0]!.reads).toEqual([]);
      expect(() => db.prepare('SELECT * FROM f').all()).toThrow('no such table: main.posts');
    } finally {
      db.close();
    }
  });
});

function copyFolder(from: string, to: string): void {
  cpSync(from, to, { recursive: true });
}

describeWrangler('the replay agrees with wrangler local D1', () => {
  it('builds the same schema model from the same folder', async () => {
    const wrangler = WranglerProject.create({ migrationsDir: project.out });
    try {
      await wrangler.applyOrThrow();
      const local = wrangler.open();
      let d1: SchemaModel;
      try {
        d1 = readSchemaModel(local);
      } finally {
        local.close();
      }
      withRealSchema((real) => expect(d1).toEqual(real.model));
    } finally {
      wrangler.dispose();
    }
  }, 120_000);
});
