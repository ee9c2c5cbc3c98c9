/**
 * `drizzle-d1 rollback <tag>`: the down file and runbook of one migration of the folder, including
 * migrations drizzle-kit wrote (the file is written when missing, never overwritten). It never
 * touches a database: the runbook's commands are for the user to run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '../config/index.js';
import { displayPath, UserInputError } from '../diagnostics/errors.js';
import { readRealSchema } from '../d1/replay.js';
import { diffSchemas } from '../diff/diff.js';
import { readMigrationsFolder, readSnapshotFile, stateOf, tagPrefix } from '../snapshot/io.js';
import { emptyState, type JournalEntry, type SchemaState, type Snapshot } from '../snapshot/types.js';
import { splitStatements } from '../sqltext/tokens.js';
import { writeFilesAtomically } from '../write/files.js';
import { rollbackFile, runbookFor, type RollbackFile } from './file.js';
import { renamesFromMeta } from './renames.js';

export interface RollbackCommandOptions {
  cwd: string;
  /** A journal tag (`0003_add_posts`), its file name, or its number (`0003`). */
  tag: string;
  config?: string;
  /** Print the down file instead of writing it. */
  print?: boolean;
}

export interface RollbackCommandResult {
  file: RollbackFile;
  /** What the file on disk holds (an existing file is kept as it is). */
  text: string;
  status: 'written' | 'kept' | 'printed';
  projectRoot: string;
}

/** The journal entry `wanted` names: its tag, its `.sql` file name, or its number prefix. */
function findEntry(entries: JournalEntry[], wanted: string, out: string): number {
  const tag = wanted.replace(/\.sql$/, '').replace(/\.down$/, '');
  let i = entries.findIndex((e) => e.tag === tag);
  if (i < 0) {
    const byPrefix = entries.flatMap((e, j) => (tagPrefix(e.tag) === tag ? [j] : []));
    if (byPrefix.length === 1) i = byPrefix[0]!;
  }
  if (i < 0) {
    const known = entries.map((e) => e.tag);
    const list = known.length ? `: ${known.slice(-5).join(', ')}${known.length > 5 ? ' (the last five)' : ''}` : ' (the journal lists none)';
    throw new UserInputError('D1-616', `${displayPath(out)} has no migration "${wanted}". Name one of its journal's migrations${list}.`, out);
  }
  return i;
}

function snapshotOf(out: string, tag: string, forTag: string): Snapshot {
  const path = join(out, 'meta', `${tagPrefix(tag)}_snapshot.json`);
  if (!existsSync(path)) {
    throw new UserInputError('D1-487',
      `${displayPath(path)} is missing, so drizzle-d1 cannot tell what ${forTag}.sql changed and cannot write its rollback. Restore the snapshot from version control, or write ${forTag}'s down file by hand.`,
      path,
    );
  }
  return readSnapshotFile(path);
}

/** A migration whose snapshot equals the previous one but whose SQL holds statements was written by hand. */
function writtenByHand(out: string, tag: string, prev: SchemaState, cur: SchemaState): boolean {
  const path = join(out, `${tag}.sql`);
  const sql = existsSync(path) ? readFileSync(path, 'utf8') : '';
  return diffSchemas(prev, cur, { tables: {}, columns: {} }).changes.length === 0 && splitStatements(sql).length > 0;
}

export async function rollbackCommand(options: RollbackCommandOptions): Promise<RollbackCommandResult> {
  const config = await resolveConfig(options.config ? { config: options.config } : {}, options.cwd);
  const folder = readMigrationsFolder(config.out);
  const entries = folder.journal.entries;
  const i = findEntry(entries, options.tag, config.out);
  const entry = entries[i]!;
  const previous = i > 0 ? entries[i - 1]!.tag : null;
  const curSnapshot = snapshotOf(config.out, entry.tag, entry.tag);
  const cur = stateOf(curSnapshot);
  const prev = previous === null ? emptyState() : stateOf(snapshotOf(config.out, previous, entry.tag));
  const handWritten = () => {
    const real = readRealSchema(config.out, { through: entry.tag });
    real.replay.db.close();
    return real.handWritten;
  };
  const sides = writtenByHand(config.out, entry.tag, prev, cur)
    ? { tag: entry.tag, prev, cur, renames: { tables: {}, columns: {} }, custom: true }
    : { tag: entry.tag, prev, cur, renames: renamesFromMeta(curSnapshot._meta, cur), handWritten };
  const runbook = runbookFor(config.projectRoot, config.out, entry.tag, entry.when);
  const file = rollbackFile(sides, runbook, { out: config.out, breakpoints: entry.breakpoints, previous });
  if (options.print) return { file, text: file.text, status: 'printed', projectRoot: config.projectRoot };
  if (existsSync(file.path)) return { file, text: readFileSync(file.path, 'utf8'), status: 'kept', projectRoot: config.projectRoot };
  writeFilesAtomically([{ path: file.path, content: file.text, mode: 'create' }]);
  return { file, text: file.text, status: 'written', projectRoot: config.projectRoot };
}
