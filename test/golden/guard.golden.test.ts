/**
 * Golden output for the foreign-key guard tests (test/scenarios/guard.test.ts), which plan from
 * snapshot states rather than schema sources: the states as JSON, then both migrations' SQL, in
 * test/golden/guard.txtar. UPDATE_GOLDEN=1 rewrites the file instead (see ./golden.ts).
 */
import { describe, it } from 'vitest';
import { emptyState } from '../../src/snapshot/types.js';
import { after, before, sqlFor } from '../scenarios/guard-states.js';
import { checkGolden, GOLDEN_DIR, input, output } from './golden.js';

const json = (x: unknown) => JSON.stringify(x, null, 2);

describe('golden SQL of the foreign-key guard tests', () => {
  it('p.name made nullable beside an old orphan and an unusable foreign key', () => {
    checkGolden(`${GOLDEN_DIR}/guard.txtar`, {
      comment: `Golden output of drizzle-d1's planner for the foreign-key guard tests (test/scenarios/guard-states.ts).\nRegenerate with UPDATE_GOLDEN=1 (test/golden/golden.ts); review the diff.\n`,
      sections: [
        input('before.json', json(before)),
        input('after.json', json(after)),
        output({ name: '0000_init.sql', body: sqlFor(emptyState(), before) }),
        output({ name: '0001_name_optional.sql', body: sqlFor(before, after) }),
      ],
    });
  });
});
