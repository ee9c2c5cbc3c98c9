/**
 * Scenario helpers without vitest, shared by the tests (test/support/scenario.ts) and the cost bench
 * (nothing under bench/ may load vitest): a scenario prepared up to its change, and what a migration
 * writes, statement by statement.
 */
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { applyMigration, openD1Database } from '../../src/d1/apply.js';
import { leadingWords, splitStatements, unquoteIdentifier } from '../../src/sqltext/tokens.js';
import { TempProject } from './project.js';
import type { Scenario } from './scenario.js';

/** Both migrations generated, the first applied and the rows seeded: the state before the change. */
export async function prepareScenario(s: Scenario) {
  const project = new TempProject({ configExtra: s.configExtra });
  project.schema(s.before);
  const first = await project.generate({ flags: { name: 'before' } });
  project.schema(s.after);
  const second = await project.generate({ flags: { name: 'after' }, renames: s.renames, backfill: s.backfill });
  const db = openD1Database();
  applyMigration(db, readFileSync(first.migration!.sqlPath, 'utf8'), '0000_before.sql');
  db.exec(s.seed);
  return { project, first, second, db };
}

/** The rows a migration writes, by kind of statement, from replaying it on a copy of `db`. */
export interface MigrationWrites {
  /** Every row written (SQLite's total_changes), as the D1 applier counts it. */
  total: number;
  /** Rows copied by each `INSERT … SELECT`, by source table. */
  copiedFrom: Map<string, number[]>;
  /** Rows `DROP TABLE` deleted one by one (a foreign key still named the table), by table. */
  deletedByDrop: Map<string, number>;
  /** Writes to sqlite_sequence and the foreign-key guard table. */
  bookkeeping: number;
  /** Anything else (a foreign-key action, an UPDATE): none in a drizzle-d1 migration. */
  other: number;
}

/** Replays `sql` on a copy of `db` one statement at a time, in one transaction, foreign keys on. */
export function migrationWrites(db: Database.Database, sql: string): MigrationWrites {
  const replay = new Database(db.serialize());
  replay.pragma('foreign_keys = ON');
  const total = () => (replay.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
  const writes: MigrationWrites = { total: 0, copiedFrom: new Map(), deletedByDrop: new Map(), bookkeeping: 0, other: 0 };
  replay.exec('BEGIN');
  try {
    for (const st of splitStatements(sql)) {
      const before = total();
      const stmt = replay.prepare(st.text);
      if (stmt.reader) stmt.all();
      else stmt.run();
      const delta = total() - before;
      writes.total += delta;
      const [first, second] = leadingWords(st, 2);
      if (/sqlite_sequence|__drizzle_d1_guard/i.test(st.text)) writes.bookkeeping += delta;
      else if (first === 'DROP' && second === 'TABLE') {
        if (delta) writes.deletedByDrop.set(unquoteIdentifier(st.tokens[2]!), delta);
      } else if (first === 'INSERT' && second === 'INTO') {
        const from = st.tokens.findIndex((t, i) => t.kind === 'word' && t.text.toUpperCase() === 'FROM' && i > 2);
        const src = from > 0 ? unquoteIdentifier(st.tokens[from + 1]!) : '?';
        writes.copiedFrom.set(src, [...(writes.copiedFrom.get(src) ?? []), delta]);
      } else writes.other += delta;
    }
  } finally {
    replay.exec('ROLLBACK');
    replay.close();
  }
  return writes;
}
