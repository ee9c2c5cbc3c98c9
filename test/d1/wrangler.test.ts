/**
 * End-to-end checks of the D1 facts drizzle-d1 relies on, against real `wrangler d1 migrations apply
 * --local` (wrangler 4.86, workerd). Each wrangler call costs ~2–4 s; the scenarios run concurrently.
 * Skip with DRIZZLE_D1_SKIP_WRANGLER=1.
 *
 * Where it makes sense each scenario also runs through `applyFolder` (better-sqlite3) to show the two
 * agree, or to pin down where they differ (D1's trigger depth limit).
 */
import type Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { appliedMigrations, applyFolder, D1MigrationError, openD1Database } from '../../src/d1/apply.js';
import { describeSchema, dumpRows, readSequences } from '../../src/d1/inspect.js';
import { describeWrangler, localD1FileName, WranglerProject, type WranglerRun } from '../support/wrangler.js';

const cleanups: (() => void)[] = [];
const timings: { scenario: string; run: WranglerRun }[] = [];

afterAll(() => {
  for (const c of cleanups.splice(0)) c();
  if (timings.length && process.env.DRIZZLE_D1_WRANGLER_TIMINGS === '1') {
    console.log(
      timings.map((t) => `${t.scenario}: ${t.run.command.slice(1, 3).join(' ')} ${t.run.durationMs} ms`).join('\n'),
    );
  }
});

function migrations(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drizzle-d1-mig-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) write(dir, name, text);
  return dir;
}

function write(dir: string, name: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  fs.writeFileSync(path.join(dir, name), text);
}

function project(scenario: string, migrationsDir: string): WranglerProject {
  const p = WranglerProject.create({ migrationsDir });
  cleanups.push(() => {
    for (const run of p.runs) timings.push({ scenario, run });
    p.dispose();
  });
  return p;
}

