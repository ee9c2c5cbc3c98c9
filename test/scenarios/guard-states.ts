/**
 * The schemas and the SQL of the foreign-key guard tests (./guard.test.ts), in their own module so the golden
 * test (test/golden) can render the same migration without importing a test file.
 */
import { diffSchemas } from '../../src/diff/diff.js';
import { noRenames } from '../../src/diff/types.js';
import { planMigration } from '../../src/plan/plan.js';
import type { SchemaState } from '../../src/snapshot/types.js';
import { renderMigration } from '../../src/sql/render.js';
import { col, fk, pk, state, table } from '../support/state.js';

/** The migration drizzle-d1 plans from `prev` to `cur`, with statement breakpoints. */
export const sqlFor = (prev: SchemaState, cur: SchemaState) =>
  renderMigration(planMigration(prev, cur, diffSchemas(prev, cur, noRenames()).changes), true);

const parent = (nameNotNull: boolean) => table('p', [pk(), col('name', 'text', { notNull: nameNotNull })]);
const others = [
  table('c', [pk(), col('p_id', 'integer')], { fks: [fk('c', 'p_id', 'p', 'cascade')] }),
  table('x', [pk(), col('label')]),
  table('u', [pk(), col('x_id', 'integer')], { fks: [fk('u', 'x_id', 'x')] }),
  // A foreign key to a column that is not unique: SQLite refuses every write to `m` and fails an
  // unrestricted PRAGMA foreign_key_check with "foreign key mismatch".
  table('m', [pk(), col('x_label')], { fks: [fk('m', 'x_label', 'x', 'no action', 'label')] }),
];
/** `p.name` goes from NOT NULL to nullable: `p` is rebuilt and its CASCADE child `c` moves. */
export const before = state(parent(true), ...others);
export const after = state(parent(false), ...others);
