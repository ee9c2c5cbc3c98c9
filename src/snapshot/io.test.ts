import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatJournal, formatSnapshot, readMigrationsFolder } from './io.js';

const real = join(import.meta.dirname, '../../test/real/corpus');
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const folder = (files: Record<string, string>) => {
  const d = mkdtempSync(join(tmpdir(), 'd1-io-'));
  dirs.push(d);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(d, rel, '..'), { recursive: true });
    writeFileSync(join(d, rel), text);
  }
  return d;
};
const journal = (tags: string[]) => JSON.stringify({ version: '7', dialect: 'sqlite', entries: tags.map((tag, idx) => ({ idx, version: '6', when: 1 + idx, tag, breakpoints: true })) });
const snapshot = (id: string, prevId: string, version = '6') => JSON.stringify({ version, dialect: 'sqlite', id, prevId, tables: {}, views: {}, enums: {}, _meta: { schemas: {}, tables: {}, columns: {} }, internal: { indexes: {} } });

describe('reading a drizzle-kit migrations folder', () => {
  it('reads the real public histories and re-formats their journal and snapshots byte for byte', () => {
    for (const name of ['cloudflog', 'cloudflare-authjs-sample']) {
      const dir = join(real, name);
      const f = readMigrationsFolder(dir);
      expect(f.journal.entries.length).toBeGreaterThan(1);
      expect(formatJournal(f.journal)).toBe(readFileSync(join(dir, 'meta/_journal.json'), 'utf8'));
      const last = f.snapshots.at(-1)!;
      expect(formatSnapshot(f.latest!)).toBe(readFileSync(join(dir, 'meta', last.file), 'utf8'));
    }
  });

  it('takes tables and views identical to the current schema as valid and checks the rest', () => {
    const dir = join(real, 'cloudflog');
    const full = readMigrationsFolder(dir).latest!;
    const names = Object.keys(full.tables);
    // The schema "now": every table as in the file except the first, which changed.
    const known = { tables: { ...full.tables, [names[0]!]: { ...full.tables[names[0]!]!, name: 'changed' } }, views: full.views };
    const partly = readMigrationsFolder(dir, known).latest!;
    expect(partly).toEqual(full);
    expect(Object.keys(partly.tables)).toEqual(names);

    // A table that differs from the schema is still validated, with its path in the message.
    const file = join(dir, 'meta', readMigrationsFolder(dir).snapshots.at(-1)!.file);
    const broken = JSON.parse(readFileSync(file, 'utf8'));
    broken.tables[names[0]!].columns = 'oops';
    const copy = folder({ 'meta/_journal.json': journal(['0000_x']), '0000_x.sql': '', 'meta/0000_snapshot.json': JSON.stringify(broken) });
    expect(() => readMigrationsFolder(copy, known)).toThrow(new RegExp(`tables\\.${names[0]}\\.columns`));
  });

  it('warns about files missing further back in the history, as drizzle-kit ignores them', () => {
    const f = readMigrationsFolder(
      folder({ 'meta/_journal.json': journal(['0000_a', '0001_b']), '0001_b.sql': 'SELECT 1;', 'meta/0001_snapshot.json': snapshot('b', 'a') }),
    );
    expect(f.latest?.id).toBe('b');
    expect(f.warnings.join('\n')).toMatch(/0000_a\.sql is missing[\s\S]*0000_snapshot\.json is missing/);
  });

  it('starts empty without a folder', () => {
    expect(readMigrationsFolder('/nonexistent/drizzle').latest).toBeNull();
  });

  it.each([
    ['a corrupt journal', { 'meta/_journal.json': '{ nope' }, /_journal\.json is not valid JSON/],
    ['a journal of the wrong shape', { 'meta/_journal.json': '{"version":"7","dialect":"sqlite","entries":[{"idx":"x"}]}' }, /_journal\.json is not a valid drizzle-kit journal/],
    ['a missing snapshot', { 'meta/_journal.json': journal(['0000_a']), '0000_a.sql': 'SELECT 1;' }, /0000_snapshot\.json is missing/],
    ['a missing SQL file', { 'meta/_journal.json': journal(['0000_a']), 'meta/0000_snapshot.json': snapshot('a', '0') }, /0000_a\.sql is missing/],
    ['a version 5 snapshot', { 'meta/_journal.json': journal(['0000_a']), '0000_a.sql': '', 'meta/0000_snapshot.json': snapshot('a', '0', '5') }, /drizzle-kit up/],
    ['an unknown snapshot version', { 'meta/_journal.json': journal(['0000_a']), '0000_a.sql': '', 'meta/0000_snapshot.json': snapshot('a', '0', '7') }, /does not understand/],
    ['snapshots without a journal', { 'meta/0000_snapshot.json': snapshot('a', '0') }, /_journal\.json is missing/],
    ['a prevId collision', { 'meta/_journal.json': journal(['0000_a', '0001_b']), '0000_a.sql': '', '0001_b.sql': '', 'meta/0000_snapshot.json': snapshot('a', 'z'), 'meta/0001_snapshot.json': snapshot('b', 'z') }, /same prevId/],
    ['a postgres journal', { 'meta/_journal.json': JSON.stringify({ version: '7', dialect: 'postgresql', entries: [] }) }, /only handles SQLite/],
  ])('refuses %s with a message naming the file', (_, files, message) => {
    expect(() => readMigrationsFolder(folder(files))).toThrow(message);
  });
});
