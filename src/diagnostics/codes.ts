/**
 * Every diagnostic drizzle-d1 can produce, by stable code. A code never changes meaning once
 * released; `docs/diagnostics.md` explains each one (what it means, why D1 behaves so, what to do),
 * and a test keeps the two lists equal.
 *
 * Ranges:
 * - D1-1xx  data safety in a planned migration (refusals, guards)
 * - D1-2xx  D1 limits and compatibility
 * - D1-3xx  hand-written SQL objects (triggers, views, indexes, tables drizzle does not describe)
 * - D1-4xx  lint findings in existing migrations
 * - D1-5xx  config and schema input
 * - D1-6xx  the migrations folder and the file system
 * - D1-7xx  command-line flags and rename hints
 */
export type Severity = 'error' | 'warning';

interface CodeInfo {
  /** One line, as `docs/diagnostics.md` titles it. */
  title: string;
  severity: Severity;
}

export const CODES = {
  // D1-1xx: data safety in a planned migration.
  'D1-101': { title: 'NOT NULL column added without a default', severity: 'error' },
  'D1-102': { title: 'Column becomes NOT NULL without a default', severity: 'warning' },
  'D1-103': { title: 'A migration would copy a table whose foreign key cannot be used', severity: 'error' },
  'D1-104': { title: 'New foreign key to columns that are neither primary key nor unique', severity: 'warning' },
  'D1-105': { title: 'New check on a table that holds rows', severity: 'warning' },
  'D1-106': { title: 'New unique index on a table that holds rows', severity: 'warning' },
  'D1-107': { title: 'New foreign key on existing columns', severity: 'warning' },
  'D1-108': { title: 'Column becomes an INTEGER PRIMARY KEY', severity: 'warning' },
  'D1-109': { title: 'Dangling reference in a table the migration copies', severity: 'error' },

  // D1-2xx: D1 limits and compatibility.
  'D1-201': { title: 'More than 100 columns in a table', severity: 'warning' },

  // D1-3xx: hand-written SQL objects.
  'D1-301': { title: 'The migrations build a different schema than the snapshot says', severity: 'warning' },
  'D1-302': { title: 'A hand-written trigger or view reads a table the migration drops', severity: 'error' },
  'D1-303': { title: 'A hand-written trigger, view or index uses a column the migration drops', severity: 'error' },
  'D1-304': { title: 'A hand-written index on a dropped column is dropped first', severity: 'warning' },
  'D1-305': { title: 'A hand-written table references a table the migration drops', severity: 'error' },
  'D1-306': { title: 'The migrations folder could not be replayed', severity: 'warning' },

  // D1-4xx: lint findings.
  'D1-401': { title: 'DROP TABLE empties or nulls child tables', severity: 'error' },
  'D1-402': { title: 'DROP TABLE fails on a NO ACTION or RESTRICT child', severity: 'error' },
  'D1-403': { title: 'PRAGMA foreign_keys does nothing on D1', severity: 'warning' },
  'D1-404': { title: 'defer_foreign_keys is set ON and never OFF', severity: 'warning' },
  'D1-405': { title: 'A statement D1 rejects', severity: 'error' },
  'D1-406': { title: 'A rebuild drops triggers', severity: 'warning' },
  'D1-407': { title: 'A migration breaks a view', severity: 'error' },
  'D1-408': { title: 'A copy writes a generated column', severity: 'error' },
  'D1-409': { title: 'A copy names a column the old table does not have', severity: 'error' },
  'D1-410': { title: 'A copy puts a nullable column into a NOT NULL column', severity: 'error' },
  'D1-411': { title: 'DROP COLUMN blocked by an index, view, trigger or constraint', severity: 'error' },
  'D1-412': { title: "A cascade deeper than D1's trigger depth", severity: 'warning' },
  'D1-413': { title: 'A statement over 100 KB', severity: 'error' },
  'D1-415': { title: 'A table or column the deployed Worker may still read is gone', severity: 'warning' },
  'D1-416': { title: 'The migration fails on D1', severity: 'error' },
  'D1-417': { title: 'A hand-written migration is not rewritten', severity: 'warning' },
  'D1-418': { title: 'An applied migration is not rewritten', severity: 'error' },
  'D1-419': { title: 'rewrite needs migrations to rewrite and a confirmation', severity: 'error' },
  'D1-420': { title: 'A migration file is not UTF-8', severity: 'warning' },

  // D1-480..499: rollback (down) files.
  'D1-480': { title: 'The rollback cannot bring back what the migration dropped', severity: 'warning' },
  'D1-481': { title: 'The rollback cannot bring back values the migration overwrote', severity: 'warning' },
  'D1-482': { title: 'The rollback deletes what the migration added', severity: 'warning' },
  'D1-483': { title: 'A dropped NOT NULL column comes back with a placeholder', severity: 'warning' },
  'D1-484': { title: 'The rollback touches tables that hand-written SQL depends on', severity: 'warning' },
  'D1-485': { title: 'The rollback cannot be planned', severity: 'warning' },
  'D1-486': { title: 'The rollback of a hand-written migration must be written by hand', severity: 'warning' },
  'D1-487': { title: 'The migration has no snapshot to roll back from', severity: 'error' },
  'D1-488': { title: 'The rollback setting is not true or false', severity: 'error' },

  // D1-45x: verify (pending migrations replayed on synthetic or real rows).
  'D1-450': { title: 'A migration loses rows', severity: 'error' },
  'D1-451': { title: 'A migration changes values it should keep', severity: 'error' },
  'D1-452': { title: 'A migration fails on the rows', severity: 'error' },
  'D1-453': { title: 'A guard would fire', severity: 'error' },
  'D1-454': { title: 'A column disappears that the migration does not drop', severity: 'error' },
  'D1-455': { title: 'The migrations do not build schema.ts', severity: 'error' },
  'D1-456': { title: 'A migration risks the 30 second limit', severity: 'warning' },
  'D1-457': { title: 'A migration risks the 10 GB database limit', severity: 'warning' },
  'D1-458': { title: 'A statement longer than 100 KB', severity: 'warning' },
  'D1-459': { title: 'Synthetic rows could not be made for a table', severity: 'warning' },
  'D1-460': { title: 'The database to verify against cannot be read', severity: 'error' },
  'D1-461': { title: 'Pending migrations cannot be told', severity: 'error' },
  'D1-462': { title: 'A verify flag has a value it does not take', severity: 'error' },
  'D1-463': { title: 'wrangler cannot replay the migrations', severity: 'error' },
  'D1-464': { title: 'A guard fires on synthetic rows', severity: 'warning' },
  'D1-465': { title: 'A double-quoted name that D1 reads as a string', severity: 'error' },

  // D1-5xx: config and schema input.
  'D1-501': { title: 'No drizzle config file', severity: 'error' },
  'D1-502': { title: 'The drizzle config fails to load', severity: 'error' },
  'D1-503': { title: 'The drizzle config is invalid', severity: 'error' },
  'D1-504': { title: 'The dialect is not SQLite', severity: 'error' },
  'D1-505': { title: 'migrations.prefix "none" is not supported', severity: 'error' },
  'D1-510': { title: 'No schema files found', severity: 'error' },
  'D1-511': { title: 'A schema file fails to load', severity: 'error' },
  'D1-512': { title: "The project's drizzle-orm cannot be loaded", severity: 'error' },
  'D1-520': { title: "The project's drizzle-orm has no SQLite dialect", severity: 'error' },
  'D1-540': { title: 'The schema cannot be migrated', severity: 'error' },
  'D1-541': { title: 'Two different tables with one name', severity: 'error' },
  'D1-542': { title: 'Two columns of a table with one name', severity: 'error' },
  'D1-543': { title: 'Two unique constraints or indexes of a table with one name', severity: 'error' },
  'D1-544': { title: 'Two different foreign keys of a table with one name', severity: 'error' },
  'D1-545': { title: 'Two different indexes of a table with one name', severity: 'error' },
  'D1-546': { title: 'One index name on two tables', severity: 'error' },
  'D1-547': { title: 'More than one primary key in a table', severity: 'error' },
  'D1-548': { title: 'Primary key column not in the table', severity: 'error' },
  'D1-549': { title: 'Two check constraints of a table with one name', severity: 'error' },
  'D1-550': { title: 'Bound parameters in schema SQL', severity: 'error' },
  'D1-551': { title: 'Parameters in a sql default', severity: 'error' },
  'D1-552': { title: 'A default value that cannot be written as SQL', severity: 'error' },
  'D1-553': { title: 'Two different views with one name', severity: 'error' },
  'D1-554': { title: 'A view or index named like a table or view', severity: 'error' },
  'D1-555': { title: 'Table, view or index names that differ only by letter case', severity: 'error' },
  'D1-556': { title: 'Column names that differ only by letter case', severity: 'error' },
  'D1-557': { title: 'A name starting with sqlite_', severity: 'error' },
  'D1-558': { title: 'A name drizzle-d1 uses for its temporary objects', severity: 'error' },
  'D1-559': { title: 'A name starting with _cf_', severity: 'error' },
  'D1-560': { title: 'A foreign key to a table the schema does not contain', severity: 'error' },

  // D1-6xx: the migrations folder and the file system.
  'D1-601': { title: 'The journal is not a drizzle-kit journal', severity: 'error' },
  'D1-602': { title: 'The journal is missing', severity: 'error' },
  'D1-603': { title: 'A snapshot is not a drizzle-kit snapshot', severity: 'error' },
  'D1-604': { title: 'Snapshot version not supported', severity: 'error' },
  'D1-605': { title: 'The migrations folder belongs to another dialect', severity: 'error' },
  'D1-606': { title: 'Migrations folder layout not supported', severity: 'error' },
  'D1-610': { title: 'The latest migration has no SQL file', severity: 'error' },
  'D1-611': { title: 'The latest migration has no snapshot', severity: 'error' },
  'D1-612': { title: 'Migrations from two branches', severity: 'error' },
  'D1-613': { title: 'The snapshot chain is broken', severity: 'error' },
  'D1-614': { title: 'A half-written migration', severity: 'error' },
  'D1-615': { title: 'Another run is writing the migrations folder', severity: 'error' },
  'D1-616': { title: 'No such migration in the folder', severity: 'error' },
  'D1-620': { title: 'The migration file already exists', severity: 'error' },
  'D1-621': { title: 'The migrations folder is not a folder', severity: 'error' },
  'D1-622': { title: 'The migrations folder cannot be written', severity: 'error' },
  'D1-623': { title: 'A path is too long', severity: 'error' },
  'D1-624': { title: 'The migrations folder cannot be read', severity: 'error' },
  'D1-625': { title: 'The migrations folder given with --out does not exist', severity: 'error' },
  'D1-630': { title: 'A drizzle-kit 1.0 snapshot is not valid', severity: 'error' },
  'D1-631': { title: 'A drizzle-kit 1.0 migration folder is incomplete', severity: 'error' },
  'D1-632': { title: 'drizzle-kit 1.0 migrations from two branches', severity: 'error' },
  'D1-633': { title: 'The migrations folder mixes both layouts', severity: 'error' },
  'D1-634': { title: "wrangler's migrations_pattern does not find the migrations", severity: 'warning' },
  'D1-635': { title: 'casing in the config is ignored in the drizzle-kit 1.0 layout', severity: 'warning' },
  'D1-636': { title: "wrangler's migrations_pattern also matches snapshots or rollback files", severity: 'warning' },
  'D1-637': { title: 'The rollback file would be run as a migration', severity: 'error' },

  // D1-7xx: command-line flags and rename hints.
  'D1-701': { title: '--backfill or --assume-not-null names no column of the schema', severity: 'error' },
  'D1-702': { title: 'Renames need an answer', severity: 'error' },
  'D1-703': { title: 'A flag has a value it does not take', severity: 'error' },
  'D1-704': { title: '--config with command-line settings', severity: 'error' },
  'D1-705': { title: 'Command-line settings without --schema', severity: 'error' },
  'D1-706': { title: '--name cannot be a file name', severity: 'error' },
  'D1-707': { title: '--backfill is not table.column=<SQL>', severity: 'error' },
  'D1-708': { title: '--rename is not old=new', severity: 'error' },
  'D1-709': { title: 'Hints are not drizzle-kit hints JSON', severity: 'error' },
  'D1-710': { title: 'A hint names something the schemas do not have', severity: 'error' },
  'D1-711': { title: '--hints-file cannot be read', severity: 'error' },
  'D1-712': { title: 'The rename prompt was cancelled', severity: 'error' },
  'D1-713': { title: 'Unknown command or flag', severity: 'error' },
  'D1-714': { title: 'A --backfill value is not one SQL expression', severity: 'error' },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;

export const severityOf = (code: Code): Severity => CODES[code].severity;
