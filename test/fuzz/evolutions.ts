/**
 * Seeded random schema evolutions for the planner's property tests: a schema of 3–7 tables with
 * foreign keys of every ON DELETE action (self references, cycles, composite keys, children of UNIQUE
 * columns, generated columns, views) and a random mix of changes to it.
 */
import { diffSchemas } from '../../src/diff/diff.js';
import { noRenames, type Renames } from '../../src/diff/types.js';
import { planMigration } from '../../src/plan/plan.js';
import type { Column, SchemaState, Table } from '../../src/snapshot/types.js';
import { renderMigration } from '../../src/sql/render.js';
import { col, fk } from '../support/state.js';

/** mulberry32: a tiny seeded PRNG, so a failing case can be replayed from its number. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)]!, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof rng>;

const TYPES = ['integer', 'text', 'real'];
const ACTIONS = ['cascade', 'set null', 'set default', 'restrict', 'no action'];
const clone = <T>(x: T): T => structuredClone(x);

export function randomSchema(r: Rng): SchemaState {
  const n = 3 + r.int(5);
  const tables: Record<string, Table> = {};
  for (let i = 0; i < n; i++) {
    const name = `t${i}`;
    const columns: Record<string, Column> = { id: col('id', 'integer', { primaryKey: true, notNull: true, autoincrement: r.chance(0.3) }) };
    for (let c = 0; c < 1 + r.int(3); c++) {
      const notNull = r.chance(0.4);
      const type = r.pick(TYPES);
      columns[`c${c}`] = col(`c${c}`, type, notNull ? { notNull, default: type === 'text' ? "'d'" : 0 } : {});
    }
    const t: Table = { name, columns, indexes: {}, foreignKeys: {}, compositePrimaryKeys: {}, uniqueConstraints: {}, checkConstraints: {} };
    if (i > 0 && r.chance(0.85)) {
      const target = r.chance(0.15) ? name : `t${r.int(i)}`; // sometimes a self reference
      const action = r.pick(ACTIONS);
      t.columns.ref = col('ref', 'integer', action === 'set default' ? { default: 'NULL' } : {});
      if (action === 'set default') delete t.columns.ref.default;
      const f = fk(name, 'ref', target, action);
      t.foreignKeys[f.name] = f;
    }
    if (r.chance(0.3)) t.indexes[`${name}_c0_idx`] = { name: `${name}_c0_idx`, columns: ['c0'], isUnique: false };
    if (r.chance(0.2)) t.checkConstraints[`${name}_id_pos`] = { name: `${name}_id_pos`, value: `"${name}"."id" > 0` };
    tables[name] = t;
  }
  // A cycle now and then: the first table points back at a later one.
  if (n > 2 && r.chance(0.3)) {
    const last = `t${n - 1}`;
    tables.t0!.columns.back = col('back', 'integer');
    const f = fk('t0', 'back', last, r.pick(['cascade', 'set null', 'no action']));
    tables.t0!.foreignKeys[f.name] = f;
  }
  // A many-to-many table with a composite primary key.
  if (r.chance(0.35)) {
    const fa = fk('m', 'a', 't0', 'cascade');
    const fb = fk('m', 'b', `t${r.int(n)}`, r.pick(['cascade', 'restrict', 'no action']));
    tables.m = {
      name: 'm',
      columns: { a: col('a', 'integer', { notNull: true }), b: col('b', 'integer', { notNull: true }), w: col('w') },
      indexes: {},
      foreignKeys: { [fa.name]: fa, [fb.name]: fb },
      compositePrimaryKeys: { m_a_b_pk: { columns: ['a', 'b'], name: 'm_a_b_pk' } },
      uniqueConstraints: {},
      checkConstraints: {},
    };
  }
  // A generated column over a plain one.
  if (r.chance(0.3) && tables.t1?.columns.c0) {
    tables.t1.columns.g = col('g', 'text', { generated: { as: '(upper("c0"))', type: r.pick(['virtual', 'stored'] as const) } });
  }
  // A child referencing a UNIQUE column instead of the primary key.
  if (r.chance(0.3)) {
    const f = fk('uc', 'code', 'u', r.pick(['cascade', 'set null', 'no action']), 'code');
    tables.u = {
      name: 'u',
      columns: { id: col('id', 'integer', { primaryKey: true, notNull: true }), code: col('code', 'text', { notNull: true }), n: col('n', 'integer') },
      indexes: { u_code_unique: { name: 'u_code_unique', columns: ['code'], isUnique: true } },
      foreignKeys: {},
      compositePrimaryKeys: {},
      uniqueConstraints: {},
      checkConstraints: {},
    };
    tables.uc = {
      name: 'uc',
      columns: { id: col('id', 'integer', { primaryKey: true, notNull: true }), code: col('code', 'text') },
      indexes: {},
      foreignKeys: { [f.name]: f },
      compositePrimaryKeys: {},
      uniqueConstraints: {},
      checkConstraints: {},
    };
  }
  const views: SchemaState['views'] = {};
  for (const name of Object.keys(tables)) {
    if (tables[name]!.columns.id && r.chance(0.25)) views[`v_${name}`] = { columns: {}, name: `v_${name}`, isExisting: false, definition: `select "id" from "${name}"` };
  }
  return { tables, views, internal: { indexes: {} } };
}

/** Views follow their table: renamed with it, dropped with it. */
function followViews(cur: SchemaState, renames: Renames) {
  for (const [name, view] of Object.entries(cur.views)) {
    const table = /from "([^"]+)"/.exec(view.definition ?? '')?.[1] ?? '';
    const now = renames.tables[table] ?? table;
    if (!cur.tables[now]) delete cur.views[name];
    else view.definition = `select "id" from "${now}"`;
  }
}

