import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { offendingRows } from './guards.js';

describe('the INTEGER PRIMARY KEY guard (D1-108)', () => {
  it('counts exactly the values the rowid refuses ("datatype mismatch")', () => {
    const values = ['1', "'12'", "' 7 '", "'1e3'", "'+5'", "'x7'", "'1.5'", '2.0', '2.5', "'9223372036854775808'", "x'01'", "''", 'NULL'];
    const db = new Database(':memory:');
    db.exec('CREATE TABLE codes (id TEXT)');
    const refused = values.filter((v) => {
      db.exec('DROP TABLE IF EXISTS k; CREATE TABLE k (id INTEGER PRIMARY KEY)');
      try {
        db.exec(`INSERT INTO k VALUES (${v})`);
        return false;
      } catch {
        return true;
      }
    });
    expect(refused).toEqual(["'x7'", "'1.5'", '2.5', "'9223372036854775808'", "x'01'", "''"]);
    for (const v of values) {
      db.exec(`DELETE FROM codes; INSERT INTO codes VALUES (${v})`);
      // A text column stores every value as text (or blob): the guard reads them as the copy does.
      const n = db.prepare(offendingRows({ kind: 'integerKey', code: 'D1-108', table: 'codes', column: 'id' })).pluck().get();
      expect([v, n]).toEqual([v, refused.includes(v) ? 1 : 0]);
    }
  });
});
