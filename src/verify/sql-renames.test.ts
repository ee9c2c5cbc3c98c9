import { describe, expect, it } from 'vitest';
import { renamesInSql } from './sql-renames.js';

describe('renamesInSql', () => {
  it('composes renames in order, through quoting, schema names and RENAME without COLUMN', () => {
    const sql = 'ALTER TABLE "Users" RENAME COLUMN name TO full_name;\nALTER TABLE main.`Users` RENAME TO members;\nALTER TABLE members RENAME full_name TO display;';
    expect(renamesInSql(sql)).toEqual({ tables: { Users: 'members' }, columns: { members: { name: 'display' } } });
  });

  it('a swap through a spare name is two renames; a rename undone is none', () => {
    const swap = 'ALTER TABLE t RENAME COLUMN a TO __x;\nALTER TABLE t RENAME COLUMN b TO a;\nALTER TABLE t RENAME COLUMN __x TO b;';
    expect(renamesInSql(swap)).toEqual({ tables: {}, columns: { t: { a: 'b', b: 'a' } } });
    expect(renamesInSql('ALTER TABLE t RENAME TO u;\nALTER TABLE u RENAME TO T;')).toEqual({ tables: {}, columns: {} });
  });

  it('a table or column renamed and then dropped keeps no rename; a rebuild renames only its new table', () => {
    expect(renamesInSql('ALTER TABLE t RENAME TO t_old;\nCREATE TABLE t (id);\nDROP TABLE IF EXISTS t_old;')).toEqual({ tables: {}, columns: {} });
    expect(renamesInSql('ALTER TABLE t RENAME COLUMN email TO __old;\nALTER TABLE t RENAME COLUMN new_email TO email;\nALTER TABLE t DROP COLUMN __old;')).toEqual({ tables: {}, columns: { t: { new_email: 'email' } } });
    expect(renamesInSql('CREATE TABLE __new_t (id);\nINSERT INTO __new_t SELECT id FROM t;\nDROP TABLE t;\nALTER TABLE __new_t RENAME TO t;')).toEqual({ tables: { __new_t: 't' }, columns: {} });
  });
});
