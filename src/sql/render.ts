/**
 * Step[] → SQLite text in drizzle-kit's formatting (backtick identifiers, `CREATE TABLE` ending in
 * `);\n`, statements joined by `--> statement-breakpoint`), so files look like the ones users know.
 */
import { PlanRefusal } from '../diagnostics/errors.js';
import { summarizePlan } from '../plan/summary.js';
import type { Column, Index, Table } from '../snapshot/types.js';
import type { Plan, StepCommand } from '../plan/types.js';
import { guardSql } from './guards.js';
import { quoteIdentifier as quoted, requalify } from '../sqltext/rewrite.js';
import { copyValue, ident, literal } from './text.js';

export { ident } from './text.js';

export const BREAKPOINT = '--> statement-breakpoint';


function columnDefinition(c: Column, tableName: string, physical: string): string {
  const generated = c.generated
    ? ` GENERATED ALWAYS AS ${requalify(c.generated.as, tableName, physical)} ${c.generated.type.toUpperCase()}`
    : '';
  return (
    `${ident(c.name)} ${c.type}${c.primaryKey ? ' PRIMARY KEY' : ''}${c.autoincrement ? ' AUTOINCREMENT' : ''}` +
    `${c.default !== undefined ? ` DEFAULT ${c.default}` : ''}${generated}${c.notNull ? ' NOT NULL' : ''}`
  );
}

export function createTableSql(table: Table, physical = table.name, references: Record<string, string> = {}): string {
  const lines = Object.values(table.columns).map((c) => '\t' + columnDefinition(c, table.name, physical));
  for (const pk of Object.values(table.compositePrimaryKeys)) {
    lines.push(`\tPRIMARY KEY(${pk.columns.map(ident).join(', ')})`);
  }
  for (const fk of Object.values(table.foreignKeys)) {
    const target = references[fk.tableTo] ?? fk.tableTo;
    lines.push(
      `\tFOREIGN KEY (${fk.columnsFrom.map(ident).join(',')}) REFERENCES ${ident(target)}(${fk.columnsTo.map(ident).join(',')})` +
        `${fk.onUpdate ? ` ON UPDATE ${fk.onUpdate}` : ''}${fk.onDelete ? ` ON DELETE ${fk.onDelete}` : ''}`,
    );
  }
  for (const u of Object.values(table.uniqueConstraints)) {
    lines.push(`\tCONSTRAINT ${ident(u.name)} UNIQUE(${u.columns.map(ident).join(',')})`);
  }
  for (const ck of Object.values(table.checkConstraints)) {
    lines.push(`\tCONSTRAINT ${quoted(ck.name)} CHECK(${requalify(ck.value, table.name, physical)})`);
  }
  return `CREATE TABLE ${ident(physical)} (\n${lines.join(',\n')}\n);\n`;
}

export function createIndexSql(table: string, index: Index, expressions: string[]): string {
  const cols = index.columns.map((c) => (expressions.includes(c) ? c : ident(c))).join(',');
  return (
    `CREATE ${index.isUnique ? 'UNIQUE INDEX' : 'INDEX'} ${ident(index.name)} ON ${ident(table)} (${cols})` +
    `${index.where ? ` WHERE ${index.where}` : ''};`
  );
}

