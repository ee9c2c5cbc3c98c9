import { describe, expect, it } from 'vitest';
import { col, fk, pk, state, table } from '../../test/support/state.js';
import { diffSchemas } from '../diff/diff.js';
import { noRenames, type Renames } from '../diff/types.js';
import type { SchemaState } from '../snapshot/types.js';
import { dropOrder, parentsFirst, planMigration } from './plan.js';
import { summarizePlan } from './summary.js';
import type { Step } from './types.js';

/** The plan with its summary (what it rebuilds, drops, deletes) and its diagnostics' codes. */
const plan = (prev: SchemaState, cur: SchemaState, renames: Renames = noRenames(), backfill?: Record<string, string>) => {
  const p = planMigration(prev, cur, diffSchemas(prev, cur, renames).changes, { backfill });
  return { ...p, ...summarizePlan(p), warnings: p.diagnostics.filter((d) => d.severity === 'warning').map((d) => d.message), codes: p.diagnostics.map((d) => d.code) };
};
const kinds = (steps: Step[]) => steps.map((s) => s.kind);

const parent = (nameNotNull = true) => table('p', [pk(), col('name', 'text', { notNull: nameNotNull })]);
const child = (name: string, to: string, onDelete: string) => table(name, [pk(), col('ref', 'integer')], { fks: [fk(name, 'ref', to, onDelete)] });