/** A random mix of changes; returns the new schema, its renames, and the columns allowed to change value. */
export function mutate(prev: SchemaState, r: Rng) {
  const cur = clone(prev);
  const renames: Renames = noRenames();
  const changed = new Set<string>();
  const names = Object.keys(cur.tables);
  const changes = 1 + r.int(3);
  for (let k = 0; k < changes; k++) {
    const t = cur.tables[r.pick(Object.keys(cur.tables))];
    if (!t) continue;
    const used = (c: Column) =>
      c.primaryKey ||
      c.generated ||
      Object.values(t.compositePrimaryKeys).some((k) => k.columns.includes(c.name)) ||
      Object.values(t.foreignKeys).some((f) => f.columnsFrom.includes(c.name)) ||
      Object.values(t.columns).some((g) => g.generated?.as.includes(`"${c.name}"`)) ||
      Object.values(cur.tables).some((o) => Object.values(o.foreignKeys).some((f) => f.tableTo === t.name && f.columnsTo.includes(c.name)));
    const plain = Object.values(t.columns).filter((c) => !used(c));
    const c = plain.length ? r.pick(plain) : undefined;
    switch (r.int(12)) {
      case 0: // type change
        if (c) { c.type = r.pick(TYPES.filter((x) => x !== c.type)); changed.add(`${t.name}.${c.name}`); }
        break;
      case 1: // nullability
        if (c) {
          if (c.notNull) { c.notNull = false; } else { c.notNull = true; c.default = c.type === 'text' ? "'z'" : 1; }
          changed.add(`${t.name}.${c.name}`);
        }
        break;
      case 2: // add a column
        t.columns[`n${k}`] = col(`n${k}`, 'text', r.chance(0.5) ? { notNull: true, default: "'new'" } : {});
        break;
      case 3: // drop a column
        if (c && !Object.values(t.indexes).some((i) => i.columns.includes(c.name))) delete t.columns[c.name];
        break;
      case 4: { // change a foreign key's action
        const f = Object.values(t.foreignKeys)[0];
        if (f && t.columns[f.columnsFrom[0]!]) {
          f.onDelete = r.pick(ACTIONS.filter((a) => a !== 'set default'));
        }
        break;
      }
      case 5: // add or drop a check
        if (!t.columns.id) break;
        if (t.checkConstraints[`${t.name}_id_pos`]) delete t.checkConstraints[`${t.name}_id_pos`];
        else t.checkConstraints[`${t.name}_id_pos`] = { name: `${t.name}_id_pos`, value: `"${t.name}"."id" > 0` };
        break;
      case 6: // add an index
        if (c) t.indexes[`${t.name}_${c.name}_x`] = { name: `${t.name}_${c.name}_x`, columns: [c.name], isUnique: false };
        break;
      case 7: { // drop a table nobody else references (its own children drop their foreign key)
        if (names.length < 3) break;
        delete cur.tables[t.name];
        for (const other of Object.values(cur.tables)) {
          for (const [key, f] of Object.entries(other.foreignKeys)) if (f.tableTo === t.name) delete other.foreignKeys[key];
        }
        break;
      }
      case 9: { // rename a table (its children's foreign keys follow, as SQLite rewrites them)
        if (Object.values(renames.tables).length || renames.columns[t.name]) break;
        const to = `${t.name}_renamed`;
        delete cur.tables[t.name];
        const checks = Object.fromEntries(Object.entries(t.checkConstraints).map(([k2, v]) => [k2, { ...v, value: v.value.split(`"${t.name}".`).join(`"${to}".`) }]));
        cur.tables[to] = { ...t, name: to, checkConstraints: checks };
        for (const other of Object.values(cur.tables)) {
          for (const f of Object.values(other.foreignKeys)) {
            if (f.tableTo === t.name) f.tableTo = to;
            if (f.tableFrom === t.name) f.tableFrom = to;
          }
        }
        renames.tables[t.name] = to;
        break;
      }
      case 10: { // a new table referencing an existing one
        if (!t.columns.id?.primaryKey) break;
        const name = `new${k}`;
        const f = fk(name, 'parent', t.name, r.pick(ACTIONS.filter((a) => a !== 'set default')));
        cur.tables[name] = { name, columns: { id: col('id', 'integer', { primaryKey: true, notNull: true }), parent: col('parent', 'integer') }, indexes: {}, foreignKeys: { [f.name]: f }, compositePrimaryKeys: {}, uniqueConstraints: {}, checkConstraints: {} };
        break;
      }
      case 11: { // a nullable foreign-key column added to an existing table
        const target = r.pick(Object.keys(cur.tables).filter((x) => cur.tables[x]!.columns.id?.primaryKey));
        const name = `fk${k}`;
        t.columns[name] = col(name, 'integer');
        const f = fk(t.name, name, target, r.pick(ACTIONS.filter((a) => a !== 'set default')));
        t.foreignKeys[f.name] = f;
        break;
      }
      case 8: // rename a column
        if (c && !Object.values(t.indexes).some((i) => i.columns.includes(c.name)) && !renames.columns[t.name]) {
          const to = `${c.name}_r`;
          t.columns = Object.fromEntries(Object.entries(t.columns).map(([k2, v]) => (k2 === c.name ? [to, { ...v, name: to }] : [k2, v])));
          renames.columns[t.name] = { [c.name]: to };
        }
        break;
    }
  }
  followViews(cur, renames);
  return { cur, renames, changed };
}

/** The migration drizzle-d1 plans from `prev` to `cur`: its plan and its SQL. */
export function migrate(prev: SchemaState, cur: SchemaState, renames: Renames) {
  const plan = planMigration(prev, cur, diffSchemas(prev, cur, renames).changes);
  return { plan, sql: renderMigration(plan, true) };
}

export const render = (prev: SchemaState, cur: SchemaState, renames: Renames) => migrate(prev, cur, renames).sql;

/** Case `seed` of the fuzz tests: a random schema and its random evolution, from one seeded stream. */
export function evolution(seed: number) {
  const r = rng(seed);
  const prev = randomSchema(r);
  return { prev, ...mutate(prev, r) };
}


export { emptyState } from '../../src/snapshot/types.js';
