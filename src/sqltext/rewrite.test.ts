import { describe, expect, it } from 'vitest';
import { mentions, renameInSql, requalify } from './rewrite.js';

describe('requalify', () => {
  it('renames the table qualifier, quoted or bare, and nothing else', () => {
    expect(requalify('"users"."age" > 0', 'users', '__new_users')).toBe('"__new_users"."age" > 0');
    expect(requalify('users.age > 0 AND Users.age < 200', 'users', '__new_users')).toBe('__new_users.age > 0 AND __new_users.age < 200');
  });

  it('never touches a string literal, even one holding the quoted name', () => {
    const check = `"users"."note" <> '"users".x' -- "users".y`;
    expect(requalify(check, 'users', '__new_users')).toBe(`"__new_users"."note" <> '"users".x' -- "users".y`);
  });

  it('handles a table name holding a double quote', () => {
    expect(requalify('"a""b"."n" > 0', 'a"b', '__new_a"b')).toBe('"__new_a""b"."n" > 0');
  });
});

describe('renameInSql', () => {
  const cols = new Map([['name', 'full_name']]);
  it('renames qualified and bare column references, and the table qualifier', () => {
    expect(renameInSql('"users"."name" <> \'\'', 'users', 'accounts', cols)).toBe('"accounts"."full_name" <> \'\'');
    expect(renameInSql('(lower(name))', 'users', 'users', cols)).toBe('(lower(full_name))');
  });

  it('leaves other tables, function calls and literals alone', () => {
    expect(renameInSql(`"other"."name" = 'name' AND name(x)`, 'users', 'users', cols)).toBe(`"other"."name" = 'name' AND name(x)`);
  });
});

describe('mentions', () => {
  it('finds identifiers, not text inside literals or comments', () => {
    expect(mentions('select "id" from "users"', 'users')).toBe(true);
    expect(mentions('select id from Users u', 'users')).toBe(true);
    expect(mentions(`select 'users' as t -- users`, 'users')).toBe(false);
    expect(mentions('select id from users_archive', 'users')).toBe(false);
  });
});
