/** Small pieces of SQLite text every renderer shares. */
import type { CopyColumn } from '../plan/types.js';
import { quoteIdentifier as quoted } from '../sqltext/rewrite.js';

/** `name` as a backtick-quoted identifier (a backtick inside is doubled, as SQLite reads it). */
export const ident = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/** `text` as an SQL string literal. */
export const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** The value a rebuild copies into a column: the old column, a fallback where it is NULL, or the fallback alone. */
export function copyValue(c: CopyColumn): string {
  if (c.from !== undefined && c.fallback !== undefined) return `coalesce(${quoted(c.from)}, ${c.fallback})`;
  return c.from !== undefined ? quoted(c.from) : `${c.fallback}`;
}
