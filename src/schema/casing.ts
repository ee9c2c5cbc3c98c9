/** Column names under drizzle's `casing` option, as drizzle-kit 0.31 writes them. */
import type { Casing, ColumnLike } from './shapes.js';

// Same word split as drizzle-orm's casing helpers (drizzle-orm/casing).
const WORDS = /[\da-z]+|[A-Z]+(?![a-z])|[A-Z][\da-z]+/g;
const splitWords = (input: string): string[] => input.replace(/['\u2019]/g, '').match(WORDS) ?? [];

export const toSnakeCase = (input: string): string =>
  splitWords(input)
    .map((w) => w.toLowerCase())
    .join('_');

export const toCamelCase = (input: string): string =>
  splitWords(input).reduce(
    (acc, w, i) => acc + (i === 0 ? w.toLowerCase() : `${w[0]!.toUpperCase()}${w.slice(1)}`),
    '',
  );

/**
 * The database name of a column: its own name, converted when it was named by its key (`keyAsName`)
 * and a casing is configured. The user's dialect's converter is preferred (it is the one drizzle-orm
 * itself uses at query time); ours is the fallback for drizzle-orm versions without one.
 */
export function columnNamer(dialectConvert: unknown, casing: Casing): (c: ColumnLike) => string {
  const convert: (s: string) => string =
    typeof dialectConvert === 'function' && casing !== undefined
      ? (dialectConvert as (s: string) => string)
      : casing === 'camelCase'
        ? toCamelCase
        : toSnakeCase;
  return (c) => {
    if (!c.name) return '';
    return !c.keyAsName || casing === undefined ? c.name : convert(c.name);
  };
}

/**
 * A constraint name drizzle-orm built from the original column names, patched the way drizzle-kit
 * does: the first occurrence of each original column name is replaced with its cased form
 * (String#replace semantics, `$` patterns included). Without a casing the name is left alone.
 */
export function casedConstraintName(name: string, casing: Casing, originals: ColumnLike[], cased: string[]): string {
  if (casing === undefined) return name;
  originals.forEach((c, i) => (name = name.replace(c.name, cased[i]!)));
  return name;
}
