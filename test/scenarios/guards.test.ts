/**
 * Changes whose success depends on the rows already there are generated with a guard, never refused:
 * on rows that allow the change the migration applies and keeps every row (of the table and of its
 * CASCADE / SET NULL children); on rows that do not, it fails, the database is byte-identical
 * afterwards, and the error names the object and the way out by its code. Applied D1's way on SQLite,
 * and through wrangler's local D1.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigration, openD1Database } from '../../src/d1/apply.js';
import { checkIntegrity, dumpRows } from '../../src/d1/inspect.js';
import { planReport } from '../../src/cli/report.js';
import { CORE, TempProject } from '../support/project.js';
import { freshBuildByDrizzleKit, schemaOf } from '../support/scenario.js';
import { describeWrangler, WranglerProject } from '../support/wrangler.js';

interface GuardCase {
  name: string;
  code: string;
  before: string;
  after: string;
  /** Rows the change accepts. */
  clean: string;
  /** Rows that make the guard fire. */
  dirty: string;
  /** What D1's error must say besides the code. */
  says: RegExp;
}

const users = (email: string, extra = '') =>
  `export const users = sqliteTable('users', { id: integer('id').primaryKey(), email: ${email}${extra} });\n`;
const children =
  `export const posts = sqliteTable('posts', { id: integer('id').primaryKey(), authorId: integer('author_id').notNull().references(() => users.id, { onDelete: 'cascade' }), title: text('title') });\n` +
  `export const notes = sqliteTable('notes', { id: integer('id').primaryKey(), userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }), body: text('body') });\n`;
const childRows = `INSERT INTO posts VALUES (10, 1, 'p1'), (11, 2, 'p2'); INSERT INTO notes VALUES (20, 1, 'n1'), (21, NULL, 'n2');`;

