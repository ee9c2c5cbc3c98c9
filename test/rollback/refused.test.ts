/**
 * A down plan the planner refuses (here D1-103: the way back copies a table whose foreign key SQLite
 * cannot use) does not stop generate: the migration is written, and its down file says why it must
 * be written by hand (D1-485), with no statements.
 */
import { readFileSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { rollbackPath } from '../../src/snapshot/layout.js';
import { CORE, TempProject } from '../support/project.js';

const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.dispose()));

const schema = (unique: string, action: string) =>
  CORE +
  `export const parents = sqliteTable('parents', { id: integer('id').primaryKey(), code: text('code')${unique} });\n` +
  `export const children = sqliteTable('children', { id: integer('id').primaryKey(), code: text('code').references(() => parents.code, { onDelete: '${action}' }) });\n`;

it('a refused way back is a down file to write by hand, naming the refusal', async () => {
  const p = new TempProject();
  projects.push(p);
  p.schema(schema('', 'no action'));
  await p.generate({ flags: { name: 'init' } });
  p.schema(schema('.unique()', 'cascade'));
  const m = (await p.generate({ flags: { name: 'fix_key' } })).migration!;
  expect(m.sql).toContain('CREATE UNIQUE INDEX');
  const note = m.rollback!.diagnostics.find((d) => d.code === 'D1-485');
  expect(note?.message).toContain('D1-103');
  const down = readFileSync(rollbackPath(p.out, 'journal', m.tag), 'utf8');
  expect(down).toContain('could not plan the way back');
  expect(down).toContain(note!.message);
  expect(down.split('\n').every((l) => l === '' || l.startsWith('--'))).toBe(true);
});
