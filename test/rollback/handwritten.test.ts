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

const NOTES = CORE + `export const notes = sqliteTable('notes', { id: integer('id').primaryKey(), body: text('body').notNull() });\n`;
const TAGS = NOTES + `export const tags = sqliteTable('tags', { id: integer('id').primaryKey(), noteId: integer('note_id').references(() => notes.id, { onDelete: 'cascade' }), label: text('label') });\n`;
/** What real folders append to a generated migration: an FTS5 table over notes and the trigger that fills it. */
const APPENDED = `
--> statement-breakpoint
-- CUSTOM MIGRATION CODE
CREATE VIRTUAL TABLE notes_fts USING fts5(body, content='notes', content_rowid='id');
--> statement-breakpoint
CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN INSERT INTO notes_fts(rowid, body) VALUES (new.id, new.body); END;
`;

it('drizzle-d1 rollback of a generated migration with SQL appended by hand drops what the SQL created too', async () => {
  const p = new TempProject();
  projects.push(p);
  p.schema(NOTES);
  await p.generate({ flags: { name: 'init' } });
  p.schema(TAGS);
  const tagged = await p.generate({ flags: { name: 'tags_and_search' } });
  writeFileSync(tagged.migration!.sqlPath, readFileSync(tagged.migration!.sqlPath, 'utf8') + APPENDED);
  const { rollbackCommand } = await import('../../src/rollback/command.js');
  const written = await rollbackCommand({ cwd: p.dir, tag: tagged.migration!.tag, print: true });
  expect(written.text).toContain('virtual table `notes_fts` (the migration created it by hand) is dropped with every row written to it since.');
  expect(written.text).toContain('trigger `notes_ai` (the migration created it by hand) is dropped.');

  const db = openD1Database();
  applyMigration(db, p.read(`drizzle/${p.sqlFiles()[0]}`), 'init');
  const before = db.prepare(`SELECT type, name, sql FROM sqlite_schema ORDER BY name`).all();
  db.exec(`INSERT INTO notes (id, body) VALUES (1, 'kept')`);
  applyMigration(db, p.read(`drizzle/${p.sqlFiles()[1]}`), 'tags_and_search');
  db.exec(`INSERT INTO notes (id, body) VALUES (2, 'searchable'); INSERT INTO tags VALUES (1, 2, 'x')`);
  applyMigration(db, written.text, 'down.sql');
  expect(db.prepare(`SELECT type, name, sql FROM sqlite_schema ORDER BY name`).all()).toEqual(before);
  expect(db.prepare('SELECT id, body FROM notes ORDER BY id').all()).toEqual([{ id: 1, body: 'kept' }, { id: 2, body: 'searchable' }]);
  // The other way: a later migration drops the trigger by hand; its rollback creates it again.
  p.schema(TAGS.replace("label: text('label')", "label: text('label'), color: text('color')"));
  const colored = await p.generate({ flags: { name: 'color' } });
  writeFileSync(colored.migration!.sqlPath, readFileSync(colored.migration!.sqlPath, 'utf8') + '\n--> statement-breakpoint\nDROP TRIGGER notes_ai;\n');
  const back = await rollbackCommand({ cwd: p.dir, tag: colored.migration!.tag, print: true });
  applyMigration(db, p.read(`drizzle/${p.sqlFiles()[1]}`), 'tags_and_search again');
  const withTrigger = db.prepare(`SELECT type, name, sql FROM sqlite_schema ORDER BY name`).all();
  applyMigration(db, p.read(`drizzle/${p.sqlFiles()[2]}`), 'color');
  applyMigration(db, back.text, 'color down.sql');
  expect(db.prepare(`SELECT type, name, sql FROM sqlite_schema ORDER BY name`).all()).toEqual(withTrigger);
  // A migration with nothing appended keeps its plain down file.
  const plain = await rollbackCommand({ cwd: p.dir, tag: p.sqlFiles()[0]!.replace(/\.sql$/, ''), print: true });
  expect(plain.text).not.toContain('(the migration created it by hand)');
});

it('drizzle-d1 rollback says so when the folder builds another schema than the snapshots it plans from (D1-301)', async () => {
  const p = new TempProject();
  projects.push(p);
  p.schema(V1);
  await p.generate({ flags: { name: 'init' } });
  p.schema(V1.replace("seen: integer('seen')", "seen: integer('seen'), email: text('email')"));
  const added = await p.generate({ flags: { name: 'email' } });
  const { rollbackCommand } = await import('../../src/rollback/command.js');
  const clean = await rollbackCommand({ cwd: p.dir, tag: added.migration!.tag, print: true });
  expect(clean.text).not.toContain('builds a different schema');
  // Edited by hand after drizzle wrote it: the database gets NOT NULL, the snapshot says nullable.
  writeFileSync(added.migration!.sqlPath, "ALTER TABLE `users` ADD `email` text DEFAULT '' NOT NULL;\n");
  const drifted = await rollbackCommand({ cwd: p.dir, tag: added.migration!.tag, print: true });
  expect(drifted.file.diagnostics.map((d) => d.code)).toContain('D1-301');
  expect(drifted.text).toMatch(/-- The migrations folder builds a different schema than the snapshots of \S+ and the one before it say \(.*email.*\): this file is planned from the snapshots/);
});
