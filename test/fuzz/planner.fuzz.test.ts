/**
 * Randomised schema evolutions (seeded, reproducible): a schema of 3–7 tables with foreign keys of
 * every ON DELETE action (including self references and cycles), rows in every table, then a random
 * mix of changes. Each migration drizzle-d1 plans must apply D1's way without error, keep every row
 * of every surviving table, leave foreign keys and integrity clean, and end equal to a fresh build.
 */
import { describe, expect, it } from 'vitest';
import { applyMigration, openD1Database } from '../../src/d1/apply.js';
import { checkIntegrity, describeSchema, dumpRows } from '../../src/d1/inspect.js';
import { noRenames } from '../../src/diff/types.js';
import { seedFromSnapshot } from '../support/seed.js';
import { structureOf } from '../support/structure.js';
import { expectWritesAsPlanned, migrationWrites } from '../support/scenario.js';
import { emptyState, evolution, migrate, render } from './evolutions.js';

const CASES = Number(process.env.DRIZZLE_D1_FUZZ_CASES ?? 400);

describe('random schema evolutions under D1 rules', () => {
  it(`${CASES} seeded cases keep every row and reach the fresh-build schema`, () => {
    const empty = emptyState();
    for (let seed = 1; seed <= CASES; seed++) {
      const { prev, cur, renames, changed } = evolution(seed);
      const db = openD1Database();
      applyMigration(db, render(empty, prev, noRenames()), 'init');
      seedFromSnapshot(db, prev, 4);
      const before = dumpRows(db);
      const { plan, sql } = migrate(prev, cur, renames);
      const context = `seed ${seed}\n${sql}`;
      const writes = migrationWrites(db, sql);
      expect(() => applyMigration(db, sql, `case-${seed}`), context).not.toThrow();
      // Each rebuilt table copied once, whole; DROP TABLE's deletions where the plan says; nothing else.
      expectWritesAsPlanned(writes, plan, before, renames.tables, context);
      const after = dumpRows(db);
      for (const [table, rows] of Object.entries(before)) {
        if (!after[table]) continue;
        const map = renames.columns[table] ?? {};
        const project = (row: Record<string, unknown>, old: boolean) =>
          Object.fromEntries(
            Object.keys(rows[0] ?? {})
              .filter((c) => !changed.has(`${table}.${c}`) && !changed.has(`${table}.${map[c] ?? c}`) && (map[c] ?? c) in (after[table]![0] ?? {}))
              .map((c) => [map[c] ?? c, old ? row[c] : row[map[c] ?? c]]),
          );
        expect(after[table]!.map((x) => project(x, false)), `${context}\ntable ${table}`).toEqual(rows.map((x) => project(x, true)));
      }
      expect(checkIntegrity(db).ok, context).toBe(true);
      const fresh = openD1Database();
      applyMigration(fresh, render(empty, cur, noRenames()), 'fresh');
      expect(structureOf(describeSchema(db)), context).toEqual(structureOf(describeSchema(fresh)));
      db.close();
      fresh.close();
    }
  }, 300_000);
});