describe('planMigration', () => {
  it('uses native ALTER for additions and index changes (no rows copied)', () => {
    const p = plan(state(parent()), state({ ...parent(), columns: { ...parent().columns, bio: col('bio', 'text', { default: "'x'" }) } }));
    expect(kinds(p.steps)).toEqual(['addColumn']);
    expect(p.rebuilds).toEqual([]);
  });

  it('moves exactly the CASCADE, SET NULL and SET DEFAULT children, transitively', () => {
    const prev = state(parent(), child('c1', 'p', 'cascade'), child('c2', 'p', 'set null'), child('c3', 'p', 'set default'), child('r', 'p', 'restrict'), child('n', 'p', 'no action'), child('g', 'c1', 'cascade'), child('gn', 'c1', 'no action'));
    const cur = { ...prev, tables: { ...prev.tables, p: parent(false) } };
    const p = plan(prev, cur);
    expect(p.rebuilds.map((r) => r.table).sort()).toEqual(['c1', 'c2', 'c3', 'g', 'p']);
    expect(p.rebuilds.find((r) => r.table === 'g')!.movedOffParents).toEqual([{ parent: 'c1', onDelete: 'cascade' }]);
  });

  it('redirects moved children to the new parent and copies each table once, parents first, dropping children first', () => {
    const prev = state(parent(), child('c', 'p', 'cascade'));
    const p = plan(prev, { ...prev, tables: { ...prev.tables, p: parent(false) } });
    const creates = p.steps.filter((s) => s.kind === 'createTable');
    expect(creates.map((s) => (s.kind === 'createTable' ? [s.as, s.references] : null))).toEqual([
      ['__new_p', { p: '__new_p', c: '__new_c' }],
      ['__new_c', { p: '__new_p', c: '__new_c' }],
    ]);
    expect(p.steps.filter((s) => s.kind === 'copyRows').map((s) => (s.kind === 'copyRows' ? s.from : ''))).toEqual(['p', 'c']);
    expect(p.steps.filter((s) => s.kind === 'dropTable').map((s) => (s.kind === 'dropTable' ? s.name : ''))).toEqual(['c', 'p']);
    expect(p.steps[0]).toMatchObject({ kind: 'deferForeignKeys', on: true });
    expect(kinds(p.steps).slice(-2)).toEqual(['guard', 'deferForeignKeys']);
  });

  it('handles a self reference and a two-table cycle without looping', () => {
    const self = table('t', [pk(), col('parent', 'integer')], { fks: [fk('t', 'parent', 't', 'cascade')] });
    const p1 = plan(state(self), state({ ...self, checkConstraints: { c: { name: 'c', value: 'id > 0' } } }));
    expect(p1.rebuilds.map((r) => r.table)).toEqual(['t']);
    const a = child('a', 'b', 'cascade');
    const b = child('b', 'a', 'cascade');
    const p2 = plan(state(a, b), state({ ...a, columns: { ...a.columns, ref: col('ref', 'text') } }, b));
    expect(p2.rebuilds.map((r) => r.table).sort()).toEqual(['a', 'b']);
  });

  it('moves the reacting children of a dropped table', () => {
    const p = plan(state(parent(), child('c', 'p', 'cascade')), state(table('c', [pk(), col('ref', 'integer')])));
    expect(p.rebuilds.map((r) => r.table)).toEqual(['c']);
    expect(p.dropped).toEqual(['p']);
    const drops = p.steps.filter((s) => s.kind === 'dropTable').map((s) => (s.kind === 'dropTable' ? s.name : ''));
    expect(drops).toEqual(['c', 'p']);
  });

  it('refuses NOT NULL without a default on an existing table, and accepts a backfill', () => {
    const prev = state(parent());
    const cur = state({ ...parent(), columns: { ...parent().columns, slug: col('slug', 'text', { notNull: true }) } });
    expect(plan(prev, cur).diagnostics).toMatchObject([{ code: 'D1-101', table: 'p', column: 'slug', fixes: [{ kind: 'editSchema' }, { kind: 'backfill', table: 'p', column: 'slug' }] }]);
    const p = plan(prev, cur, noRenames(), { 'p.slug': "lower(name)" });
    const copy = p.steps.find((s) => s.kind === 'copyRows');
    expect(copy).toMatchObject({ columns: [{ name: 'id', from: 'id' }, { name: 'name', from: 'name' }, { name: 'slug', fallback: 'lower(name)' }] });
  });

  it('refuses making a column NOT NULL without a default, and coalesces with one', () => {
    const prev = state(table('t', [pk(), col('a', 'integer')]));
    expect(plan(prev, state(table('t', [pk(), col('a', 'integer', { notNull: true })]))).codes).toEqual(['D1-102']);
    const p = plan(prev, state(table('t', [pk(), col('a', 'integer', { notNull: true, default: 0 })])));
    expect(p.steps.find((s) => s.kind === 'copyRows')).toMatchObject({ columns: [{ name: 'id' }, { name: 'a', from: 'a', fallback: '0' }] });
    // The user checked there is no NULL: copied as is.
    const cur = state(table('t', [pk(), col('a', 'integer', { notNull: true })]));
    const assumed = planMigration(prev, cur, diffSchemas(prev, cur, noRenames()).changes, { assumeNotNull: ['t.a'] });
    expect(assumed.steps.find((s) => s.kind === 'copyRows')).toMatchObject({ columns: [{ name: 'id' }, { name: 'a', from: 'a' }] });
    expect(planMigration(prev, cur, diffSchemas(prev, cur, noRenames()).changes, { assumeNotNull: ['t.nope'] }).diagnostics).toMatchObject([{ code: 'D1-701' }]);
  });

  it('does not copy generated columns and reads a renamed column by its new name after RENAME COLUMN', () => {
    const prev = state(table('t', [pk(), col('a'), col('g', 'text', { generated: { as: '(upper(a))', type: 'virtual' } }), col('n', 'integer')]));
    const cur = state(table('t', [pk(), col('b'), col('g', 'text', { generated: { as: '(upper(b))', type: 'virtual' } }), col('n', 'real')]));
    const p = plan(prev, cur, { tables: {}, columns: { t: { a: 'b' } } });
    expect(kinds(p.steps).indexOf('renameColumn')).toBeLessThan(kinds(p.steps).indexOf('copyRows'));
    expect(p.steps.find((s) => s.kind === 'copyRows')).toMatchObject({ columns: [{ name: 'id' }, { name: 'b', from: 'b' }, { name: 'n', from: 'n' }] });
  });

  it('a new column that takes the name a renamed one leaves is not copied from the old table', () => {
    // name → full_name, and a new `name`; the table is rebuilt (n changes type).
    const prev = state(table('t', [pk(), col('name'), col('n', 'integer')]));
    const cur = state(table('t', [pk(), col('full_name'), col('name', 'text', { default: "'x'" }), col('n', 'real')]));
    const p = plan(prev, cur, { tables: {}, columns: { t: { name: 'full_name' } } });
    expect(p.steps.find((s) => s.kind === 'copyRows')).toMatchObject({ columns: [{ name: 'id' }, { name: 'full_name', from: 'full_name' }, { name: 'n', from: 'n' }] });
  });

  it('a dropped column whose name a renamed one takes steps aside first, and is dropped there', () => {
    const prev = state(table('t', [pk(), col('email'), col('new_email')]));
    const cur = state(table('t', [pk(), col('email')]));
    const p = plan(prev, cur, { tables: {}, columns: { t: { new_email: 'email' } } });
    expect(p.steps.map((s) => (s.kind === 'renameColumn' ? `${s.from}>${s.to}` : s.kind === 'dropColumn' ? `-${s.column}` : s.kind))).toEqual([
      'email>__rename_email',
      'new_email>email',
      '-__rename_email',
    ]);
  });

  it('orders column renames by names as SQLite compares them, ignoring letter case', () => {
    // name → Title while title → name: "Title" is still taken by `title` until it moves.
    const prev = state(table('t', [pk(), col('name'), col('title')]));
    const cur = state(table('t', [pk(), col('Title'), col('name')]));
    const p = plan(prev, cur, { tables: {}, columns: { t: { name: 'Title', title: 'name' } } });
    const renames = p.steps.flatMap((s) => (s.kind === 'renameColumn' ? [`${s.from}>${s.to}`] : []));
    expect(renames).toEqual(['name>__rename_name', 'title>name', '__rename_name>Title']);
    // A column rename that only changes letter case needs no spare name.
    const q = plan(state(table('t', [pk(), col('Email')])), state(table('t', [pk(), col('email')])), { tables: {}, columns: { t: { Email: 'email' } } });
    expect(q.steps.flatMap((s) => (s.kind === 'renameColumn' ? [`${s.from}>${s.to}`] : []))).toEqual(['Email>email']);
  });

  it('adds a nullable foreign-key column natively, keeping its actions', () => {
    const prev = state(parent(), table('c', [pk()]));
    const cur = state(parent(), table('c', [pk(), col('ref', 'integer')], { fks: [fk('c', 'ref', 'p', 'cascade')] }));
    const p = plan(prev, cur);
    expect(p.rebuilds).toEqual([]);
    expect(p.steps).toMatchObject([{ kind: 'addColumn', table: 'c', foreignKey: { onDelete: 'cascade' } }]);
  });

  it('carries the AUTOINCREMENT high-water mark of a rebuilt table', () => {
    const t = (notNull: boolean) => table('t', [col('id', 'integer', { primaryKey: true, notNull: true, autoincrement: true }), col('a', 'text', { notNull })]);
    expect(kinds(plan(state(t(true)), state(t(false))).steps)).toContain('carrySequence');
  });
});

