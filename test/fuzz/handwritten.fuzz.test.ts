/**
 * The random evolutions of planner.fuzz.test.ts, with hand-written SQL added at a random point: an
 * audit trigger on some tables, a view over one, an index on a column. drizzle-d1 plans each change
 * knowing them (from the database the migrations built, as `generate` does after a replay). Every
 * migration either is refused before anything is written (a hand-written object needs what the change
 * drops), or applies D1's way keeping every row, with every hand-written object still there and the
 * triggers still firing.
 */
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { applyMigration, openD1Database } from '../../src/d1/apply.js';
import { handWrittenObjects } from '../../src/d1/handwritten.js';
import { checkIntegrity, dumpRows } from '../../src/d1/inspect.js';
import { readSchemaModel } from '../../src/d1/model.js';
import { diffSchemas } from '../../src/diff/diff.js';
import { noRenames } from '../../src/diff/types.js';
import { planMigration } from '../../src/plan/plan.js';
import type { SchemaState } from '../../src/snapshot/types.js';
import { renderMigration } from '../../src/sql/render.js';
import { seedFromSnapshot } from '../support/seed.js';
import { emptyState, evolution, render, rng } from './evolutions.js';

const CASES = Number(process.env.DRIZZLE_D1_FUZZ_HANDWRITTEN_CASES ?? 200);

/** Hand-written SQL for some tables of `state`, chosen by `seed`: what a `--custom` migration adds. */
function handWrittenSql(state: SchemaState, seed: number): string {
  const r = rng(seed * 7919);
  const statements = ['CREATE TABLE hw_log (id INTEGER PRIMARY KEY, tbl TEXT NOT NULL, rid INTEGER)'];
  for (const t of Object.values(state.tables)) {
    if (r.chance(0.5)) statements.push(`CREATE TRIGGER hw_trg_${t.name} AFTER INSERT ON "${t.name}" BEGIN INSERT INTO hw_log(tbl, rid) VALUES ('${t.name}', new.rowid); END`);
    if (r.chance(0.3)) statements.push(`CREATE VIEW hw_view_${t.name} AS SELECT count(*) AS n FROM "${t.name}"`);
    if (t.columns.c0 && r.chance(0.3)) statements.push(`CREATE INDEX hw_idx_${t.name} ON "${t.name}"(c0)`);
  }
  return statements.map((s) => `${s};`).join('\n--> statement-breakpoint\n');
}

const namesOf = (db: Database.Database, type: string) =>
  (db.prepare(`SELECT name FROM sqlite_schema WHERE type = ? AND name LIKE 'hw_%' ORDER BY name`).all(type) as { name: string }[]).map((x) => x.name);

describe('random schema evolutions with hand-written triggers, views and indexes', () => {
  it(`${CASES} seeded cases keep every row and every hand-written object`, () => {
    let applied = 0;
    for (let seed = 1; seed <= CASES; seed++) {
      const { prev, cur, renames } = evolution(seed);
      const db = openD1Database();
      applyMigration(db, render(emptyState(), prev, noRenames()), 'init');
      applyMigration(db, handWrittenSql(prev, seed), 'hand-written');
      seedFromSnapshot(db, prev, 4);
      const handWritten = handWrittenObjects(readSchemaModel(db), prev);
      const plan = planMigration(prev, cur, diffSchemas(prev, cur, renames).changes, { handWritten });
      const refused = plan.diagnostics.filter((d) => d.severity === 'error');
      const context = `seed ${seed}`;
      if (refused.length) {
        // Only what the hand-written objects make impossible is refused.
        expect(refused.map((d) => d.code).every((c) => ['D1-302', 'D1-303', 'D1-305'].includes(c)), `${context}: ${refused.map((d) => d.message).join(' ')}`).toBe(true);
        continue;
      }
      const sql = renderMigration(plan, true);
      const before = dumpRows(db);
      const triggers = namesOf(db, 'trigger').filter((n) => cur.tables[n.slice('hw_trg_'.length)]);
      const views = namesOf(db, 'view');
      const droppedIndexes = new Set(plan.steps.flatMap((s) => (s.kind === 'dropIndex' ? [s.name] : [])));
      const indexes = namesOf(db, 'index').filter((n) => !droppedIndexes.has(n) && cur.tables[n.slice('hw_idx_'.length)]);
      expect(() => applyMigration(db, sql, `case-${seed}`), `${context}\n${sql}`).not.toThrow();
      applied++;
      // The copies fired no trigger: the log holds exactly the rows it held.
      expect(dumpRows(db).hw_log, context).toEqual(before.hw_log);
      for (const t of Object.keys(before)) if (cur.tables[t] && !renames.tables[t]) expect(dumpRows(db)[t]?.length, `${context} ${t}`).toBe(before[t]!.length);
      expect(namesOf(db, 'trigger'), context).toEqual(expect.arrayContaining(triggers));
      expect(namesOf(db, 'view'), context).toEqual(expect.arrayContaining(views));
      expect(namesOf(db, 'index'), context).toEqual(expect.arrayContaining(indexes));
      for (const v of namesOf(db, 'view')) expect(() => db.prepare(`SELECT * FROM ${v}`).all(), `${context} ${v}`).not.toThrow();
      expect(checkIntegrity(db).ok, context).toBe(true);
      db.close();
    }
    expect(applied).toBeGreaterThan(CASES / 2);
  }, 300_000);
});
