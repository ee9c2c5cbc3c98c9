/**
 * Golden hashes of the SQL the default fuzz cases render (test/fuzz/evolutions.ts, seeds 1–400,
 * whatever DRIZZLE_D1_FUZZ_CASES says): for each case the migration creating its random schema, the
 * evolution's migration, and the fresh build of the evolved schema, as sha256 lines in
 * test/golden/fuzz.sha256. Only planning and rendering run here (no database), so all 400 cases
 * take about a second. UPDATE_GOLDEN=1 rewrites the file instead (see ./golden.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { noRenames } from '../../src/diff/types.js';
import { emptyState, evolution, render } from '../fuzz/evolutions.js';
import { GOLDEN_DIR, UPDATE } from './golden.js';

const FILE = `${GOLDEN_DIR}/fuzz.sha256`;
const DEFAULT_CASES = 400;
const HEADER = [
  '# sha256 of the SQL drizzle-d1 renders for the default fuzz cases of test/fuzz (seeds 1-400), per case:',
  '# 0000_init.sql (empty -> random schema), 0001_change.sql (the random evolution), fresh.sql (empty -> evolved schema).',
  '# Regenerate with UPDATE_GOLDEN=1 (test/golden/golden.ts); a changed line names the seed to replay.',
];
// A random id in a migration would make these hashes, and drizzle-d1's output, irreproducible.
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** The SQL files of one case, named as sha256sum would list them. */
function caseFiles(seed: number): [string, string][] {
  const { prev, cur, renames } = evolution(seed);
  const dir = `seed-${String(seed).padStart(4, '0')}`;
  return [
    [`${dir}/0000_init.sql`, render(emptyState(), prev, noRenames())],
    [`${dir}/0001_change.sql`, render(prev, cur, renames)],
    [`${dir}/fresh.sql`, render(emptyState(), cur, noRenames())],
  ];
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('golden SQL of the random evolutions', () => {
  it(`the ${DEFAULT_CASES} default cases render the SQL whose hashes are checked in`, () => {
    const lines: string[] = [];
    for (let seed = 1; seed <= DEFAULT_CASES; seed++) {
      for (const [name, sql] of caseFiles(seed)) {
        expect(sql, name).not.toMatch(UUID);
        lines.push(`${sha256(sql)}  ${name}`);
      }
    }
    const text = `${[...HEADER, ...lines].join('\n')}\n`;
    if (UPDATE) {
      writeFileSync(FILE, text);
      return;
    }
    expect(existsSync(FILE), `${FILE} is missing: run UPDATE_GOLDEN=1 npx vitest run test/golden`).toBe(true);
    const stored = readFileSync(FILE, 'utf8');
    // The files whose SQL changed first (a short list to replay), then the whole file byte for byte.
    const storedLines = new Set(stored.split('\n'));
    expect(lines.filter((l) => !storedLines.has(l)).map((l) => l.slice(66))).toEqual([]);
    expect(stored).toBe(text);
  });
});
