import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  appliedMigrations,
  applyFolder,
  applyMigration,
  D1MigrationError,
  D1_TRANSACTION_MESSAGE,
  listMigrationFiles,
  openD1Database,
  wranglerOrder,
} from '../../src/d1/apply.js';
import { checkIntegrity, describeSchema, dumpRows, readSequences } from '../../src/d1/inspect.js';
import { splitStatements } from '../../src/sqltext/tokens.js';

const PARENT_CHILD = `CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER NOT NULL REFERENCES p(id) ON DELETE CASCADE);
INSERT INTO p VALUES (1, 'one'), (2, 'two');
INSERT INTO c VALUES (10, 1), (11, 1), (20, 2);`;

function seeded() {
  const db = openD1Database();
  applyMigration(db, PARENT_CHILD, '0000_init.sql');
  return db;
}

function snapshot(db: ReturnType<typeof openD1Database>) {
  return { schema: describeSchema(db), rows: dumpRows(db), seq: readSequences(db) };
}

function expectD1Error(fn: () => unknown, match: RegExp | string): D1MigrationError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(D1MigrationError);
  const err = caught as D1MigrationError;
  expect(err.message).toMatch(match);
  return err;
}

describe('statement splitting', () => {
  it('splits like sqlite3_complete: strings, quoted names, comments and trigger bodies keep their ;', () => {
    const sql = `-- leading comment; still a comment
CREATE TABLE "a;b" (x TEXT DEFAULT 'x;y', [c;d] INTEGER, \`e;f\` INTEGER); /* c; */
--> statement-breakpoint
CREATE TRIGGER t AFTER INSERT ON "a;b" BEGIN
  UPDATE "a;b" SET x = 'z;'; SELECT CASE WHEN 1 THEN 2 END;
END;
;;
SELECT 1`;
    const parts = splitStatements(sql);
    expect(parts.map((p) => p.text.split('\n')[0])).toEqual([
      `CREATE TABLE "a;b" (x TEXT DEFAULT 'x;y', [c;d] INTEGER, \`e;f\` INTEGER);`,
      'CREATE TRIGGER t AFTER INSERT ON "a;b" BEGIN',
      'SELECT 1',
    ]);
    expect(parts.map((p) => p.terminated)).toEqual([true, true, false]);
    expect(parts[1]!.text.endsWith('END;')).toBe(true);
  });
});

describe('openD1Database', () => {
  it('turns foreign keys on', () => {
    const db = openD1Database();
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });
});

