/**
 * The end of a verify run: does the database the migrations build match the latest snapshot (a
 * hand-edited migration), and does that snapshot match schema.ts (a change without a migration)?
 * Each difference in words.
 */
import type Database from 'better-sqlite3';
import { schemaDrift } from '../d1/drift.js';
import { readSchemaModel } from '../d1/model.js';
import { diffSchemas } from '../diff/diff.js';
import { noRenames, type Change } from '../diff/types.js';
import type { SchemaState } from '../snapshot/types.js';

/** One schema change, said as what schema.ts has that the migrations do not build. */
export function changeInWords(c: Change): string {
  switch (c.kind) {
    case 'createTable': return `schema.ts has table ${c.table.name}, which no migration creates`;
    case 'dropTable': return `the migrations create table ${c.table.name}, which schema.ts no longer has`;
    case 'renameTable': return `table ${c.from} is called ${c.to} in schema.ts`;
    case 'renameColumn': return `column ${c.table}.${c.from} is called ${c.to} in schema.ts`;
    case 'addColumn': return `schema.ts has column ${c.table}.${c.column.name}, which no migration adds`;
    case 'dropColumn': return `the migrations build column ${c.table}.${c.column.name}, which schema.ts no longer has`;
    case 'alterColumn': return `column ${c.table}.${c.to.name} differs in ${c.aspects.join(', ')} (migrations: ${describe(c.from)}; schema.ts: ${describe(c.to)})`;
    case 'createIndex': return `schema.ts has index ${c.index.name} on ${c.table}, which no migration creates`;
    case 'dropIndex': return `the migrations create index ${c.index.name} on ${c.table}, which schema.ts no longer has`;
    case 'addForeignKey': return `schema.ts has a foreign key ${c.foreignKey.name} on ${c.table}, which no migration adds`;
    case 'dropForeignKey': return `the migrations build foreign key ${c.foreignKey.name} on ${c.table}, which schema.ts no longer has`;
    case 'alterPrimaryKey': return `the primary key of ${c.table} is (${(c.from ?? []).join(', ')}) in the migrations and (${(c.to ?? []).join(', ')}) in schema.ts`;
    case 'addCheck': return `schema.ts has check ${c.check.name} on ${c.table}, which no migration adds`;
    case 'dropCheck': return `the migrations build check ${c.check.name} on ${c.table}, which schema.ts no longer has`;
    case 'addUnique': return `schema.ts has unique constraint ${c.unique.name} on ${c.table}, which no migration adds`;
    case 'dropUnique': return `the migrations build unique constraint ${c.unique.name} on ${c.table}, which schema.ts no longer has`;
    case 'createView': return `schema.ts has view ${c.view.name}, which no migration creates`;
    case 'dropView': return `the migrations create view ${c.view.name}, which schema.ts no longer has`;
  }
}

function describe(c: { type: string; notNull: boolean; default?: unknown }): string {
  return `${c.type}${c.notNull ? ' NOT NULL' : ''}${c.default === undefined ? '' : ` DEFAULT ${String(c.default)}`}`;
}

/**
 * The differences, in words: the built database against the last snapshot, then that snapshot
 * against schema.ts (`current`, when a schema was loaded).
 */
export function schemaDifferences(db: Database.Database, snapshot: SchemaState, current: SchemaState | undefined): string[] {
  const words = schemaDrift(readSchemaModel(db), snapshot).map((d) => `${d.message} (a migration was edited by hand, or written with --custom)`);
  if (current) {
    try {
      words.push(...diffSchemas(snapshot, current, noRenames()).changes.map(changeInWords));
    } catch (e) {
      words.push(`schema.ts cannot be compared with the latest snapshot: ${(e as Error).message}`);
    }
  }
  return words;
}
