/**
 * One migration file, statement by statement, against the real schema at each statement: the file
 * runs on a copy of the replayed database as it stood before the file (one transaction, foreign
 * keys on, as D1 runs it, then rolled back), and the rules that depend on the schema at that point
 * (what a DROP TABLE reaches, whether foreign keys are deferred) look at the copy just before the
 * statement runs.
 */
import Database from 'better-sqlite3';
import { d1Rejection, openD1Database } from '../d1/apply.js';
import { D1_MAX_STATEMENT_BYTES, dropReach } from '../d1/hazards.js';
import { readSchemaModel } from '../d1/model.js';
import { withLiteral, type DoubleQuotedLiteral } from '../d1/replay.js';
import { matchingParen, nameOf, splitTopLevel, wordAt } from '../d1/sql-parse.js';
import type { SchemaModel } from '../d1/model.js';
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

interface FileContext {
  file: string;
  sql: string;
  statements: SqlStatement[];
  db: Database.Database;
  /** Tables created in this file and not written to since: they hold no rows. */
  empty: Set<string>;
  findings: Finding[];
  trace: StatementTrace;
}

/**
 * Tables the file drops later without naming them in between (so nothing reads their rows again):
 * a rebuild's old child tables, already copied, which drizzle-d1 drops leaves first.
 */
function doomedAfter(ctx: FileContext, index: number): Set<string> {
  const doomed = new Set<string>();
  const named = new Set<string>();
  for (const st of ctx.statements.slice(index + 1)) {
    const drop = isWord(st, 0, 'DROP') && isWord(st, 1, 'TABLE') ? nameAfter(st, 2) : undefined;
    if (drop !== undefined && !named.has(drop)) doomed.add(drop);
    else for (const t of st.tokens) if (t.kind === 'word' || t.kind === 'quoted') named.add(nameOf(t)!);
  }
  return doomed;
}

function dropFindings(ctx: FileContext, st: SqlStatement, index: number, line: number): void {
  const table = nameAfter(st, 2);
  if (table === undefined) return;
  ctx.trace.droppedTables.add(table);
  const model = readSchemaModel(ctx.db);
  if (model.tables.some((t) => t.name !== table && t.foreignKeys.some((fk) => fk.parent === table))) ctx.trace.dropsReferencedTable = true;
  const reach = dropReach(model, table, ctx.empty, doomedAfter(ctx, index));
  const at = { file: ctx.file, line, table };
  if (reach.emptied.length || reach.nulled.length) {
    const parts = [
      ...(reach.emptied.length ? [`deletes every row of ${reach.emptied.join(', ')} (ON DELETE CASCADE)`] : []),
      ...(reach.nulled.length ? [`sets the references of ${reach.nulled.join(', ')} to NULL or their default (ON DELETE SET NULL / SET DEFAULT)`] : []),
    ];
    ctx.findings.push(finding('D1-401', `DROP TABLE ${table} ${parts.join(' and ')}: on D1 foreign keys stay on, so the drop's implicit DELETE fires them`, at,
      'regenerate the migration with `drizzle-d1 rewrite` (it moves the child tables onto the new table first), if it is not applied anywhere yet'));
  }
  if (reach.depth > 11) {
    ctx.findings.push(finding('D1-412', `DROP TABLE ${table} cascades through ${reach.depth} tables: local D1 stops at 10 levels of triggers and fails the migration`, at,
      'move the children off the table before dropping it (`drizzle-d1 rewrite`)'));
  }
  if (reach.blocking.length) blockingFinding(ctx, table, reach.blocking, index, at);
}

