/**
 * Shapes of real public migrations folders that the vendored corpus does not have, each reproduced by
 * a small synthetic folder: snapshots written by drizzle-kit before 0.24 (no `views`, no
 * `checkConstraints`, as karakeep's and openstatus's first ones); a folder upgraded to drizzle-kit
 * 1.0's layout (`drizzle-kit up`), whose snapshots record a primary-key column as nullable while the
 * 0.x SQL made it NOT NULL (as cloudflare-workers-nextjs-saas-template's); renames written by hand in SQL whose
 * snapshot was left as it was (as karakeep's 0038), and a table moved aside and dropped (as openstatus does).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyFolder } from '../../src/verify/verify.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

type Columns = Record<string, { type: string; primaryKey?: boolean; notNull?: boolean }>;

/** A table as drizzle-kit 0.2x wrote it in a snapshot: no `checkConstraints`. */
const oldTable = (name: string, columns: Columns) => ({
  name,
  columns: Object.fromEntries(
    Object.entries(columns).map(([c, d]) => [c, { name: c, type: d.type, primaryKey: d.primaryKey ?? false, notNull: d.notNull ?? false, autoincrement: false }]),
  ),
  indexes: {},
  foreignKeys: {},
  compositePrimaryKeys: {},
  uniqueConstraints: {},
});

/** A journal folder whose snapshots have drizzle-kit 0.2x's shape (no `views`). */
function oldFolder(migrations: { tag: string; sql: string; tables: ReturnType<typeof oldTable>[] }[]): string {
  const out = mkdtempSync(join(tmpdir(), 'drizzle-d1-shapes-'));
  dirs.push(out);
  mkdirSync(join(out, 'meta'));
  const id = (i: number) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;
  migrations.forEach((m, i) => {
    writeFileSync(join(out, `${m.tag}.sql`), m.sql);
    const snapshot = { version: '6', dialect: 'sqlite', id: id(i), prevId: i === 0 ? '00000000-0000-0000-0000-000000000000' : id(i - 1), tables: Object.fromEntries(m.tables.map((t) => [t.name, t])), enums: {}, _meta: { tables: {}, columns: {} } };
    writeFileSync(join(out, 'meta', `${m.tag.split('_')[0]}_snapshot.json`), JSON.stringify(snapshot, null, 2));
  });
  const entries = migrations.map((m, i) => ({ idx: i, version: '5', when: 1700000000000 + i, tag: m.tag, breakpoints: true }));
  writeFileSync(join(out, 'meta', '_journal.json'), JSON.stringify({ version: '5', dialect: 'sqlite', entries }, null, 2));
  return out;
}

/** One drizzle-kit 1.0 migration folder: `<out>/<stamp>_<name>/migration.sql` and its version-7 snapshot. */
function v1Migration(out: string, folder: string, sql: string, ddl: object[], id: string, prevId: string) {
  mkdirSync(join(out, folder), { recursive: true });
  writeFileSync(join(out, folder, 'migration.sql'), sql);
  writeFileSync(join(out, folder, 'snapshot.json'), JSON.stringify({ version: '7', dialect: 'sqlite', id, prevIds: [prevId], ddl, renames: [] }, null, 2));
}

describe('snapshots without views or checkConstraints (drizzle-kit before 0.24)', () => {
  it('verify counts the tables and columns a migration drops as dropped on purpose', () => {
    const notes = { id: { type: 'text', primaryKey: true, notNull: true }, body: { type: 'text' }, info: { type: 'text' } };
    const out = oldFolder([
      {
        tag: '0000_init',
        sql: 'CREATE TABLE `notes` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`body` text,\n\t`info` text\n);\n--> statement-breakpoint\nCREATE TABLE `assets` (\n\t`id` text PRIMARY KEY NOT NULL\n);\n',
        tables: [oldTable('notes', notes), oldTable('assets', { id: { type: 'text', primaryKey: true, notNull: true } })],
      },
      {
        tag: '0001_drop',
        sql: 'DROP TABLE `assets`;--> statement-breakpoint\nALTER TABLE `notes` DROP COLUMN `info`;',
        tables: [oldTable('notes', { id: notes.id, body: notes.body })],
      },
    ]);
    const report = verifyFolder({ out, rows: 5 });
    expect(report.diagnostics).toEqual([]);
    expect(report.exitCode).toBe(0);
    const tables = report.migrations[1]!.tables;
    expect(tables.find((t) => t.table === 'assets')).toMatchObject({ lost: 0, droppedOnPurpose: 5 });
    expect(tables.find((t) => t.table === 'notes')).toMatchObject({ lost: 0, lostColumns: [], droppedColumns: [expect.objectContaining({ column: 'info' })] });
  });
});

