/**
 * One migration file, statement by statement, against the real schema at each statement: the rules
 * that depend on the schema at that point (what a DROP TABLE reaches, whether foreign keys are
 * deferred, the columns a copy reads) look at the replayed database inside the file's transaction,
 * just before the statement runs (replay's beforeStatement), so nothing is run twice. The rest read
 * the statement's text.
 */
import type Database from 'better-sqlite3';
import { d1Rejection } from '../d1/apply.js';
import { childrenIn, D1_MAX_CASCADE_TABLES, D1_MAX_STATEMENT_BYTES, dropReach, edgesWithout, foreignKeyEdges, type ForeignKeyEdge } from '../d1/hazards.js';
import { matchingParen, nameOf, splitTopLevel, wordAt } from '../d1/sql-parse.js';
import { splitStatements, type SqlStatement } from '../sqltext/tokens.js';
import { finding, type Finding } from './finding.js';

/** What the statements did, for the rules that run after the file (see file-rules.ts). */
export interface StatementTrace {
  /** Tables the file dropped with DROP TABLE. */
  droppedTables: Set<string>;
  /** Triggers the file dropped with DROP TRIGGER. */
  droppedTriggers: Set<string>;
  /** Whether the file drops a table that a foreign key of another table names at that point. */
  dropsReferencedTable: boolean;
}

/** 1-based line of `offset` in `text`. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const isWord = (st: SqlStatement, i: number, ...words: string[]) => words.includes(wordAt(st.tokens, i));

/** The table a statement names after its leading words (`DROP TABLE IF EXISTS x`, `INSERT INTO x`). */
function nameAfter(st: SqlStatement, at: number): string | undefined {
  let i = at;
  if (isWord(st, i, 'IF') && isWord(st, i + 1, 'NOT', 'EXISTS')) i += isWord(st, i + 1, 'NOT') ? 3 : 2;
  if (st.tokens[i + 1]?.text === '.') i += 2; // main.t
  return nameOf(st.tokens[i]);
}

/** `PRAGMA defer_foreign_keys = OFF` (or 0, false, no). */
function defersOff(st: SqlStatement): boolean {
  if (!isWord(st, 0, 'PRAGMA') || nameOf(st.tokens[1])?.toLowerCase() !== 'defer_foreign_keys') return false;
  const value = st.tokens.find((t, i) => i > 1 && t.text !== '=' && t.text !== '(' && t.kind !== 'semi');
  return value !== undefined && ['OFF', '0', 'FALSE', 'NO'].includes(value.text.toUpperCase());
}

/** `PRAGMA defer_foreign_keys = ON` (or 1, true, yes). */
function defersOn(st: SqlStatement): boolean {
  if (!isWord(st, 0, 'PRAGMA') || nameOf(st.tokens[1])?.toLowerCase() !== 'defer_foreign_keys') return false;
  const value = st.tokens.find((t, i) => i > 1 && t.text !== '=' && t.text !== '(' && t.kind !== 'semi');
  return value !== undefined && ['ON', '1', 'TRUE', 'YES'].includes(value.text.toUpperCase());
}

/** D1-404: the last `defer_foreign_keys = ON` with no OFF after it. */
function deferNeverOff(file: string, sql: string, statements: readonly SqlStatement[]): Finding[] {
  let on = -1;
  statements.forEach((st, i) => {
    if (defersOn(st)) on = i;
  });
  if (on < 0 || statements.slice(on + 1).some(defersOff)) return [];
  return [finding('D1-404', 'PRAGMA defer_foreign_keys = ON is never set OFF: a table dropped after it leaves deferred violations that fail the COMMIT, and nothing checks the references before it', { file, line: lineAt(sql, statements[on]!.start) },
    'end the change with a check of the references and PRAGMA defer_foreign_keys = OFF')];
}

