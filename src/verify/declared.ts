/**
 * What a migration declares it does to the data, read from the snapshots drizzle wrote before and
 * after it: the renames the user answered (the new snapshot's `_meta`) and the tables and columns
 * it drops (the diff of the two snapshots). A row lost with a dropped table is dropped on purpose;
 * a row lost anywhere else is lost. A migration without a snapshot (written by hand) declares nothing.
 */
import { diffSchemas } from '../diff/diff.js';
import type { Change, Renames } from '../diff/types.js';
import { snapshotStateAt } from '../snapshot/layout.js';
import { recordedRenames } from '../diff/recorded-renames.js';
import { renamesInSql } from './sql-renames.js';
import { emptyState, type SchemaState } from '../snapshot/types.js';

const lower = (s: string) => s.toLowerCase();

export interface Declared {
  /** Previous table name (lower-cased) → current name. */
  tables: Map<string, string>;
  /** Current table name (lower-cased) → previous column name (lower-cased) → current name. */
  columns: Map<string, Map<string, string>>;
  /** Previous names (lower-cased) of dropped tables. */
  droppedTables: Set<string>;
  /** Current table name → previous names of dropped columns (all lower-cased). */
  droppedColumns: Map<string, Set<string>>;
  /** `table.column` (current, lower-cased) made NOT NULL: a NULL turned into its default is intended. */
  filled: Set<string>;
  /** The diff of the two snapshots (empty without a snapshot), for the plan's figures. */
  changes: Change[];
  /** The snapshot state before the migration. */
  previous: SchemaState;
}

export const declaresNothing = (previous: SchemaState = emptyState()): Declared => ({ tables: new Map(), columns: new Map(), droppedTables: new Set(), droppedColumns: new Map(), filled: new Set(), changes: [], previous });

/** Adds `renames` to what `declared` says, where it says nothing yet about a name. */
function addRenames(declared: Declared, renames: Renames): void {
  for (const [from, to] of Object.entries(renames.tables)) if (!declared.tables.has(lower(from))) declared.tables.set(lower(from), to);
  for (const [table, cols] of Object.entries(renames.columns)) {
    const known = declared.columns.get(lower(table)) ?? new Map<string, string>();
    for (const [f, t] of Object.entries(cols)) if (!known.has(lower(f))) known.set(lower(f), t);
    declared.columns.set(lower(table), known);
  }
}

/**
 * What migration `tag` declares, from its snapshot and the one before it (`previous`), and the
 * renames its own statements (`sql`) make where the snapshot records none (renamed by hand).
 */
export function declaredChanges(out: string, tag: string, previous: SchemaState | undefined, sql = ''): { declared: Declared; state: SchemaState | undefined } {
  // Read in full: the parse fills what older drizzle-kit snapshots lack (`views`, `checkConstraints`),
  // without which the differ fails and the drops would count as losses.
  const state = snapshotStateAt(out, tag);
  const declared = declaresNothing(previous);
  const renames = state ? recordedRenames(out, tag, state) : { tables: {}, columns: {} };
  addRenames(declared, renames);
  addRenames(declared, renamesInSql(sql));
  if (!state) return { declared, state: previous };
  let changes;
  try {
    changes = diffSchemas(previous ?? emptyState(), state, renames).changes;
    declared.changes = changes;
  } catch {
    return { declared, state }; // a snapshot pair the differ cannot relate: renames only
  }
  for (const c of changes) {
    if (c.kind === 'dropTable') declared.droppedTables.add(lower(c.table.name));
    else if (c.kind === 'dropColumn') {
      const set = declared.droppedColumns.get(lower(c.table)) ?? new Set<string>();
      declared.droppedColumns.set(lower(c.table), set.add(lower(c.column.name)));
    } else if (c.kind === 'alterColumn' && c.to.notNull && !c.from.notNull) declared.filled.add(`${lower(c.table)}.${lower(c.to.name)}`);
  }
  return { declared, state };
}
