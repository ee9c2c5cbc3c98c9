/**
 * Planner scenarios end to end through `wrangler d1 migrations apply --local` (workerd's SQLite with
 * D1's own limits: cascade depth 10, foreign keys always on). Rows are seeded with
 * `wrangler d1 execute --local` between the two migrations and read back from the local database file.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { dumpRows, readSequences } from '../../src/d1/inspect.js';
import type { TempProject } from '../support/project.js';
import { runDrizzleKit, runScenario } from '../support/scenario.js';
import { describeWrangler, WranglerProject } from '../support/wrangler.js';
import { survivingRows } from './rows.js';
import { scenarios } from './scenarios.js';

const E2E = [
  'CASCADE child of a rebuilt parent',
  'SET NULL child of a rebuilt parent',
  '3-level cascade chain rebuilt at the top',
  'many-to-many table whose two parents are both rebuilt',
  'views over rebuilt tables are dropped first and recreated',
  'AUTOINCREMENT high-water mark is carried over',
  'cascade chain of 12 tables rebuilt at the root',
  'two-table foreign-key cycle',
  'a new foreign-key column on a rebuilt parent is added after the rebuild',
];

const cleanup: (() => void)[] = [];
afterAll(() => cleanup.forEach((c) => c()));

describeWrangler('planner scenarios on wrangler local D1', () => {
  for (const name of E2E) {
    const s = scenarios.find((x) => x.name === name)!;
    it(name, async () => {
      const run = await runScenario(s);
      const project: TempProject = run.project;
      cleanup.push(() => project.dispose());
      const dir = mkdtempSync(join(tmpdir(), 'drizzle-d1-e2e-'));
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      const [first, second] = project.sqlFiles();
      const wrangler = WranglerProject.create({ migrationsDir: dir });
      cleanup.push(() => wrangler.dispose());

      copyFileSync(join(project.out, first!), join(dir, first!));
      await wrangler.applyOrThrow();
      await wrangler.executeOrThrow(s.seed);
      let db = wrangler.open();
      const before = dumpRows(db);
      const sequences = readSequences(db);
      db.close();
      expect(before).toEqual(run.before);

      copyFileSync(join(project.out, second!), join(dir, second!));
      const result = await wrangler.applyOrThrow();
      expect(result.applied).toEqual([first, second]);

      db = wrangler.open();
      try {
        for (const t of survivingRows(s, before, dumpRows(db))) {
          expect({ table: t.table, rows: t.after }).toEqual({ table: t.table, rows: t.before });
        }
        expect(db.prepare('SELECT * FROM pragma_foreign_key_check').all()).toEqual([]);
        expect(dumpRows(db)).toEqual(run.after);
        // AUTOINCREMENT high-water marks survive the rebuild on D1 too.
        expect(readSequences(db)).toEqual(sequences);
      } finally {
        db.close();
      }
    }, 60_000);
  }

  it("drizzle-kit's migration for the same change wipes the CASCADE children on local D1", async () => {
    const s = scenarios.find((x) => x.name === 'CASCADE child of a rebuilt parent')!;
    const run = await runScenario(s);
    cleanup.push(() => run.project.dispose());
    const kit = await runDrizzleKit(s, run.project, run.project.read(`drizzle/${run.project.sqlFiles()[0]}`));
    const dir = mkdtempSync(join(tmpdir(), 'drizzle-d1-e2e-kit-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const [first] = run.project.sqlFiles();
    copyFileSync(join(run.project.out, first!), join(dir, first!));
    const wrangler = WranglerProject.create({ migrationsDir: dir });
    cleanup.push(() => wrangler.dispose());
    await wrangler.applyOrThrow();
    await wrangler.executeOrThrow(s.seed);
    writeFileSync(join(dir, '0001_drizzle_kit.sql'), kit.statements.join('--> statement-breakpoint\n'));
    await wrangler.applyOrThrow();
    const db = wrangler.open();
    try {
      const count = (t: string) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
      expect(count('users')).toBe(3);
      expect(count('posts')).toBe(0); // were 3
      expect(count('comments')).toBe(0); // were 4
    } finally {
      db.close();
    }
  }, 60_000);
});
