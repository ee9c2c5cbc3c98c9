/**
 * Tokenizer-based readers for the CREATE statements SQLite keeps in sqlite_schema (triggers, views,
 * indexes, virtual tables). sqlite_schema stores the statement text as written (lang_createtable:
 * "a copy of the original CREATE statement text"), so these read that text with the same tokenizer
 * the applier uses; no regular expression touches SQL.
 *
 * They only need to handle statements SQLite has already accepted, so malformed input yields
 * best-effort results rather than errors.
 */
import { tokenize, unquoteIdentifier, type Token } from '../sqltext/tokens.js';

/** Tokens without whitespace and comments. */
export function significantTokens(sql: string): Token[] {
  return tokenize(sql).filter((t) => t.kind !== 'ws' && t.kind !== 'comment');
}

/** The upper-cased word at `i`, or '' for a non-word token (quoted names are never keywords). */
export function wordAt(tokens: readonly Token[], i: number): string {
  const t = tokens[i];
  return t?.kind === 'word' ? t.text.toUpperCase() : '';
}

/** The name an identifier token stands for: a bare word, a quoted name, or a string used as a name. */
export function nameOf(token: Token | undefined): string | undefined {
  if (token === undefined) return undefined;
  if (token.kind === 'word' || token.kind === 'quoted') return unquoteIdentifier(token);
  // SQLite accepts a string literal where a name is expected in CREATE statements ('posts_fts_data').
  if (token.kind === 'string') return token.text.slice(1, -1).split("''").join("'");
  return undefined;
}

/** The text of a string literal or bare word used as a value (`content='posts'`, `content=posts`). */
export function valueOf(token: Token | undefined): string | undefined {
  if (token === undefined) return undefined;
  if (token.kind === 'string') return token.text.slice(1, -1).split("''").join("'");
  return nameOf(token) ?? token.text;
}

/** Index of the `)` matching the `(` at `open`, or the last index when unbalanced. */
export function matchingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i]!.text === '(') depth++;
    else if (tokens[i]!.text === ')' && --depth === 0) return i;
  }
  return tokens.length - 1;
}

/** Split tokens[from, to) at commas outside parentheses. */
export function splitTopLevel(tokens: readonly Token[], from: number, to: number): Token[][] {
  const parts: Token[][] = [];
  let current: Token[] = [];
  let depth = 0;
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    if (t.text === ',' && depth === 0) {
      parts.push(current);
      current = [];
    } else current.push(t);
  }
  if (current.length) parts.push(current);
  return parts;
}

/** The source text spanned by a run of tokens (comments inside kept, as SQLite keeps them). */
export function sourceOf(sql: string, tokens: readonly Token[]): string {
  if (tokens.length === 0) return '';
  return sql.slice(tokens[0]!.start, tokens[tokens.length - 1]!.end);
}

/**
 * Skip `CREATE [UNIQUE|TEMP|VIRTUAL] <kind> [IF NOT EXISTS]` and the (schema-qualified) name.
 * Returns the name and the index of the first token after it.
 */
export function createdName(tokens: readonly Token[], kind: string): { name: string; next: number } {
  let i = 0;
  while (i < tokens.length && wordAt(tokens, i) !== kind) i++;
  i++;
  if (wordAt(tokens, i) === 'IF' && wordAt(tokens, i + 1) === 'NOT' && wordAt(tokens, i + 2) === 'EXISTS') i += 3;
  if (tokens[i + 1]?.text === '.') i += 2; // schema.name
  return { name: nameOf(tokens[i]) ?? '', next: i + 1 };
}

export type TriggerTiming = 'BEFORE' | 'AFTER' | 'INSTEAD OF';
export type TriggerEvent = 'INSERT' | 'UPDATE' | 'DELETE';

export interface TriggerHeader {
  name: string;
  /** SQLite's default when no timing is written is BEFORE (lang_createtrigger). */
  timing: TriggerTiming;
  event: TriggerEvent;
  /** Columns of `UPDATE OF a, b`; empty for any update. */
  updateOf: string[];
  table: string;
  /** Source text of the WHEN condition. */
  when?: string;
  /** Token index of BEGIN. */
  begin: number;
  /** Token index where what the trigger reads starts: its WHEN condition, else BEGIN. */
  readsFrom: number;
}

function triggerTiming(tokens: readonly Token[], i: number): { timing: TriggerTiming; next: number } {
  const w = wordAt(tokens, i);
  if (w === 'BEFORE' || w === 'AFTER') return { timing: w, next: i + 1 };
  if (w === 'INSTEAD' && wordAt(tokens, i + 1) === 'OF') return { timing: 'INSTEAD OF', next: i + 2 };
  return { timing: 'BEFORE', next: i };
}

