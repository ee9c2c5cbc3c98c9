/**
 * What a migration did by hand beside its generated statements: the hand-written objects (FTS5
 * tables, triggers, views, indexes, tables) of the replayed database after it that were not there
 * before it (added, or changed), and those before it that are gone after it (dropped, or changed).
 * Real folders append such SQL to a generated file (`--> CUSTOM MIGRATION CODE`, an FTS5 table and
 * its triggers); the snapshot knows nothing of it, so the down plan takes it from the replay.
 */
import type { Diagnostic } from '../diagnostics/types.js';
import type { HandWrittenObject } from '../d1/handwritten.js';
import type { Step } from '../plan/types.js';

export interface HandWrittenChange {
  /** After the migration and not before it (or with other SQL), in the order they are created. */
  added: HandWrittenObject[];
  /** Before the migration and not after it (or with other SQL), in the order they are created. */
  removed: HandWrittenObject[];
}

const keyOf = (o: HandWrittenObject) => `${o.kind === 'virtual-table' ? 'table' : o.kind}\u0000${o.name.toLowerCase()}\u0000${o.sql}`;

/** The hand-written objects a migration added and removed, from the replayed database before and after it. */
export function handWrittenChange(before: readonly HandWrittenObject[], after: readonly HandWrittenObject[]): HandWrittenChange {
  const had = new Set(before.map(keyOf));
  const has = new Set(after.map(keyOf));
  return { added: after.filter((o) => !had.has(keyOf(o))), removed: before.filter((o) => !has.has(keyOf(o))) };
}

export const changesNothing = (c: HandWrittenChange | undefined) => !c || (c.added.length === 0 && c.removed.length === 0);

/** Dependants before what they depend on: triggers, views, indexes, then tables, each group in reverse creation order. */
const DROP_ORDER: HandWrittenObject['kind'][] = ['trigger', 'view', 'index', 'table', 'virtual-table'];

function dropStep(o: HandWrittenObject): Step {
  const reason = `the hand-written ${o.kind} the migration created is dropped`;
  switch (o.kind) {
    case 'trigger':
      return { kind: 'dropTrigger', name: o.name, reason, sources: [] };
    case 'view':
      return { kind: 'dropView', name: o.name, reason, sources: [] };
    case 'index':
      return { kind: 'dropIndex', name: o.name, reason, sources: [] };
    default:
      return { kind: 'dropTable', name: o.name, reason, sources: [] };
  }
}

/** Steps that drop what the migration added by hand (first in the down file) and recreate what it removed (last). */
export function handWrittenSteps(c: HandWrittenChange): { first: Step[]; last: Step[] } {
  const first = DROP_ORDER.flatMap((kind) => [...c.added].reverse().filter((o) => o.kind === kind)).map(dropStep);
  const last = c.removed.map((o): Step => ({
    kind: 'createObject',
    object: o.kind === 'virtual-table' ? 'table' : o.kind,
    name: o.name,
    sql: o.sql,
    reason: `the hand-written ${o.kind} the migration dropped is created again`,
    sources: [],
  }));
  return { first, last };
}

const isTable = (o: HandWrittenObject) => o.kind === 'table' || o.kind === 'virtual-table';

/** What the header says: the hand-written tables dropped with their rows, and those that come back empty. */
export function handWrittenFindings(c: HandWrittenChange): { deletes: Diagnostic[]; cannotRestore: Diagnostic[] } {
  const shown = (o: HandWrittenObject) => `${o.kind === 'virtual-table' ? 'virtual table' : o.kind} \`${o.name}\``;
  return {
    deletes: c.added.map((o) => ({
      code: 'D1-482' as const, severity: 'warning' as const, ...(isTable(o) ? { table: o.name } : {}),
      message: `${shown(o)} (the migration created it by hand) is dropped${isTable(o) ? ' with every row written to it since' : ''}.`,
    })),
    cannotRestore: c.removed.filter(isTable).map((o) => ({
      code: 'D1-480' as const, severity: 'warning' as const, table: o.name,
      message: `${shown(o)}: the migration dropped it by hand with its rows; it comes back empty, from its own CREATE statement.`,
    })),
  };
}
