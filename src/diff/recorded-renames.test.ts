import { describe, expect, it } from 'vitest';
import type { SchemaState, Table } from '../snapshot/types.js';
import { renamesFromMeta, renamesFromV7 } from './recorded-renames.js';

const table = (name: string, cols: string[]): Table => ({
  name,
  columns: Object.fromEntries(cols.map((c) => [c, { name: c, type: 'text', primaryKey: false, notNull: false, autoincrement: false }])),
  indexes: {}, foreignKeys: {}, compositePrimaryKeys: {}, uniqueConstraints: {}, checkConstraints: {},
});

describe("renames read back from a snapshot's _meta", () => {
  it('splits "t"."c" keys by the tables of the schema, dots and quotes in names included', () => {
    const cur: SchemaState = { tables: { accounts: table('accounts', ['full_name']), 'a.b': table('a.b', ['x"."y']) }, views: {} };
    const forward = renamesFromMeta(
      { tables: { '"users"': '"accounts"' }, columns: { '"accounts"."name"': '"accounts"."full_name"', '"a.b"."old"': '"a.b"."x"."y"' } },
      cur,
    );
    expect(forward).toEqual({ tables: { users: 'accounts' }, columns: { accounts: { name: 'full_name' }, 'a.b': { old: 'x"."y' } } });
    // A column key naming its table by the previous name counts for the renamed table.
    expect(renamesFromMeta({ tables: { '"users"': '"accounts"' }, columns: { '"users"."name"': '"users"."full_name"' } }, cur).columns).toEqual({ accounts: { name: 'full_name' } });
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