describe('applyMigration: D1 rejections', () => {
  const rejected: [string, string, RegExp | string][] = [
    ['BEGIN', 'BEGIN;', D1_TRANSACTION_MESSAGE],
    ['BEGIN TRANSACTION', 'begin transaction;', D1_TRANSACTION_MESSAGE],
    ['BEGIN IMMEDIATE', 'BEGIN IMMEDIATE;', D1_TRANSACTION_MESSAGE],
    ['COMMIT', 'COMMIT;', D1_TRANSACTION_MESSAGE],
    ['END', 'END TRANSACTION;', D1_TRANSACTION_MESSAGE],
    ['ROLLBACK', 'ROLLBACK;', D1_TRANSACTION_MESSAGE],
    ['SAVEPOINT', 'SAVEPOINT s1;', D1_TRANSACTION_MESSAGE],
    ['RELEASE', 'RELEASE s1;', D1_TRANSACTION_MESSAGE],
    ['after comments', '-- a comment\n/* another; */ BEGIN;', D1_TRANSACTION_MESSAGE],
    ['CREATE TEMP TABLE', 'CREATE TEMP TABLE t (x);', /not authorized/],
    ['CREATE TEMPORARY VIEW', 'CREATE TEMPORARY VIEW v AS SELECT 1;', /not authorized/],
    ['CREATE TEMP TRIGGER', 'CREATE TEMP TRIGGER tr AFTER INSERT ON p BEGIN SELECT 1; END;', /not authorized/],
    ['CREATE TABLE temp.x', 'CREATE TABLE temp.x (y);', /not authorized/],
    ['ATTACH', "ATTACH DATABASE ':memory:' AS other;", /not authorized/],
    ['PRAGMA user_version', 'PRAGMA user_version = 3;', /PRAGMA user_version/],
    ['PRAGMA journal_mode', 'PRAGMA main.journal_mode;', /PRAGMA journal_mode/],
    ['PRAGMA integrity_check', 'PRAGMA integrity_check;', /PRAGMA integrity_check/],
    ['pragma_user_version()', 'SELECT * FROM pragma_user_version;', /pragma_user_version/],
  ];
  for (const [label, statement, message] of rejected) {
    it(`rejects ${label} and leaves the database unchanged`, () => {
      const db = seeded();
      const before = snapshot(db);
      const sql = `CREATE TABLE extra (x INTEGER);\nINSERT INTO p VALUES (3, 'three');\n${statement}\nCREATE TABLE extra2 (y);`;
      const err = expectD1Error(() => applyMigration(db, sql, '0001_bad.sql'), message);
      expect(err.file).toBe('0001_bad.sql');
      expect(err.message).toContain('0001_bad.sql');
      expect(db.inTransaction).toBe(false);
      expect(snapshot(db)).toEqual(before);
      expect(db.prepare('SELECT count(*) AS n FROM sqlite_temp_schema').get()).toEqual({ n: 0 });
    });
  }

  it('accepts the words inside strings, comments, names and trigger bodies', () => {
    const db = seeded();
    applyMigration(
      db,
      `-- BEGIN; COMMIT;
CREATE TABLE "begin" ("end" TEXT DEFAULT 'BEGIN; ROLLBACK;', temp TEXT, [savepoint] TEXT);
INSERT INTO "begin" ("end") VALUES ('COMMIT;');
CREATE TRIGGER trg AFTER INSERT ON "begin" BEGIN UPDATE "begin" SET temp = 'CREATE TEMP TABLE x(y);'; END;
INSERT INTO "begin" ("end") VALUES ('x');
/* CREATE TEMP TABLE z(a); */
PRAGMA defer_foreign_keys = ON;
PRAGMA foreign_key_check;
SELECT * FROM pragma_foreign_key_check;
PRAGMA main.table_info("begin");`,
      '0001_ok.sql',
    );
    expect(db.prepare('SELECT "end", temp FROM "begin" ORDER BY rowid').all()).toEqual([
      { end: 'COMMIT;', temp: 'CREATE TEMP TABLE x(y);' },
      { end: 'x', temp: 'CREATE TEMP TABLE x(y);' },
    ]);
  });

  it('names the failing statement', () => {
    const db = seeded();
    const err = expectD1Error(
      () => applyMigration(db, 'CREATE TABLE ok (x);\nINSERT INTO missing VALUES (1);\n', 'f.sql'),
      /no such table: missing/,
    );
    expect(err.statement).toBe('INSERT INTO missing VALUES (1);');
    expect(describeSchema(db).tables.map((t) => t.name)).toEqual(['c', 'p']);
  });
});

