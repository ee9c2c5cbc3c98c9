/**
 * Golden files: today's generated output, checked in, so that a refactor of the planner or of SQL
 * rendering proves it writes the same bytes (and a reviewer sees any change of statement order).
 *
 * To accept a deliberate change of output, regenerate them and review the diff:
 *   UPDATE_GOLDEN=1 DRIZZLE_D1_SKIP_WRANGLER=1 npx vitest run test/golden test/fuzz
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { formatTxtar, parseTxtar, type Section } from './txtar.js';

export const UPDATE = process.env.UPDATE_GOLDEN === '1';
export const GOLDEN_DIR = dirname(fileURLToPath(import.meta.url));
const REGENERATE = 'UPDATE_GOLDEN=1 npx vitest run test/golden';

/** A readable, stable file name for a scenario or history name. */
export const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** A section of a golden file: an input (from the test's own definitions) or generated output. */
export interface GoldenSection extends Section {
  input: boolean;
}

export interface Golden {
  comment: string;
  /** In file order: a history interleaves each version's schema with its migration. */
  sections: GoldenSection[];
}

export const input = (name: string, body: string): GoldenSection => ({ name, body, input: true });
export const output = ({ name, body }: Section): GoldenSection => ({ name, body, input: false });

/** Writes the golden file (UPDATE_GOLDEN=1), or compares it with `golden`: inputs first, then output. */
export function checkGolden(file: string, golden: Golden): void {
  const text = formatTxtar({ comment: golden.comment, sections: golden.sections.map(({ name, body }) => ({ name, body })) });
  if (UPDATE) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return;
  }
  expect(existsSync(file), `${file} is missing: run ${REGENERATE}`).toBe(true);
  const stored = readFileSync(file, 'utf8');
  const sections = new Map(parseTxtar(stored).sections.map((s) => [s.name, s.body]));
  // A changed scenario definition makes the stored output meaningless: say so before any SQL diff.
  for (const s of golden.sections.filter((x) => x.input)) {
    expect(sections.get(s.name), `${file}: input "${s.name}" differs from the test's definition (stale golden file? run ${REGENERATE})`).toBe(s.body);
  }
  for (const s of golden.sections.filter((x) => !x.input)) {
    expect(sections.get(s.name), `${file}: generated "${s.name}" differs from the golden file`).toBe(s.body);
  }
  // Section names, order and the comment too: the whole file, byte for byte.
  expect(stored, `${file}: sections or comment differ`).toBe(text);
}

/**
 * The golden files in `dir` with no definition behind them (a scenario renamed or removed): deleted
 * with UPDATE_GOLDEN=1, otherwise returned so the test can fail on them.
 */
export function orphans(dir: string, expectedFiles: string[]): string[] {
  const expected = new Set(expectedFiles);
  const stray = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.txtar') && !expected.has(f)) : [];
  if (!UPDATE) return stray;
  for (const f of stray) rmSync(join(dir, f));
  return [];
}

/** A generated file's section: its path under the project (e.g. `drizzle/0001_after.sql`), its bytes. */
export const fileSection = (projectDir: string, path: string): Section => ({
  name: path,
  body: readFileSync(join(projectDir, path), 'utf8'),
});
