/**
 * One real migrations folder, replayed two ways on a database seeded before every migration: as
 * drizzle-d1 re-plans it from its snapshots, and as drizzle-kit wrote it. Both runs seed the same
 * rows (same seeder, same row numbers per step), so their outcomes compare.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { applyMigration, openD1Database } from '../../src/d1/apply.js';
import { dumpRows } from '../../src/d1/inspect.js';
import { diffSchemas } from '../../src/diff/diff.js';
import type { Renames } from '../../src/diff/types.js';
import { planMigration } from '../../src/plan/plan.js';
import { readMigrationsFolder, readSnapshotFile, stateOf } from '../../src/snapshot/io.js';
import { renamesFromMeta } from '../../src/diff/recorded-renames.js';
import type { SchemaState, Snapshot } from '../../src/snapshot/types.js';
import { renderMigration } from '../../src/sql/render.js';
import { seedFromSnapshot } from '../support/seed.js';

export const ROWS_PER_STEP = 3;
const noRenames = (): Renames => ({ tables: {}, columns: {} });

export interface History {
  name: string;
  /** drizzle-kit's migrations in journal order that have a snapshot; `sql` is missing where the file was deleted. */
  steps: { tag: string; sql: string | undefined; snapshot: Snapshot }[];
  /** Every journal entry has its SQL file and snapshot, starting at 0000 (so drizzle-kit's files replay from nothing). */
  whole: boolean;
  latest: Snapshot;
}

/** Reads a migrations folder; throws (failing that project's test only) when it is not one. */
export function readHistory(dir: string, name: string): History {
  const folder = readMigrationsFolder(dir);
  if (!folder.latest) throw new Error(`${dir}: no snapshots (not a drizzle-kit migrations folder?)`);
  // drizzle-kit names each snapshot after its migration's prefix (0001_x.sql → meta/0001_snapshot.json).
  const files = new Set(folder.snapshots.map((s) => s.file));
  const steps = folder.journal.entries.flatMap((e) => {
    const file = `${e.tag.split('_')[0]}_snapshot.json`;
    if (!files.has(file)) return [];
    const sqlFile = join(dir, `${e.tag}.sql`);
    const sql = existsSync(sqlFile) ? readFileSync(sqlFile, 'utf8') : undefined;
    return [{ tag: e.tag, sql, snapshot: readSnapshotFile(join(dir, 'meta', file)) }];
  });
  const whole =
    folder.warnings.length === 0 && folder.journal.entries[0]?.idx === 0 && steps.length === folder.journal.entries.length && steps.every((s) => s.sql !== undefined);
  return { name, steps, whole, latest: folder.latest };
}

/** drizzle-kit's `_meta` as renames, read as `drizzle-d1 rewrite` reads them (src/snapshot/renames.ts). */
export const renamesOf = (snapshot: Snapshot): Renames => renamesFromMeta(snapshot._meta, stateOf(snapshot));

/** Columns made NOT NULL without a default: the developer checked them and answered --assume-not-null. */
function tightened(prev: SchemaState, cur: SchemaState, renames: Renames) {
  return diffSchemas(prev, cur, renames).changes.flatMap((c) =>
    c.kind === 'alterColumn' && c.to.notNull && !c.from.notNull && c.to.default === undefined ? [c] : [],
  );
}

/**
 * The developer's --backfill for a NOT NULL column added without a default: one value per row (a
 * unique index may follow, as wasmchannel's 0003 puts one on the column its 0002 adds), or an
 * existing parent key for a foreign-key column.
 */
function backfillsFor(cur: SchemaState, changes: ReturnType<typeof diffSchemas>['changes']): Record<string, string> {
  return Object.fromEntries(
    changes.flatMap((c) => {
      if (c.kind !== 'addColumn' || !c.column.notNull || c.column.default !== undefined) return [];
      const fk = Object.values(cur.tables[c.table]?.foreignKeys ?? {}).find((f) => f.columnsFrom.includes(c.column.name));
      const numeric = /int|real|num/i.test(c.column.type);
      const value = fk ? `(SELECT "${fk.columnsTo[0]}" FROM "${fk.tableTo}" LIMIT 1)` : numeric ? 'rowid' : 'lower(hex(randomblob(16)))';
      return [[`${c.table}.${c.column.name}`, value]];
    }),
  );
}

/** The migration drizzle-d1 plans between two snapshots, with the developer's answers. */
export function plannedSql(prev: SchemaState, cur: SchemaState, renames: Renames = noRenames()): string {
  const changes = diffSchemas(prev, cur, renames).changes;
  const assumeNotNull = tightened(prev, cur, renames).map((c) => `${c.table}.${c.to.name}`);
  return renderMigration(planMigration(prev, cur, changes, { assumeNotNull, backfill: backfillsFor(cur, changes) }), true);
}

