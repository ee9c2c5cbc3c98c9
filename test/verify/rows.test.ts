/**
 * Synthetic rows satisfy the schema as SQLite enforces it (types, NOT NULL, unique values, checks,
 * foreign keys to parents that exist, self references), are the same for a seed, and never hang on a
 * constraint no value satisfies. Values are compared as SQLite stores them after a type change.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openD1Database } from '../../src/d1/apply.js';
import { dumpRows } from '../../src/d1/inspect.js';
import { readSchemaModel } from '../../src/d1/model.js';
import { fillTables, seededRandom } from '../../src/verify/rows.js';
import { verifyAgainst } from '../../src/verify/against.js';
import { verifyFolder } from '../../src/verify/verify.js';

const SCHEMA = `
CREATE TABLE teams (id integer PRIMARY KEY, name text NOT NULL UNIQUE, kind text NOT NULL CHECK (kind IN ('core', 'docs')));
CREATE TABLE people (
  id integer PRIMARY KEY AUTOINCREMENT, email text NOT NULL UNIQUE, age integer NOT NULL CHECK (age >= 18),
  team_id integer REFERENCES teams(id) ON DELETE cascade, mentor_id integer REFERENCES people(id) ON DELETE set null,
  score real, avatar blob
);
CREATE TABLE memberships (person_id integer NOT NULL REFERENCES people(id), team_id integer NOT NULL REFERENCES teams(id), PRIMARY KEY (person_id, team_id)) WITHOUT ROWID;
CREATE TABLE impossible (id integer PRIMARY KEY, v integer NOT NULL CHECK (v > 5 AND v < 5));
`;

function filled(seed: number) {
  const db = openD1Database();
  db.exec(SCHEMA);
  const shortfalls = fillTables(db, readSchemaModel(db), { target: 50, touched: new Set(), fresh: 0, random: seededRandom(seed), salt: 's' });
  return { db, shortfalls };
}

describe('synthetic rows', () => {
  it('satisfy types, NOT NULL, uniques, checks and foreign keys; a constraint no value meets is reported, not looped on', () => {
    const { db, shortfalls } = filled(1);
    const count = (t: string) => db.prepare(`SELECT count(*) FROM ${t}`).pluck().get();
    expect([count('teams'), count('people'), count('memberships')]).toEqual([50, 50, 50]);
    expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    expect(db.prepare("SELECT DISTINCT kind FROM teams ORDER BY kind").pluck().all()).toEqual(['core', 'docs']);
    // Nullable references are filled (a self reference included), so cascades and SET NULL show.
    expect(db.prepare('SELECT count(*) FROM people WHERE team_id IS NULL').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM people WHERE mentor_id IS NOT NULL').pluck().get()).toBeGreaterThan(40);
    expect(shortfalls.map((s) => [s.table, s.inserted])).toEqual([['impossible', 0]]);
    expect(shortfalls[0]!.reason).toMatch(/CHECK constraint failed/);
  });

  it('are the same for a seed and differ for another', () => {
    expect(dumpRows(filled(5).db)).toEqual(dumpRows(filled(5).db));
    expect(dumpRows(filled(5).db)).not.toEqual(dumpRows(filled(6).db));
  });
});

/** A folder without snapshots: 0000 creates `t`, 0001 rebuilds it with `v` as INTEGER, copying `copy`. */
function typeChange(copy: string): string {
  const out = mkdtempSync(join(tmpdir(), 'drizzle-d1-verify-type-'));
  mkdirSync(join(out, 'meta'));
  writeFileSync(join(out, '0000_a.sql'), 'CREATE TABLE t (id integer PRIMARY KEY, v text);');
  writeFileSync(join(out, '0001_b.sql'), `CREATE TABLE __new_t (id integer PRIMARY KEY, v integer);\n--> statement-breakpoint\nINSERT INTO __new_t (id, v) SELECT id, ${copy} FROM t;\n--> statement-breakpoint\nDROP TABLE t;\n--> statement-breakpoint\nALTER TABLE __new_t RENAME TO t;`);
  const entries = ['0000_a', '0001_b'].map((tag, idx) => ({ idx, version: '6', when: idx, tag, breakpoints: true }));
  writeFileSync(join(out, 'meta', '_journal.json'), JSON.stringify({ version: '7', dialect: 'sqlite', entries }));
  return out;
}

describe('values after a type change', () => {
  it("'1' becoming 1 in an INTEGER column is no change; a copy that alters values is", () => {
    const out = typeChange('v');
    const db = openD1Database();
    db.exec("CREATE TABLE t (id integer PRIMARY KEY, v text); INSERT INTO t VALUES (1, '1'), (2, 'abc'), (3, '2.0'), (4, NULL), (5, ' 7');");
    db.exec("CREATE TABLE d1_migrations (id INTEGER PRIMARY KEY, name TEXT UNIQUE, applied_at TEXT); INSERT INTO d1_migrations (name) VALUES ('0000_a.sql');");
    const file = join(out, 'db.sqlite');
    writeFileSync(file, db.serialize());
    const kept = verifyAgainst({ out, against: file, cwd: out });
    expect(kept.diagnostics).toEqual([]);
    expect(verifyFolder({ out, rows: 20 }).diagnostics).toEqual([]);
    const altered = verifyAgainst({ out: typeChange("upper(v) || 'x'"), against: file, cwd: out });
    expect(altered.migrations[0]!.tables).toMatchObject([{ table: 't', lost: 0, changed: 4, changedColumns: [{ column: 'v', rows: 4 }] }]);
    expect(altered.diagnostics.map((d) => d.code)).toEqual(['D1-451']);
  });
});

describe('--against input', () => {
  it('a database with tables but no ledger needs --from (D1-461); text that is not SQL is D1-460', () => {
    const out = typeChange('v');
    const db = openD1Database();
    db.exec("CREATE TABLE t (id integer PRIMARY KEY, v text); INSERT INTO t VALUES (1, '1');");
    const file = join(out, 'no-ledger.sqlite');
    writeFileSync(file, db.serialize());
    expect(() => verifyAgainst({ out, against: file, cwd: out })).toThrow(expect.objectContaining({ code: 'D1-461' }));
    const from = verifyAgainst({ out, against: file, cwd: out, from: '0001_b' });
    expect(from.migrations.map((m) => `${m.tag} ${m.status}`)).toEqual(['0001_b applied']);
    expect(() => verifyAgainst({ out, against: file, cwd: out, from: 'nope' })).toThrow(expect.objectContaining({ code: 'D1-462' }));
    writeFileSync(join(out, 'notes.txt'), 'this is not sql');
    expect(() => verifyAgainst({ out, against: 'notes.txt', cwd: out })).toThrow(expect.objectContaining({ code: 'D1-460' }));
    expect(() => verifyAgainst({ out, against: 'missing.sqlite', cwd: out })).toThrow(expect.objectContaining({ code: 'D1-460' }));
  });
});