function withDb<T>(p: WranglerProject, fn: (db: Database.Database) => T): T {
  const db = p.open();
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** applyFolder on a fresh better-sqlite3 database; returns it and the error, if any. */
function local(dir: string): { db: Database.Database; error?: D1MigrationError } {
  const db = openD1Database();
  try {
    applyFolder(db, dir);
    return { db };
  } catch (e) {
    if (!(e instanceof D1MigrationError)) throw e;
    return { db, error: e };
  }
}

const PARENT_CHILD = `CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
--> statement-breakpoint
CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER NOT NULL REFERENCES p(id) ON DELETE CASCADE);
--> statement-breakpoint
INSERT INTO p VALUES (1, 'one'), (2, 'two');
--> statement-breakpoint
INSERT INTO c VALUES (10, 1), (11, 1), (20, 2);
`;

const GUARD = `CREATE TABLE __guard (n INTEGER CHECK (n = 0));
INSERT INTO __guard SELECT count(*) FROM pragma_foreign_key_check;
DROP TABLE __guard;`;

function chain(prefix: string, n: number): string {
  const parts = [`CREATE TABLE ${prefix}0 (id INTEGER PRIMARY KEY);`, `INSERT INTO ${prefix}0 VALUES (1);`];
  for (let i = 1; i < n; i++) {
    parts.push(
      `CREATE TABLE ${prefix}${i} (id INTEGER PRIMARY KEY, p INTEGER REFERENCES ${prefix}${i - 1}(id) ON DELETE CASCADE);`,
      `INSERT INTO ${prefix}${i} VALUES (1, 1);`,
    );
  }
  return parts.join('\n') + '\n';
}

describeWrangler.concurrent('wrangler d1 migrations apply --local (wrangler 4.86)', () => {
  it('applies in numeric-prefix order, ignores sub-folders, strips BEGIN TRANSACTION, writes sqlite_sequence; matches applyFolder', async () => {
    const dir = migrations({
      '1_init.sql': 'CREATE TABLE t (n INTEGER, src TEXT);\n--> statement-breakpoint\nINSERT INTO t VALUES (1, \'1\'); -- trailing comment\n',
      '10_c.sql': "INSERT INTO t VALUES (3, '10');\n",
      '9_b.sql': "INSERT INTO t VALUES (2, '9');\n",
      '11_seq.sql': `CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT, x TEXT);
INSERT INTO a (x) VALUES ('first');
UPDATE sqlite_sequence SET seq = 500 WHERE name = 'a';
INSERT INTO a (x) VALUES ('second');
`,
      'sub/0_nested.sql': 'CREATE TABLE should_not_exist (x);\n',
      'meta/_journal.json': '{"version":"7","dialect":"sqlite","entries":[]}',
    });
    const p = project('order', dir);
    const r = await p.applyOrThrow();
    expect(r.applied).toEqual(['1_init.sql', '9_b.sql', '10_c.sql', '11_seq.sql']);
    expect(path.basename(p.dbPath)).toBe(localD1FileName(p.databaseId));
    const { db } = local(dir);
    withDb(p, (w) => {
      expect(dumpRows(w).t).toEqual([
        { n: 1, src: '1' },
        { n: 2, src: '9' },
        { n: 3, src: '10' },
      ]);
      expect(dumpRows(w).a).toEqual([
        { id: 1, x: 'first' },
        { id: 501, x: 'second' },
      ]);
      expect(readSequences(w)).toEqual({ a: 501 });
      expect(w.prepare("SELECT count(*) FROM sqlite_schema WHERE name LIKE '_cf_%'").pluck().get()).toBe(1);
      expect(describeSchema(w)).toEqual(describeSchema(db));
      expect(dumpRows(w)).toEqual(dumpRows(db));
      expect(appliedMigrations(w)).toEqual(appliedMigrations(db));
    });

    // Seed with `wrangler d1 execute`, then apply a new file (wrangler strips `BEGIN TRANSACTION;`
    // and the first `COMMIT;`; applyFolder does not, because the drizzle-orm migrator would not).
    const seeded = await p.executeOrThrow("INSERT INTO t VALUES (4, 'seed'); SELECT count(*) AS n FROM t;");
    expect(seeded.results[1]).toEqual([{ n: 4 }]);
    write(dir, '12_tx.sql', "BEGIN TRANSACTION;\nINSERT INTO t VALUES (5, 'tx');\nCOMMIT;\n");
    const r2 = await p.applyOrThrow();
    expect(r2.applied.at(-1)).toBe('12_tx.sql');
    withDb(p, (w) => expect(dumpRows(w).t.map((row) => row.n)).toEqual([1, 2, 3, 4, 5]));
    expect(() => applyFolder(db, dir)).toThrow(/state\.storage\.transaction/);
  });

  it('rejects BEGIN (file rolled back, later files not run)', async () => {
    const dir = migrations({
      '0000_ok.sql': 'CREATE TABLE a (x);\n',
      '0001_begin.sql': 'CREATE TABLE b (x);\nBEGIN;\nCREATE TABLE c (x);\nCOMMIT;\n',
      '0002_after.sql': 'CREATE TABLE d (x);\n',
    });
    const p = project('begin', dir);
    const r = await p.apply();
    expect(r.ok).toBe(false);
    expect(r.exitCode).toBe(1);
    expect(r.failed).toEqual(['0001_begin.sql']);
    expect(r.error).toMatch(/state\.storage\.transaction\(\)/);
    expect(r.applied).toEqual(['0000_ok.sql']);
    withDb(p, (w) => expect(describeSchema(w).tables.map((t) => t.name)).toEqual(['a']));
    const l = local(dir);
    expect(l.error?.file).toBe('0001_begin.sql');
    expect(appliedMigrations(l.db)).toEqual(['0000_ok.sql']);
  });

  it('rejects CREATE TEMP TABLE (not authorized)', async () => {
    const dir = migrations({ '0000_temp.sql': 'CREATE TABLE a (x);\nCREATE TEMP TABLE t (x);\nDROP TABLE t;\n' });
    const p = project('temp', dir);
    const r = await p.apply();
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/not authorized/);
    expect(r.applied).toEqual([]);
    withDb(p, (w) => expect(describeSchema(w).tables).toEqual([]));
    expect(local(dir).error?.message).toMatch(/not authorized/);
  });

  it('foreign_keys=OFF is a no-op (a drizzle-kit rebuild cascades), a passing guard leaves nothing, defer ON…OFF commits a dangling row', async () => {
    const dir = migrations({
      '0000_init.sql': PARENT_CHILD,
      // drizzle-kit 0.31's rebuild of the parent: the DROP cascades to c despite foreign_keys=OFF.
      '0001_drizzle_kit_rebuild.sql': `PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE __new_p (id INTEGER PRIMARY KEY, name TEXT NOT NULL, extra TEXT);--> statement-breakpoint
INSERT INTO __new_p (id, name) SELECT id, name FROM p;--> statement-breakpoint
DROP TABLE p;--> statement-breakpoint
ALTER TABLE __new_p RENAME TO p;--> statement-breakpoint
PRAGMA foreign_keys=ON;
`,
      '0002_guarded_clean.sql': `PRAGMA defer_foreign_keys=ON;\nINSERT INTO c VALUES (30, 1);\n${GUARD}\nPRAGMA defer_foreign_keys=OFF;\n`,
      '0003_unguarded.sql': 'PRAGMA defer_foreign_keys=ON;\nINSERT INTO c VALUES (98, 42);\nPRAGMA defer_foreign_keys=OFF;\n',
    });
    const p = project('fk', dir);
    await p.applyOrThrow();
    const l = local(dir);
    expect(l.error).toBeUndefined();
    withDb(p, (w) => {
      expect(dumpRows(w).c).toEqual([
        { id: 30, p_id: 1 },
        { id: 98, p_id: 42 },
      ]);
      expect(w.prepare('PRAGMA foreign_key_check').all()).toEqual([{ table: 'c', rowid: 98, parent: 'p', fkid: 0 }]);
      expect(describeSchema(w)).toEqual(describeSchema(l.db));
      expect(dumpRows(w)).toEqual(dumpRows(l.db));
    });
  });

  it('the defer_foreign_keys guard aborts the file on a dangling reference', async () => {
    const dir = migrations({
      '0000_init.sql': PARENT_CHILD,
      '0001_guarded.sql': `PRAGMA defer_foreign_keys=ON;\nINSERT INTO c VALUES (99, 43);\n${GUARD}\nPRAGMA defer_foreign_keys=OFF;\n`,
    });
    const p = project('guard', dir);
    const r = await p.apply();
    expect(r.failed).toEqual(['0001_guarded.sql']);
    expect(r.error).toMatch(/CHECK constraint failed/);
    expect(r.applied).toEqual(['0000_init.sql']);
    withDb(p, (w) => expect(dumpRows(w).c.map((row) => row.id)).toEqual([10, 11, 20]));
    expect(local(dir).error?.message).toMatch(/CHECK constraint failed/);
  });

  it('trigger depth: an 11-table ON DELETE CASCADE chain works, a 12-table chain fails (better-sqlite3 allows both)', async () => {
    const dir = migrations({
      '0000_chains.sql': chain('c', 11) + chain('d', 12),
      '0001_delete_11.sql': 'DELETE FROM c0;\n',
      '0002_delete_12.sql': 'DELETE FROM d0;\n',
    });
    const p = project('depth', dir);
    const r = await p.apply();
    expect(r.applied).toEqual(['0000_chains.sql', '0001_delete_11.sql']);
    expect(r.failed).toEqual(['0002_delete_12.sql']);
    expect(r.error).toMatch(/too many levels of trigger recursion/);
    withDb(p, (w) => {
      expect(w.prepare('SELECT count(*) FROM c10').pluck().get()).toBe(0);
      expect(w.prepare('SELECT count(*) FROM d11').pluck().get()).toBe(1);
    });
    const l = local(dir);
    expect(l.error).toBeUndefined();
    expect(l.db.prepare('SELECT count(*) FROM d11').pluck().get()).toBe(0);
  });

  it("wrangler's appended INSERT: an unterminated comment leaves a file ✅ but unrecorded (exit 0); a missing final ';' fails", async () => {
    const dir = migrations({
      '0000_a.sql': 'CREATE TABLE a (x);\n',
      '0001_unrecorded.sql': 'CREATE TABLE b (x);\n/* unterminated',
      '0002_ok.sql': 'CREATE TABLE c (x);\n',
    });
    const p = project('append', dir);
    const r = await p.apply();
    expect(r.exitCode).toBe(0);
    expect(r.failed).toEqual([]);
    expect(r.applied).toEqual(['0000_a.sql', '0002_ok.sql']);
    expect(r.missing).toEqual(['0001_unrecorded.sql']);
    expect(r.ok).toBe(false);
    withDb(p, (w) => expect(describeSchema(w).tables.map((t) => t.name)).toEqual(['a', 'b', 'c']));
    expect(local(dir).error?.message).toMatch(/row was not written/);

    write(dir, '0003_nosemi.sql', 'CREATE TABLE d (x);\nCREATE TABLE e (y)\n');
    fs.rmSync(path.join(dir, '0001_unrecorded.sql'));
    const r2 = await p.apply();
    expect(r2.exitCode).toBe(1);
    expect(r2.failed).toEqual(['0003_nosemi.sql']);
    expect(r2.error).toMatch(/near "INSERT": syntax error/);
    expect(r2.missing).toEqual(['0003_nosemi.sql']);
    withDb(p, (w) => expect(describeSchema(w).tables.map((t) => t.name)).toEqual(['a', 'b', 'c']));
  });
});