/** What that developer did before tightening a column: fill its NULLs (with a parent key for a foreign key). */
export function fillNulls(db: Database.Database, prev: SchemaState, cur: SchemaState, renames: Renames) {
  for (const c of tightened(prev, cur, renames)) {
    const table = Object.entries(renames.tables).find(([, to]) => to === c.table)?.[0] ?? c.table;
    const fk = Object.values(prev.tables[table]?.foreignKeys ?? {}).find((f) => f.columnsFrom.includes(c.from.name));
    const value = fk ? `(SELECT "${fk.columnsTo[0]}" FROM "${fk.tableTo}" LIMIT 1)` : /int|real|num/i.test(c.from.type) ? '0' : "''";
    db.exec(`UPDATE "${table}" SET "${c.from.name}" = ${value} WHERE "${c.from.name}" IS NULL`);
  }
}

/** Columns whose type the change alters: their values convert by SQLite's affinity rules (1 → '1'). */
export function typeChangedColumns(prev: SchemaState, cur: SchemaState, renames: Renames): Set<string> {
  return new Set(
    diffSchemas(prev, cur, renames).changes.flatMap((c) => (c.kind === 'alterColumn' && c.aspects.includes('type') ? [`${c.table}.${c.to.name}`] : [])),
  );
}

type Rows = Record<string, Record<string, unknown>[]>;
/** What a migration lost: tables emptied or shortened, and values of the columns both versions share that changed. */
export function losses(before: Rows, after: Rows, renames: Renames, typeChanged: Set<string> = new Set()) {
  const emptied: string[] = [];
  const lost: string[] = [];
  for (const [table, rows] of Object.entries(before)) {
    const cur = renames.tables[table] ?? table;
    const now = after[cur];
    if (!now) continue;
    if (now.length !== rows.length) {
      if (now.length === 0) emptied.push(table);
      else lost.push(`${table}: ${rows.length} → ${now.length} rows`);
      continue;
    }
    const map = renames.columns[cur] ?? {};
    rows.forEach((r, i) => {
      for (const [c, v] of Object.entries(r)) {
        const nc = map[c] ?? c;
        if (!(nc in now[i]!)) continue;
        const same = typeChanged.has(`${cur}.${nc}`) ? String(now[i]![nc]) === String(v) : JSON.stringify(now[i]![nc]) === JSON.stringify(v);
        if (!same && v !== null) lost.push(`${table}.${c} row ${i}: ${JSON.stringify(v)} → ${JSON.stringify(now[i]![nc])}`);
      }
    });
  }
  return { emptied, lost };
}

/** Seeds the rows of step `i` (row numbers distinct from every other step's), returning rows per table. */
export function seedStep(db: Database.Database, state: SchemaState, i: number): Record<string, number> {
  return seedFromSnapshot(db, state, ROWS_PER_STEP, 1 + i * ROWS_PER_STEP);
}

/** A database built from nothing by drizzle-kit's own single migration of the history's last snapshot. */
export async function drizzleKitFreshBuild(latest: Snapshot): Promise<Database.Database> {
  const api = await import('drizzle-kit/api');
  const empty = await api.generateSQLiteDrizzleJson({});
  const statements = await api.generateSQLiteMigration(empty, latest as unknown as typeof empty);
  const db = openD1Database();
  applyMigration(db, statements.join('\n'), 'drizzle-kit-fresh.sql');
  return db;
}


/**
 * drizzle-kit's file as D1 reads it. D1 accepts double-quoted string literals: in a rebuild's copy
 * `INSERT INTO \`__new_t\`(…) SELECT "a", "x" FROM \`t\``, a name `t` lacks is the text 'x' there,
 * where better-sqlite3 (SQLITE_DQS=0) fails with "no such column". This spells such names as the
 * string literals D1 takes them for, judging by `t`'s columns before the file runs (drizzle-kit's
 * rebuild files do not alter a table before copying it).
 */
export function asD1ReadsIt(db: Database.Database, sql: string): string {
  return sql.replace(/(INSERT INTO `__new_[^`]+`\([^)]*\) SELECT )(.*?)( FROM `([^`]+)`;)/g, (_, head: string, list: string, tail: string, table: string) => {
    const columns = new Set((db.pragma(`table_info("${table}")`) as { name: string }[]).map((c) => c.name));
    return head + list.replace(/"([^"]+)"/g, (name, col: string) => (columns.has(col) ? name : `'${col}'`)) + tail;
  });
}

/**
 * Step `i` of `h` made ready on `db` as the corpus tests replay it: rows seeded for the previous
 * schema, NULLs filled where the step makes a column NOT NULL; `before` is the rows to compare with.
 */
export function prepareStep(db: Database.Database, h: History, i: number) {
  const { tag, sql, snapshot } = h.steps[i]!;
  const prev = stateOf(h.steps[i - 1]!.snapshot);
  const cur = stateOf(snapshot);
  const renames = renamesOf(snapshot);
  seedStep(db, prev, i - 1);
  fillNulls(db, prev, cur, renames);
  return { tag, sql: sql!, prev, cur, renames, before: dumpRows(db) };
}
