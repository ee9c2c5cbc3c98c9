import type { Code, Severity } from './codes.js';

export type { Severity };

/**
 * A way out of a diagnostic, in domain terms. The CLI turns each into what the user types
 * (`--backfill users.email=<SQL expression>`) or does (edit the schema file it names).
 */
export type Fix =
  /** Fill existing rows of a column with an SQL expression (`--backfill table.column=<expr>`). */
  | { kind: 'backfill'; table: string; column: string }
  /** Declare that a column made NOT NULL holds no NULL (`--assume-not-null table.column`). */
  | { kind: 'assumeNotNull'; table: string; column: string }
  /** Change the Drizzle schema as described. */
  | { kind: 'editSchema'; text: string }
  /** Anything else the user can do, as a sentence. */
  | { kind: 'do'; text: string };

/**
 * One refusal, warning, guard or lint finding: a stable code, what it concerns, a message stating the
 * fact in domain terms, and the ways out. Stages produce them; only the CLI renders them.
 */
export interface Diagnostic {
  code: Code;
  severity: Severity;
  message: string;
  table?: string;
  column?: string;
  /** The file the diagnostic is about, when one is known (a migration, a config, a schema file). */
  file?: string;
  /** 1-based line in `file`. */
  line?: number;
  fixes?: Fix[];
}
