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

  // D1-4xx: lint findings.

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
  'D1-630': { title: 'A drizzle-kit 1.0 snapshot is not valid', severity: 'error' },
  'D1-631': { title: 'A drizzle-kit 1.0 migration folder is incomplete', severity: 'error' },
  'D1-632': { title: 'drizzle-kit 1.0 migrations from two branches', severity: 'error' },
  'D1-633': { title: 'The migrations folder mixes both layouts', severity: 'error' },
  'D1-634': { title: 'wrangler does not read the drizzle-kit 1.0 layout without migrations_pattern', severity: 'warning' },
  'D1-635': { title: 'casing in the config is ignored in the drizzle-kit 1.0 layout', severity: 'warning' },

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
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;

export const severityOf = (code: Code): Severity => CODES[code].severity;
