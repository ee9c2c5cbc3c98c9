/**
 * The down file itself, its header (templates/rollback-header.sql) over the down plan's SQL. Beside a
 * journal it is `<out>/rollback/<tag>.down.sql`: a sub-folder, so `wrangler d1 migrations apply`
 * (top-level `*.sql` by default), drizzle-orm's migrators (journal entries only) and drizzle-kit
 * (meta/ only) never read it. In drizzle-kit 1.0's layout it is `<out>/<tag>/down.sql`, which
 * drizzle-orm 1.0's migrator and wrangler's `<dir>/*\/migration.sql` pattern never read.
 */
import { relative, sep } from 'node:path';
import { databaseFor, type WranglerConfig } from '../snapshot/wrangler-config.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { migrationSqlFile, rollbackPath, type LayoutKind } from '../snapshot/layout.js';
import { planDown, type DownPlan, type MigrationSides } from './down.js';
import { rollbackHeader, type HeaderContent, type Runbook } from './header.js';

export interface RollbackFile {
  path: string;
  /** Header and SQL: the file's content. */
  text: string;
  down: DownPlan;
  runbook: Runbook;
  /** Everything the header names, with codes: what cannot come back, deletions, aborts, notes. */
  diagnostics: Diagnostic[];
}

/** Where a migration is: its folder, the folder's layout, its tag and (journal layout) its `when`. */
export interface MigrationAt {
  out: string;
  layout: LayoutKind;
  tag: string;
  when: number | undefined;
  /** The project's wrangler config, read once per run. */
  wrangler: WranglerConfig;
}

/** The runbook's commands for migration `at` in the project at `projectRoot`. */
export function runbookFor(projectRoot: string, at: MigrationAt): Runbook {
  const db = databaseFor(at.wrangler, projectRoot, at.out);
  const file = relative(projectRoot, rollbackPath(at.out, at.layout, at.tag)).split(sep).join('/');
  return { tag: at.tag, layout: at.layout, db: db.name, migrationsTable: db.migrationsTable, file, backup: `backup-before-rollback-${at.tag}.sql`, when: at.when };
}

function purpose(down: DownPlan, previous: string | null): string {
  const back = previous === null ? 'an empty database (this is the first migration)' : `the schema of ${previous}`;
  switch (down.kind) {
    case 'planned':
      return `Applying it takes the database back to ${back}, keeping every row both schemas can hold.`;
    case 'nothing':
      return 'The migration changed nothing in the schema, so there is nothing to undo.';
    case 'custom':
      return 'The migration was written by hand (generate --custom), so its reverse must be written by hand:\n-- drizzle-d1 cannot know what it did.';
    case 'refused':
      return `drizzle-d1 could not plan the way back to ${back}, so it must be written by hand (see below).`;
  }
}

/** What stands below the header when the statements must be written by hand. */
function byHandBody(down: DownPlan, migration: string): string {
  const why = down.notes.filter((d) => d.code === 'D1-485').map((d) => `-- ${d.message}\n`).join('');
  return (
    why +
    `-- Write the statements that undo ${migration} below. D1 runs them in one transaction with foreign keys\n` +
    `-- on: defer them (PRAGMA defer_foreign_keys = ON, then OFF at the end) rather than switching them\n` +
    `-- off, which does nothing there, and rebuild a table's reacting children with it (docs/diagnostics.md).\n`
  );
}

export function downFileText(down: DownPlan, runbook: Runbook, previous: string | null): string {
  const content: HeaderContent = {
    purpose: purpose(down, previous),
    cannotRestore: down.findings.cannotRestore.map((d) => d.message),
    deletes: down.findings.deletes.map((d) => d.message),
    aborts: down.aborts.map((d) => d.message.replace('the migration aborts (and D1 rolls it back)', 'this file aborts')),
    handWritten: down.notes.filter((d) => d.code === 'D1-484' || d.code === 'D1-301').map((d) => d.message),
  };
  const header = rollbackHeader(content, runbook);
  if (down.kind === 'custom' || down.kind === 'refused') return header + byHandBody(down, migrationSqlFile(runbook.layout, runbook.tag));
  return down.sql ? `${header}${down.sql}\n` : header;
}

/** The down file of one migration: plan, header and text. `previous`: the tag it goes back to. */
export function rollbackFile(m: MigrationSides, at: MigrationAt, options: { projectRoot: string; breakpoints: boolean; previous: string | null }): RollbackFile {
  const down = planDown(m, options.breakpoints);
  const runbook = runbookFor(options.projectRoot, at);
  const diagnostics = [...down.findings.cannotRestore, ...down.findings.deletes, ...down.aborts, ...down.notes];
  return { path: rollbackPath(at.out, at.layout, at.tag), text: downFileText(down, runbook, options.previous), down, runbook, diagnostics };
}
