/**
 * Text rewrites of SQL fragments (checks, generated columns, index expressions, view definitions),
 * all through the tokenizer: only identifier tokens are read or replaced, never string literals or
 * comments, and quoted names are compared by their value (`"a""b"` is the name `a"b`).
 * SQLite compares identifiers case-insensitively (sqlite.org/lang_keywords.html), and so do these.
 */
import { tokenize, unquoteIdentifier, type Token } from './tokens.js';

const isIdentifier = (t: Token | undefined): t is Token => t?.kind === 'word' || t?.kind === 'quoted';
const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** `name` as a double-quoted SQLite identifier (a double quote inside is doubled). */
export const quoteIdentifier = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** An identifier's replacement text, in the token's own quoting style where it has one. */
function renamedToken(token: Token, name: string): string {
  if (token.kind === 'word') return /^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) ? name : quoteIdentifier(name);
  const q = token.text[0]!;
  if (q === '[') return quoteIdentifier(name);
  return `${q}${name.split(q).join(q + q)}${q}`;
}

/** The significant token after index `i` (whitespace and comments skipped), with its index. */
function nextSignificant(tokens: Token[], i: number): number {
  let j = i + 1;
  while (j < tokens.length && (tokens[j]!.kind === 'ws' || tokens[j]!.kind === 'comment')) j++;
  return j;
}

/** An identifier reference in SQL text: a bare name, or `qualifier.name`. */
export interface IdentifierRef {
  qualifier?: string;
  name: string;
}

/**
 * Rewrites identifier references. `rename` is asked once per reference and returns the new
 * qualifier and/or name (undefined keeps it). A bare word followed by `(` is a function call, not a
 * reference, and is left alone.
 */
export function rewriteReferences(sql: string, rename: (ref: IdentifierRef) => { qualifier?: string; name?: string } | undefined): string {
  const tokens = tokenize(sql);
  const replaced = new Map<number, string>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!isIdentifier(t)) continue;
    const dot = nextSignificant(tokens, i);
    const after = nextSignificant(tokens, dot);
    if (tokens[dot]?.text === '.' && isIdentifier(tokens[after])) {
      const ref = { qualifier: unquoteIdentifier(t), name: unquoteIdentifier(tokens[after]!) };
      const to = rename(ref);
      if (to?.qualifier !== undefined && to.qualifier !== ref.qualifier) replaced.set(i, renamedToken(t, to.qualifier));
      if (to?.name !== undefined && to.name !== ref.name) replaced.set(after, renamedToken(tokens[after]!, to.name));
      i = after;
      continue;
    }
    if (t.kind === 'word' && tokens[dot]?.text === '(') continue;
    const to = rename({ name: unquoteIdentifier(t) });
    if (to?.name !== undefined && to.name !== unquoteIdentifier(t)) replaced.set(i, renamedToken(t, to.name));
  }
  if (!replaced.size) return sql;
  return tokens.map((t, i) => replaced.get(i) ?? t.text).join('');
}

/** `sql` with `table.`-qualified references naming `to` instead (checks and generated columns of a table built under another name). */
export function requalify(sql: string, from: string, to: string): string {
  if (from === to) return sql;
  return rewriteReferences(sql, (ref) => (ref.qualifier !== undefined && sameName(ref.qualifier, from) ? { qualifier: to } : undefined));
}

/**
 * `sql` as SQLite's `ALTER TABLE … RENAME` leaves it: references to `table`'s columns renamed per
 * `columns` (previous → current), and the qualifier `table` renamed to `newTable`. Unqualified names
 * are taken as columns of `table` (the fragments passed here belong to one table).
 */
export function renameInSql(sql: string, table: string, newTable: string, columns: Map<string, string>): string {
  const renamedColumn = (name: string) => {
    for (const [from, to] of columns) if (from !== to && sameName(from, name)) return to;
    return undefined;
  };
  return rewriteReferences(sql, (ref) => {
    if (ref.qualifier === undefined) return { name: renamedColumn(ref.name) };
    if (!sameName(ref.qualifier, table)) return undefined;
    return { qualifier: table === newTable ? undefined : newTable, name: renamedColumn(ref.name) };
  });
}

/** Whether `sql` names `name` as an identifier (quoted or bare, alone or as a qualifier). */
export function mentions(sql: string, name: string): boolean {
  return tokenize(sql).some((t) => isIdentifier(t) && sameName(unquoteIdentifier(t), name));
}
