/**
 * The renames a migration's own statements make, for the migrations that rename by hand where the
 * snapshot records none (a hand-written `ALTER TABLE … RENAME COLUMN` instead of a rebuild). Read
 * through the tokenizer and composed in order, so a table renamed aside (`t` → `t_old`) and dropped
 * once its rows are copied into a new `t` keeps its name, and a rename undone later is no rename.
 */
import type { Renames } from '../diff/types.js';
import { nameOf, wordAt } from '../d1/sql-parse.js';
import { splitStatements, type SqlStatement } from '../sqltext/tokens.js';

const lower = (s: string) => s.toLowerCase();

/** The tables and columns of the database while the statements run: current name → name before the migration. */
interface Origins {
  tables: Map<string, { current: string; origin: string }>;
  /** Current table (lower-cased) → current column (lower-cased) → its name before the migration. */
  columns: Map<string, Map<string, { current: string; origin: string }>>;
}

/** The position after `ALTER TABLE [schema.]name` (or `DROP TABLE [IF EXISTS] [schema.]name`), and the name. */
function tableAt(st: SqlStatement, at: number): { name: string; next: number } | undefined {
  let i = at;
  if (wordAt(st.tokens, i) === 'IF' && wordAt(st.tokens, i + 1) === 'EXISTS') i += 2;
  if (st.tokens[i + 1]?.text === '.') i += 2;
  const name = nameOf(st.tokens[i]);
  return name === undefined ? undefined : { name, next: i + 1 };
}

function renameTable(o: Origins, from: string, to: string): void {
  const origin = o.tables.get(lower(from))?.origin ?? from;
  o.tables.delete(lower(from));
  o.tables.set(lower(to), { current: to, origin });
  const columns = o.columns.get(lower(from));
  o.columns.delete(lower(from));
  if (columns) o.columns.set(lower(to), columns);
}

function renameColumn(o: Origins, table: string, from: string, to: string): void {
  const columns = o.columns.get(lower(table)) ?? new Map<string, { current: string; origin: string }>();
  const origin = columns.get(lower(from))?.origin ?? from;
  columns.delete(lower(from));
  columns.set(lower(to), { current: to, origin });
  o.columns.set(lower(table), columns);
}

function dropTable(o: Origins, table: string): void {
  o.tables.delete(lower(table));
  o.columns.delete(lower(table));
}

/** One statement's effect on the names: RENAME TO, RENAME [COLUMN] … TO, DROP TABLE, DROP [COLUMN]. */
function follow(o: Origins, st: SqlStatement): void {
  const w = (i: number) => wordAt(st.tokens, i);
  if (w(0) === 'DROP' && w(1) === 'TABLE') {
    const t = tableAt(st, 2);
    if (t) dropTable(o, t.name);
    return;
  }
  if (w(0) !== 'ALTER' || w(1) !== 'TABLE') return;
  const t = tableAt(st, 2);
  if (!t) return;
  const i = t.next;
  if (w(i) === 'RENAME' && w(i + 1) === 'TO') {
    const to = nameOf(st.tokens[i + 2]);
    if (to !== undefined) renameTable(o, t.name, to);
  } else if (w(i) === 'RENAME') {
    const at = w(i + 1) === 'COLUMN' ? i + 2 : i + 1;
    const from = nameOf(st.tokens[at]);
    const to = w(at + 1) === 'TO' ? nameOf(st.tokens[at + 2]) : undefined;
    if (from !== undefined && to !== undefined) renameColumn(o, t.name, from, to);
  } else if (w(i) === 'DROP') {
    const column = nameOf(st.tokens[w(i + 1) === 'COLUMN' ? i + 2 : i + 1]);
    if (column !== undefined) o.columns.get(lower(t.name))?.delete(lower(column));
  }
}

/** Previous name → current name of every table and column the statements of `sql` rename for good. */
export function renamesInSql(sql: string): Renames {
  const o: Origins = { tables: new Map(), columns: new Map() };
  for (const st of splitStatements(sql)) follow(o, st);
  const renames: Renames = { tables: {}, columns: {} };
  for (const { current, origin } of o.tables.values()) if (lower(current) !== lower(origin)) renames.tables[origin] = current;
  for (const [table, columns] of o.columns) {
    const current = o.tables.get(table)?.current ?? table;
    for (const c of columns.values()) {
      if (lower(c.current) !== lower(c.origin)) (renames.columns[current] ??= {})[c.origin] = c.current;
    }
  }
  return renames;
}