/** Read `CREATE TRIGGER name [timing] event [OF cols] ON table [FOR EACH ROW] [WHEN expr] BEGIN`. */
export function parseTriggerHeader(sql: string, tokens: readonly Token[] = significantTokens(sql)): TriggerHeader {
  const { name, next } = createdName(tokens, 'TRIGGER');
  const { timing, next: afterTiming } = triggerTiming(tokens, next);
  let i = afterTiming;
  const event = (wordAt(tokens, i) || 'INSERT') as TriggerEvent;
  i++;
  const updateOf: string[] = [];
  if (wordAt(tokens, i) === 'OF') {
    i++;
    while (i < tokens.length && wordAt(tokens, i) !== 'ON') {
      if (tokens[i]!.text !== ',') updateOf.push(nameOf(tokens[i]) ?? tokens[i]!.text);
      i++;
    }
  }
  i++; // ON
  if (tokens[i + 1]?.text === '.') i += 2;
  const table = nameOf(tokens[i]) ?? '';
  i++;
  if (wordAt(tokens, i) === 'FOR' && wordAt(tokens, i + 1) === 'EACH' && wordAt(tokens, i + 2) === 'ROW') i += 3;
  let begin = i;
  while (begin < tokens.length && wordAt(tokens, begin) !== 'BEGIN') begin++;
  const header: TriggerHeader = { name, timing, event, updateOf, table, begin, readsFrom: begin };
  if (wordAt(tokens, i) === 'WHEN') {
    header.when = sourceOf(sql, tokens.slice(i + 1, begin));
    header.readsFrom = i + 1;
  }
  return header;
}

export interface CreateIndexText {
  name: string;
  unique: boolean;
  table: string;
  /** Each indexed column's source text (a name, an expression, with COLLATE/ASC/DESC). */
  columns: string[];
  /** Source text of the partial index's WHERE. */
  where?: string;
  /** Token index of the `(` opening the column list. */
  open: number;
}

/** Read `CREATE [UNIQUE] INDEX [IF NOT EXISTS] name ON table (cols) [WHERE expr]`. */
export function parseCreateIndex(sql: string, tokens: readonly Token[] = significantTokens(sql)): CreateIndexText {
  const unique = wordAt(tokens, 1) === 'UNIQUE';
  const { name, next } = createdName(tokens, 'INDEX');
  const table = nameOf(tokens[next + 1]) ?? '';
  const open = next + 2;
  const close = matchingParen(tokens, open);
  const columns = splitTopLevel(tokens, open + 1, close).map((part) => sourceOf(sql, part));
  const result: CreateIndexText = { name, unique, table, columns, open };
  if (wordAt(tokens, close + 1) === 'WHERE') result.where = sourceOf(sql, tokens.slice(close + 2));
  return result;
}

export interface CreateViewText {
  name: string;
  /** The optional column-name list `CREATE VIEW v(a, b) AS …`. */
  columnNames: string[];
  /** Source text of the SELECT. */
  select: string;
  /** Token index where the SELECT starts. */
  selectStart: number;
}

/** Read `CREATE VIEW [IF NOT EXISTS] name [(cols)] AS select`. */
export function parseCreateView(sql: string, tokens: readonly Token[] = significantTokens(sql)): CreateViewText {
  const { name, next } = createdName(tokens, 'VIEW');
  let i = next;
  const columnNames: string[] = [];
  if (tokens[i]?.text === '(') {
    const close = matchingParen(tokens, i);
    for (const part of splitTopLevel(tokens, i + 1, close)) columnNames.push(nameOf(part[0]) ?? '');
    i = close + 1;
  }
  const selectStart = wordAt(tokens, i) === 'AS' ? i + 1 : i;
  return { name, columnNames, select: sourceOf(sql, tokens.slice(selectStart)), selectStart };
}

export interface VirtualTableText {
  name: string;
  /** Module name, lower-cased (SQLite matches module names case-insensitively). */
  module: string;
  /** Each module argument's source text, as SQLite passes them to xCreate. */
  arguments: string[];
}

/** Read `CREATE VIRTUAL TABLE [IF NOT EXISTS] name USING module[(args)]`. */
export function parseVirtualTable(sql: string, tokens: readonly Token[] = significantTokens(sql)): VirtualTableText {
  const { name, next } = createdName(tokens, 'TABLE');
  const module = (nameOf(tokens[next + 1]) ?? '').toLowerCase();
  const open = next + 2;
  const args = tokens[open]?.text === '(' ? splitTopLevel(tokens, open + 1, matchingParen(tokens, open)) : [];
  return { name, module, arguments: args.map((part) => sourceOf(sql, part)) };
}

/**
 * The tables a trigger body writes: the target of each `INSERT [OR …] INTO t`, `REPLACE INTO t`,
 * `UPDATE [OR …] t` and `DELETE FROM t` that starts a statement (after BEGIN or `;`). An upsert's
 * `DO UPDATE` does not start a statement, and writes the INSERT's own target anyway.
 */
export function triggerWrites(tokens: readonly Token[], begin: number): string[] {
  const out: string[] = [];
  for (let i = begin + 1; i < tokens.length; i++) {
    const prev = tokens[i - 1]!;
    if (!(prev.kind === 'semi' || i === begin + 1)) continue;
    const w = wordAt(tokens, i);
    let j = i + 1;
    if ((w === 'INSERT' || w === 'UPDATE') && wordAt(tokens, j) === 'OR') j += 2;
    if (w === 'INSERT' || w === 'REPLACE' || w === 'DELETE') j++; // INTO / FROM
    if (w !== 'INSERT' && w !== 'REPLACE' && w !== 'UPDATE' && w !== 'DELETE') continue;
    if (tokens[j + 1]?.text === '.') j += 2; // main.t
    const name = nameOf(tokens[j]);
    if (name !== undefined && !out.some((n) => n.toLowerCase() === name.toLowerCase())) out.push(name);
  }
  return out;
}
