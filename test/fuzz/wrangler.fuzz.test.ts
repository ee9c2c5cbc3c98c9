/**
 * The most involved random evolutions (most tables rebuilt or dropped) end to end on wrangler's local
 * D1, whose SQLite has D1's own limits: the same rows must come out as on better-sqlite3.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { applyMigration, openD1Database } from '../../src/d1/apply.js';
import { dumpRows, type Row } from '../../src/d1/inspect.js';
import { noRenames } from '../../src/diff/types.js';
import { parentsFirst } from '../../src/plan/plan.js';
import type { SchemaState } from '../../src/snapshot/types.js';
import { seedFromSnapshot } from '../support/seed.js';
import { describeWrangler, WranglerProject } from '../support/wrangler.js';
import { emptyState, mutate, randomSchema, render, rng } from './evolutions.js';

const cleanup: (() => void)[] = [];
afterAll(() => cleanup.forEach((c) => c()));

const literal = (v: unknown) =>
  v === null ? 'NULL' : typeof v === 'number' ? String(v) : Buffer.isBuffer(v) ? `X'${v.toString('hex')}'` : `'${String(v).replace(/'/g, "''")}'`;

/** The seeded rows as INSERT statements, parents first, for `wrangler d1 execute`. */
function insertsOf(state: SchemaState, rows: Record<string, Row[]>): string {
  const order = parentsFirst(Object.keys(state.tables), (n) => Object.values(state.tables[n]!.foreignKeys).map((f) => f.tableTo));
  return order
    .flatMap((t) =>
      (rows[t] ?? []).map((r) => {
        const cols = Object.keys(r).filter((c) => !state.tables[t]!.columns[c]?.generated);
        return `INSERT INTO "${t}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map((c) => literal(r[c])).join(', ')});`;
      }),
    )
    .join('\n');
}

/** The seeds whose migrations rebuild or drop the most tables. */
function hardestSeeds(count: number, among = 300): number[] {
  const scored: { seed: number; score: number }[] = [];
  for (let seed = 1; seed <= among; seed++) {
    const r = rng(seed);
    const prev = randomSchema(r);
    const { cur, renames } = mutate(prev, r);
    const sql = render(prev, cur, renames);
    scored.push({ seed, score: (sql.match(/^DROP TABLE/gm) ?? []).length });
  }
  return scored.sort((a, b) => b.score - a.score || a.seed - b.seed).slice(0, count).map((s) => s.seed);
}

describeWrangler('random evolutions on wrangler local D1', () => {
  for (const seed of hardestSeeds(Number(process.env.DRIZZLE_D1_FUZZ_WRANGLER ?? 3), Number(process.env.DRIZZLE_D1_FUZZ_CASES ?? 300))) {
    it(`seed ${seed}`, async () => {
      const r = rng(seed);
      const prev = randomSchema(r);
      const { cur, renames } = mutate(prev, r);
      const init = render(emptyState(), prev, noRenames());
      const change = render(prev, cur, renames);

      // The reference: better-sqlite3 with D1's rules.
      const ref = openD1Database();
      applyMigration(ref, init, 'init');
      seedFromSnapshot(ref, prev, 4);
      const seeded = dumpRows(ref);
      applyMigration(ref, change, 'change');
      const expected = dumpRows(ref);

      const dir = mkdtempSync(join(tmpdir(), 'drizzle-d1-fuzz-'));
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      const wrangler = WranglerProject.create({ migrationsDir: dir });
      cleanup.push(() => wrangler.dispose());
      writeFileSync(join(dir, '0000_init.sql'), init);
      await wrangler.applyOrThrow();
      await wrangler.executeOrThrow(insertsOf(prev, seeded));
      writeFileSync(join(dir, '0001_change.sql'), change);
      await wrangler.applyOrThrow();
      const db = wrangler.open();
      try {
        expect(dumpRows(db)).toEqual(expected);
        expect(db.prepare('SELECT * FROM pragma_foreign_key_check').all()).toEqual([]);
      } finally {
        db.close();
      }
    }, 60_000);
  }
});
