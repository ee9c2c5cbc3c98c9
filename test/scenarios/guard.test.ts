/**
 * The foreign-key guard checks the tables a migration copies and the children of the tables it
 * rebuilds. A database that already holds an orphan, or a foreign key SQLite cannot use, in a table
 * the migration does not touch still takes the migration; an orphan the migration would carry into
 * a checked table still aborts it. Applied D1's way (foreign keys on, one transaction per file).
 */
import { describe, expect, it } from 'vitest';
import { applyMigration, D1MigrationError, openD1Database } from '../../src/d1/apply.js';
import { dumpRows } from '../../src/d1/inspect.js';
import { emptyState } from '../../src/snapshot/types.js';
import { after, before, sqlFor } from './guard-states.js';

function database(orphanIn: 'u' | 'c') {
  const db = openD1Database();
  applyMigration(db, sqlFor(emptyState(), before), '0000_init.sql');
  db.exec(`INSERT INTO p VALUES (1, 'one'); INSERT INTO c VALUES (1, 1); INSERT INTO x VALUES (1, 'x'); INSERT INTO u VALUES (1, 1);`);
  // An orphan committed long ago (foreign keys were off then, as drizzle-kit's local runs have them).
  db.pragma('foreign_keys = OFF');
  db.exec(orphanIn === 'u' ? 'INSERT INTO u VALUES (2, 99);' : 'INSERT INTO c VALUES (2, 99);');
  db.pragma('foreign_keys = ON');
  return db;
}

describe('the foreign-key guard', () => {
  it('lets a rebuild through when an untouched table holds an old orphan or an unusable foreign key', () => {
    const sql = sqlFor(before, after);
    // Plain NOT EXISTS queries, one per foreign key of the tables it checks: c's, not u's.
    expect(sql).not.toMatch(/pragma_/);
    expect(sql).toMatch(/FROM `c` AS "child"[^;]*NOT EXISTS \(SELECT 1 FROM `p` AS "parent"/);
    expect(sql).not.toMatch(/FROM `u` AS "child"/);
    const db = database('u');
    const rows = dumpRows(db);
    applyMigration(db, sql, '0001_name_optional.sql');
    expect(dumpRows(db)).toEqual(rows);
    expect(db.prepare(`SELECT "notnull" FROM pragma_table_info('p') WHERE name = 'name'`).get()).toEqual({ notnull: 0 });
  });

  it('aborts, changing nothing, when a table it copies holds a reference to a missing row', () => {
    const db = database('c');
    const rows = dumpRows(db);
    expect(() => applyMigration(db, sqlFor(before, after), '0001_name_optional.sql')).toThrow(D1MigrationError);
    expect(() => applyMigration(db, sqlFor(before, after), '0001_name_optional.sql')).toThrow(/CHECK constraint failed: D1-109: rows of c reference p\(id\)/);
    expect(dumpRows(db)).toEqual(rows);
  });
});
