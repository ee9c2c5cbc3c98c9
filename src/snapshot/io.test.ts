import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserInputError } from '../diagnostics/errors.js';
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

  const a = snapshot('a', '00000000-0000-0000-0000-000000000000');
  const b = snapshot('b', 'a');
  const twoMigrations = { 'meta/_journal.json': journal(['0000_a', '0001_b']), '0000_a.sql': '', '0001_b.sql': '', 'meta/0000_snapshot.json': a, 'meta/0001_snapshot.json': b };
  const entries = (...tags: [number, string][]) => JSON.stringify({ version: '7', dialect: 'sqlite', entries: tags.map(([idx, tag]) => ({ idx, version: '6', when: 1 + idx, tag, breakpoints: true })) });

  it.each([
    ['a corrupt journal', { 'meta/_journal.json': '{ nope' }, /_journal\.json is not valid JSON/, 'D1-601'],
    ['a journal with merge conflict markers', { 'meta/_journal.json': '{\n<<<<<<< HEAD\n"x": 1\n=======\n"x": 2\n>>>>>>> other\n}' }, /conflict markers[\s\S]*D1-612/, 'D1-601'],
    ['a journal of the wrong shape', { 'meta/_journal.json': '{"version":"7","dialect":"sqlite","entries":[{"idx":"x"}]}' }, /_journal\.json is not a valid drizzle-kit journal/, 'D1-601'],
    ['a missing snapshot', { 'meta/_journal.json': journal(['0000_a']), '0000_a.sql': 'SELECT 1;' }, /0000_snapshot\.json is missing/, 'D1-611'],
    ['a missing SQL file', { 'meta/_journal.json': journal(['0000_a']), 'meta/0000_snapshot.json': snapshot('a', '0') }, /0000_a\.sql is missing/, 'D1-610'],
    ['a version 5 snapshot', { 'meta/_journal.json': journal(['0000_a']), '0000_a.sql': '', 'meta/0000_snapshot.json': snapshot('a', '0', '5') }, /drizzle-kit up/, 'D1-604'],
    ['an unknown snapshot version', { 'meta/_journal.json': journal(['0000_a']), '0000_a.sql': '', 'meta/0000_snapshot.json': snapshot('a', '0', '7') }, /does not understand/, 'D1-604'],
    ['a snapshot that is not JSON', { 'meta/_journal.json': journal(['0000_a']), '0000_a.sql': '', 'meta/0000_snapshot.json': '{' }, /0000_snapshot\.json is not valid JSON/, 'D1-603'],
    ['snapshots without a journal', { 'meta/0000_snapshot.json': snapshot('a', '0') }, /_journal\.json is missing/, 'D1-602'],
    ['a prevId collision', { ...twoMigrations, 'meta/0000_snapshot.json': snapshot('a', 'z'), 'meta/0001_snapshot.json': snapshot('b', 'z') }, /same prevId/, 'D1-612'],
    ['two journal entries with one idx', { ...twoMigrations, 'meta/_journal.json': entries([0, '0000_a'], [1, '0001_b'], [1, '0001_c']), '0001_c.sql': '' }, /same idx \(1\): "0001_b" and "0001_c"/, 'D1-612'],
    ['two journal entries with one number', { ...twoMigrations, 'meta/_journal.json': entries([0, '0000_a'], [1, '0001_b'], [2, '0001_c']), '0001_c.sql': '' }, /same number \(0001\)/, 'D1-612'],
    ['a snapshot among the entries that the journal does not list', { ...twoMigrations, 'meta/_journal.json': entries([0, '0000_a'], [2, '0002_c']), '0002_c.sql': '', 'meta/0002_snapshot.json': snapshot('c', 'b') }, /0001_snapshot\.json is not the snapshot of any migration/, 'D1-612'],
    ['a latest snapshot generated from another state', { ...twoMigrations, 'meta/0001_snapshot.json': snapshot('b', 'elsewhere') }, /prevId elsewhere, but the snapshot before it[\s\S]*has id a/, 'D1-613'],
    ['a half-written migration (snapshot and SQL after the last entry)', { ...twoMigrations, '0002_c.sql': 'SELECT 1;', 'meta/0002_snapshot.json': snapshot('c', 'b') }, /0002_c\.sql, .*meta\/0002_snapshot\.json are not in .*_journal\.json: a run that was writing a migration was interrupted/, 'D1-614'],
    ['a half-written first migration (the journal never written)', { 'meta/0000_snapshot.json': a, '0000_a.sql': '', 'meta/._journal.json.0123456789ab.tmp': '{}' }, /0000_a\.sql, .*0000_snapshot\.json, .*\._journal\.json\.0123456789ab\.tmp are not in/, 'D1-614'],
    ['a postgres journal', { 'meta/_journal.json': JSON.stringify({ version: '7', dialect: 'postgresql', entries: [] }) }, /only handles SQLite/, 'D1-605'],
    ['a drizzle-kit ≤0.19 folder', { '20230101000000/migration.sql': '' }, /old drizzle-kit \(≤0\.19\)/, 'D1-606'],
    ['a drizzle-kit 1.0 folder', { '20250101000000_init/migration.sql': '', '20250101000000_init/snapshot.json': '{}' }, /folder-per-migration layout/, 'D1-606'],
  ])('refuses %s with a message naming the file and its code', (_, files, message, code) => {
    const error = (() => {
      try {
        readMigrationsFolder(folder(files));
      } catch (e) {
        return e as UserInputError;
      }
      throw new Error('expected a refusal');
    })();
    expect(error).toBeInstanceOf(UserInputError);
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(/\n/);
    expect(error.code).toBe(code);
  });

  it('a journal entry without a snapshot says how to make one rather than "restore" it', () => {
    const files = { ...twoMigrations, 'meta/_journal.json': journal(['0000_a', '0001_b', '0002_by_hand']), '0002_by_hand.sql': 'UPDATE t SET x = 1;' };
    expect(() => readMigrationsFolder(folder(files))).toThrow(/written and added to the journal by hand[\s\S]*copy .*0001_snapshot\.json to .*0002_snapshot\.json[\s\S]*--custom[\s\S]*git checkout/);
  });

  it('a snapshot missing in the middle of the history is a gap (a warning), not a broken chain', () => {
    const f = readMigrationsFolder(
      folder({ 'meta/_journal.json': journal(['0000_a', '0001_b', '0002_c']), '0000_a.sql': '', '0001_b.sql': '', '0002_c.sql': '', 'meta/0000_snapshot.json': a, 'meta/0002_snapshot.json': snapshot('c', 'b') }),
    );
    expect(f.latest?.id).toBe('c');
    expect(f.warnings.join('\n')).toMatch(/0001_snapshot\.json is missing/);
  });

  it('an older broken link is a warning', () => {
    const f = readMigrationsFolder(folder({ ...twoMigrations, 'meta/_journal.json': journal(['0000_a', '0001_b', '0002_c']), '0002_c.sql': '', 'meta/0001_snapshot.json': snapshot('b', 'elsewhere'), 'meta/0002_snapshot.json': snapshot('c', 'b') }));
    expect(f.warnings.join('\n')).toMatch(/0001_snapshot\.json has prevId elsewhere/);
  });

  it('an out path or meta that is a file is refused as not a folder', () => {
    const d = folder({ 'drizzle': 'not a folder' });
    expect(() => readMigrationsFolder(join(d, 'drizzle'))).toThrow(expect.objectContaining({ code: 'D1-621' }));
    expect(() => readMigrationsFolder(folder({ meta: 'not a folder either' }))).toThrow(expect.objectContaining({ code: 'D1-621' }));
  });

  it('lists .sql files the journal does not list (migrations written for wrangler only) and leftover temporary files', () => {
    const f = readMigrationsFolder(folder({ ...twoMigrations, '0002_wrangler_only.sql': 'SELECT 1;', '.0002_x.sql.0123456789ab.tmp': '' }));
    expect(f.unlistedSql).toEqual(['0002_wrangler_only.sql']);
    expect(f.leftovers).toEqual(['.0002_x.sql.0123456789ab.tmp']);
    expect(f.latest?.id).toBe('b');
  });
});