describe('applyMigration: transaction and foreign-key semantics', () => {
  it('returns rows written, foreign-key actions included', () => {
    const db = seeded();
    expect(applyMigration(db, 'DELETE FROM p WHERE id = 1;', 'd.sql')).toEqual({ rowsWritten: 3 });
    expect(applyMigration(db, 'CREATE TABLE z (a);', 'e.sql')).toEqual({ rowsWritten: 0 });
    expect(applyMigration(db, '-- nothing\n', 'empty.sql')).toEqual({ rowsWritten: 0 });
  });

  it('rolls back the whole file when a later statement fails', () => {
    const db = seeded();
    const before = snapshot(db);
    expectD1Error(
      () =>
        applyMigration(
          db,
          `UPDATE p SET name = 'changed';
DELETE FROM p WHERE id = 2;
CREATE TABLE n (x INTEGER NOT NULL);
ALTER TABLE c ADD COLUMN flag INTEGER NOT NULL;`,
          'bad.sql',
        ),
      /NOT NULL/,
    );
    expect(snapshot(db)).toEqual(before);
  });

  it('PRAGMA foreign_keys=OFF inside the migration is a no-op', () => {
    const db = seeded();
    const before = snapshot(db);
    expectD1Error(
      () => applyMigration(db, 'PRAGMA foreign_keys=OFF;\nINSERT INTO c VALUES (99, 42);\nPRAGMA foreign_keys=ON;', 'x.sql'),
      /FOREIGN KEY constraint failed/,
    );
    expect(snapshot(db)).toEqual(before);
    // and a drizzle-kit style rebuild still cascades: DROP TABLE p deletes the children.
    applyMigration(
      db,
      `PRAGMA foreign_keys=OFF;
CREATE TABLE __new_p (id INTEGER PRIMARY KEY, name TEXT NOT NULL, extra TEXT);
INSERT INTO __new_p (id, name) SELECT id, name FROM p;
DROP TABLE p;
ALTER TABLE __new_p RENAME TO p;
PRAGMA foreign_keys=ON;`,
      'rebuild.sql',
    );
    expect(dumpRows(db).c).toEqual([]);
  });

  it('a deferred violation fails at COMMIT and rolls back', () => {
    const db = seeded();
    const before = snapshot(db);
    const err = expectD1Error(
      () =>
        applyMigration(db, "PRAGMA defer_foreign_keys=ON;\nINSERT INTO c VALUES (99, 42);\nUPDATE p SET name = 'x';", 'x.sql'),
      /COMMIT failed: FOREIGN KEY constraint failed/,
    );
    expect(err.statement).toBeUndefined();
    expect(db.inTransaction).toBe(false);
    expect(snapshot(db)).toEqual(before);
  });

  it('defer ON + rebuild of a parent fails at COMMIT although foreign_key_check is empty', () => {
    const db = seeded();
    const before = snapshot(db);
    // The implicit DELETE of DROP TABLE still runs the CASCADE; make the child NO ACTION to see the counter.
    applyMigration(
      db,
      `CREATE TABLE __new_c (id INTEGER PRIMARY KEY, p_id INTEGER NOT NULL REFERENCES p(id));
INSERT INTO __new_c SELECT * FROM c; DROP TABLE c; ALTER TABLE __new_c RENAME TO c;`,
      'demote.sql',
    );
    const demoted = snapshot(db);
    expect(demoted.rows).toEqual(before.rows);
    const rebuild = `PRAGMA defer_foreign_keys=ON;
CREATE TABLE __new_p (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
INSERT INTO __new_p SELECT id, name FROM p;
DROP TABLE p;
ALTER TABLE __new_p RENAME TO p;
CREATE TABLE fk_rows AS SELECT count(*) AS n FROM pragma_foreign_key_check;`;
    expectD1Error(() => applyMigration(db, rebuild, 'rebuild.sql'), /COMMIT failed/);
    expect(snapshot(db)).toEqual(demoted);
    // The ON … OFF pair resets the counter and commits.
    applyMigration(db, `${rebuild}\nPRAGMA defer_foreign_keys=OFF;`, 'rebuild2.sql');
    expect(db.prepare('SELECT n FROM fk_rows').get()).toEqual({ n: 0 });
    expect(dumpRows(db).c).toEqual(before.rows.c);
  });

  it('defer ON … OFF silently commits a dangling reference; the guard aborts it', () => {
    const guard = `CREATE TABLE __guard (n INTEGER CHECK (n = 0));
INSERT INTO __guard SELECT count(*) FROM pragma_foreign_key_check;
DROP TABLE __guard;`;
    const db = seeded();
    const before = snapshot(db);
    const dangling = 'PRAGMA defer_foreign_keys=ON;\nINSERT INTO c VALUES (99, 42);\n';
    expectD1Error(
      () => applyMigration(db, `${dangling}${guard}\nPRAGMA defer_foreign_keys=OFF;`, 'guarded.sql'),
      /CHECK constraint failed/,
    );
    expect(snapshot(db)).toEqual(before);
    // Without a dangling reference the guard passes and leaves nothing behind.
    applyMigration(db, `PRAGMA defer_foreign_keys=ON;\nINSERT INTO c VALUES (30, 2);\n${guard}\nPRAGMA defer_foreign_keys=OFF;`, 'ok.sql');
    expect(describeSchema(db)).toEqual(before.schema);
    // Without the guard the reference is committed.
    applyMigration(db, `${dangling}PRAGMA defer_foreign_keys=OFF;`, 'unguarded.sql');
    expect(checkIntegrity(db).foreignKeyViolations).toEqual([{ table: 'c', rowid: 99, parent: 'p', fkid: 0 }]);
    expect(checkIntegrity(db).ok).toBe(false);
  });

  it('RESTRICT is skipped under defer_foreign_keys (only a deferred violation is counted)', () => {
    const db = openD1Database();
    applyMigration(
      db,
      `CREATE TABLE p (id INTEGER PRIMARY KEY);
CREATE TABLE r (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id) ON DELETE RESTRICT);
INSERT INTO p VALUES (1); INSERT INTO r VALUES (1, 1);`,
      'init.sql',
    );
    expectD1Error(() => applyMigration(db, 'DELETE FROM p;', 'a.sql'), /FOREIGN KEY constraint failed/);
    applyMigration(db, 'PRAGMA defer_foreign_keys=ON;\nDELETE FROM p;\nINSERT INTO p VALUES (1);', 'b.sql');
    expect(dumpRows(db)).toEqual({ p: [{ id: 1 }], r: [{ id: 1, p_id: 1 }] });
  });

  it('writing sqlite_sequence takes effect', () => {
    const db = openD1Database();
    applyMigration(
      db,
      `CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT, x);
INSERT INTO a (x) VALUES (1);
UPDATE sqlite_sequence SET seq = 500 WHERE name = 'a';
INSERT INTO a (x) VALUES (2);`,
      'seq.sql',
    );
    expect(dumpRows(db).a).toEqual([
      { id: 1, x: 1 },
      { id: 501, x: 2 },
    ]);
    expect(readSequences(db)).toEqual({ a: 501 });
  });

  it('refuses to run inside an open transaction', () => {
    const db = openD1Database();
    db.exec('BEGIN');
    expectD1Error(() => applyMigration(db, 'CREATE TABLE a (x);', 'a.sql'), /already open/);
    db.exec('ROLLBACK');
  });
});