describe('parentsFirst', () => {
  it('orders parents before children and keeps cycles stable', () => {
    const refs: Record<string, string[]> = { c: ['b'], b: ['a'], a: [], x: ['y'], y: ['x'] };
    expect(parentsFirst(['c', 'b', 'a', 'x', 'y'], (n) => refs[n]!)).toEqual(['a', 'b', 'c', 'y', 'x']);
  });
});

describe('renames', () => {
  it('swaps two columns through a spare name', () => {
    const prev = state(table('t', [pk(), col('a', 'integer'), col('b', 'text')]));
    const cur = state(table('t', [pk(), col('b', 'integer'), col('a', 'text')]));
    const p = plan(prev, cur, { tables: {}, columns: { t: { a: 'b', b: 'a' } } });
    expect(p.steps.filter((s) => s.kind === 'renameColumn').map((s) => (s.kind === 'renameColumn' ? `${s.from}>${s.to}` : ''))).toEqual(['a>__rename_a', 'b>a', '__rename_a>b']);
    expect(p.rebuilds).toEqual([]);
  });
});

describe('dropOrder', () => {
  it('drops tables nothing references first, children before parents', () => {
    const fks: Record<string, { to: string; onDelete: string }[]> = { p: [], c: [{ to: 'p', onDelete: 'cascade' }], g: [{ to: 'c', onDelete: 'set null' }] };
    expect(dropOrder(['p', 'c', 'g'], (n) => fks[n]!)).toEqual(['g', 'c', 'p']);
  });

  it('in a cycle, never fires an action into a table whose other parent is already gone', () => {
    // a <-> b (cascade both ways), b also references x; x references a (no action).
    const fks: Record<string, { to: string; onDelete: string }[]> = {
      a: [{ to: 'b', onDelete: 'cascade' }],
      b: [{ to: 'a', onDelete: 'cascade' }, { to: 'x', onDelete: 'no action' }],
      x: [{ to: 'a', onDelete: 'no action' }],
    };
    const order = dropOrder(['x', 'a', 'b'], (n) => fks[n]!);
    const remaining = new Set(order);
    for (const t of order) {
      for (const c of remaining) {
        if (c !== t && fks[c]!.some((f) => f.to === t && f.onDelete === 'cascade')) {
          expect(fks[c]!.every((f) => remaining.has(f.to)), `dropping ${t} fires into ${c}`).toBe(true);
        }
      }
      remaining.delete(t);
    }
  });
});