/** `PRAGMA foreign_keys …`: a no-op inside D1's transaction. */
function foreignKeysPragma(st: SqlStatement): boolean {
  return isWord(st, 0, 'PRAGMA') && nameOf(st.tokens[1])?.toLowerCase() === 'foreign_keys' && st.tokens.length > 3;
}

/**
 * D1-403, for a file that relies on the pragma: one that drops a table other tables reference. (In a
 * file that drops nothing referenced the pragma is harmless, and lint stays quiet.)
 */
function foreignKeysNoOps(file: string, sql: string, statements: readonly SqlStatement[]): Finding[] {
  return statements.filter(foreignKeysPragma).map((st) =>
    finding('D1-403', `${st.text.replace(/;$/, '')} does nothing on D1: each file runs in one transaction and SQLite ignores foreign_keys inside one, so the DROP TABLE below still fires the foreign keys that name the table`, { file, line: lineAt(sql, st.start) },
      'use PRAGMA defer_foreign_keys = ON … OFF, and move child tables off a rebuilt table (`drizzle-d1 rewrite` does both)'));
}

/** `ALTER TABLE t ADD [COLUMN] c … NOT NULL` with no DEFAULT and not generated. */
function addsNotNullWithoutDefault(st: SqlStatement): boolean {
  if (!isWord(st, 0, 'ALTER') || !isWord(st, 1, 'TABLE')) return false;
  const add = st.tokens.findIndex((t, i) => i > 2 && t.kind === 'word' && t.text.toUpperCase() === 'ADD');
  if (add < 0) return false;
  const words = st.tokens.slice(add).map((t) => (t.kind === 'word' ? t.text.toUpperCase() : ''));
  const notNull = words.some((w, i) => w === 'NOT' && words[i + 1] === 'NULL');
  return notNull && !words.includes('DEFAULT') && !words.includes('AS') && !words.includes('GENERATED');
}

/** One file under analysis: its statements and what the rules found so far. */
export interface FileLint {
  file: string;
  sql: string;
  statements: SqlStatement[];
  /** 1-based line of each statement. */
  lines: number[];
  /** The table each `DROP TABLE` names (undefined for other statements). */
  drops: (string | undefined)[];
  /** Each `INSERT INTO t(…) SELECT … FROM s` copy (undefined for other statements). */
  copies: (CopyText | undefined)[];
  /** Before each statement that needs it: tables created in this file and not written since (no rows). */
  emptyAt: (Set<string> | undefined)[];
  /** doomedTables(drops, statements), computed at the first DROP TABLE. */
  doomed?: (Set<string> | undefined)[];
  /** The foreign keys at the last DROP TABLE met (see edgesAtDrop). */
  lastDrop?: { index: number; edges: ForeignKeyEdge[] };
  /** Findings of the rules that read the schema at a statement (lintBeforeStatement). */
  findings: Finding[];
  trace: StatementTrace;
}

/**
 * For each statement, the tables the file drops later without naming them in between (so nothing
 * reads their rows again): a rebuild's old child tables, already copied, which drizzle-d1 drops
 * leaves first. One backward pass over the file.
 */
function doomedTables(drops: readonly (string | undefined)[], statements: readonly SqlStatement[]): (Set<string> | undefined)[] {
  // Kept at the DROP TABLEs only, the statements that ask.
  const after: (Set<string> | undefined)[] = new Array(statements.length);
  const doomed = new Set<string>();
  for (let i = statements.length - 1; i >= 0; i--) {
    const drop = drops[i];
    if (drop !== undefined) {
      after[i] = new Set(doomed);
      doomed.add(drop);
    } else if (doomed.size > 0) for (const t of statements[i]!.tokens) if (t.kind === 'word' || t.kind === 'quoted') doomed.delete(nameOf(t)!);
  }
  return after;
}

/**
 * The foreign keys just before DROP TABLE number `index`: read from the database, or, when the
 * statement before was a DROP TABLE too (a rebuild drops its old tables in a row), that drop's
 * minus the dropped table's own: a DROP TABLE changes no other table.
 */