describe('applyFolder', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  function folder(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'd1-apply-'));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
  }

  it("uses wrangler 4.86's order: lexicographic, then by the number before the first _", () => {
    expect(wranglerOrder(['10_c.sql', '9_b.sql', '0001_a.sql', '0001_0.sql', '0000_z.sql'])).toEqual([
      '0000_z.sql',
      '0001_0.sql',
      '0001_a.sql',
      '9_b.sql',
      '10_c.sql',
    ]);
    const dir = folder({ 'b.sql': '', '2_x.sql': '', 'notes.txt': '', 'sub/0000_y.sql': '', 'dir.sql/z.sql': '' });
    expect(listMigrationFiles(dir).sort()).toEqual(['2_x.sql', 'b.sql']);
  });

  it('applies pending files in order, records them, and skips recorded ones', () => {
    const dir = folder({
      '10_three.sql': 'INSERT INTO t VALUES (3);',
      '9_two.sql': 'INSERT INTO t VALUES (2);',
      '0001_one.sql': 'CREATE TABLE t (n INTEGER);\n--> statement-breakpoint\nINSERT INTO t VALUES (1); -- trailing comment',
      'meta/_journal.json': '{}',
    });
    const db = openD1Database();
    const seen: [string, number][] = [];
    expect(applyFolder(db, dir, { onApplied: (n, r) => seen.push([n, r.rowsWritten]) })).toEqual([
      '0001_one.sql',
      '9_two.sql',
      '10_three.sql',
    ]);
    expect(seen).toEqual([
      ['0001_one.sql', 1],
      ['9_two.sql', 1],
      ['10_three.sql', 1],
    ]);
    expect(dumpRows(db).t).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'd1_migrations'").pluck().get()).toMatch(
      /id\s+INTEGER PRIMARY KEY AUTOINCREMENT,\s+name\s+TEXT UNIQUE,\s+applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL/,
    );
    expect(applyFolder(db, dir)).toEqual([]);
    fs.writeFileSync(path.join(dir, '11_four.sql'), 'INSERT INTO t VALUES (4);');
    expect(applyFolder(db, dir)).toEqual(['11_four.sql']);
    expect(appliedMigrations(db)).toEqual(['0001_one.sql', '9_two.sql', '10_three.sql', '11_four.sql']);
  });

  it('stops at a failing file, keeping earlier files and rolling back the failing one with its record', () => {
    const dir = folder({
      '0000_a.sql': 'CREATE TABLE a (x);',
      '0001_b.sql': 'CREATE TABLE b (x);\nINSERT INTO nope VALUES (1);',
      '0002_c.sql': 'CREATE TABLE c (x);',
    });
    const db = openD1Database();
    const err = expectD1Error(() => applyFolder(db, dir), /no such table: nope/);
    expect(err.file).toBe('0001_b.sql');
    expect(appliedMigrations(db)).toEqual(['0000_a.sql']);
    expect(describeSchema(db).tables.map((t) => t.name)).toEqual(['a']);
  });

  it("fails a file whose last statement lacks ';', as wrangler does", () => {
    const dir = folder({ '0000_a.sql': 'CREATE TABLE a (x);\nCREATE TABLE b (y)\n' });
    const db = openD1Database();
    expectD1Error(() => applyFolder(db, dir), /syntax error/);
    expect(appliedMigrations(db)).toEqual([]);
    expect(describeSchema(db).tables).toEqual([]);
    // applyMigration alone (the drizzle-orm migrator's view) accepts it.
    applyMigration(db, 'CREATE TABLE a (x);\nCREATE TABLE b (y)\n', '0000_a.sql');
  });

  it('fails a file ending in an unterminated comment that swallows the d1_migrations INSERT', () => {
    const dir = folder({ '0000_a.sql': 'CREATE TABLE a (x);\n/* unterminated' });
    const db = openD1Database();
    expectD1Error(() => applyFolder(db, dir), /row was not written/);
    expect(describeSchema(db).tables).toEqual([]);
  });

  it('rejects BEGIN TRANSACTION even though wrangler would strip it (the drizzle-orm migrator does not)', () => {
    const dir = folder({ '0000_a.sql': 'BEGIN TRANSACTION;\nCREATE TABLE a (x);\nCOMMIT;\n' });
    const db = openD1Database();
    expectD1Error(() => applyFolder(db, dir), D1_TRANSACTION_MESSAGE);
  });
});