describe('warnings for constraints existing rows may not meet', () => {
  it('says so for a new check, unique index or foreign key on an existing table, not on a new one', () => {
    const prev = state(parent(), table('c', [pk(), col('ref', 'integer'), col('code')]));
    const cur = state(
      { ...parent(), checkConstraints: { name_len: { name: 'name_len', value: 'length("p"."name") > 0' } } },
      table('c', [pk(), col('ref', 'integer'), col('code')], { fks: [fk('c', 'ref', 'p', 'no action')], indexes: { c_code: { name: 'c_code', columns: ['code'], isUnique: true } } }),
      table('fresh', [pk()], { checkConstraints: { k: { name: 'k', value: 'id > 0' } } }),
    );
    const w = plan(prev, cur).warnings.join('\n');
    expect(plan(prev, cur).codes).toEqual(['D1-105', 'D1-106', 'D1-107']);
    expect(w).toMatch(/`p`: new check `name_len`/);
    expect(w).toMatch(/`c`: new unique index `c_code`/);
    expect(w).toMatch(/`c`: new foreign key \(ref\) → `p`/);
    expect(w).not.toMatch(/fresh/);
  });

  it('guards a unique index made narrower, not one made wider', () => {
    const withUnique = (cols: string[]) => state(table('t', [pk(), col('a'), col('b')], { indexes: { u: { name: 'u', columns: cols, isUnique: true } } }));
    expect(plan(withUnique(['a', 'b']), withUnique(['a'])).codes).toEqual(['D1-106']);
    expect(plan(withUnique(['a']), withUnique(['a', 'b'])).codes).toEqual([]);
  });
});

describe('the foreign-key guard', () => {
  const guardOf = (steps: Step[]) => steps.find((s) => s.kind === 'guard' && s.checks.some((c) => c.kind === 'noOrphans'));
  const guardedTablesOf = (steps: Step[]) => {
    const g = guardOf(steps);
    return g?.kind === 'guard' ? g.checks.map((c) => c.table) : [];
  };
  const unrelated = [table('x', [pk()]), child('u', 'x', 'no action')];

  it('checks the tables it copies and the children of the tables it rebuilds, nothing else', () => {
    const prev = state(parent(), child('c', 'p', 'cascade'), child('r', 'p', 'restrict'), ...unrelated);
    const p = plan(prev, { ...prev, tables: { ...prev.tables, p: parent(false) } });
    // p is copied too, but has no foreign key of its own to check.
    expect(guardedTablesOf(p.steps)).toEqual(['c', 'r']);
  });

  it('refuses a migration that would copy or check a child whose parent columns are not unique', () => {
    const byName = table('m', [pk(), col('pname')], { fks: [fk('m', 'pname', 'p', 'no action', 'name')] });
    const prev = state(parent(), byName);
    const refused = plan(prev, { ...prev, tables: { ...prev.tables, p: parent(false) } });
    expect(refused.codes).toEqual(['D1-103']);
    expect(refused.steps).toEqual([]);
    // Unique parent columns are fine, in any order for a composite key.
    const unique = { ...parent(false), indexes: { p_name: { name: 'p_name', columns: ['name'], isUnique: true } } };
    expect(plan(prev, { ...prev, tables: { ...prev.tables, p: unique } }).rebuilds.map((r) => r.table)).toEqual(['p']);
  });

  it('only warns about such a foreign key on a new table (no rows to copy yet), and not again later', () => {
    const byName = table('m', [pk(), col('pname')], { fks: [fk('m', 'pname', 'p', 'no action', 'name')] });
    const p = plan(state(parent()), state(parent(), byName));
    expect(p.codes).toEqual(['D1-104']);
    const later = plan(state(parent(), byName), state(parent(), byName, table('z', [pk()])));
    expect(later.warnings).toEqual([]);
  });
});

describe('rows DROP TABLE deletes one by one', () => {
  it('names a rebuilt parent a child in place still references, and what its deletions may reach', () => {
    const prev = state(parent(), child('r', 'p', 'restrict'));
    expect(plan(prev, { ...prev, tables: { ...prev.tables, p: parent(false) } }).deletedByDrop).toEqual([{ table: 'p', certain: true, actionsInto: [] }]);
    const tree = table('t', [pk(), col('up', 'integer'), col('x')], { fks: [fk('t', 'up', 't', 'cascade')] });
    const changed = { ...tree, columns: { ...tree.columns, x: col('x', 'integer') } };
    expect(plan(state(tree), state(changed)).deletedByDrop).toEqual([{ table: 't', certain: true, actionsInto: ['t'] }]);
    // Nothing names a rebuilt table that only moved children reference: no row-by-row delete.
    const moved = state(parent(), child('c', 'p', 'cascade'));
    expect(plan(moved, { ...moved, tables: { ...moved.tables, p: parent(false) } }).deletedByDrop).toEqual([]);
  });
});
