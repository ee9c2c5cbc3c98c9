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

function isWordStart(ch: string): boolean {
  return /[A-Za-z_]/.test(ch) || ch.charCodeAt(0) >= 0x80;
}

function isWordChar(ch: string): boolean {
  return /[A-Za-z0-9_$]/.test(ch) || ch.charCodeAt(0) >= 0x80;
}

/** Tokenise SQL text. Unterminated strings or comments run to the end of the text. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = sql.length;
  const push = (kind: TokenKind, start: number, end: number): void => {
    tokens.push({ kind, text: sql.slice(start, end), start, end });
  };
  while (i < n) {
    const ch = sql[i]!;
    const start = i;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r' || ch === '\f') {
      while (i < n && /[ \t\n\r\f]/.test(sql[i]!)) i++;
      push('ws', start, i);
    } else if (ch === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl === -1 ? n : nl; // the newline itself is whitespace
      push('comment', start, i);
    } else if (ch === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close === -1 ? n : close + 2;
      push('comment', start, i);
    } else if (ch === "'" || ch === '"' || ch === '`') {
      i++;
      while (i < n) {
        if (sql[i] === ch) {
          if (sql[i + 1] === ch) {
            i += 2;
            continue;
          }
          i++;
          break;
        }
        i++;
      }
      push(ch === "'" ? 'string' : 'quoted', start, i);
    } else if (ch === '[') {
      const close = sql.indexOf(']', i + 1);
      i = close === -1 ? n : close + 1;
      push('quoted', start, i);
    } else if (ch === ';') {
      i++;
      push('semi', start, i);
    } else if (isWordStart(ch)) {
      i++;
      while (i < n && isWordChar(sql[i]!)) i++;
      push('word', start, i);
    } else if (/[0-9]/.test(ch)) {
      i++;
      while (i < n && /[0-9A-Za-z_.]/.test(sql[i]!)) i++;
      push('other', start, i);
    } else {
      i++;
      push('other', start, i);
    }
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
  return body.split(q + q).join(q);
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
    const significant = current.filter((t) => t.kind !== 'ws' && t.kind !== 'comment');
    if (significant.some((t) => t.kind !== 'semi')) {
      const first = significant[0]!;
      const last = significant[significant.length - 1]!;
      out.push({ text: sql.slice(first.start, last.end), start: first.start, tokens: significant, terminated });
    }
    current = [];
  };
  for (const token of tokenize(sql)) {
    current.push(token);
    state = TRANS[state]![classify(token)]!;
    if (token.kind === 'semi' && state === 1) flush(true);
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
