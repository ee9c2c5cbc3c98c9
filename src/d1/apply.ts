/**
 * Apply migrations to a better-sqlite3 database with Cloudflare D1's semantics, so tests can run
 * migrations quickly without starting workerd. It is deliberately at least as strict as both D1
 * runners (`wrangler d1 migrations apply` and drizzle-orm's D1 migrator):
 *
 * - one transaction per file, foreign keys on (so `PRAGMA foreign_keys=OFF` is a silent no-op),
 *   deferred foreign-key violations fail at COMMIT, any error rolls the whole file back;
 * - statements D1 rejects are rejected: BEGIN/COMMIT/END/ROLLBACK/SAVEPOINT/RELEASE, TEMP objects,
 *   ATTACH/DETACH, and PRAGMAs local D1 does not authorise (measured on wrangler 4.86's workerd);
 * - `applyFolder` appends wrangler's `INSERT INTO d1_migrations` to the file text, so a file whose
 *   last statement lacks `;` fails as it does on wrangler. Unlike wrangler it does not strip
 *   `BEGIN TRANSACTION;`/`COMMIT;` (the drizzle-orm migrator would send them to D1, which rejects them).
 *
 * Not emulated: D1's tighter limits (trigger depth 10, 5 compound SELECT terms, expression depth
 * 100), its function allow-list, and double-quoted string literals (D1 accepts them; better-sqlite3
 * is built with SQLITE_DQS=0 and rejects them).
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { leadingWords, splitStatements, unquoteIdentifier, type SqlStatement } from '../sqltext/tokens.js';

export class D1MigrationError extends Error {
  override name = 'D1MigrationError';
  /** The migration file (name or path) being applied. */
  file: string;
  /** The statement that failed, when one did (absent for COMMIT-time failures). */
  statement?: string;
  constructor(message: string, file: string, statement?: string, options?: { cause?: unknown }) {
    super(`${file}: ${message}${statement === undefined ? '' : `\n  in statement: ${abbreviate(statement)}`}`, options);
    this.file = file;
    if (statement !== undefined) this.statement = statement;
  }
}

