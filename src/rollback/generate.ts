/**
 * The down file `generate` writes beside each new migration (on unless `--no-rollback` or
 * `rollback: false` in the drizzle config).
 */
import type { ResolvedConfig } from '../config/index.js';
import { readRealSchema } from '../d1/replay.js';
import type { HandWrittenObject } from '../d1/handwritten.js';
import type { Renames } from '../diff/types.js';
import type { Journal, SchemaState } from '../snapshot/types.js';
import { rollbackFile, runbookFor, type RollbackFile } from './file.js';

/** What generate knows of the migration it writes: both schemas and the renames, or that it is --custom. */
export type DownSource =
  /** `handWritten`: the folder's hand-written objects, when generate already replayed it for its own plan. */
  | { prev: SchemaState; cur: SchemaState; renames: Renames; backfill: Record<string, string>; handWritten?: HandWrittenObject[] }
  | { custom: true; state: SchemaState };

/** Whether this run writes a down file: `--no-rollback` (false) wins over the config's `rollback`. */
export const rollbackWanted = (flag: boolean | undefined, config: ResolvedConfig) => flag !== false && config.rollback !== false;

/** Hand-written objects of the folder's replayed database (before this migration, which keeps them), replayed only if asked. */
function handWrittenOf(out: string) {
  return () => {
    const real = readRealSchema(out);
    real.replay.db.close();
    return real.handWritten;
  };
}

/** The down file of migration `tag`, about to be added to `journal`. */
export function rollbackForGenerate(config: ResolvedConfig, journal: Journal, tag: string, when: number, source: DownSource): RollbackFile {
  const sides = 'custom' in source
    ? { tag, prev: source.state, cur: source.state, renames: { tables: {}, columns: {} }, custom: true }
    : { tag, ...source, handWritten: source.handWritten ? () => source.handWritten! : handWrittenOf(config.out) };
  const previous = journal.entries.at(-1)?.tag ?? null;
  return rollbackFile(sides, runbookFor(config.projectRoot, config.out, tag, when), { out: config.out, breakpoints: config.breakpoints, previous });
}
