/**
 * `--backfill` values are pasted into the migration as SQL: they must be exactly one SQL expression
 * over the rows being copied, or a value could close the expression and run another statement, an
 * empty one would break the file, and a trailing `--` would comment out the statement breakpoint.
 * Checked with the tokenizer (no `;`, no comment) and with SQLite's own parser, by preparing
 * `SELECT (<expression>) FROM <table>` against a table holding the columns the copy reads.
 */
import Database from 'better-sqlite3';
import { tokenize } from '../sqltext/tokens.js';

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Why `expression` is not one SQL expression over `columns`, or null when it is. */
export function expressionProblem(expression: string, columns: string[]): string | null {
  const tokens = tokenize(expression);
  if (!tokens.some((t) => t.kind !== 'ws')) return 'it is empty';
  if (tokens.some((t) => t.kind === 'semi')) return 'it contains a ";" (one expression, not statements)';
  if (tokens.some((t) => t.kind === 'comment')) return 'it contains an SQL comment';
  const db = new Database(':memory:');
  try {
    db.exec(`CREATE TABLE "t" (${columns.map(quoted).join(', ') || '"_"'})`);
    db.prepare(`SELECT (${expression}) FROM "t"`);
    return null;
  } catch (e) {
    return `SQLite does not accept it as an expression over the table's columns (${(e as Error).message})`;
  } finally {
    db.close();
  }
}