function abbreviate(sql: string): string {
  const oneLine = sql.replace(/\s+/g, ' ').trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 297)}...` : oneLine;
}

export interface ApplyResult {
  /** Rows inserted, updated or deleted by the file (SQLite `total_changes()` difference), FK actions included. */
  rowsWritten: number;
}

/** The wrangler default migrations table. */
export const D1_MIGRATIONS_TABLE = 'd1_migrations';

/** Open a database the way D1 runs: `PRAGMA foreign_keys = ON`. Defaults to an in-memory database. */
export function openD1Database(file?: string): Database.Database {
  const db = new Database(file ?? ':memory:');
  db.pragma('foreign_keys = ON');
  return db;
}

/** D1's error for transaction-control statements (verbatim from workerd). */
export const D1_TRANSACTION_MESSAGE =
  'To execute a transaction, please use the state.storage.transaction() or state.storage.transactionSync() APIs instead of the SQL BEGIN TRANSACTION or SAVEPOINT statements.';

const TRANSACTION_WORDS = new Set(['BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE']);

/**
 * PRAGMAs local D1 (workerd 1.20260426) authorises. The documented list plus `data_version` and
 * `optimize`; `integrity_check`, `user_version`, `journal_mode`, `writable_schema` … are rejected.
 */
export const D1_ALLOWED_PRAGMAS: ReadonlySet<string> = new Set([
  'table_list',
  'table_info',
  'table_xinfo',
  'index_list',
  'index_info',
  'index_xinfo',
  'quick_check',
  'foreign_key_check',
  'foreign_key_list',
  'case_sensitive_like',
  'ignore_check_constraints',
  'legacy_alter_table',
  'recursive_triggers',
  'reverse_unordered_selects',
  'foreign_keys',
  'defer_foreign_keys',
  'data_version',
  'optimize',
]);

/** Why D1 would refuse this statement before running it, or undefined. */
export function d1Rejection(statement: SqlStatement): string | undefined {
  const [w0, w1, w2] = leadingWords(statement, 3);
  const first = w0 === 'EXPLAIN' ? (w1 === 'QUERY' && w2 === 'PLAN' ? leadingWords(statement, 4)[3] : w1) : w0;
  if (first !== undefined && TRANSACTION_WORDS.has(first)) return D1_TRANSACTION_MESSAGE;
  if (w0 === 'CREATE' && (w1 === 'TEMP' || w1 === 'TEMPORARY')) {
    return 'not authorized: SQLITE_AUTH (D1 does not allow TEMP tables, views or triggers; use an ordinary table and drop it before the migration ends)';
  }
  if (w0 === 'ATTACH' || w0 === 'DETACH') return 'not authorized: SQLITE_AUTH (D1 does not allow ATTACH/DETACH)';
  const tokens = statement.tokens;
  if (w0 === 'PRAGMA') {
    let nameToken = tokens[1];
    if (tokens[2]?.text === '.') nameToken = tokens[3];
    const name = nameToken === undefined ? undefined : unquoteIdentifier(nameToken).toLowerCase();
    if (name !== undefined && !D1_ALLOWED_PRAGMAS.has(name)) {
      return `not authorized: SQLITE_AUTH (D1 does not allow PRAGMA ${name})`;
    }
  }
  for (const t of tokens) {
    // `(c | 32) === 112`: the word starts with p or P (the regex only for those).
    if (t.kind === 'word' && (t.text.charCodeAt(0) | 32) === 112 && /^pragma_/i.test(t.text)) {
      const name = t.text.slice('pragma_'.length).toLowerCase();
      if (!D1_ALLOWED_PRAGMAS.has(name)) return `not authorized: SQLITE_AUTH (D1 does not allow pragma_${name})`;
    }
  }
  return undefined;
}

/** The applier's own two queries, prepared once per database (they run after every statement). */
const counters = new WeakMap<Database.Database, { temp: Database.Statement; changes: Database.Statement }>();

function countersOf(db: Database.Database): { temp: Database.Statement; changes: Database.Statement } {
  let c = counters.get(db);
  if (c === undefined) {
    c = { temp: db.prepare('SELECT count(*) FROM sqlite_temp_schema').pluck(), changes: db.prepare('SELECT total_changes()').pluck() };
    counters.set(db, c);
  }
  return c;
}

function tempObjectCount(db: Database.Database): number {
  return countersOf(db).temp.get() as number;
}

function totalChanges(db: Database.Database): number {
  return countersOf(db).changes.get() as number;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export interface ApplyOptions {
  /**
   * Called inside the file's transaction just before statement number `index` (of splitStatements)
   * runs, with the database as the statements before it left it: `lint` reads the schema there. It
   * must not change the database.
   */
  beforeStatement?: (index: number, db: Database.Database) => void;
  /** `splitStatements(sql)`, when the caller has it already (lint splits each file once). */
  statements?: readonly SqlStatement[];
}

/** Run `sql` as one D1 query: one transaction, rolled back on any error. */
function runAsD1(
  db: Database.Database,
  sql: string,
  file: string,
  beforeCommit?: () => void,
  options: ApplyOptions = {},
): ApplyResult {
  if (db.inTransaction) throw new D1MigrationError('a transaction is already open on this database', file);
  if (tempObjectCount(db) > 0) throw new D1MigrationError('the database already has TEMP objects', file);
  const { beforeStatement } = options;
  const statements = options.statements ?? splitStatements(sql);
  // D1 refuses these before running anything.
  for (const s of statements) {
    const why = d1Rejection(s);
    if (why !== undefined) throw new D1MigrationError(why, file, s.text);
  }
  const before = totalChanges(db);
  db.exec('BEGIN');
  try {
    for (const [index, s] of statements.entries()) {
      beforeStatement?.(index, db);
      try {
        const stmt = db.prepare(s.text);
        if (stmt.reader) stmt.all();
        else stmt.run();
      } catch (e) {
        throw new D1MigrationError(errorMessage(e), file, s.text, { cause: e });
      }
      if (!db.inTransaction) {
        throw new D1MigrationError('the statement ended the transaction, which D1 does not allow', file, s.text);
      }
      // Only a CREATE adds to the temp schema (`CREATE TABLE temp.x`, a TEMP trigger on a main table).
      if (leadingWords(s, 1)[0] === 'CREATE' && tempObjectCount(db) > 0) {
        throw new D1MigrationError('not authorized: SQLITE_AUTH (D1 does not allow TEMP objects)', file, s.text);
      }
    }
    const rowsWritten = totalChanges(db) - before;
    beforeCommit?.();
    try {
      db.exec('COMMIT');
    } catch (e) {
      throw new D1MigrationError(`COMMIT failed: ${errorMessage(e)}`, file, undefined, { cause: e });
    }
    return { rowsWritten };
  } catch (e) {
    // A failed COMMIT (deferred FK violation) leaves the transaction open; some errors end it.
    if (db.inTransaction) db.exec('ROLLBACK');
    if (e instanceof D1MigrationError) throw e;
    throw new D1MigrationError(errorMessage(e), file, undefined, { cause: e });
  }
}

/**
 * Apply one migration file's text as D1 does: one transaction for the whole file, foreign keys on,
 * D1's statement rejections, rollback on any error (including COMMIT-time deferred FK violations).
 * Throws D1MigrationError naming `file`.
 */
export function applyMigration(db: Database.Database, sql: string, file: string, options: ApplyOptions = {}): ApplyResult {
  return runAsD1(db, sql, file, undefined, options);
}

/**
 * The order wrangler 4.86 applies unapplied files in. It lists `*.sql` names, sorts them
 * lexicographically, then (stable) sorts by `parseInt(name.split("_")[0])`; names whose prefix is not
 * a number compare equal to everything. So `9_b.sql` runs before `10_a.sql`. This is wrangler's code.
 */
export function wranglerOrder(names: readonly string[]): string[] {
  return [...names].sort().sort((a, b) => {
    const na = parseInt(a.split('_')[0]!);
    const nb = parseInt(b.split('_')[0]!);
    if (na < nb) return -1;
    if (na > nb) return 1;
    return 0;
  });
}

/** The migration file names directly in `folder`, in wrangler 4.86's order. */
export function listMigrationFiles(folder: string): string[] {
  const names = fs
    .readdirSync(folder, { withFileTypes: true })
    .filter((d) => d.name.endsWith('.sql') && !d.isDirectory())
    .map((d) => d.name);
  return wranglerOrder(names);
}

function ensureMigrationsTable(db: Database.Database, table: string): void {
  db.exec(`CREATE TABLE IF NOT EXISTS ${table}(
\t\tid         INTEGER PRIMARY KEY AUTOINCREMENT,
\t\tname       TEXT UNIQUE,
\t\tapplied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
);`);
}

/** Names recorded in the migrations table, in id order. */
export function appliedMigrations(db: Database.Database, table = D1_MIGRATIONS_TABLE): string[] {
  const exists = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(table);
  if (!exists) return [];
  return (db.prepare(`SELECT name FROM ${table} ORDER BY id`).all() as { name: string }[]).map((r) => r.name);
}

export interface ApplyFolderOptions {
  /** wrangler's `migrations_table`. Default `d1_migrations`. */
  migrationsTable?: string;
  /** Called after each file with its result. */
  onApplied?: (name: string, result: ApplyResult) => void;
}

/**
 * Apply every `*.sql` directly in `folder` not yet recorded, in wrangler 4.86's order, recording each
 * name in `d1_migrations` (created like wrangler does) inside the file's own transaction. Stops at the
 * first failure (throws D1MigrationError). Returns the names applied.
 */
export function applyFolder(db: Database.Database, folder: string, options: ApplyFolderOptions = {}): string[] {
  const table = options.migrationsTable ?? D1_MIGRATIONS_TABLE;
  ensureMigrationsTable(db, table);
  const done = new Set(appliedMigrations(db, table));
  const applied: string[] = [];
  for (const name of listMigrationFiles(folder)) {
    if (done.has(name)) continue;
    const text = fs.readFileSync(path.join(folder, name), 'utf8');
    // Exactly what wrangler appends (it does not escape the name either).
    const query = `${text}\n\t\t\t\t\t\t\t\tINSERT INTO ${table} (name)\n\t\t\t\t\t\t\t\tvalues ('${name}');\n\t\t\t\t\t\t`;
    const result = runAsD1(db, query, name, () => {
      if (!appliedMigrations(db, table).includes(name)) {
        throw new D1MigrationError(
          `its ${table} row was not written (an unterminated comment at the end of the file swallows the INSERT wrangler appends)`,
          name,
        );
      }
    });
    applied.push(name);
    options.onApplied?.(name, { rowsWritten: Math.max(0, result.rowsWritten - 1) });
  }
  return applied;
}
