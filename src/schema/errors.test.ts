/** Every kind of schema the serialiser refuses carries its own diagnostic code (docs/diagnostics.md). */
import { eq, sql } from 'drizzle-orm';
import { check, foreignKey, index, integer, primaryKey, sqliteTable, sqliteView, text, unique } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { refusal } from '../../test/support/refusal.js';
import type { Casing } from './serialize.js';

const codeOf = (imports: Record<string, unknown>, casing?: Casing) => refusal(imports, casing).code;

describe('SchemaError codes', () => {
  it('D1-541: two different tables with one name', () => {
    expect(codeOf({ a: sqliteTable('dup', { id: integer('id') }), b: sqliteTable('dup', { x: text('x') }) })).toBe('D1-541');
  });

  it('D1-542: two columns with one database name', () => {
    expect(codeOf({ a: sqliteTable('a', { fooBar: integer(), foo_bar: integer() }) }, 'snake_case')).toBe('D1-542');
  });

  it('D1-543: unique constraint names that collide', () => {
    expect(codeOf({ b: sqliteTable('b', { x: text('x').unique('same'), y: text('y').unique('same') }) })).toBe('D1-543');
    expect(codeOf({ a: sqliteTable('a', { x: text('x').unique() }, (t) => [unique('a_x_unique').on(t.x)]) })).toBe('D1-543');
  });

  it('D1-544: two different foreign keys with one name', () => {
    const p = sqliteTable('p', { id: integer('id').primaryKey() });
    const c = sqliteTable('c', { a: integer('a'), b: integer('b') }, (t) => [
      foreignKey({ name: 'fk', columns: [t.a], foreignColumns: [p.id] }),
      foreignKey({ name: 'fk', columns: [t.b], foreignColumns: [p.id] }),
    ]);
    expect(codeOf({ p, c })).toBe('D1-544');
  });

  it('D1-545: two different indexes with one name in a table', () => {
    const a = sqliteTable('a', { x: text('x'), y: text('y') }, (t) => [index('i').on(t.x), index('i').on(t.y)]);
    expect(codeOf({ a })).toBe('D1-545');
  });

  it('D1-546: one index name on two tables', () => {
    const a = sqliteTable('a', { x: text('x') }, (t) => [index('shared_idx').on(t.x)]);
    const b = sqliteTable('b', { x: text('x') }, (t) => [index('shared_idx').on(t.x)]);
    expect(codeOf({ a, b })).toBe('D1-546');
  });

  it('D1-547: more than one primary key', () => {
    expect(codeOf({ b: sqliteTable('b', { x: integer('x').primaryKey(), y: integer('y').primaryKey() }) })).toBe('D1-547');
  });

  it('D1-548: a one-column primary key on a column of another table', () => {
    const o = sqliteTable('o', { zz: integer('zz') });
    const a = sqliteTable('a', { x: integer('x') }, () => [primaryKey({ columns: [o.zz] })]);
    expect(codeOf({ o, a })).toBe('D1-548');
  });

  it('D1-549: two check constraints with one name', () => {
    const a = sqliteTable('a', { x: integer('x') }, (t) => [check('c', sql`${t.x} > 0`), check('c', sql`${t.x} < 9`)]);
    expect(codeOf({ a })).toBe('D1-549');
  });

  it('D1-550: bound parameters in checks, index WHERE clauses and generated columns', () => {
    expect(codeOf({ c: sqliteTable('c', { x: integer('x') }, (t) => [check('min', sql`${t.x} > ${5}`)]) })).toBe('D1-550');
    const a = sqliteTable('a', { x: integer('x') }, (t) => [index('a_idx').on(t.x).where(eq(t.x, 1))]);
    expect(codeOf({ a })).toBe('D1-550');
    expect(codeOf({ g: sqliteTable('g', { x: text('x').generatedAlwaysAs(sql`${'k'}`) }) })).toBe('D1-550');
  });

  it('D1-551: parameters in a sql default', () => {
    expect(codeOf({ a: sqliteTable('a', { x: text('x').default(sql`${'v'}`) }) })).toBe('D1-551');
  });

  it('D1-552: a default that cannot be written as SQL', () => {
    expect(codeOf({ a: sqliteTable('a', { j: text('j', { mode: 'json' }).default({ s: "it's" }) }) })).toBe('D1-552');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(codeOf({ b: sqliteTable('b', { j: text('j', { mode: 'json' }).default(cyclic) }) })).toBe('D1-552');
  });

  it('D1-553: two different views with one name', () => {
    const t = sqliteTable('t', { x: integer('x') });
    const v1 = sqliteView('v').as((qb) => qb.select().from(t));
    const v2 = sqliteView('v').as((qb) => qb.select({ x: t.x }).from(t));
    expect(codeOf({ t, v1, v2 })).toBe('D1-553');
  });

  it('D1-554: a view or an index named like a table', () => {
    const t = sqliteTable('t', { x: integer('x') });
    expect(codeOf({ t, v: sqliteView('t', { x: integer('x') }).existing() })).toBe('D1-554');
    expect(codeOf({ t, u: sqliteTable('u', { x: integer('x') }, (q) => [index('t').on(q.x)]) })).toBe('D1-554');
  });
});
