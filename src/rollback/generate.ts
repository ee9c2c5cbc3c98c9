/**
 * The down file `generate` writes beside each new migration (on unless `--no-rollback` or
 * `rollback: false` in the drizzle config, and never where wrangler's `migrations_pattern` would run
 * it as a migration), in either folder layout.
 */
import { relative, sep } from 'node:path';
import type { ResolvedConfig } from '../config/index.js';
import { readRealSchema } from '../d1/replay.js';
import type { HandWrittenObject } from '../d1/handwritten.js';
import type { Diagnostic } from '../diagnostics/types.js';
import type { Renames } from '../diff/types.js';
import { rollbackPath, type LayoutKind } from '../snapshot/layout.js';
import type { SchemaState } from '../snapshot/types.js';
import { databaseRunning } from '../snapshot/wrangler.js';
import type { WranglerConfig } from '../snapshot/wrangler-config.js';
import { rollbackFile, type RollbackFile } from './file.js';

/** What generate knows of the migration it writes: both schemas and the renames, or that it is --custom. */
export type DownSource =
  /** `handWritten`: the folder's hand-written objects, when generate already replayed it for its own plan. */
  | { prev: SchemaState; cur: SchemaState; renames: Renames; backfill: Record<string, string>; handWritten?: HandWrittenObject[] }
  | { custom: true; state: SchemaState };

/** The down file as generate reports it. */
export interface WrittenDownFile {
  path: string;
  diagnostics: Diagnostic[];
  cannotRestore: Diagnostic[];
}

export const writtenDownFile = (f: RollbackFile): WrittenDownFile => ({ path: f.path, diagnostics: f.diagnostics, cannotRestore: f.down.findings.cannotRestore });

/** The migration generate is about to write: its tag, `when` (journal layout) and the tag before it. */
export interface NewMigration {
  layout: LayoutKind;
  tag: string;
  when: number | undefined;
  previous: string | null;
  /** The project's wrangler config, read once per run. */
  wrangler: WranglerConfig;
}

/**
 * Whether this run writes a down file: `--no-rollback` (false) wins over the config's `rollback`, and
 * none is written where a wrangler database's `migrations_pattern` takes it for a migration (D1-636,
 * warned about with the folder's other pattern problems).
 */
export function rollbackWanted(flag: boolean | undefined, config: ResolvedConfig, m: NewMigration): boolean {
  if (flag === false || config.rollback === false) return false;
  const file = relative(config.out, rollbackPath(config.out, m.layout, m.tag)).split(sep).join('/');
  return databaseRunning(m.wrangler, config.projectRoot, config.out, file) === undefined;
}

/** Hand-written objects of the folder's replayed database (before this migration, which keeps them), replayed only if asked. */
function handWrittenOf(out: string) {
  return () => {
    const real = readRealSchema(out);
    real.replay.db.close();
    return real.handWritten;
  };
}

/** The down file of migration `m`, about to be added to the folder. */
export function rollbackForGenerate(config: ResolvedConfig, m: NewMigration, source: DownSource): RollbackFile {
  const sides = 'custom' in source
    ? { tag: m.tag, prev: source.state, cur: source.state, renames: { tables: {}, columns: {} }, custom: true }
    : { tag: m.tag, ...source, handWritten: source.handWritten ? () => source.handWritten! : handWrittenOf(config.out) };
  const at = { out: config.out, layout: m.layout, tag: m.tag, when: m.when, wrangler: m.wrangler };
  return rollbackFile(sides, at, { projectRoot: config.projectRoot, breakpoints: config.breakpoints, previous: m.previous });
}
