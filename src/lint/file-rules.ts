/**
 * The rules that compare the real schema before a migration with the schema after it: triggers a
 * rebuild lost, views it broke, cascades and tables it made too big for D1, and the columns and
 * tables the previous Worker version still reads (deploy safety).
 */
import type Database from 'better-sqlite3';
import { brokenViews, deepCascades, D1_MAX_COLUMNS, overwideTables, readSchemaOutline, type OutlineCache, type SchemaOutline } from '../d1/hazards.js';
import { finding, type Finding } from './finding.js';
import type { StatementTrace } from './statements.js';

/** The replayed schema at one point, with what the after-file rules compare. */
export interface SchemaPoint {
  outline: SchemaOutline;
  broken: Map<string, string>;
  deep: Map<string, string[]>;
  wide: Map<string, number>;
}

/** The schema of `db` now (undefined: an empty database); `cache` is shared along one replay. */
export function schemaPoint(db: Database.Database | undefined, cache?: OutlineCache): SchemaPoint {
  if (db === undefined) return { outline: { tables: new Map(), edges: [], triggers: [], views: [] }, broken: new Map(), deep: new Map(), wide: new Map() };
  const outline = readSchemaOutline(db, cache);
  return { outline, broken: brokenViews(db, outline.views), deep: deepCascades(outline), wide: overwideTables(outline) };
}

/**
 * schemaPoint along one replay: the outline cache is shared, and the point is read again only when
 * the schema changed since the last read (`PRAGMA schema_version`; a file that only writes rows keeps it).
 */
export function schemaPointReader(): (db: Database.Database) => SchemaPoint {
  const cache: OutlineCache = new Map();
  let last: { version: number; point: SchemaPoint } | undefined;
  return (db) => {
    const version = db.pragma('schema_version', { simple: true }) as number;
    if (last?.version !== version) last = { version, point: schemaPoint(db, cache) };
    return last.point;
  };
}

function lostTriggers(file: string, before: SchemaPoint, after: SchemaPoint, trace: StatementTrace): Finding[] {
  const kept = new Set(after.outline.triggers.map((t) => t.name));
  const tables = after.outline.tables;
  return before.outline.triggers
    .filter((t) => trace.droppedTables.has(t.table) && tables.has(t.table) && !kept.has(t.name) && !trace.droppedTriggers.has(t.name))
    .map((t) => finding('D1-406', `the rebuild of ${t.table} drops its trigger ${t.name} (DROP TABLE removes a table's triggers) and does not create it again`, { file, table: t.table },
      `recreate the trigger after the rebuild (\`drizzle-d1 rewrite\` carries triggers over), or drop it with DROP TRIGGER if that is intended`));
}

function newlyBroken(file: string, before: SchemaPoint, after: SchemaPoint): Finding[] {
  return [...after.broken].filter(([v]) => !before.broken.has(v)).map(([v, why]) =>
    finding('D1-407', `the view ${v} no longer works after this migration (${why}); a later ALTER TABLE … RENAME anywhere fails while it is broken`, { file },
      'drop the view before the change and create it again after (drizzle-d1 recreates the views over the tables it rebuilds)'));
}

function limits(file: string, before: SchemaPoint, after: SchemaPoint): Finding[] {
  const deep = [...after.deep].filter(([t]) => !before.deep.has(t)).map(([t, chain]) =>
    finding('D1-412', `deleting a row of ${t} cascades through ${chain.length} tables (${chain.join(' → ')}): local D1 stops at 10 levels of triggers, so the delete fails`, { file, table: t },
      'shorten the chain of ON DELETE CASCADE foreign keys, or delete bottom-up in the application'));
  const wide = [...after.wide].filter(([t]) => !before.wide.has(t)).map(([t, n]) =>
    finding('D1-201', `${t} has ${n} columns: D1 refuses tables with more than ${D1_MAX_COLUMNS}`, { file, table: t }, 'split the table into two with a one-to-one foreign key'));
  return [...deep, ...wide];
}

/** Tables and columns that exist before and not after: the Worker deployed before still reads them. */
function deploySafety(file: string, before: SchemaPoint, after: SchemaPoint): Finding[] {
  const now = new Map([...after.outline.tables].map(([t, columns]) => [t, new Set(columns)]));
  const fix = 'expand, then contract: add the new table or column first, deploy a Worker that uses both, and drop or rename the old one in a later migration';
  return [...before.outline.tables].flatMap(([table, old]) => {
    if (table.startsWith('__')) return [];
    const columns = now.get(table);
    if (columns === undefined) {
      return [finding('D1-415', `table ${table} is gone after this migration (dropped or renamed) while the Worker deployed before it may still read it`, { file, table }, fix)];
    }
    return old.filter((c) => !columns.has(c)).map((column) =>
      finding('D1-415', `column ${table}.${column} is gone after this migration (dropped or renamed) while the Worker deployed before it may still read it`, { file, table, column }, fix));
  });
}

/** Every after-file rule for a migration that applied. */
export function lintFileChanges(file: string, before: SchemaPoint, after: SchemaPoint, trace: StatementTrace): Finding[] {
  return [...lostTriggers(file, before, after, trace), ...newlyBroken(file, before, after), ...limits(file, before, after), ...deploySafety(file, before, after)];
}
