/**
 * Each lint rule on a small hand-written folder: once where it fires, once where it must not. The
 * folders are replayed the D1 way (foreign keys on, one transaction per file) by lint itself.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lintFolder } from '../../src/lint/lint.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A migrations folder with a journal listing `files` (tag → SQL) in order. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'drizzle-d1-lint-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'meta'));
  const entries = Object.keys(files).map((tag, idx) => ({ idx, version: '6', when: 1700000000000 + idx, tag, breakpoints: true }));
  writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify({ version: '7', dialect: 'sqlite', entries }));
  for (const [tag, sql] of Object.entries(files)) writeFileSync(join(dir, `${tag}.sql`), sql);
  return dir;
}

/** Codes lint reports for the last migration of a folder whose first migration is `base`. */
function codesOf(base: string, change: string): string[] {
  const result = lintFolder(folder({ '0000_base': base, '0001_change': change }), { only: ['0001_change'] });
  return result.findings.map((f) => f.code);
}

const PARENT = (onDelete: string) => `CREATE TABLE teams (id integer PRIMARY KEY, name text);
CREATE TABLE members (id integer PRIMARY KEY, team_id integer REFERENCES teams(id) ON DELETE ${onDelete}, who text NOT NULL);`;
const KIT_REBUILD = `PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE __new_teams (id integer PRIMARY KEY, name text NOT NULL DEFAULT '');--> statement-breakpoint
INSERT INTO __new_teams(id, name) SELECT id, coalesce(name, '') FROM teams;--> statement-breakpoint
DROP TABLE teams;--> statement-breakpoint
ALTER TABLE __new_teams RENAME TO teams;--> statement-breakpoint
PRAGMA foreign_keys=ON;`;
const D1_REBUILD = `PRAGMA defer_foreign_keys = ON;
CREATE TABLE __new_teams (id integer PRIMARY KEY, name text NOT NULL DEFAULT '');
CREATE TABLE __new_members (id integer PRIMARY KEY, team_id integer REFERENCES __new_teams(id) ON DELETE cascade, who text NOT NULL);
INSERT INTO __new_teams(id, name) SELECT id, coalesce(name, '') FROM teams;
INSERT INTO __new_members(id, team_id, who) SELECT id, team_id, who FROM members;
DROP TABLE members;
DROP TABLE teams;
ALTER TABLE __new_teams RENAME TO teams;
ALTER TABLE __new_members RENAME TO members;
PRAGMA defer_foreign_keys = OFF;`;
const TABLE = 'CREATE TABLE t (id integer PRIMARY KEY, a text, b text);';

