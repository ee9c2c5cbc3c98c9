import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SchemaState, Table } from '../snapshot/types.js';
import { zeroValue } from './findings.js';
import { renamesFromMeta, renamesFromV7, reverseRenames } from './renames.js';
import { wranglerDatabase } from '../snapshot/wrangler-config.js';

const table = (name: string, cols: string[]): Table => ({
  name,
  columns: Object.fromEntries(cols.map((c) => [c, { name: c, type: 'text', primaryKey: false, notNull: false, autoincrement: false }])),
  indexes: {}, foreignKeys: {}, compositePrimaryKeys: {}, uniqueConstraints: {}, checkConstraints: {},
});

describe('renames read back from _meta and reversed', () => {
  it('splits "t"."c" keys by the tables of the schema, dots and quotes in names included', () => {
    const cur: SchemaState = { tables: { accounts: table('accounts', ['full_name']), 'a.b': table('a.b', ['x"."y']) }, views: {} };
    const forward = renamesFromMeta(
      { tables: { '"users"': '"accounts"' }, columns: { '"accounts"."name"': '"accounts"."full_name"', '"a.b"."old"': '"a.b"."x"."y"' } },
      cur,
    );
    expect(forward).toEqual({ tables: { users: 'accounts' }, columns: { accounts: { name: 'full_name' }, 'a.b': { old: 'x"."y' } } });
    // The way back: keyed by the previous table name, current → previous.
    expect(reverseRenames(forward)).toEqual({ tables: { accounts: 'users' }, columns: { users: { full_name: 'name' }, 'a.b': { 'x"."y': 'old' } } });
  });
});

describe("renames read back from a drizzle-kit 1.0 snapshot", () => {
  it('tells table entries from column entries by the tables of the schema, dots in names included', () => {
    const cur: SchemaState = { tables: { accounts: table('accounts', ['full_name']), 'a.b': table('a.b', ['y']) }, views: {} };
    expect(renamesFromV7(['users->accounts', 'accounts.name->accounts.full_name', 'a.b.x->a.b.y', 'gone->nowhere'], cur)).toEqual({
      tables: { users: 'accounts' },
      columns: { accounts: { name: 'full_name' }, 'a.b': { x: 'y' } },
    });
  });
});

describe('placeholders', () => {
  it('are the zero value of the type affinity', () => {
    expect(['integer', 'INT', 'bigint', 'text', 'varchar(20)', 'blob', 'real', 'numeric', ''].map(zeroValue)).toEqual(['0', '0', '0', "''", "''", "x''", '0', '0', "x''"]);
  });
});

describe("the runbook's database name", () => {
  const project = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'drizzle-d1-wrangler-config-'));
    for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
    return dir;
  };
  it('comes from wrangler.jsonc (comments, trailing commas), wrangler.toml, or is <DB>', () => {
    const dirs = [
      project({ 'wrangler.jsonc': '{\n // a comment with "quotes"\n "d1_databases": [ /* x */ { "database_name": "app // prod", "migrations_table": "mig", }, ],\n}' }),
      project({ 'wrangler.toml': 'name = "w"\n[vars]\nA = "1"\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "toml-db"\n[[d1_databases]]\ndatabase_name = "second"\n' }),
      project({ 'wrangler.toml': 'd1_databases = [\n  { binding = "DB", database_name = \'inline-db\', database_id = "x" },\n]\n' }),
      project({}),
      project({ 'wrangler.json': '{ not json' }),
    ];
    try {
      expect(dirs.map((d) => wranglerDatabase(d)).map(({ name, migrationsTable }) => [name, migrationsTable])).toEqual([
        ['app // prod', 'mig'],
        ['toml-db', 'd1_migrations'],
        ['inline-db', 'd1_migrations'],
        ['<DB>', 'd1_migrations'],
        ['<DB>', 'd1_migrations'],
      ]);
    } finally {
      dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
    }
  });
});
