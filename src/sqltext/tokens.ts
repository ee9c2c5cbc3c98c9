/**
 * The one SQLite tokenizer and statement splitter. The D1 applier uses it to find where each
 * statement starts and what it is, the inspector to normalise SQL text, and every text rewrite
 * (renames, requalified checks, mentions of a name) goes through it, so string literals, comments
 * and doubled quotes inside quoted names are never mistaken for identifiers.
 *
 * Splitting follows SQLite's own `sqlite3_complete()` state machine (complete.c), so a `;` inside a
 * string, a quoted identifier, a comment or a `CREATE TRIGGER … BEGIN … END` body does not end a
 * statement.
 */
export type TokenKind =
  | 'ws' // whitespace
  | 'comment' // -- … or /* … */
  | 'word' // identifier or keyword, unquoted
  | 'quoted' // "…", `…` or […] identifier
  | 'string' // '…' literal
  | 'semi' // ;
  | 'other'; // number, operator, punctuation, parameter

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

// Character classes by UTF-16 code unit (the tokenizer runs over every migration lint replays).
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** `[A-Za-z_]` or any non-ASCII unit. */
const isWordStart = (c: number) => isLetter(c) || c === 95 || c >= 0x80;
/** `[A-Za-z0-9_$]` or any non-ASCII unit. */
const isWordChar = (c: number) => isWordStart(c) || isDigit(c) || c === 36;
/** `[0-9A-Za-z_.]`: the rest of a number. */
const isNumberChar = (c: number) => isDigit(c) || isLetter(c) || c === 95 || c === 46;

