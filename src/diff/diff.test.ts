import { describe, expect, it } from 'vitest';
import { col, fk, pk, state, table } from '../../test/support/state.js';
import { diffSchemas, findAmbiguities } from './diff.js';
import { noRenames } from './types.js';

const users = (...extra: ReturnType<typeof col>[]) => table('users', [pk(), col('name', 'text', { notNull: true }), ...extra]);
const posts = (onDelete = 'cascade', to = 'users') => table('posts', [pk(), col('author_id', 'integer')], { fks: [fk('posts', 'author_id', to, onDelete)] });

describe('diffSchemas', () => {
  it('reports no change for identical schemas', () => {
    expect(diffSchemas(state(users(), posts()), state(users(), posts()), noRenames()).changes).toEqual([]);
  });

  it('reports created and dropped tables', () => {
    const kinds = diffSchemas(state(users()), state(posts()), { tables: {}, columns: {}, createdTables: ['posts'] }).changes.map((c) => c.kind);
    expect(kinds.sort()).toEqual(['createTable', 'dropTable']);
  });

  it('reports each column aspect that changed', () => {
    const prev = state(table('t', [pk(), col('a', 'integer')]));
    const cur = state(table('t', [pk(), col('a', 'text', { notNull: true, default: "'x'" })]));
    const [change] = diffSchemas(prev, cur, noRenames()).changes;
    expect(change).toMatchObject({ kind: 'alterColumn', table: 't', aspects: ['type', 'notNull', 'default'] });
  });

  it('compares foreign keys by content, not by their derived names', () => {
    const renamed = posts();
    renamed.foreignKeys = { other_name: { ...Object.values(renamed.foreignKeys)[0]!, name: 'other_name' } };
    expect(diffSchemas(state(users(), posts()), state(users(), renamed), noRenames()).changes).toEqual([]);
  });

  it('sees a changed ON DELETE action as a dropped and an added foreign key', () => {
    const kinds = diffSchemas(state(users(), posts('cascade')), state(users(), posts('set null')), noRenames()).changes.map((c) => c.kind);
    expect(kinds).toEqual(['dropForeignKey', 'addForeignKey']);
  });

  it('does not report the children of a renamed table as changed (SQLite rewrites their references)', () => {
    const accounts = { ...users(), name: 'accounts' };
    const { changes, meta } = diffSchemas(state(users(), posts()), state(accounts, posts('cascade', 'accounts')), { tables: { users: 'accounts' }, columns: {} });
    expect(changes).toEqual([{ kind: 'renameTable', from: 'users', to: 'accounts' }]);
    expect(meta.tables).toEqual({ '"users"': '"accounts"' });
  });

  it('records column renames in _meta and keeps checks that only follow the rename', () => {
    const prev = state(table('t', [pk(), col('score', 'integer')], { checkConstraints: { c: { name: 'c', value: '"t"."score" >= 0' } } }));
    const cur = state(table('t', [pk(), col('points', 'integer')], { checkConstraints: { c: { name: 'c', value: '"t"."points" >= 0' } } }));
    const { changes, meta } = diffSchemas(prev, cur, { tables: {}, columns: { t: { score: 'points' } } });
    expect(changes).toEqual([{ kind: 'renameColumn', table: 't', from: 'score', to: 'points' }]);
    expect(meta.columns).toEqual({ '"t"."score"': '"t"."points"' });
  });

  it('turns a changed index into a drop and a create', () => {
    const withIndex = (cols: string[]) => table('t', [pk(), col('a'), col('b')], { indexes: { ix: { name: 'ix', columns: cols, isUnique: false } } });
    const kinds = diffSchemas(state(withIndex(['a'])), state(withIndex(['a', 'b'])), noRenames()).changes.map((c) => c.kind);
    expect(kinds).toEqual(['dropIndex', 'createIndex']);
  });

  it('sees an index or check on a dropped column as changed when a renamed column takes its name', () => {
    // email dropped, new_email renamed to email: the old index and check read the old column.
    const t = (cols: string[]) =>
      table('t', cols.map((c) => col(c)), {
        indexes: { ix: { name: 'ix', columns: ['email'], isUnique: false }, lx: { name: 'lx', columns: ['lower(email)'], isUnique: false } },
        checkConstraints: { c: { name: 'c', value: 'email <> \'\'' } },
      });
    const { changes } = diffSchemas(state(t(['email', 'new_email'])), state(t(['email'])), { tables: {}, columns: { t: { new_email: 'email' } } });
    expect(changes.map((c) => c.kind).sort()).toEqual(['addCheck', 'createIndex', 'createIndex', 'dropCheck', 'dropColumn', 'dropIndex', 'dropIndex', 'renameColumn']);
  });
});

describe('findAmbiguities', () => {
  it('asks about tables first, then about columns per table', () => {
    expect(findAmbiguities(state(users()), state({ ...users(), name: 'accounts' }), noRenames())).toEqual([
      { kind: 'table', removed: ['users'], added: ['accounts'] },
    ]);
    const cur = state(table('users', [pk(), col('full_name', 'text', { notNull: true })]));
    expect(findAmbiguities(state(users()), cur, noRenames())).toEqual([{ kind: 'column', table: 'users', removed: ['name'], added: ['full_name'] }]);
  });

  it('is not ambiguous when only additions or only removals happen', () => {
    expect(findAmbiguities(state(users()), state(users(col('bio'))), noRenames())).toEqual([]);
    expect(findAmbiguities(state(users(), posts()), state(users()), noRenames())).toEqual([]);
  });

  it('is settled by a rename or a declared creation', () => {
    const cur = state(table('users', [pk(), col('full_name', 'text', { notNull: true })]));
    expect(findAmbiguities(state(users()), cur, { tables: {}, columns: { users: { name: 'full_name' } } })).toEqual([]);
    expect(findAmbiguities(state(users()), cur, { tables: {}, columns: {}, createdColumns: { users: ['full_name'] } })).toEqual([]);
  });
});