const cases: { code: string; rule: string; base: string; fires: string; quiet: string }[] = [
  { code: 'D1-401', rule: 'DROP TABLE of a CASCADE parent', base: PARENT('cascade'), fires: KIT_REBUILD, quiet: D1_REBUILD },
  { code: 'D1-401', rule: 'DROP TABLE of a SET NULL parent', base: PARENT('set null'), fires: KIT_REBUILD, quiet: 'DROP TABLE members; DROP TABLE teams;' },
  { code: 'D1-402', rule: 'DROP TABLE of a NO ACTION parent', base: PARENT('no action'), fires: KIT_REBUILD, quiet: D1_REBUILD.replace('ON DELETE cascade', 'ON DELETE no action') },
  { code: 'D1-402', rule: 'deferred but never set OFF', base: PARENT('restrict'), fires: KIT_REBUILD.replace('PRAGMA foreign_keys=OFF;', 'PRAGMA defer_foreign_keys = ON;').replace('PRAGMA foreign_keys=ON;', ''), quiet: KIT_REBUILD.replace('PRAGMA foreign_keys=OFF;', 'PRAGMA defer_foreign_keys = ON;').replace('PRAGMA foreign_keys=ON;', 'PRAGMA defer_foreign_keys = OFF;') },
  { code: 'D1-403', rule: 'PRAGMA foreign_keys=OFF around a referenced drop', base: PARENT('cascade'), fires: KIT_REBUILD, quiet: `PRAGMA foreign_keys=OFF;\nALTER TABLE members ADD note text;\nPRAGMA foreign_keys=ON;` },
  { code: 'D1-404', rule: 'defer_foreign_keys ON without OFF', base: TABLE, fires: 'PRAGMA defer_foreign_keys = ON;\nALTER TABLE t ADD c text;', quiet: 'PRAGMA defer_foreign_keys = ON;\nALTER TABLE t ADD c text;\nPRAGMA defer_foreign_keys = OFF;' },
  { code: 'D1-405', rule: 'BEGIN / COMMIT', base: TABLE, fires: 'BEGIN TRANSACTION;\nALTER TABLE t ADD c text;\nCOMMIT;', quiet: 'ALTER TABLE t ADD c text;' },
  { code: 'D1-405', rule: 'a TEMP table', base: TABLE, fires: 'CREATE TEMP TABLE keep AS SELECT * FROM t;', quiet: 'CREATE TABLE keep AS SELECT * FROM t;\nDROP TABLE keep;' },
  {
    code: 'D1-406', rule: 'a rebuild that loses a trigger',
    base: `${TABLE}\nCREATE TABLE log (id integer PRIMARY KEY, t_id integer);\nCREATE TRIGGER t_ai AFTER INSERT ON t BEGIN INSERT INTO log(t_id) VALUES (new.id); END;`,
    fires: 'CREATE TABLE __new_t (id integer PRIMARY KEY, a text NOT NULL DEFAULT \'\', b text);\nINSERT INTO __new_t(id, a, b) SELECT id, coalesce(a, \'\'), b FROM t;\nDROP TABLE t;\nALTER TABLE __new_t RENAME TO t;',
    quiet: 'CREATE TABLE __new_t (id integer PRIMARY KEY, a text NOT NULL DEFAULT \'\', b text);\nINSERT INTO __new_t(id, a, b) SELECT id, coalesce(a, \'\'), b FROM t;\nDROP TABLE t;\nALTER TABLE __new_t RENAME TO t;\nCREATE TRIGGER t_ai AFTER INSERT ON t BEGIN INSERT INTO log(t_id) VALUES (new.id); END;',
  },
  { code: 'D1-407', rule: 'a drop that breaks a view', base: `${TABLE}\nCREATE TABLE u (id integer PRIMARY KEY);\nCREATE VIEW v AS SELECT a FROM t;`, fires: 'DROP TABLE t;', quiet: 'DROP VIEW v;\nDROP TABLE t;' },
  {
    code: 'D1-408', rule: 'a copy into a generated column', base: 'CREATE TABLE items (id integer PRIMARY KEY, price integer, total integer GENERATED ALWAYS AS (price * 2) VIRTUAL);',
    fires: 'CREATE TABLE __new_items (id integer PRIMARY KEY, price integer NOT NULL DEFAULT 0, total integer GENERATED ALWAYS AS (price * 2) VIRTUAL);\nINSERT INTO __new_items(id, price, total) SELECT id, price, total FROM items;\nDROP TABLE items;\nALTER TABLE __new_items RENAME TO items;',
    quiet: 'CREATE TABLE __new_items (id integer PRIMARY KEY, price integer NOT NULL DEFAULT 0, total integer GENERATED ALWAYS AS (price * 2) VIRTUAL);\nINSERT INTO __new_items(id, price) SELECT id, coalesce(price, 0) FROM items;\nDROP TABLE items;\nALTER TABLE __new_items RENAME TO items;',
  },
  {
    code: 'D1-409', rule: 'a copy naming a column the old table lacks', base: TABLE,
    fires: 'CREATE TABLE __new_t (id integer PRIMARY KEY, a text, b text, created_at text);\nINSERT INTO __new_t("id", "a", "b", "created_at") SELECT "id", "a", "b", "created_at" FROM t;\nDROP TABLE t;\nALTER TABLE __new_t RENAME TO t;',
    quiet: 'CREATE TABLE __new_t (id integer PRIMARY KEY, a text, b text, created_at text);\nINSERT INTO __new_t("id", "a", "b") SELECT "id", "a", "b" FROM t;\nDROP TABLE t;\nALTER TABLE __new_t RENAME TO t;',
  },
  {
    code: 'D1-410', rule: 'a nullable column copied into NOT NULL', base: TABLE,
    fires: 'CREATE TABLE __new_t (id integer PRIMARY KEY, a text NOT NULL DEFAULT \'\', b text);\nINSERT INTO __new_t(id, a, b) SELECT id, a, b FROM t;\nDROP TABLE t;\nALTER TABLE __new_t RENAME TO t;',
    quiet: 'CREATE TABLE __new_t (id integer PRIMARY KEY, a text NOT NULL DEFAULT \'\', b text);\nINSERT INTO __new_t(id, a, b) SELECT id, coalesce(a, \'\'), b FROM t;\nDROP TABLE t;\nALTER TABLE __new_t RENAME TO t;',
  },
  { code: 'D1-411', rule: 'DROP COLUMN of an indexed column', base: `${TABLE}\nCREATE INDEX t_a ON t(a);`, fires: 'ALTER TABLE t DROP COLUMN a;', quiet: 'ALTER TABLE t DROP COLUMN b;' },
  {
    code: 'D1-412', rule: 'a cascade chain of 12 tables', base: TABLE,
    fires: Array.from({ length: 12 }, (_, i) => (i === 0 ? 'CREATE TABLE c0 (id integer PRIMARY KEY);' : `CREATE TABLE c${i} (id integer PRIMARY KEY, p integer REFERENCES c${i - 1}(id) ON DELETE CASCADE);`)).join('\n'),
    quiet: Array.from({ length: 11 }, (_, i) => (i === 0 ? 'CREATE TABLE c0 (id integer PRIMARY KEY);' : `CREATE TABLE c${i} (id integer PRIMARY KEY, p integer REFERENCES c${i - 1}(id) ON DELETE CASCADE);`)).join('\n'),
  },
  {
    code: 'D1-413', rule: 'a statement over 100 KB', base: TABLE,
    fires: `INSERT INTO t(a) VALUES ${Array.from({ length: 5000 }, (_, i) => `('row number ${i} padded to make it long')`).join(', ')};`,
    quiet: `INSERT INTO t(a) VALUES ${Array.from({ length: 50 }, (_, i) => `('row ${i}')`).join(', ')};`,
  },
  { code: 'D1-415', rule: 'a dropped column the deployed Worker reads', base: TABLE, fires: 'ALTER TABLE t DROP COLUMN b;', quiet: 'ALTER TABLE t ADD c text;' },
  { code: 'D1-416', rule: 'a statement that fails on D1', base: TABLE, fires: 'INSERT INTO missing(a) VALUES (1);', quiet: "INSERT INTO t(a) VALUES ('1');" },
  { code: 'D1-101', rule: 'ADD COLUMN NOT NULL without a default', base: TABLE, fires: 'ALTER TABLE t ADD c text NOT NULL;', quiet: "ALTER TABLE t ADD c text NOT NULL DEFAULT '';\nCREATE TABLE fresh (id integer PRIMARY KEY);\nALTER TABLE fresh ADD c text NOT NULL;" },
  {
    code: 'D1-201', rule: 'a table over 100 columns', base: TABLE,
    fires: `CREATE TABLE wide (${Array.from({ length: 101 }, (_, i) => `c${i} text`).join(', ')});`,
    quiet: `CREATE TABLE wide (${Array.from({ length: 100 }, (_, i) => `c${i} text`).join(', ')});`,
  },
];