function edgesAtDrop(ctx: FileLint, db: Database.Database, index: number): ForeignKeyEdge[] {
  const previous = ctx.drops[index - 1];
  const edges = ctx.lastDrop?.index === index - 1 && previous !== undefined ? edgesWithout(ctx.lastDrop.edges, previous) : foreignKeyEdges(db);
  ctx.lastDrop = { index, edges };
  return edges;
}

function dropFindings(ctx: FileLint, db: Database.Database, table: string, index: number, line: number): void {
  ctx.trace.droppedTables.add(table);
  const childrenOf = childrenIn(edgesAtDrop(ctx, db, index));
  if (childrenOf(table).length > 0) ctx.trace.dropsReferencedTable = true;
  const reach = dropReach(childrenOf, table, ctx.emptyAt[index], (ctx.doomed ??= doomedTables(ctx.drops, ctx.statements))[index]);
  const at = { file: ctx.file, line, table };
  if (reach.emptied.length || reach.nulled.length) {
    const parts = [
      ...(reach.emptied.length ? [`deletes every row of ${reach.emptied.join(', ')} (ON DELETE CASCADE)`] : []),
      ...(reach.nulled.length ? [`sets the references of ${reach.nulled.join(', ')} to NULL or their default (ON DELETE SET NULL / SET DEFAULT)`] : []),
    ];
    ctx.findings.push(finding('D1-401', `DROP TABLE ${table} ${parts.join(' and ')}: on D1 foreign keys stay on, so the drop's implicit DELETE fires them`, at,
      'regenerate the migration with `drizzle-d1 rewrite` (it moves the child tables onto the new table first), if it is not applied anywhere yet'));
  }
  if (reach.depth > D1_MAX_CASCADE_TABLES) {
    ctx.findings.push(finding('D1-412', `DROP TABLE ${table} cascades through ${reach.depth} tables: local D1 stops at 10 levels of triggers and fails the migration`, at,
      'move the children off the table before dropping it (`drizzle-d1 rewrite`)'));
  }
  if (reach.blocking.length) blockingFinding(ctx, db, table, reach.blocking, index, at);
}

function blockingFinding(ctx: FileLint, db: Database.Database, table: string, blocking: string[], index: number, at: { file: string; line: number; table: string }): void {
  const deferred = Boolean(db.pragma('defer_foreign_keys', { simple: true }));
  const turnedOff = ctx.statements.slice(index + 1).some(defersOff);
  if (deferred && turnedOff) return;
  const why = deferred
    ? `defer_foreign_keys is ON and never set OFF afterwards, so the deferred violations of ${blocking.join(', ')} fail the COMMIT`
    : `${blocking.join(', ')} reference${blocking.length === 1 ? 's' : ''} it with ON DELETE NO ACTION / RESTRICT, so the drop fails as soon as a row does`;
  ctx.findings.push(finding('D1-402', `DROP TABLE ${table} fails on D1: ${why}`, at,
    'regenerate the migration with `drizzle-d1 rewrite` (PRAGMA defer_foreign_keys = ON … OFF around the rebuild), if it is not applied anywhere yet'));
}

interface CopyText {
  target: string;
  source: string;
  /** Target column → the source column copied into it as a bare name (other expressions left out). */
  pairs: [string, string][];
}

