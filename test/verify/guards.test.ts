/**
 * verify --against reports the guard a pending drizzle-d1 migration would fire on the real rows, by
 * its code; on rows that satisfy it, nothing. On synthetic rows (made for the previous schema, which
 * need not satisfy the new constraint) a guard that fires is a warning and verification goes on.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigration, openD1Database } from '../../src/d1/apply.js';
import { verifyAgainst } from '../../src/verify/against.js';
import { verifyFolder } from '../../src/verify/verify.js';
import { CORE, TempProject } from '../support/project.js';

const users = (email: string) => `export const users = sqliteTable('users', { id: integer('id').primaryKey(), email: ${email} });\n`;
const cases = [
  { code: 'D1-102', after: users("text('email').notNull()"), dirty: "INSERT INTO users VALUES (1, 'a@x'), (2, NULL)", says: /users\.email holds NULL/ },
  { code: 'D1-106', after: users("text('email').unique()"), dirty: "INSERT INTO users VALUES (1, 'a@x'), (2, 'a@x')", says: /share a value of the new unique index/ },
];

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.dispose()));

/** A SQLite file holding the first migration, `rows`, and wrangler's ledger naming 0000. */
function database(project: TempProject, rows: string): string {
  const db = openD1Database();
  applyMigration(db, readFileSync(join(project.out, project.sqlFiles()[0]!), 'utf8'), '0000');
  db.exec(`${rows}; CREATE TABLE d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP); INSERT INTO d1_migrations (name) VALUES ('${project.sqlFiles()[0]}')`);
  const file = join(project.dir, `db-${Math.random().toString(36).slice(2)}.sqlite`);
  writeFileSync(file, db.serialize());
  db.close();
  return file;
}

describe('guards that would fire', () => {
  for (const c of cases) {
    it(`${c.code}: reported by code against dirty rows, clean against clean rows, a warning on synthetic rows`, async () => {
      const project = new TempProject();
      projects.push(project);
      project.schema(CORE + users("text('email')"));
      await project.generate({ flags: { name: 'before' } });
      project.schema(CORE + c.after);
      await project.generate({ flags: { name: 'after' } });
      const dirty = verifyAgainst({ out: project.out, against: database(project, c.dirty), cwd: project.dir });
      expect(dirty.migrations.map((m) => m.status)).toEqual(['failed']);
      expect(dirty.migrations[0]!.guards.map((g) => g.code)).toEqual([c.code]);
      expect(dirty.migrations[0]!.guards[0]!.message).toMatch(c.says);
      expect(dirty.diagnostics.map((d) => d.code)).toEqual(['D1-453']);
      expect(dirty.exitCode).toBe(1);
      const clean = verifyAgainst({ out: project.out, against: database(project, "INSERT INTO users VALUES (1, 'a@x'), (2, 'b@x')"), cwd: project.dir });
      expect(clean.diagnostics).toEqual([]);
      expect(clean.exitCode).toBe(0);
      const synthetic = verifyFolder({ out: project.out, rows: 30 });
      expect(synthetic.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(synthetic.migrations.map((m) => m.status)).toEqual(['applied', 'applied']);
    });
  }
});
