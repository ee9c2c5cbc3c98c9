/**
 * Rollback files on wrangler's local D1 (workerd): the migrations folder holds the rollback/ folder
 * from the start, and `wrangler d1 migrations apply` never applies it; the down file runs with
 * `wrangler d1 execute --local --file`, exactly as the runbook says, and leaves the same rows and the
 * previous schema, as on SQLite. One scenario goes on through the runbook: delete the migration's
 * d1_migrations row, and `migrations apply` runs the migration again.
 */
import { cpSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { applyMigration } from '../../src/d1/apply.js';
import { dumpRows } from '../../src/d1/inspect.js';
import { freshBuildByDrizzleKit, runScenario, schemaOf } from '../support/scenario.js';
import { describeWrangler, WranglerProject } from '../support/wrangler.js';
import { scenarios } from '../scenarios/scenarios.js';
import { downOf, expectRowsRestored } from './support.js';

const E2E = [
  'CASCADE child of a rebuilt parent',
  'table rename combined with a rebuild of that table',
  'views over rebuilt tables are dropped first and recreated',
  'dropping an indexed column is a native DROP COLUMN',
];

const cleanup: (() => void)[] = [];
afterAll(() => cleanup.forEach((c) => c()));

describeWrangler('rollback files on wrangler local D1', () => {
  for (const [i, name] of E2E.entries()) {
    const s = scenarios.find((x) => x.name === name)!;
    it(name, async () => {
      const run = await runScenario(s);
      cleanup.push(() => run.project.dispose());
      const { sql: down, cannotRestore } = downOf(run);
      const dir = mkdtempSync(join(tmpdir(), 'drizzle-d1-rollback-'));
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      const [first, second] = run.project.sqlFiles();
      cpSync(join(run.project.out, 'rollback'), join(dir, 'rollback'), { recursive: true });
      copyFileSync(join(run.project.out, first!), join(dir, first!));
      const wrangler = WranglerProject.create({ migrationsDir: dir });
      cleanup.push(() => wrangler.dispose());

      expect((await wrangler.applyOrThrow()).applied).toEqual([first]);
      await wrangler.executeOrThrow(s.seed);
      copyFileSync(join(run.project.out, second!), join(dir, second!));
      expect((await wrangler.applyOrThrow()).applied).toEqual([first, second]);

      // The runbook's step 2, from the project folder as the header writes the path.
      await wrangler.executeFileOrThrow(join(dir, 'rollback', `${second!.replace(/\.sql$/, '')}.down.sql`));
      applyMigration(run.db, down, 'down.sql'); // the same file on SQLite
      let db = wrangler.open();
      try {
        expect(dumpRows(db)).toEqual(dumpRows(run.db));
        expectRowsRestored(run.before, dumpRows(db), cannotRestore);
        expect(schemaOf(db)).toEqual(schemaOf(await freshBuildByDrizzleKit(run.project, s.before, s.configExtra ? 'snake_case' : undefined)));
        expect(db.prepare('SELECT * FROM pragma_foreign_key_check').all()).toEqual([]);
      } finally {
        db.close();
      }
      if (i > 0) return;
      // Step 3: forget the migration; wrangler then applies it again (and the rollback folder still not).
      await wrangler.executeOrThrow(`DELETE FROM d1_migrations WHERE name = '${second}';`);
      expect((await wrangler.applyOrThrow()).applied).toEqual([first, second]);
      db = wrangler.open();
      try {
        expect(dumpRows(db)).toEqual(run.after);
      } finally {
        db.close();
      }
    }, 90_000);
  }
});