const cases: GuardCase[] = [
  {
    name: 'a column made NOT NULL without a default',
    code: 'D1-102',
    before: CORE + users("text('email')") + children,
    after: CORE + users("text('email').notNull()") + children,
    clean: `INSERT INTO users VALUES (1, 'a@x'), (2, 'b@x'); ${childRows}`,
    dirty: `INSERT INTO users VALUES (1, 'a@x'), (2, NULL); ${childRows}`,
    says: /users\.email holds NULL[^]*--backfill users\.email=/,
  },
  {
    name: 'a new unique index',
    code: 'D1-106',
    before: CORE + users("text('email')") + children,
    after: CORE + users("text('email').unique()") + children,
    clean: `INSERT INTO users VALUES (1, 'a@x'), (2, 'b@x'), (3, NULL), (4, NULL); ${childRows}`,
    dirty: `INSERT INTO users VALUES (1, 'a@x'), (2, 'a@x'); ${childRows}`,
    says: /users_email_unique/,
  },
  {
    name: 'a new check',
    code: 'D1-105',
    before: CORE + users("text('email')") + children,
    after:
      CORE +
      "export const users = sqliteTable('users', { id: integer('id').primaryKey(), email: text('email'), score: integer('score').default(0) }, (t) => [check('email_at', sql`${t.email} like '%@%' and ${t.score} >= 0`)]);\n" +
      children,
    clean: `INSERT INTO users VALUES (1, 'a@x'), (2, NULL); ${childRows}`,
    dirty: `INSERT INTO users VALUES (1, 'a@x'), (2, 'nope'); ${childRows}`,
    says: /new check email_at/,
  },
  {
    name: 'a new foreign key on an existing column',
    code: 'D1-107',
    before: CORE + users("text('email')") + `export const logs = sqliteTable('logs', { id: integer('id').primaryKey(), userId: integer('user_id') });\n`,
    after: CORE + users("text('email')") + `export const logs = sqliteTable('logs', { id: integer('id').primaryKey(), userId: integer('user_id').references(() => users.id) });\n`,
    clean: `INSERT INTO users VALUES (1, 'a@x'); INSERT INTO logs VALUES (1, 1), (2, NULL);`,
    dirty: `INSERT INTO users VALUES (1, 'a@x'); INSERT INTO logs VALUES (1, 1), (2, 7);`,
    says: /rows of logs reference users\(id\) through \(user_id\)/,
  },
  {
    name: 'a text primary key becoming an integer one',
    code: 'D1-108',
    before: CORE + `export const codes = sqliteTable('codes', { id: text('id').primaryKey(), label: text('label') });\n`,
    after: CORE + `export const codes = sqliteTable('codes', { id: integer('id').primaryKey(), label: text('label') });\n`,
    clean: `INSERT INTO codes VALUES ('1', 'one'), ('22', 'twenty-two');`,
    dirty: `INSERT INTO codes VALUES ('1', 'one'), ('x7', 'bad');`,
    says: /codes\.id holds values that are not integers/,
  },
  {
    // A NULL passes a check; the default that fills it may not.
    name: 'a column made NOT NULL with a default under an existing check',
    code: 'D1-105',
    before: CORE + "export const lines = sqliteTable('lines', { id: integer('id').primaryKey(), qty: integer('qty') }, (t) => [check('qty_positive', sql`${t.qty} > 0`)]);\n",
    after: CORE + "export const lines = sqliteTable('lines', { id: integer('id').primaryKey(), qty: integer('qty').notNull().default(0) }, (t) => [check('qty_positive', sql`${t.qty} > 0`)]);\n",
    clean: `INSERT INTO lines VALUES (1, 1), (2, 5);`,
    dirty: `INSERT INTO lines VALUES (1, 1), (2, NULL);`,
    says: /check qty_positive once the migration fills/,
  },
  {
    // Two NULLs filled with the same default collide in a unique index that already existed.
    name: 'a column made NOT NULL with a default under an existing unique index',
    code: 'D1-106',
    before: CORE + `export const slots = sqliteTable('slots', { id: integer('id').primaryKey(), day: text('day'), seat: integer('seat') }, (t) => [unique('slot_pair').on(t.day, t.seat)]);\n`,
    after: CORE + `export const slots = sqliteTable('slots', { id: integer('id').primaryKey(), day: text('day'), seat: integer('seat').notNull().default(0) }, (t) => [unique('slot_pair').on(t.day, t.seat)]);\n`,
    clean: `INSERT INTO slots VALUES (1, 'mon', 0), (2, 'tue', 0), (3, 'mon', 1), (4, NULL, 0), (5, NULL, 0);`,
    dirty: `INSERT INTO slots VALUES (1, 'mon', NULL), (2, 'mon', NULL);`,
    says: /unique index slot_pair once the migration fills/,
  },
  {
    // The check reads the values as the new column stores them: '12' in a text column is 12 in an integer one.
    name: 'a new check on a column whose type changes in the same migration',
    code: 'D1-105',
    before: CORE + `export const people = sqliteTable('people', { id: integer('id').primaryKey(), age: text('age'), score: real('score') });\n`,
    after:
      CORE +
      "export const people = sqliteTable('people', { id: integer('id').primaryKey(), age: integer('age'), score: text('score') }, (t) => [check('age_range', sql`${t.age} < 1000 and ${t.score} <> '1'`)]);\n",
    clean: `INSERT INTO people VALUES (1, '12', 1.5), (2, '7', 0.25), (3, NULL, NULL), (4, '999', -1.5);`,
    dirty: `INSERT INTO people VALUES (1, '12', 1.5), (2, '5000', 2);`,
    says: /new check age_range/,
  },
];

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.dispose()));

/** Both migrations of a case, generated by drizzle-d1. */
async function generateCase(c: GuardCase) {
  const project = new TempProject();
  projects.push(project);
  project.schema(c.before);
  const first = await project.generate({ flags: { name: 'before' } });
  project.schema(c.after);
  const second = await project.generate({ flags: { name: 'after' } });
  return { project, first: readFileSync(first.migration!.sqlPath, 'utf8'), second: second.migration!, sql: readFileSync(second.migration!.sqlPath, 'utf8') };
}