describe('a folder upgraded to drizzle-kit 1.0 (drizzle-kit up)', () => {
  it('verify finds no drift in a text primary key the snapshot records as nullable and the 0.x SQL made NOT NULL', () => {
    const out = mkdtempSync(join(tmpdir(), 'drizzle-d1-shapes-v1-'));
    dirs.push(out);
    // drizzle-kit 1.0 stores `notNull: column.notNull && !primaryKey`; the 0.x file says NOT NULL.
    const column = (table: string, name: string, type: string, notNull: boolean) => ({ type, notNull, autoincrement: false, default: null, generated: null, name, table, entityType: 'columns' });
    const user = [
      { name: 'user', entityType: 'tables' },
      column('user', 'id', 'text', false),
      column('user', 'name', 'text', true),
      { columns: ['id'], nameExplicit: false, name: 'user_pk', table: 'user', entityType: 'pks' },
    ];
    v1Migration(out, '20250110001634_init', 'CREATE TABLE `user` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`name` text NOT NULL\n);\n', user,
      '00000000-0000-4000-8000-000000000001', '00000000-0000-0000-0000-000000000000');
    v1Migration(out, '20250113063026_add_email', 'ALTER TABLE `user` ADD `email` text;', [...user, column('user', 'email', 'text', false)],
      '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001');
    const report = verifyFolder({ out, rows: 5 });
    expect(report.diagnostics).toEqual([]);
    expect(report.exitCode).toBe(0);
  });
});

describe('renames written by hand, the snapshot left as it was (as karakeep 0038)', () => {
  it("verify pairs the renamed column's values and the table renamed aside and dropped, instead of calling them lost", () => {
    const notes = { id: { type: 'text', primaryKey: true, notNull: true }, attachedBy: { type: 'text' }, body: { type: 'text' } };
    const sql0 = 'CREATE TABLE `notes` (\n\t`id` text PRIMARY KEY NOT NULL,\n\t`attachedBy` text,\n\t`body` text\n);\n';
    // A rename by hand; later, the table moved aside, rebuilt under its own name and dropped (as openstatus does).
    const sql1 = 'ALTER TABLE `notes` RENAME COLUMN `attachedBy` TO `appliesTo`;';
    const sql2 = [
      'ALTER TABLE `notes` RENAME TO `notes_old`;',
      'CREATE TABLE `notes` (`id` text PRIMARY KEY NOT NULL, `appliesTo` text, `body` text);',
      'INSERT INTO `notes` SELECT `id`, `appliesTo`, `body` FROM `notes_old`;',
      'DROP TABLE `notes_old`;',
    ].join('\n--> statement-breakpoint\n');
    const out = oldFolder([
      { tag: '0000_init', sql: sql0, tables: [oldTable('notes', notes)] },
      { tag: '0001_rename_by_hand', sql: sql1, tables: [oldTable('notes', notes)] },
      { tag: '0002_aside_by_hand', sql: sql2, tables: [oldTable('notes', notes)] },
    ]);
    const report = verifyFolder({ out, rows: 5 });
    expect(report.migrations.map((m) => m.status)).toEqual(['applied', 'applied', 'applied']);
    // Without the file's own renames, 0001 lost every attachedBy value (D1-454).
    expect(report.migrations.flatMap((m) => m.tables.filter((t) => t.lost || t.changed || t.lostColumns.length))).toEqual([]);
    // What is left is true: the snapshot still says attachedBy (D1-455), nothing was lost (D1-450, D1-454).
    expect([...new Set(report.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code))]).toEqual(['D1-455']);
  });
});
