/**
 * Guards as SQL. Each check counts offending rows into a column of a helper table whose named CHECK
 * constraint requires 0, so a failing guard aborts the statement with "CHECK constraint failed:
 * <name>": D1 rolls the whole file back and its error names the object and the way out. Plain
 * queries only: no PRAGMA table-valued function, which D1's authorizer may refuse.
 */
import type { GuardCheck, GuardColumn, StepCommand } from '../plan/types.js';
import { storedAs } from '../sqltext/affinity.js';
import { quoteIdentifier as quoted } from '../sqltext/rewrite.js';
import { copyValue, ident } from './text.js';

/** D1 allows at most 100 columns in a table, the helper table included. */
const CHECKS_PER_TABLE = 90;

/** The constraint name: what D1's error says when the guard fires. */
export function guardMessage(g: GuardCheck): string {
  switch (g.kind) {
    case 'noNulls':
      return `${g.code}: ${g.table}.${g.column} holds NULL in some rows and becomes NOT NULL; fill them first, or generate again with --backfill ${g.table}.${g.column}=<SQL expression>`;
    case 'checkHolds':
      if (g.existing) return `${g.code}: rows of ${g.table} violate the check ${g.check.name} once the migration fills or converts them; fix those rows first`;
      return `${g.code}: rows of ${g.table} violate the new check ${g.check.name}; fix those rows first`;
    case 'noDuplicates':
      if (g.existing) return `${g.code}: rows of ${g.table} share a value of the unique index ${g.index.name} once the migration fills or converts them; remove the duplicates first`;
      return `${g.code}: rows of ${g.table} share a value of the new unique index ${g.index.name}; remove the duplicates first`;
    case 'noOrphans': {
      const fk = g.foreignKey;
      return `${g.code}: rows of ${g.table} reference ${fk.tableTo}(${fk.columnsTo.join(', ')}) through (${fk.columnsFrom.join(', ')}) with no matching row; delete or repair them first`;
    }
    case 'integerKey':
      return `${g.code}: ${g.table}.${g.column} holds values that are not integers and becomes an INTEGER PRIMARY KEY; convert or delete those rows first`;
  }
}

/** A query counting the rows that make the check fail. */
export function offendingRows(g: GuardCheck): string {
  switch (g.kind) {
    case 'noNulls':
      return `SELECT count(*) FROM ${ident(g.table)} WHERE ${quoted(g.column)} IS NULL`;
    case 'checkHolds': {
      // The check is written against the new table ("t"."c"): evaluate it on the rows the copy writes.
      const value = (c: GuardColumn) => (c.storedAs ? storedAs(copyValue(c), c.storedAs) : copyValue(c));
      const values = g.columns.map((c) => `${value(c)} AS ${quoted(c.name)}`).join(', ');
      return `SELECT count(*) FROM (SELECT ${values} FROM ${ident(g.from)}) AS ${quoted(g.table)} WHERE NOT (${g.check.value})`;
    }
    case 'noDuplicates': {
      // A unique index allows any number of rows with a NULL in its columns (sqlite.org/lang_createindex.html).
      const cols = g.index.columns.map((c) => (g.expressions.includes(c) ? c : ident(c)));
      const where = [...cols.map((c) => `${c} IS NOT NULL`), ...(g.index.where ? [`(${g.index.where})`] : [])].join(' AND ');
      return `SELECT count(*) FROM (SELECT 1 FROM ${ident(g.table)} WHERE ${where} GROUP BY ${cols.join(', ')} HAVING count(*) > 1)`;
    }
    case 'noOrphans': {
      // MATCH SIMPLE (sqlite.org/foreignkeys.html): a row with a NULL in any child column is not checked.
      const fk = g.foreignKey;
      const child = (c: string) => `"child".${quoted(c)}`;
      const present = fk.columnsFrom.map((c) => `${child(c)} IS NOT NULL`).join(' AND ');
      const match = fk.columnsTo.map((p, i) => `"parent".${quoted(p)} = ${child(fk.columnsFrom[i]!)}`).join(' AND ');
      return `SELECT count(*) FROM ${ident(g.table)} AS "child" WHERE ${present} AND NOT EXISTS (SELECT 1 FROM ${ident(fk.tableTo)} AS "parent" WHERE ${match})`;
    }
    case 'integerKey': {
      // What the rowid accepts: a value INTEGER affinity makes an integer (NULL takes a new rowid).
      const c = quoted(g.column);
      return `SELECT count(*) FROM ${ident(g.table)} WHERE ${c} IS NOT NULL AND typeof(${storedAs(c, 'INTEGER')}) <> 'integer'`;
    }
  }
}

/** The guard step's statements: one helper table per 90 checks, an INSERT per check, then the drop. */
export function guardSql(step: Extract<StepCommand, { kind: 'guard' }>): string[] {
  const out: string[] = [];
  for (let start = 0; start < step.checks.length; start += CHECKS_PER_TABLE) {
    const chunk = step.checks.slice(start, start + CHECKS_PER_TABLE);
    const column = (i: number) => ident(`c${i}`);
    const columns = chunk.map((g, i) => `${column(i)} INTEGER CONSTRAINT ${quoted(guardMessage(g))} CHECK (${column(i)} = 0)`);
    out.push(`CREATE TABLE ${ident(step.table)} (${columns.join(', ')});`);
    chunk.forEach((g, i) => out.push(`INSERT INTO ${ident(step.table)}(${column(i)}) ${offendingRows(g)};`));
    out.push(`DROP TABLE ${ident(step.table)};`);
  }
  return out;
}
