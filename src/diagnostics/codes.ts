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
  'D1-500': { title: 'Bad config or schema input', severity: 'error' },
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
  'D1-600': { title: 'Bad migrations folder', severity: 'error' },

  // D1-7xx: command-line flags and rename hints.
  'D1-700': { title: 'Bad flag or hint', severity: 'error' },
  'D1-702': { title: 'Renames need an answer', severity: 'error' },
  'D1-701': { title: '--backfill or --assume-not-null names no column of the schema', severity: 'error' },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;

export const severityOf = (code: Code): Severity => CODES[code].severity;
