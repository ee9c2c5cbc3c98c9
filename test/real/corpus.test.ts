/**
 * Real migration histories of public Drizzle + D1 projects (../shared/corpus/real). For each
 * migration, drizzle-d1 plans the same change from the same two snapshots (renames taken from the
 * snapshot's `_meta`, as the user answered them for drizzle-kit) and applies it D1's way to a database
 * holding rows in every table. drizzle-kit's own files are replayed the same way for comparison.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyMigration, openD1Database } from '../../src/d1/apply.js';
import { checkIntegrity, dumpRows } from '../../src/d1/inspect.js';
import { diffSchemas } from '../../src/diff/diff.js';
import type { Renames } from '../../src/diff/types.js';
import { planMigration } from '../../src/plan/plan.js';
import { readMigrationsFolder, readSnapshotFile, stateOf } from '../../src/snapshot/io.js';
import type { SchemaState, Snapshot } from '../../src/snapshot/types.js';
import { renderMigration } from '../../src/sql/render.js';
import { repoRoot } from '../support/project.js';
import { seedFromSnapshot } from '../support/seed.js';
import { structureOf } from '../support/structure.js';
import { describeSchema } from '../../src/d1/inspect.js';

// DRIZZLE_D1_REAL_CORPUS points at another folder of migrations folders (one per project) to check.
const corpus = process.env.DRIZZLE_D1_REAL_CORPUS ?? join(repoRoot, '../shared/corpus/real');
const projects = existsSync(corpus) ? readdirSync(corpus).filter((d) => existsSync(join(corpus, d, 'meta/_journal.json'))) : [];

const unquote = (s: string) => s.replace(/^"|"$/g, '');
/** drizzle-kit's `_meta` as renames: `"t"."old"` → `"t"."new"`. */
function renamesOf(s: Snapshot): Renames {
  const tables = Object.fromEntries(Object.entries(s._meta.tables).map(([f, t]) => [unquote(f), unquote(t)]));
  const columns: Renames['columns'] = {};
  for (const [from, to] of Object.entries(s._meta.columns)) {
    const [table, col] = from.split('"."').map(unquote) as [string, string];
    const [, newCol] = to.split('"."').map(unquote) as [string, string];
    (columns[tables[table] ?? table] ??= {})[col] = newCol;
  }
  return { tables, columns };
}

/**
 * The migration drizzle-d1 plans between two snapshots. Where the history made a column NOT NULL
 * without a default, it answers as that project's developer would have: --assume-not-null.
 */
function tightened(prev: SchemaState, cur: SchemaState, renames: Renames) {
  return diffSchemas(prev, cur, renames).changes.flatMap((c) =>
    c.kind === 'alterColumn' && c.to.notNull && !c.from.notNull && c.to.default === undefined ? [c] : [],
  );
}
function plannedSql(prev: SchemaState, cur: SchemaState, renames: Renames) {
  const changes = diffSchemas(prev, cur, renames).changes;
  const assumeNotNull = tightened(prev, cur, renames).map((c) => `${c.table}.${c.to.name}`);
  // A NOT NULL column added without a default: the developer answers with --backfill (a new primary
  // key gets one value per row; a foreign-key column, an existing parent key).
  const backfill = Object.fromEntries(
    changes.flatMap((c) => {
      if (c.kind !== 'addColumn' || !c.column.notNull || c.column.default !== undefined) return [];
      const numeric = /int|real|num/i.test(c.column.type);
      const fk = Object.values(cur.tables[c.table]?.foreignKeys ?? {}).find((f) => f.columnsFrom.includes(c.column.name));
      const value = c.column.primaryKey
        ? numeric ? 'rowid' : 'lower(hex(randomblob(16)))'
        : fk ? `(SELECT "${fk.columnsTo[0]}" FROM "${fk.tableTo}" LIMIT 1)` : numeric ? '0' : "''";
      return [[`${c.table}.${c.column.name}`, value]];
    }),
  );
  return renderMigration(planMigration(prev, cur, changes, { assumeNotNull, backfill }), true);
}
/** What that developer did first: fill the NULLs of columns about to become NOT NULL (a parent key for a foreign key). */
function fillNulls(db: ReturnType<typeof openD1Database>, prev: SchemaState, cur: SchemaState, renames: Renames) {
  for (const c of tightened(prev, cur, renames)) {
    const table = Object.entries(renames.tables).find(([, to]) => to === c.table)?.[0] ?? c.table;
    const fk = Object.values(prev.tables[table]?.foreignKeys ?? {}).find((f) => f.columnsFrom.includes(c.from.name));
    const value = fk ? `(SELECT "${fk.columnsTo[0]}" FROM "${fk.tableTo}" LIMIT 1)` : /int|real|num/i.test(c.from.type) ? '0' : "''";
    db.exec(`UPDATE "${table}" SET "${c.from.name}" = ${value} WHERE "${c.from.name}" IS NULL`);
  }
}