/** `INSERT INTO t(a, b) SELECT x, y FROM s` with a plain source table, or undefined. */
function copyOf(st: SqlStatement): CopyText | undefined {
  if (!isWord(st, 0, 'INSERT') || !isWord(st, 1, 'INTO')) return undefined;
  const target = nameOf(st.tokens[2]);
  if (target === undefined || st.tokens[3]?.text !== '(') return undefined;
  const close = matchingParen(st.tokens, 3);
  if (!isWord(st, close + 1, 'SELECT')) return undefined;
  const from = st.tokens.findIndex((t, i) => i > close && t.kind === 'word' && t.text.toUpperCase() === 'FROM');
  const source = from < 0 ? undefined : nameOf(st.tokens[from + 1]);
  if (source === undefined || !(st.tokens[from + 2] === undefined || st.tokens[from + 2]!.kind === 'semi')) return undefined;
  const columns = splitTopLevel(st.tokens, 4, close).map((part) => (part.length === 1 ? nameOf(part[0]) : undefined));
  const values = splitTopLevel(st.tokens, close + 2, from).map((part) => (part.length === 1 && part[0]!.kind !== 'string' ? nameOf(part[0]) : undefined));
  const pairs = columns.flatMap((c, i) => (c !== undefined && values[i] !== undefined ? [[c, values[i]!] as [string, string]] : []));
  return { target, source, pairs };
}

interface ColumnRow {
  name: string;
  notnull: number;
  pk: number;
}

/** The query of columnsOf, prepared once per database. */
const columnQueries = new WeakMap<Database.Database, Database.Statement<[string]>>();

/** A table's columns at this statement (none when it does not exist). */
function columnsOf(db: Database.Database, table: string): ColumnRow[] {
  let query = columnQueries.get(db);
  if (query === undefined) columnQueries.set(db, (query = db.prepare<[string]>('SELECT name, "notnull", pk FROM pragma_table_xinfo(?)')));
  return query.all(table) as ColumnRow[];
}

/** D1-410: a copy of a nullable column into a NOT NULL one, as is. */
function nullIntoNotNull(ctx: FileLint, db: Database.Database, copy: CopyText, index: number): void {
  if (ctx.emptyAt[index]?.has(copy.source)) return;
  const target = columnsOf(db, copy.target);
  const source = columnsOf(db, copy.source);
  const line = ctx.lines[index]!;
  for (const [to, from] of copy.pairs) {
    const t = target.find((c) => c.name === to);
    const f = source.find((c) => c.name === from);
    // An INTEGER PRIMARY KEY is the rowid: never NULL whatever its declaration says.
    if (!t?.notnull || !f || f.notnull || f.pk > 0) continue;
    ctx.findings.push(finding('D1-410', `the copy puts ${copy.source}.${from}, which may hold NULL, into the NOT NULL column ${copy.target}.${to} as is: the migration fails on the first NULL and D1 rolls it back`, { file: ctx.file, line, table: copy.source, column: from },
      'fill the NULLs first (coalesce(…) in the copy, or `drizzle-d1 rewrite` with the column\'s default or --backfill), or check that no row holds NULL'));
  }
}

/** The text rules of one statement: D1's rejections, its size limit, ADD COLUMN NOT NULL. */
function textFindings(ctx: FileLint, st: SqlStatement, index: number): Finding[] {
  const at = { file: ctx.file, line: ctx.lines[index]! };
  const out: Finding[] = [];
  const rejected = d1Rejection(st);
  if (rejected !== undefined) out.push(finding('D1-405', `${st.text.replace(/;$/, '')}: ${rejected}`, at, 'remove the statement: D1 runs each file in one transaction of its own'));
  const bytes = Buffer.byteLength(st.text);
  if (bytes > D1_MAX_STATEMENT_BYTES) {
    out.push(finding('D1-413', `a statement of ${bytes} bytes: D1 refuses statements over ${D1_MAX_STATEMENT_BYTES} bytes`, at, 'split it (several INSERTs, or a batch per file)'));
  }
  if (addsNotNullWithoutDefault(st)) {
    const table = nameAfter(st, 2);
    if (table !== undefined && !ctx.emptyAt[index]?.has(table)) {
      out.push(finding('D1-101', `${st.text.replace(/;$/, '')} fails as soon as ${table} holds a row: SQLite refuses a NOT NULL column without a default on a non-empty table`, { ...at, table },
        'give the column a default, or regenerate with `drizzle-d1 generate --backfill table.column=<SQL>`'));
    }
  }
  return out;
}

