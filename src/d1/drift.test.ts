import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { col, pk, state, table } from '../../test/support/state.js';
import { schemaDrift } from './drift.js';
import { readSchemaModel } from './model.js';

describe('schemaDrift', () => {
  it('reads index columns of the snapshot as names, not as SQL (a quote or a space in a column name)', () => {
    const db = new Database(':memory:');
    db.exec("CREATE TABLE `t` (`id` integer PRIMARY KEY NOT NULL, `va'l` text, `a b` text, `x` text); CREATE INDEX `i` ON `t` (`va'l`, `a b`, lower(\"x\"));");
    const snapshot = state(table('t', [pk(), col("va'l"), col('a b'), col('x')], { indexes: { i: { name: 'i', columns: ["va'l", 'a b', 'lower("x")'], isUnique: false } } }));
    expect(schemaDrift(readSchemaModel(db), snapshot)).toEqual([]);
    // A real difference is still seen.
    const other = state(table('t', [pk(), col("va'l"), col('a b'), col('x')], { indexes: { i: { name: 'i', columns: ['a b', "va'l", 'lower("x")'], isUnique: false } } }));
    expect(schemaDrift(readSchemaModel(db), other).map((d) => d.kind)).toEqual(['index-differs']);
  });
});