/** Row counts per table (current names) and values of the columns both versions share. */
function kept(
  before: Record<string, Record<string, unknown>[]>,
  after: Record<string, Record<string, unknown>[]>,
  renames: Renames,
  typeChanged: Set<string> = new Set(),
) {
  const lost: string[] = [];
  for (const [table, rows] of Object.entries(before)) {
    const cur = renames.tables[table] ?? table;
    const now = after[cur];
    if (!now) continue;
    if (now.length !== rows.length) {
      lost.push(`${table}: ${rows.length} → ${now.length} rows`);
      continue;
    }
    const map = renames.columns[cur] ?? {};
    rows.forEach((r, i) => {
      for (const [c, v] of Object.entries(r)) {
        const nc = map[c] ?? c;
        // A type change converts by SQLite's affinity rules (1 → '1'): compare such values as text.
        const same = typeChanged.has(`${cur}.${nc}`) ? String(now[i]![nc]) === String(v) : JSON.stringify(now[i]![nc]) === JSON.stringify(v);
        if (nc in now[i]! && !same && v !== null) lost.push(`${table}.${c} row ${i}: ${JSON.stringify(v)} → ${JSON.stringify(now[i]![nc])}`);
        if (nc in now[i]! && v === null && now[i]![nc] !== null && !(map[c] || c in now[i]!)) lost.push(`${table}.${c}`);
      }
    });
  }
  return lost;
}

/** The bundled corpus: what replaying drizzle-kit's own files does to the seeded rows. */
const DRIZZLE_KIT_REPLAY: Record<string, (lost: string[]) => void> = {
  // cloudflog's 0001 rebuilds `user` and `post` and loses two column renames (drizzle-kit bug): its
  // copy then names `"created_at"`, which D1 reads as a string literal (it accepts double-quoted
  // strings) and better-sqlite3 rejects. Either way the data does not survive: here the file fails;
  // on D1 it writes 'created_at' into every row and the drops empty post, comment and session.
  cloudflog: (lost) => expect(lost.join('\n')).toMatch(/no such column: "created_at"|post: 3 → 0 rows/),
  // cloudflare-authjs-sample rebuilds a table nothing references: no false alarm, nothing lost.
  'cloudflare-authjs-sample': (lost) => expect(lost).toEqual([]),
};

describe.skipIf(!projects.length)('real public histories', () => {
  for (const name of projects) {
    const dir = join(corpus, name);
    const folder = readMigrationsFolder(dir);
    const snapshotAt = (i: number) => readSnapshotFile(join(dir, 'meta', folder.snapshots[i]!.file));
    const sqlOf = (i: number) => readFileSync(join(dir, `${folder.journal.entries[i]!.tag}.sql`), 'utf8');

    // Real histories have gaps (files deleted by hand): then only the snapshots that exist are re-planned.
    const whole = folder.warnings.length === 0 && folder.journal.entries[0]?.idx === 0;

    it(`${name}: every migration re-planned by drizzle-d1 keeps every row and reaches the same schema`, () => {
      const db = openD1Database();
      applyMigration(db, whole ? sqlOf(0) : plannedSql(stateOf(null), stateOf(snapshotAt(0)), { tables: {}, columns: {} }), 'first');
      const counts = seedFromSnapshot(db, stateOf(snapshotAt(0)));
      // The generic seeder cannot meet every project's checks; the bundled corpus it fills completely.
      if (!process.env.DRIZZLE_D1_REAL_CORPUS) expect(Object.values(counts).every((n) => n > 0)).toBe(true);
      for (let i = 1; i < folder.snapshots.length; i++) {
        const prev = stateOf(snapshotAt(i - 1));
        const cur = snapshotAt(i);
        const renames = renamesOf(cur);
        const sql = plannedSql(prev, stateOf(cur), renames);
        expect(sql).not.toMatch(/(?<!defer_)foreign_keys\s*=\s*off|\bBEGIN\b|\bCOMMIT\b|\bSAVEPOINT\b/i);
        fillNulls(db, prev, stateOf(cur), renames);
        const before = dumpRows(db);
        applyMigration(db, sql, `${i}`);
        const typeChanged = new Set(
          diffSchemas(prev, stateOf(cur), renames).changes.flatMap((c) => (c.kind === 'alterColumn' && c.aspects.includes('type') ? [`${c.table}.${c.to.name}`] : [])),
        );
        expect(kept(before, dumpRows(db), renames, typeChanged)).toEqual([]);
        expect(checkIntegrity(db).ok).toBe(true);
      }
      const fresh = openD1Database();
      applyMigration(fresh, plannedSql(stateOf(null), stateOf(folder.latest), { tables: {}, columns: {} }), 'fresh');
      expect(structureOf(describeSchema(db))).toEqual(structureOf(describeSchema(fresh)));
      // Nothing left to do: the re-planned history ends exactly at the last snapshot.
      const last = stateOf(folder.latest);
      expect(diffSchemas(last, last, { tables: {}, columns: {} }).changes).toEqual([]);
    });

    // What drizzle-kit's own files do is known (and asserted) for the bundled corpus only.
    it.skipIf(!whole || !(name in DRIZZLE_KIT_REPLAY))(`${name}: drizzle-kit's own files, replayed the same way`, () => {
      const db = openD1Database();
      applyMigration(db, sqlOf(0), 'first');
      seedFromSnapshot(db, stateOf(snapshotAt(0)));
      const lost: string[] = [];
      for (let i = 1; i < folder.journal.entries.length; i++) {
        const before = dumpRows(db);
        try {
          applyMigration(db, sqlOf(i), folder.journal.entries[i]!.tag);
        } catch (e) {
          lost.push(`${folder.journal.entries[i]!.tag} failed: ${(e as Error).message.split('\n')[0]}`);
          break;
        }
        lost.push(...kept(before, dumpRows(db), renamesOf(snapshotAt(i))));
      }
      DRIZZLE_KIT_REPLAY[name]!(lost);
    });
  }
});
