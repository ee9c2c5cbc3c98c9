import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { databasesFor, readWranglerConfig } from './wrangler-config.js';
import type { LayoutKind } from './layout.js';
import { databaseRunning, wranglerPatternWarnings } from './wrangler.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'drizzle-d1-wrangler-'));
  dirs.push(dir);
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  return dir;
}

const jsonc = (db: Record<string, string>) => `{\n  // D1\n  "d1_databases": [\n    ${JSON.stringify({ binding: 'DB', database_name: 'app', ...db })},\n  ],\n}\n`;
const codes = (root: string, layout: LayoutKind, tag = '20261202093000_init') =>
  wranglerPatternWarnings(readWranglerConfig(root), root, join(root, 'drizzle'), layout, tag).map((w) => /^\[(D1-\d+)\]/.exec(w)?.[1]);

describe("the wrangler config's D1 databases", () => {
  it('are read from wrangler.jsonc (comments, trailing commas) and wrangler.toml (tables and inline arrays)', () => {
    const a = project({ 'wrangler.jsonc': jsonc({ database_id: 'x', migrations_dir: './drizzle/', migrations_pattern: 'drizzle/*/migration.sql' }) });
    expect(readWranglerConfig(a).databases).toEqual([
      { name: 'app', id: 'x', migrationsTable: 'd1_migrations', migrationsDir: './drizzle/', migrationsPattern: 'drizzle/*/migration.sql', file: join(a, 'wrangler.jsonc') },
    ]);
    const b = project({ 'wrangler.toml': 'name = "w"\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "one"\n\n[[d1_databases]]\ndatabase_name = "two"\nmigrations_dir = "drizzle"\nmigrations_table = "mig"\n' });
    expect(readWranglerConfig(b).databases.map((d) => [d.name, d.migrationsTable, d.migrationsDir])).toEqual([['one', 'd1_migrations', undefined], ['two', 'mig', 'drizzle']]);
    // The database reading the folder, whatever its position; one without migrations_dir reads "migrations".
    expect(databasesFor(readWranglerConfig(b), b, join(b, 'drizzle')).map((d) => d.name)).toEqual(['two']);
    expect(databasesFor(readWranglerConfig(b), b, join(b, 'migrations')).map((d) => d.name)).toEqual(['one']);
    const c = project({ 'wrangler.toml': "d1_databases = [ { binding = 'DB', database_name = 'inline' } ]\n[[env.production.d1_databases]]\ndatabase_name = 'prod'\n" });
    expect(readWranglerConfig(c).databases.map((d) => d.name)).toEqual(['inline', 'prod']);
  });

  it('counts an unreadable config as one without databases', () => {
    expect(readWranglerConfig(project({ 'wrangler.json': '{ not json' })).databases).toEqual([]);
    expect(readWranglerConfig(project({ 'wrangler.toml': '[[d1_databases]\n' })).databases).toEqual([]);
    expect(readWranglerConfig(project({})).file).toBeUndefined();
  });
});

describe('migrations_pattern, as wrangler 4.98+ matches it', () => {
  it("in drizzle-kit 1.0's layout: missing, outside migrations_dir or matching nothing is D1-634", () => {
    expect(codes(project({ 'wrangler.jsonc': jsonc({ migrations_dir: 'drizzle' }) }), 'folders')).toEqual(['D1-634']);
    // Relative to the wrangler config, so it must start with the migrations folder.
    expect(codes(project({ 'wrangler.jsonc': jsonc({ migrations_dir: 'drizzle', migrations_pattern: '*/migration.sql' }) }), 'folders')).toEqual(['D1-634']);
    expect(codes(project({ 'wrangler.jsonc': jsonc({ migrations_dir: 'drizzle', migrations_pattern: 'drizzle/*.sql' }) }), 'folders')).toEqual(['D1-634']);
    expect(codes(project({ 'wrangler.jsonc': jsonc({ migrations_dir: 'drizzle', migrations_pattern: './drizzle/*/migration.sql' }) }), 'folders')).toEqual([]);
  });

  it('wider than the migration files is D1-636, and the rollback file is then one wrangler runs', () => {
    for (const [layout, pattern, runs] of [
      ['folders', 'drizzle/*/*.sql', '20261202093000_init/down.sql'],
      ['folders', 'drizzle/**', '20261202093000_init/snapshot.json'],
      ['journal', 'drizzle/**/*.sql', 'rollback/0000_init.down.sql'],
    ] as const) {
      const root = project({ 'wrangler.jsonc': jsonc({ migrations_dir: 'drizzle', migrations_pattern: pattern }) });
      expect(codes(root, layout, layout === 'folders' ? '20261202093000_init' : '0000_init')).toEqual(['D1-636']);
      expect(databaseRunning(readWranglerConfig(root), root, join(root, 'drizzle'), runs)?.name).toBe('app');
    }
  });

  it('beside a journal, the default pattern reads top-level files only: no warning, rollback/ is never run', () => {
    const root = project({ 'wrangler.jsonc': jsonc({ migrations_dir: 'drizzle' }) });
    expect(codes(root, 'journal', '0000_init')).toEqual([]);
    expect(databaseRunning(readWranglerConfig(root), root, join(root, 'drizzle'), 'rollback/0000_init.down.sql')).toBeUndefined();
    expect(databaseRunning(readWranglerConfig(root), root, join(root, 'drizzle'), '0000_init.sql')?.name).toBe('app');
    // A database reading another folder says nothing about this one.
    expect(codes(project({ 'wrangler.jsonc': jsonc({ migrations_dir: 'other' }) }), 'folders')).toEqual([]);
  });
});