/** One step as one or more SQL statements. */
export function stepSql(step: StepCommand): string[] {
  switch (step.kind) {
    case 'deferForeignKeys':
      // Deferred, not disabled: `foreign_keys=OFF` is a no-op inside D1's transaction.
      return [`PRAGMA defer_foreign_keys = ${step.on ? 'ON' : 'OFF'};`];
    case 'dropView':
      return [`DROP VIEW ${ident(step.name)};`];
    case 'renameTable':
      return [`ALTER TABLE ${ident(step.from)} RENAME TO ${ident(step.to)};`];
    case 'renameColumn':
      return [`ALTER TABLE ${ident(step.table)} RENAME COLUMN ${quoted(step.from)} TO ${quoted(step.to)};`];
    case 'dropIndex':
      return [`DROP INDEX ${ident(step.name)};`];
    case 'createTable':
      return [createTableSql(step.table, step.as, step.references)];
    case 'addColumn': {
      const fk = step.foreignKey;
      const ref = fk
        ? ` REFERENCES ${ident(fk.tableTo)}(${fk.columnsTo.map(ident).join(',')})` +
          `${fk.onUpdate ? ` ON UPDATE ${fk.onUpdate}` : ''}${fk.onDelete ? ` ON DELETE ${fk.onDelete}` : ''}`
        : '';
      return [`ALTER TABLE ${ident(step.table)} ADD ${columnDefinition(step.column, step.table, step.table)}${ref};`];
    }
    case 'dropColumn':
      return [`ALTER TABLE ${ident(step.table)} DROP COLUMN ${ident(step.column)};`];
    case 'copyRows': {
      const rowid = step.rowid ? [step.rowid] : [];
      const names = [...rowid, ...step.columns.map((c) => quoted(c.name))].join(', ');
      const values = [...rowid, ...step.columns.map(copyValue)].join(', ');
      return [`INSERT INTO ${ident(step.to)}(${names}) SELECT ${values} FROM ${ident(step.from)};`];
    }
    case 'carrySequence':
      // The new table's AUTOINCREMENT high-water mark is the old one's, so freed ids are never
      // handed out again (sqlite.org/autoinc.html; writing sqlite_sequence is allowed on D1).
      return [
        `DELETE FROM sqlite_sequence WHERE name = ${literal(step.to)};`,
        `INSERT INTO sqlite_sequence(name, seq) SELECT ${literal(step.to)}, seq FROM sqlite_sequence WHERE name = ${literal(step.from)};`,
      ];
    case 'dropTable':
      return [`DROP TABLE ${ident(step.name)};`];
    case 'createIndex':
      return [createIndexSql(step.table, step.index, step.expressions)];
    case 'createView':
      return [`CREATE VIEW ${ident(step.view.name)} AS ${step.view.definition};`];
    case 'guard':
      return guardSql(step);
    case 'dropTrigger':
      return [`DROP TRIGGER ${ident(step.name)};`];
    case 'createObject':
      // The user's own statement, as sqlite_schema keeps it (with this migration's renames applied).
      return [`${step.sql.trimEnd().replace(/;$/, '')};`];
  }
}

/** A short SQL comment saying which tables are rebuilt and moved, and why. */
export function planHeader(plan: Plan): string {
  const { rebuilds } = summarizePlan(plan);
  if (!rebuilds.length) return '';
  const lines = ['-- drizzle-d1: D1-safe table rebuilds (foreign keys deferred, never switched off).'];
  // A line break would end the comment, and the rest of a hostile name would run as SQL.
  const comment = (text: string) => text.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
  for (const r of rebuilds) {
    if (r.reasons.length) lines.push(comment(`--   rebuilt ${r.table}: ${r.reasons.join('; ')}`));
    if (r.movedOffParents.length) {
      const why = r.movedOffParents.map((m) => `ON DELETE ${m.onDelete} -> ${m.parent}`).join(', ');
      lines.push(comment(`--   moved ${r.table} to the new parent table (${why}); each row copied once`));
    }
  }
  return lines.join('\n') + '\n';
}

export function renderMigration(plan: Plan, breakpoints: boolean): string {
  // A refused plan has no steps; rendering it as an empty file would hide the refusal.
  const refusals = plan.diagnostics.filter((d) => d.severity === 'error');
  if (refusals.length) throw new PlanRefusal(refusals);
  const statements = plan.steps.flatMap(stepSql);
  if (!statements.length) return '';
  const body = statements.join(breakpoints ? `${BREAKPOINT}\n` : '\n');
  return planHeader(plan) + body;
}
