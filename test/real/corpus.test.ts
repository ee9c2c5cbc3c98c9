/**
 * Real migration histories of public Drizzle + D1 projects, vendored in test/real/corpus (see its
 * README). For each migration, drizzle-d1 plans the same change from the same two snapshots (renames
 * taken from the snapshot's `_meta`, as the user answered them for drizzle-kit) and applies it D1's
 * way to a database seeded before every migration, so tables created late are rebuilt with rows too.
 * drizzle-kit's own files are replayed the same way with the same rows, and what they lose is asserted.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { D1MigrationError, applyMigration, openD1Database } from '../../src/d1/apply.js';
import { checkIntegrity, describeSchema, dumpRows } from '../../src/d1/inspect.js';
import { diffSchemas } from '../../src/diff/diff.js';
import { stateOf } from '../../src/snapshot/io.js';
import { structureOf } from '../support/structure.js';
import { asD1ReadsIt, drizzleKitFreshBuild, fillNulls, losses, plannedSql, prepareStep, readHistory, renamesOf, seedStep, typeChangedColumns, type History } from './history.js';

// DRIZZLE_D1_REAL_CORPUS points at another folder of migrations folders (one per project) to check.
const vendored = !process.env.DRIZZLE_D1_REAL_CORPUS;
const corpus = process.env.DRIZZLE_D1_REAL_CORPUS ?? join(import.meta.dirname, 'corpus');
// Every sub-folder is a project, so one that is not a migrations folder fails as itself.
const projects = existsSync(corpus) ? readdirSync(corpus, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort() : [];

/** What replaying drizzle-kit's own files D1's way does to the seeded rows. */
interface Outcome {
  /** Tables left empty, per migration tag. */
  emptied: Record<string, string[]>;
  /** Columns (`table.column`) whose seeded values were replaced, per migration tag. */
  overwritten?: Record<string, string[]>;
  /** The migration that fails (its error starts with the tag), which ends the replay. */
  fails?: RegExp;
}
const clean: Outcome = { emptied: {} };

/**
 * The vendored corpus: drizzle-kit's known outcomes (test/real/corpus/README.md), on SQLite proper
 * (better-sqlite3) and as D1 reads the files (double-quoted names it lacks are strings).
 */
const DRIZZLE_KIT: Record<string, { sqlite: Outcome; d1: Outcome }> = {
  // 0001 rebuilds `user` and `post` and loses two column renames (drizzle-kit bug): its copy names
  // `"created_at"`, which the old tables lack. SQLite fails; D1 writes the text 'created_at' in
  // place of the renamed column's values (user.email_verified → created_at), and the drops empty the tables below (ON DELETE cascade).
  cloudflog: {
    sqlite: { emptied: {}, fails: /^0001_chemical_wong: no such column: "created_at"/ },
    d1: {
      emptied: { '0001_chemical_wong': ['comment', 'post', 'post_tags', 'post_views', 'session'] },
      overwritten: { '0001_chemical_wong': ['user.email_verified'] },
    },
  },
  // One table rebuilt, nothing references it: no false alarm, nothing lost.
  'cloudflare-authjs-sample': { sqlite: clean, d1: clean },
  // 0001 rebuilds `playlists`, adding `created_at` inside the copy: SQLite fails; on D1 every row
  // gets the text 'created_at' and the DROP empties `videos` (ON DELETE cascade). Then 0002 adds a NOT NULL column without a default, which
  // SQLite refuses on a table holding rows (drizzle-d1 asks for --backfill instead).
  rage2: {
    sqlite: { emptied: {}, fails: /^0001_reflective_meggan: no such column: "created_at"/ },
    d1: {
      emptied: { '0001_reflective_meggan': ['videos'] },
      fails: /^0002_clumsy_falcon: Cannot add a NOT NULL column with default value NULL/,
    },
  },
  vh7: { sqlite: clean, d1: clean },
  // 0002 copies the new NOT NULL column `refrence_id` from the old `messages`, which has none:
  // SQLite fails; D1 writes the text 'refrence_id' into every row, so 0003's unique index on that
  // column fails as soon as two messages exist.
  wasmchannel: {
    sqlite: { emptied: {}, fails: /^0002_nappy_bucky: no such column: "refrence_id"/ },
    d1: { emptied: {}, fails: /^0003_living_christian_walker: UNIQUE constraint failed: messages\.refrence_id/ },
  },
};

/** Tables the seeder could not fill (a CHECK its generic values miss). */
const unseeded = (counts: Record<string, number>) => Object.keys(counts).filter((t) => counts[t] === 0);

/** The first migration: drizzle-kit's file where the history is whole, otherwise planned from the first snapshot. */
function firstMigration(h: History): Database.Database {
  const db = openD1Database();
  const first = h.steps[0]!;
  applyMigration(db, h.whole ? first.sql! : plannedSql(stateOf(null), stateOf(first.snapshot)), first.tag);
  return db;
}

/**
 * drizzle-kit's files replayed D1's way, seeded as drizzle-d1's run is: what each one empties, loses,
 * or fails on. `d1Strings` reads them as D1 does (see asD1ReadsIt).
 */