function blockingFinding(ctx: FileContext, table: string, blocking: string[], index: number, at: { file: string; line: number; table: string }): void {
  const deferred = Boolean(ctx.db.pragma('defer_foreign_keys', { simple: true }));
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

/** D1-410: a copy of a nullable column into a NOT NULL one, as is. */
function nullIntoNotNull(ctx: FileContext, model: SchemaModel, copy: CopyText, line: number): void {
  const target = model.tables.find((t) => t.name === copy.target);
  const source = model.tables.find((t) => t.name === copy.source);
  if (!target || !source || ctx.empty.has(copy.source)) return;
  for (const [to, from] of copy.pairs) {
    const t = target.columns.find((c) => c.name === to);
    const f = source.columns.find((c) => c.name === from);
    // An INTEGER PRIMARY KEY is the rowid: never NULL whatever its declaration says.
    if (!t?.notNull || !f || f.notNull || f.primaryKey > 0) continue;
    ctx.findings.push(finding('D1-410', `the copy puts ${copy.source}.${from}, which may hold NULL, into the NOT NULL column ${copy.target}.${to} as is: the migration fails on the first NULL and D1 rolls it back`, { file: ctx.file, line, table: copy.source, column: from },
      'fill the NULLs first (coalesce(…) in the copy, or `drizzle-d1 rewrite` with the column\'s default or --backfill), or check that no row holds NULL'));
  }
}

/** The rules that read one statement before it runs. */
function statementFindings(ctx: FileContext, st: SqlStatement, index: number, line: number, running: boolean): void {
  const at = { file: ctx.file, line };
  const bytes = Buffer.byteLength(st.text);
  if (bytes > D1_MAX_STATEMENT_BYTES) {
    ctx.findings.push(finding('D1-413', `a statement of ${bytes} bytes: D1 refuses statements over ${D1_MAX_STATEMENT_BYTES} bytes`, at, 'split it (several INSERTs, or a batch per file)'));
  }
  // The schema at this statement is known only while every statement before it ran.
  if (!running) return;
  if (isWord(st, 0, 'DROP') && isWord(st, 1, 'TABLE')) dropFindings(ctx, st, index, line);
  const copy = copyOf(st);
  if (copy) nullIntoNotNull(ctx, readSchemaModel(ctx.db), copy, line);
  if (addsNotNullWithoutDefault(st)) {
    const table = nameAfter(st, 2);
    if (table !== undefined && !ctx.empty.has(table)) {
      ctx.findings.push(finding('D1-101', `${st.text.replace(/;$/, '')} fails as soon as ${table} holds a row: SQLite refuses a NOT NULL column without a default on a non-empty table`, { ...at, table },
        'give the column a default, or regenerate with `drizzle-d1 generate --backfill table.column=<SQL>`'));
    }
  }
}

/** Which tables hold no rows after the statement (CREATE TABLE adds one; a write or rename moves it). */
function trackEmpty(ctx: FileContext, st: SqlStatement): void {
  if (isWord(st, 0, 'CREATE') && isWord(st, 1, 'TABLE')) {
    const name = nameAfter(st, 2);
    // CREATE TABLE … AS SELECT fills the table.
    if (name !== undefined && !st.tokens.some((t) => t.kind === 'word' && t.text.toUpperCase() === 'SELECT')) ctx.empty.add(name);
  } else if (isWord(st, 0, 'INSERT', 'REPLACE')) {
    const into = st.tokens.findIndex((t) => t.kind === 'word' && t.text.toUpperCase() === 'INTO');
    const name = into < 0 ? undefined : nameAfter(st, into + 1);
    if (name !== undefined) ctx.empty.delete(name);
  } else if (isWord(st, 0, 'ALTER') && isWord(st, 1, 'TABLE') && isWord(st, 3, 'RENAME') && isWord(st, 4, 'TO')) {
    const from = nameAfter(st, 2);
    const to = nameOf(st.tokens[5]);
    if (from !== undefined && to !== undefined && ctx.empty.delete(from)) ctx.empty.add(to);
  } else if (isWord(st, 0, 'DROP') && isWord(st, 1, 'TRIGGER')) {
    const name = nameAfter(st, 2);
    if (name !== undefined) ctx.trace.droppedTriggers.add(name);
  }
}

/** Run one statement on the copy as D1 reads it; false when it fails (the replay reports why). */
function run(db: Database.Database, st: SqlStatement, literals: readonly DoubleQuotedLiteral[]): boolean {
  let text = st.text;
  for (const l of literals) if (l.statement === st.text) text = withLiteral(text, 0, l.identifier) ?? text;
  try {
    const stmt = db.prepare(text);
    if (stmt.reader) stmt.all();
    else stmt.run();
    return db.inTransaction;
  } catch {
    return false;
  }
}

/**
 * The statement rules of one file, run on a copy of `before` (a serialized database; undefined for
 * an empty one). `literals`: the replay's double-quoted names read as strings in this file.
 */
export function lintStatements(file: string, sql: string, before: Buffer | undefined, literals: readonly DoubleQuotedLiteral[]): { findings: Finding[]; trace: StatementTrace } {
  const db = before === undefined ? openD1Database() : new Database(before);
  db.pragma('foreign_keys = ON');
  const statements = splitStatements(sql);
  const ctx: FileContext = { file, sql, statements, db, empty: new Set(), findings: [], trace: { droppedTables: new Set(), droppedTriggers: new Set(), dropsReferencedTable: false } };
  db.exec('BEGIN');
  try {
    let running = true;
    for (const [index, st] of statements.entries()) {
      const line = lineAt(sql, st.start);
      if (d1Rejection(st) !== undefined) {
        ctx.findings.push(finding('D1-405', `${st.text.replace(/;$/, '')}: ${d1Rejection(st)}`, { file, line }, 'remove the statement: D1 runs each file in one transaction of its own'));
        continue;
      }
      statementFindings(ctx, st, index, line, running);
      if (!running) continue;
      running = run(db, st, literals);
      trackEmpty(ctx, st);
    }
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
    db.close();
  }
  const pragmas = ctx.trace.dropsReferencedTable ? foreignKeysNoOps(file, sql, statements) : [];
  return { findings: [...ctx.findings, ...pragmas, ...deferNeverOff(file, sql, statements)], trace: ctx.trace };
}