describe('lint rules', () => {
  for (const c of cases) {
    it(`${c.code} fires on ${c.rule}`, () => expect(codesOf(c.base, c.fires)).toContain(c.code));
    it(`${c.code} stays quiet without it (${c.rule})`, () => expect(codesOf(c.base, c.quiet)).not.toContain(c.code));
  }

  it('D1-401 names every table the cascade reaches, with file and line', () => {
    const base = 'CREATE TABLE a (id integer PRIMARY KEY);\nCREATE TABLE b (id integer PRIMARY KEY, a_id integer REFERENCES a(id) ON DELETE CASCADE);\nCREATE TABLE c (id integer PRIMARY KEY, b_id integer REFERENCES b(id) ON DELETE CASCADE);\nCREATE TABLE d (id integer PRIMARY KEY, c_id integer REFERENCES c(id) ON DELETE SET NULL);';
    const dir = folder({ '0000_base': base, '0001_change': '-- drop a\n\nDROP TABLE a;' });
    const [f] = lintFolder(dir).findings.filter((x) => x.code === 'D1-401');
    expect(f).toMatchObject({ severity: 'error', line: 3, table: 'a' });
    expect(f!.file).toBe(join(dir, '0001_change.sql'));
    expect(f!.message).toContain('deletes every row of b, c');
    expect(f!.message).toContain('references of d to NULL');
  });

  it('D1-401 across DROP TABLEs in a row: each drop sees the foreign keys the drops before it left, names in any case', () => {
    const base = 'CREATE TABLE Teams (id integer PRIMARY KEY);\nCREATE TABLE members (id integer PRIMARY KEY, team_id integer REFERENCES TEAMS(id) ON DELETE CASCADE);\nCREATE TABLE notes (id integer PRIMARY KEY, member_id integer REFERENCES Members(id) ON DELETE SET NULL, parent integer REFERENCES NOTES(id) ON DELETE CASCADE);';
    // Leaves first (notes refers to itself, in another case): after DROP TABLE members nothing references teams; after DROP TABLE notes nothing references members.
    const leavesFirst = lintFolder(folder({ '0000_base': base, '0001_drop': 'DROP TABLE notes;\nDROP TABLE MEMBERS;\nDROP TABLE teams;' }));
    expect(leavesFirst.findings.filter((f) => f.severity === 'error')).toEqual([]);
    // Parents first, notes kept: each drop reaches what is still there.
    const parentsFirst = lintFolder(folder({ '0000_base': base, '0001_drop': 'DROP TABLE teams;\nDROP TABLE Members;' }));
    expect(parentsFirst.findings.filter((f) => f.code === 'D1-401').map((f) => [f.line, f.message.split(':')[0]])).toEqual([
      [1, 'DROP TABLE teams deletes every row of members (ON DELETE CASCADE) and sets the references of notes to NULL or their default (ON DELETE SET NULL / SET DEFAULT)'],
      [2, 'DROP TABLE Members sets the references of notes to NULL or their default (ON DELETE SET NULL / SET DEFAULT)'],
    ]);
  });

  it('analyses each migration against the schema left by the ones before it', () => {
    const dir = folder({ '0000_a': 'CREATE TABLE p (id integer PRIMARY KEY);', '0001_b': 'CREATE TABLE k (id integer PRIMARY KEY, p_id integer REFERENCES p(id) ON DELETE CASCADE);', '0002_c': 'DROP TABLE p;' });
    expect(lintFolder(dir).findings.filter((f) => f.code === 'D1-401').map((f) => f.file)).toEqual([join(dir, '0002_c.sql')]);
  });

  it("with runner 'wrangler', also lints .sql files the journal does not list", () => {
    const dir = folder({ '0000_a': 'CREATE TABLE p (id integer PRIMARY KEY);' });
    writeFileSync(join(dir, '0001_by_hand.sql'), 'BEGIN;\nCREATE TABLE q (id integer PRIMARY KEY);\nCOMMIT;\n');
    expect(lintFolder(dir).findings).toEqual([]);
    const wrangler = lintFolder(dir, { runner: 'wrangler' });
    expect(wrangler.findings.map((f) => [f.code, f.line])).toEqual([['D1-405', 1], ['D1-405', 3]]);
  });

  it('does not analyse the migrations after one that fails, and says so', () => {
    const dir = folder({ '0000_a': 'CREATE TABLE p (id integer PRIMARY KEY);', '0001_b': 'DROP TABLE nope;', '0002_c': 'DROP TABLE p;' });
    const result = lintFolder(dir);
    expect(result.findings.map((f) => f.code)).toEqual(['D1-416']);
    expect(result.notReached).toEqual([join(dir, '0002_c.sql')]);
  });
});