function replayDrizzleKit(h: History, d1Strings: boolean) {
  const db = firstMigration(h);
  const emptied: Outcome['emptied'] = {};
  const overwritten: Record<string, string[]> = {};
  const lost: string[] = [];
  let failed: string | undefined;
  for (let i = 1; i < h.steps.length; i++) {
    const { tag, sql, prev, cur, renames, before } = prepareStep(db, h, i);
    try {
      applyMigration(db, d1Strings ? asD1ReadsIt(db, sql) : sql, tag);
    } catch (e) {
      if (!(e instanceof D1MigrationError)) throw e;
      failed = e.message.split('\n')[0];
      break;
    }
    const l = losses(before, dumpRows(db), renames, typeChangedColumns(prev, cur, renames));
    if (l.emptied.length) emptied[tag] = l.emptied.sort();
    // `table.column row N: old → new` lines name a column whose values changed; the rest stay as lost.
    const columns = new Set(l.lost.flatMap((s) => /^(\S+) row \d+:/.exec(s)?.[1] ?? []));
    if (columns.size) overwritten[tag] = [...columns].sort();
    lost.push(...l.lost.filter((s) => !/^\S+ row \d+:/.test(s)).map((s) => `${tag}: ${s}`));
  }
  return { db, emptied, overwritten, failed, lost };
}

const sameStructure = (a: Database.Database, b: Database.Database) => expect(structureOf(describeSchema(a))).toEqual(structureOf(describeSchema(b)));

describe('real public histories', () => {
  it(`finds migrations folders in ${vendored ? 'the vendored corpus' : corpus}`, () => {
    expect(projects, `no project folders in ${corpus}`).not.toEqual([]);
    // The vendored corpus and the table of drizzle-kit outcomes name the same projects.
    if (vendored) expect(projects).toEqual(Object.keys(DRIZZLE_KIT).sort());
  });

  for (const name of projects) {
    it(`${name}: every migration re-planned by drizzle-d1 keeps every row and reaches the same schema`, async () => {
      const h = readHistory(join(corpus, name), name);
      const db = firstMigration(h);
      for (let i = 1; i < h.steps.length; i++) {
        const { tag, snapshot } = h.steps[i]!;
        const prev = stateOf(h.steps[i - 1]!.snapshot);
        const cur = stateOf(snapshot);
        const renames = renamesOf(snapshot);
        const counts = seedStep(db, prev, i - 1);
        // The generic seeder cannot meet every project's checks; the vendored corpus it fills completely.
        if (vendored) expect(unseeded(counts), `tables without rows before ${tag}`).toEqual([]);
        const sql = plannedSql(prev, cur, renames);
        expect(sql).not.toMatch(/(?<!defer_)foreign_keys\s*=\s*off|\bBEGIN\b|\bCOMMIT\b|\bSAVEPOINT\b/i);
        fillNulls(db, prev, cur, renames);
        const before = dumpRows(db);
        applyMigration(db, sql, tag);
        expect(losses(before, dumpRows(db), renames, typeChangedColumns(prev, cur, renames)), tag).toEqual({ emptied: [], lost: [] });
        expect(checkIntegrity(db).ok, tag).toBe(true);
      }
      // Nothing left to do: the last step's snapshot is the history's latest one.
      const last = stateOf(h.latest);
      expect(diffSchemas(stateOf(h.steps.at(-1)!.snapshot), last, { tables: {}, columns: {} }).changes).toEqual([]);
      const fresh = openD1Database();
      applyMigration(fresh, plannedSql(stateOf(null), last), 'fresh');
      sameStructure(db, fresh);
      sameStructure(db, await drizzleKitFreshBuild(h.latest));
    });

    for (const reading of ['sqlite', 'd1'] as const) {
      const how = reading === 'sqlite' ? 'on SQLite proper' : 'as D1 reads them';
      it(`${name}: drizzle-kit's own files, replayed ${how} with the same rows`, async (ctx) => {
        const h = readHistory(join(corpus, name), name);
        // drizzle-kit's files replay only from the first one on.
        if (!h.whole) ctx.skip();
        const { db, emptied, overwritten, failed, lost } = replayDrizzleKit(h, reading === 'd1');
        const expected = DRIZZLE_KIT[name]?.[reading];
        if (!expected) {
          // Another corpus: report what drizzle-kit does, there is nothing known to assert.
          console.info(`${name} (${how}): drizzle-kit ${JSON.stringify({ emptied, overwritten, failed, lost })}`);
          return;
        }
        expect(emptied).toEqual(expected.emptied);
        expect(overwritten).toEqual(expected.overwritten ?? {});
        expect(lost).toEqual([]);
        if (expected.fails) expect(failed ?? 'no failure').toMatch(expected.fails);
        else expect(failed).toBeUndefined();
        // Where every file ran, drizzle-kit's history ends at its own fresh build of the last snapshot.
        if (!failed) sameStructure(db, await drizzleKitFreshBuild(h.latest));
      });
    }
  }
});