/** The end of the quoted token that starts at `i` with `quote` (a doubled quote stays inside). */
function quotedEnd(sql: string, i: number, quote: number): number {
  const n = sql.length;
  i++;
  while (i < n) {
    if (sql.charCodeAt(i) === quote) {
      if (sql.charCodeAt(i + 1) === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return i;
}

const KINDS: readonly TokenKind[] = ['ws', 'comment', 'word', 'quoted', 'string', 'semi', 'other'];
const [WS, COMMENT, WORD, QUOTED, STRING, SEMI, OTHER] = [0, 1, 2, 3, 4, 5, 6];

/** A scanner step's result: where the token ends and its index in KINDS. */
const at = (end: number, kind: number) => end * 8 + kind;

/** One scanner step: the token that starts at `i`, as `at(end, kind)` (nothing allocated). */
function scan(sql: string, i: number): number {
  const n = sql.length;
  const c = sql.charCodeAt(i);
  if (isSpace(c)) {
    let j = i + 1;
    while (j < n && isSpace(sql.charCodeAt(j))) j++;
    return at(j, WS);
  }
  if (c === 45 && sql.charCodeAt(i + 1) === 45) {
    // -- … : the newline itself is whitespace
    const nl = sql.indexOf('\n', i);
    return at(nl === -1 ? n : nl, COMMENT);
  }
  if (c === 47 && sql.charCodeAt(i + 1) === 42) {
    const close = sql.indexOf('*/', i + 2);
    return at(close === -1 ? n : close + 2, COMMENT);
  }
  if (c === 39 || c === 34 || c === 96) return at(quotedEnd(sql, i, c), c === 39 ? STRING : QUOTED);
  if (c === 91) {
    const close = sql.indexOf(']', i + 1);
    return at(close === -1 ? n : close + 1, QUOTED);
  }
  if (c === 59) return at(i + 1, SEMI);
  let j = i + 1;
  if (isWordStart(c)) {
    while (j < n && isWordChar(sql.charCodeAt(j))) j++;
    return at(j, WORD);
  }
  if (isDigit(c)) while (j < n && isNumberChar(sql.charCodeAt(j))) j++;
  return at(j, OTHER);
}

/** Tokenise SQL text. Unterminated strings or comments run to the end of the text. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < sql.length; ) {
    const step = scan(sql, i);
    const end = Math.floor(step / 8);
    tokens.push({ kind: KINDS[step % 8]!, text: sql.slice(i, end), start: i, end });
    i = end;
  }
  return tokens;
}

/** The text of an identifier token without its quotes (`"a""b"` → `a"b`, `[x]` → `x`). */
export function unquoteIdentifier(token: Token): string {
  if (token.kind !== 'quoted') return token.text;
  const t = token.text;
  if (t.startsWith('[')) return t.slice(1, t.endsWith(']') ? -1 : undefined);
  const q = t[0]!;
  const body = t.length >= 2 && t.endsWith(q) ? t.slice(1, -1) : t.slice(1);
  return body.includes(q) ? body.split(q + q).join(q) : body;
}

export interface SqlStatement {
  /** The statement's text from its first significant token to its `;` (inclusive, if any). */
  text: string;
  /** Offset of `text` in the input. */
  start: number;
  /** Significant tokens (no whitespace or comments), including the final `;` if present. */
  tokens: Token[];
  /** Whether the statement ends with `;` (the last one in a file may not). */
  terminated: boolean;
}

// sqlite3_complete() token classes and transition table (SQLite complete.c).
const tkSEMI = 0;
const tkWS = 1;
const tkOTHER = 2;
const tkEXPLAIN = 3;
const tkCREATE = 4;
const tkTEMP = 5;
const tkTRIGGER = 6;
const tkEND = 7;
const TRANS: number[][] = [
  /*                SEMI WS OTHER EXPLAIN CREATE TEMP TRIGGER END */
  /* 0 INVALID */ [1, 0, 2, 3, 4, 2, 2, 2],
  /* 1   START */ [1, 1, 2, 3, 4, 2, 2, 2],
  /* 2  NORMAL */ [1, 2, 2, 2, 2, 2, 2, 2],
  /* 3 EXPLAIN */ [1, 3, 3, 2, 4, 2, 2, 2],
  /* 4  CREATE */ [1, 4, 2, 2, 2, 4, 5, 2],
  /* 5 TRIGGER */ [6, 5, 5, 5, 5, 5, 5, 5],
  /* 6    SEMI */ [6, 6, 5, 5, 5, 5, 5, 7],
  /* 7     END */ [1, 7, 5, 5, 5, 5, 5, 5],
];

function classify(token: Token): number {
  switch (token.kind) {
    case 'ws':
    case 'comment':
      return tkWS;
    case 'semi':
      return tkSEMI;
    case 'word': {
      // The keywords below have 3, 4, 6, 7 or 9 letters; other words need no upper-casing.
      const length = token.text.length;
      if (length !== 3 && length !== 4 && length !== 6 && length !== 7 && length !== 9) return tkOTHER;
      const w = token.text.toUpperCase();
      if (w === 'CREATE') return tkCREATE;
      if (w === 'TRIGGER') return tkTRIGGER;
      if (w === 'TEMP' || w === 'TEMPORARY') return tkTEMP;
      if (w === 'END') return tkEND;
      if (w === 'EXPLAIN') return tkEXPLAIN;
      return tkOTHER;
    }
    default:
      return tkOTHER;
  }
}

/**
 * Split SQL text into statements the way SQLite decides a statement is complete. Statements that
 * consist only of whitespace and comments (including a lone `;`) are dropped.
 */
export function splitStatements(sql: string): SqlStatement[] {
  const out: SqlStatement[] = [];
  let state = 0;
  let current: Token[] = [];
  const flush = (terminated: boolean): void => {
    if (current.some((t) => t.kind !== 'semi')) {
      const first = current[0]!;
      const last = current[current.length - 1]!;
      out.push({ text: sql.slice(first.start, last.end), start: first.start, tokens: current, terminated });
    }
    current = [];
  };
  for (let i = 0; i < sql.length; ) {
    const step = scan(sql, i);
    const end = Math.floor(step / 8);
    const kind = step % 8;
    // Whitespace and comments are tkWS, which leaves every state as it is: they need no token.
    if (kind !== WS && kind !== COMMENT) {
      const token: Token = { kind: KINDS[kind]!, text: sql.slice(i, end), start: i, end };
      current.push(token);
      state = TRANS[state]![classify(token)]!;
      if (kind === SEMI && state === 1) flush(true);
    }
    i = end;
  }
  flush(false);
  return out;
}

/** The first `count` significant words of a statement, upper-cased ('' for a non-word token). */
export function leadingWords(statement: SqlStatement, count: number): string[] {
  return statement.tokens.slice(0, count).map((t) => (t.kind === 'word' ? t.text.toUpperCase() : ''));
}

/**
 * Normalise SQL for comparison: drop comments, unquote quoted identifiers (ALTER TABLE RENAME
 * rewrites names with its own quoting), keep string literals verbatim, and join the remaining tokens
 * with single spaces so whitespace differences vanish.
 */
export function normalizeSql(sql: string): string {
  return tokenize(sql)
    .filter((t) => t.kind !== 'ws' && t.kind !== 'comment')
    .map((t) => (t.kind === 'quoted' ? unquoteIdentifier(t) : t.text))
    .join(' ');
}
