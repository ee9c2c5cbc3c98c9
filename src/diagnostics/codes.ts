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
  'D1-102': { title: 'Column becomes NOT NULL without a default', severity: 'error' },
  'D1-103': { title: 'A migration would copy a table whose foreign key cannot be used', severity: 'error' },
  'D1-104': { title: 'New foreign key to columns that are neither primary key nor unique', severity: 'warning' },
  'D1-105': { title: 'New check on a table that holds rows', severity: 'warning' },
  'D1-106': { title: 'New unique index on a table that holds rows', severity: 'warning' },
  'D1-107': { title: 'New foreign key on existing columns', severity: 'warning' },

  // D1-2xx: D1 limits and compatibility.
  'D1-201': { title: 'More than 100 columns in a table', severity: 'warning' },

  // D1-3xx: hand-written SQL objects.

  // D1-4xx: lint findings.

  // D1-5xx: config and schema input.
  'D1-500': { title: 'Bad config or schema input', severity: 'error' },
  'D1-540': { title: 'The schema cannot be migrated', severity: 'error' },

  // D1-6xx: the migrations folder and the file system.
  'D1-600': { title: 'Bad migrations folder', severity: 'error' },

  // D1-7xx: command-line flags and rename hints.
  'D1-700': { title: 'Bad flag or hint', severity: 'error' },
  'D1-702': { title: 'Renames need an answer', severity: 'error' },
  'D1-701': { title: '--backfill or --assume-not-null names no column of the schema', severity: 'error' },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof CODES;

export const severityOf = (code: Code): Severity => CODES[code].severity;
