import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { zeroValue } from './findings.js';
import { reverseRenames } from './renames.js';
import { wranglerDatabase } from '../snapshot/wrangler-config.js';

describe('renames reversed for the way back', () => {
  it('keys columns by the previous table name, current → previous', () => {
    const forward = { tables: { users: 'accounts' }, columns: { accounts: { name: 'full_name' }, 'a.b': { old: 'x"."y' } } };
    expect(reverseRenames(forward)).toEqual({ tables: { accounts: 'users' }, columns: { users: { full_name: 'name' }, 'a.b': { 'x"."y': 'old' } } });
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