/** The table a `DROP TABLE` statement drops, or undefined. */
const droppedBy = (st: SqlStatement) => (isWord(st, 0, 'DROP') && isWord(st, 1, 'TABLE') ? nameAfter(st, 2) : undefined);

/** `offset → line` for offsets met in increasing order, counting each newline once. */
function lineCounter(text: string): (offset: number) => number {
  let next = text.indexOf('\n');
  let line = 1;
  return (offset) => {
    for (; next !== -1 && next < offset; next = text.indexOf('\n', next + 1)) line++;
    return line;
  };
}

/** Which tables hold no rows after the statement (CREATE TABLE adds one; a write or rename moves it); DROPs traced. */
function trackStatement(empty: Set<string>, trace: StatementTrace, st: SqlStatement): void {
  if (isWord(st, 0, 'CREATE') && isWord(st, 1, 'TABLE')) {
    const name = nameAfter(st, 2);
    // CREATE TABLE … AS SELECT fills the table.
    if (name !== undefined && !st.tokens.some((t) => t.kind === 'word' && t.text.toUpperCase() === 'SELECT')) empty.add(name);
  } else if (isWord(st, 0, 'INSERT', 'REPLACE')) {
    const into = st.tokens.findIndex((t) => t.kind === 'word' && t.text.toUpperCase() === 'INTO');
    const name = into < 0 ? undefined : nameAfter(st, into + 1);
    if (name !== undefined) empty.delete(name);
  } else if (isWord(st, 0, 'ALTER') && isWord(st, 1, 'TABLE') && isWord(st, 3, 'RENAME') && isWord(st, 4, 'TO')) {
    const from = nameAfter(st, 2);
    const to = nameOf(st.tokens[5]);
    if (from !== undefined && to !== undefined && empty.delete(from)) empty.add(to);
  } else if (isWord(st, 0, 'DROP') && isWord(st, 1, 'TRIGGER', 'TABLE')) {
    const name = nameAfter(st, 2);
    if (name !== undefined) (isWord(st, 1, 'TABLE') ? trace.droppedTables : trace.droppedTriggers).add(name);
  }
}

/** A file's statements, lines and textual state, before the replay runs it. */
export function startFileLint(file: string, sql: string): FileLint {
  const statements = splitStatements(sql);
  const lineOf = lineCounter(sql);
  const trace: StatementTrace = { droppedTables: new Set(), droppedTriggers: new Set(), dropsReferencedTable: false };
  const empty = new Set<string>();
  const drops = statements.map(droppedBy);
  const copies = statements.map(copyOf);
  const emptyAt = statements.map((st, i) => {
    const here = drops[i] !== undefined || copies[i] !== undefined || addsNotNullWithoutDefault(st) ? new Set(empty) : undefined;
    trackStatement(empty, trace, st);
    return here;
  });
  return { file, sql, statements, lines: statements.map((st) => lineOf(st.start)), drops, copies, emptyAt, findings: [], trace };
}

/** The rules that read the schema just before statement `index` runs (the replay's beforeStatement). */
export function lintBeforeStatement(ctx: FileLint, index: number, db: Database.Database): void {
  const drop = ctx.drops[index];
  if (drop !== undefined) dropFindings(ctx, db, drop, index, ctx.lines[index]!);
  const copy = ctx.copies[index];
  if (copy) nullIntoNotNull(ctx, db, copy, index);
}

/** Every finding of the file's statements, once the replay ran (or stopped in) it. */
export function finishFileLint(ctx: FileLint): { findings: Finding[]; trace: StatementTrace } {
  const { file, sql, statements } = ctx;
  const text = statements.flatMap((st, i) => textFindings(ctx, st, i));
  const pragmas = ctx.trace.dropsReferencedTable ? foreignKeysNoOps(file, sql, statements) : [];
  return { findings: [...text, ...ctx.findings, ...pragmas, ...deferNeverOff(file, sql, statements)], trace: ctx.trace };
}
