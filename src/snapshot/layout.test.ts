import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { layoutIn, layoutOf, nextFolderTag, rollbackPath } from './layout.js';
import { renamesOf } from './v7.js';

const dirs: string[] = [];
const temp = (files: Record<string, string> = {}) => {
  const dir = mkdtempSync(join(tmpdir(), 'layout-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const kit = (version: string) => ({ 'node_modules/drizzle-kit/package.json': JSON.stringify({ version }) });

describe('folder layout', () => {
  it('a new folder follows the installed drizzle-kit; a used one what it holds', () => {
    expect(layoutOf(join(temp(kit('1.0.0-rc.5')), 'drizzle'), dirs.at(-1)!)).toBe('folders');
    expect(layoutOf(join(temp(kit('0.31.11')), 'drizzle'), dirs.at(-1)!)).toBe('journal');
    expect(layoutOf(join(temp(), 'drizzle'), dirs.at(-1)!)).toBe('journal');
    const v1 = temp({ ...kit('0.31.11'), 'drizzle/20260101000000_init/migration.sql': '' });
    expect(layoutOf(join(v1, 'drizzle'), v1)).toBe('folders');
    expect(layoutIn(join(v1, 'drizzle'))).toBe('folders');
    const v0 = temp({ ...kit('1.0.0'), 'drizzle/0000_init.sql': '' });
    expect(layoutOf(join(v0, 'drizzle'), v0)).toBe('journal');
    const both = temp({ 'drizzle/meta/_journal.json': '{}', 'drizzle/20260101000000_init/migration.sql': '' });
    expect(() => layoutOf(join(both, 'drizzle'), both)).toThrow(expect.objectContaining({ code: 'D1-633' }));
  });

  it('a new folder is named by the UTC second, at least one second after every folder', () => {
    const at = (tag: string) => ({ tag, sqlPath: '', snapshotPath: undefined });
    expect(nextFolderTag([], new Date(Date.UTC(2026, 11, 2, 1, 2, 3, 900)), 'init')).toBe('20261202010203_init');
    const existing = [at('20261202010203_a'), at('20261231235959_b')];
    expect(nextFolderTag(existing, new Date(Date.UTC(2026, 0, 1)), 'c')).toBe('20270101000000_c');
  });

  it('renames and rollback files are named as drizzle-kit 1.0 and the rollback command expect', () => {
    expect(renamesOf({ tables: { '"people"': '"persons"' }, columns: { '"users"."name"': '"users"."full_name"' } })).toEqual(['people->persons', 'users.name->users.full_name']);
    expect(rollbackPath('/o', 'folders', '20260101000000_a')).toBe('/o/20260101000000_a/down.sql');
    expect(rollbackPath('/o', 'journal', '0001_a')).toBe('/o/rollback/0001_a.down.sql');
  });
});
