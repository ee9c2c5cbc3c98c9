/**
 * The down file's header, from templates/rollback-header.sql: which migration it undoes, what it
 * cannot bring back, what it deletes, when it aborts, and the runbook (backup, run, forget the
 * migration, or D1 Time Travel instead). A `{{name}}` alone on a line is a list of comment lines
 * (the line goes when the list is empty and the template says so); any other `{{name}}` is a value.
 */
import { readFileSync } from 'node:fs';
import { packageFile } from '../package.js';
import { migrationSqlFile, type LayoutKind } from '../snapshot/layout.js';
import { tagPrefix } from '../snapshot/io.js';

export interface Runbook {
  /** The migration's tag: its journal tag, or its folder name in drizzle-kit 1.0's layout. */
  tag: string;
  /** The folder's layout: where the migration's files are and how the runners record it. */
  layout: LayoutKind;
  /** The D1 database name for wrangler (`<DB>` when unknown). */
  db: string;
  migrationsTable: string;
  /** The down file's path as typed in the project root. */
  file: string;
  /** Where the backup goes. */
  backup: string;
  /** The journal entry's `when` (drizzle-orm 0.x's migrator records it as created_at); unused in the 1.0 layout. */
  when: number | undefined;
}

export interface HeaderContent {
  /** One sentence: what applying the file does. */
  purpose: string;
  cannotRestore: string[];
  deletes: string[];
  aborts: string[];
  /** Hand-written objects to look after, as lines (none: no line). */
  handWritten: string[];
}

const template = () => readFileSync(packageFile('templates/rollback-header.sql'), 'utf8');

/** `items` as `--   - item` lines (wrapped items keep their indent), or `--   (nothing)`. */
function listLines(items: string[], empty: string | null): string[] {
  if (!items.length) return empty === null ? [] : [`--   ${empty}`];
  return items.map((item) => `--   - ${item.split('\n').join('\n--     ')}`);
}

/** The runbook's words for the migration's files and records, which depend on the folder's layout. */
function layoutValues(runbook: Runbook): Record<string, string> {
  const migration = migrationSqlFile(runbook.layout, runbook.tag);
  if (runbook.layout === 'folders') {
    // drizzle-orm 1.0's migrator records each migration by its folder name.
    return { migration, container: 'file', ormRow: `name = '${runbook.tag}'`, dropFiles: `the folder ${runbook.tag}/ (migration.sql, snapshot.json and this down.sql)` };
  }
  const when = runbook.when === undefined ? '<the migration\'s "when" in meta/_journal.json>' : String(runbook.when);
  return { migration, container: 'folder', ormRow: `created_at = ${when}`, dropFiles: `${migration}, meta/${tagPrefix(runbook.tag)}_snapshot.json, its journal entry and this file` };
}

export function rollbackHeader(content: HeaderContent, runbook: Runbook): string {
  const values: Record<string, string> = {
    tag: runbook.tag,
    purpose: content.purpose,
    db: runbook.db,
    migrationsTable: runbook.migrationsTable,
    file: runbook.file,
    backup: runbook.backup,
    ...layoutValues(runbook),
  };
  const lists: Record<string, string[]> = {
    cannotRestore: listLines(content.cannotRestore, '(nothing: every value comes back)'),
    deletes: listLines(content.deletes, '(nothing)'),
    aborts: listLines(content.aborts, '(no condition on the rows)'),
    handWritten: content.handWritten.map((l) => `-- ${l}`),
  };
  const lines = template().replace(/\n$/, '').split('\n').flatMap((line) => {
    const only = /^\{\{(\w+)\}\}$/.exec(line);
    if (only && lists[only[1]!]) return lists[only[1]!]!;
    return [line.replace(/\{\{(\w+)\}\}/g, (m, key: string) => values[key] ?? m)];
  });
  return lines.join('\n') + '\n';
}
