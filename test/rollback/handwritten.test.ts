/**
 * Hand-written SQL (a `--custom` migration) in the rollback files: the custom migration's down file
 * says it must be written by hand, and a later migration's down file that rebuilds a table a
 * hand-written trigger and index depend on names them (D1-484), found by replaying the folder, and
 * creates them again: after the migration and its down file, both are there and the trigger fires.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { applyMigration, openD1Database } from '../../src/d1/apply.js';
import { rollbackPath } from '../../src/snapshot/layout.js';
import { CORE, TempProject } from '../support/project.js';

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.dispose()));

const V1 = CORE + `export const users = sqliteTable('users', { id: integer('id').primaryKey(), name: text('name'), seen: integer('seen') });\n`;
const V2 = V1.replace("name: text('name')", "name: text('name').notNull().default('')");
const TRIGGER = "CREATE TRIGGER users_seen AFTER UPDATE OF name ON users BEGIN UPDATE users SET seen = 1 WHERE id = NEW.id; END;\n--> statement-breakpoint\nCREATE INDEX users_name_lower ON users (lower(name));";

it('names the hand-written objects on tables the down file rebuilds, and asks for the custom one by hand', async () => {
  const p = new TempProject();
  projects.push(p);
  p.schema(V1);
  await p.generate({ flags: { name: 'init' } });
  const custom = await p.generate({ flags: { custom: true, name: 'trigger' } });
  expect(custom.migration!.rollback!.diagnostics.map((d) => d.code)).toEqual(['D1-486']);
  writeFileSync(custom.migration!.sqlPath, TRIGGER);
  p.schema(V2);
  const next = await p.generate({ flags: { name: 'name_required' } });
  const d = next.migration!.rollback!.diagnostics.find((x) => x.code === 'D1-484');
  expect(d?.message).toContain('trigger `users_seen`');
  expect(d?.message).toContain('index `users_name_lower`');
  const down = readFileSync(rollbackPath(p.out, 'journal', next.migration!.tag), 'utf8');
  expect(down).toContain(d!.message);

  const db = openD1Database();
  for (const f of p.sqlFiles()) applyMigration(db, p.read(`drizzle/${f}`), f);
  db.exec(`INSERT INTO users (id, name, seen) VALUES (1, 'ada', 0)`);
  applyMigration(db, down, 'down.sql');
  const objects = db.prepare(`SELECT name FROM sqlite_schema WHERE name IN ('users_seen', 'users_name_lower') ORDER BY name`).all();
  expect(objects).toEqual([{ name: 'users_name_lower' }, { name: 'users_seen' }]);
  db.exec(`UPDATE users SET name = 'bob' WHERE id = 1`);
  expect(db.prepare('SELECT seen FROM users WHERE id = 1').get()).toEqual({ seen: 1 });
});
