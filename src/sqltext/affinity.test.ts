import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { affinityOf, storedAs } from './affinity.js';

/** Values of every storage class, and text that numeric affinity converts or keeps. */
const VALUES = [
  'NULL', '12', "'12'", "' 7 '", "'1e3'", "'12abc'", "'abc'", "'4.0'", "''", "'0x10'", "'-7'", "'+5'", "'9223372036854775808'",
  '4.0', '1.5', '-0.0', '1e300', '9223372036854775807', "x'00ff'",
];

describe('storedAs', () => {
  it('computes what a column of each affinity stores, as SQLite does (datatype3.html §3.2)', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE src (v)');
    for (const v of VALUES) db.exec(`INSERT INTO src VALUES (${v})`);
    for (const type of ['INTEGER', 'TEXT', 'BLOB', 'REAL', 'NUMERIC', 'varchar(20)', 'decimal(10,2)']) {
      db.exec(`DROP TABLE IF EXISTS dst; CREATE TABLE dst (v ${type}); INSERT INTO dst SELECT v FROM src`);
      const stored = db.prepare('SELECT v, typeof(v) FROM dst ORDER BY rowid').raw().all();
      const x = storedAs('v', affinityOf(type));
      const computed = db.prepare(`SELECT ${x}, typeof(${x}) FROM src ORDER BY rowid`).raw().all();
      // -0.0 and 0.0 are one value to SQLite (a REAL column writes an integral value as an integer).
      const zero = (rows: unknown[]) => JSON.parse(JSON.stringify(rows, (_k, v) => (Object.is(v, -0) ? 0 : v)));
      expect(zero(computed), type).toEqual(zero(stored));
    }
  });
});