/** Rows compared as text: a type change may turn '1' into 1, which is the same row. */
const asText = (rows: unknown) => JSON.parse(JSON.stringify(rows, (_k, v) => (typeof v === 'number' ? String(v) : v)));
/** `after`'s rows with only the columns `before` had (an added column is not a changed row). */
const columnsOf = (after: Record<string, Record<string, unknown>[]>, before: Record<string, Record<string, unknown>[]>) =>
  Object.fromEntries(Object.entries(after).map(([t, rows]) => [t, rows.map((r) => Object.fromEntries(Object.keys(before[t]?.[0] ?? r).map((k) => [k, r[k]])))]));

describe('data-dependent changes are generated with a guard', () => {
  for (const c of cases) {
    it(`${c.name}: generated with a ${c.code} guard, said as a warning and in --json`, async () => {
      const { second, sql } = await generateCase(c);
      const report = planReport(second.plan, process.cwd())!;
      expect(report.diagnostics.map((d) => d.code)).toContain(c.code);
      expect(sql).toContain(`CONSTRAINT "${c.code}: `);
      expect(sql).not.toMatch(/pragma_|(?<!defer_)foreign_keys\s*=\s*off/i);
    });

    it(`${c.name}: applies and keeps every row when the rows allow it`, async () => {
      const { project, first, sql } = await generateCase(c);
      const db = openD1Database();
      applyMigration(db, first, '0000_before.sql');
      db.exec(c.clean);
      const before = dumpRows(db);
      applyMigration(db, sql, '0001_after.sql');
      expect(asText(columnsOf(dumpRows(db), before))).toEqual(asText(before));
      expect(checkIntegrity(db)).toMatchObject({ ok: true, foreignKeyViolations: [] });
      expect(schemaOf(db)).toEqual(schemaOf(await freshBuildByDrizzleKit(project, c.after)));
    });

    it(`${c.name}: aborts with ${c.code}, leaving the database byte-identical, when they do not`, async () => {
      const { first, sql } = await generateCase(c);
      const db = openD1Database();
      applyMigration(db, first, '0000_before.sql');
      db.exec(c.dirty);
      const image = db.serialize();
      expect(() => applyMigration(db, sql, '0001_after.sql')).toThrow(new RegExp(`CHECK constraint failed: ${c.code}: `));
      expect(() => applyMigration(db, sql, '0001_after.sql')).toThrow(c.says);
      expect(Buffer.compare(db.serialize(), image)).toBe(0);
    });
  }
});

const cleanup: (() => void)[] = [];
afterAll(() => cleanup.forEach((f) => f()));

describeWrangler('guards on wrangler local D1', () => {
  for (const c of cases.slice(0, 4)) {
    it(`${c.name}: applies on clean rows, aborts with ${c.code} on dirty ones and keeps them`, async () => {
      const { project } = await generateCase(c);
      const [firstFile, secondFile] = project.sqlFiles();
      for (const [rows, ok] of [[c.clean, true], [c.dirty, false]] as const) {
        const dir = mkdtempSync(join(tmpdir(), 'drizzle-d1-guard-'));
        cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
        const wrangler = WranglerProject.create({ migrationsDir: dir });
        cleanup.push(() => wrangler.dispose());
        copyFileSync(join(project.out, firstFile!), join(dir, firstFile!));
        await wrangler.applyOrThrow();
        await wrangler.executeOrThrow(rows);
        let db = wrangler.open();
        const before = dumpRows(db);
        db.close();
        copyFileSync(join(project.out, secondFile!), join(dir, secondFile!));
        const result = await wrangler.apply();
        db = wrangler.open();
        try {
          expect(columnsOf(dumpRows(db), before)).toEqual(before);
          if (ok) expect(result.applied, result.stderr).toEqual([firstFile, secondFile]);
          else {
            expect(result.applied).toEqual([firstFile]);
            expect(`${result.error ?? ''}${result.stdout}${result.stderr}`).toContain(`${c.code}: `);
          }
        } finally {
          db.close();
        }
      }
    }, 90_000);
  }
});
