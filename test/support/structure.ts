/**
 * The part of a schema description that says what the database *is*, not how it was written:
 * columns as a set (ALTER TABLE ADD COLUMN appends where a fresh CREATE TABLE lists them in schema
 * order, and writes an inline REFERENCES where CREATE TABLE has a table constraint), foreign keys,
 * indexes, CHECK constraints, generated columns, AUTOINCREMENT, views.
 */
import type { SchemaDescription } from '../../src/d1/inspect.js';

/** The CHECK(...) clauses of a normalised CREATE TABLE body, sorted. */
export function checksOf(sql: string): string[] {
  const out: string[] = [];
  const re = /CHECK\s*\(/gi;
  for (let m = re.exec(sql); m; m = re.exec(sql)) {
    let depth = 0;
    let end = m.index + m[0].length - 1;
    for (; end < sql.length; end++) {
      if (sql[end] === '(') depth++;
      else if (sql[end] === ')' && --depth === 0) break;
    }
    out.push(sql.slice(m.index, end + 1).replace(/\s+/g, ' ').toLowerCase());
  }
  return out.sort();
}

export function structureOf(d: SchemaDescription) {
  return {
    tables: d.tables.map((t) => ({
      name: t.name,
      columns: [...t.columns].sort((a, b) => (a.name < b.name ? -1 : 1)),
      foreignKeys: t.foreignKeys,
      indexes: t.indexes,
      checks: checksOf(t.sql),
      autoincrement: t.autoincrement,
      withoutRowid: t.withoutRowid,
    })),
    views: d.views,
    triggers: d.triggers,
  };
}
