/**
 * Golden output of `generate` for every planner scenario (test/scenarios/scenarios.ts): both
 * migrations' SQL and the second snapshot, byte for byte, in test/golden/scenarios/<slug>.txtar.
 * UPDATE_GOLDEN=1 rewrites the files instead of comparing (see ./golden.ts).
 */
import { relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TempProject } from '../support/project.js';
import { prepareScenario } from '../support/scenario.js';
import { scenarios } from '../scenarios/scenarios.js';
import type { PlannerScenario } from '../scenarios/scenarios.js';
import { checkGolden, fileSection, GOLDEN_DIR, input, orphans, output, slug, type Golden, type GoldenSection } from './golden.js';

const DIR = `${GOLDEN_DIR}/scenarios`;
const projects: TempProject[] = [];
afterAll(() => projects.forEach((p) => p.dispose()));

/** What generate gets besides the two schemas; `{}` when the scenario passes nothing. */
const optionsOf = (s: PlannerScenario) =>
  JSON.stringify({ renames: s.renames, backfill: s.backfill, configExtra: s.configExtra }, null, 2);

const scenarioInputs = (s: PlannerScenario): GoldenSection[] => [
  input('name', s.name),
  input('options', optionsOf(s)),
  input('before.ts', s.before),
  input('after.ts', s.after),
];

/** Snapshot ids are random UUIDs: named by the file they belong to, so the rest can be compared. */
function withIdPlaceholders(text: string, ids: Record<string, string>): string {
  return Object.entries(ids).reduce((t, [id, placeholder]) => t.split(id).join(placeholder), text);
}

async function goldenOf(s: PlannerScenario): Promise<Golden> {
  const { project, first, second, db } = await prepareScenario(s);
  db.close();
  projects.push(project);
  const [m0, m1] = [first.migration!, second.migration!];
  const rel = (p: string) => relative(project.dir, p);
  const snapshot = fileSection(project.dir, rel(m1.snapshotPath));
  snapshot.body = withIdPlaceholders(snapshot.body, { [m0.snapshotId]: '<id of 0000_snapshot>', [m1.snapshotId]: '<id of 0001_snapshot>' });
  const warnings = (m1.plan?.diagnostics ?? []).map((d) => `${d.code} ${d.message}`);
  return {
    comment: `Golden output of drizzle-d1 generate for a planner scenario of test/scenarios/scenarios.ts.\nRegenerate with UPDATE_GOLDEN=1 (test/golden/golden.ts); review the diff.\n`,
    sections: [
      ...scenarioInputs(s),
      output(fileSection(project.dir, rel(m0.sqlPath))),
      output(fileSection(project.dir, rel(m1.sqlPath))),
      output(snapshot),
      ...(warnings.length ? [output({ name: 'plan warnings', body: warnings.join('\n') })] : []),
    ],
  };
}

describe('golden SQL of the planner scenarios', () => {
  const files = scenarios.map((s) => `${slug(s.name)}.txtar`);

  it('every scenario has its own golden file, and no golden file is left without a scenario', () => {
    expect(new Set(files).size).toBe(files.length);
    expect(orphans(DIR, files)).toEqual([]);
  });

  for (const [i, s] of scenarios.entries()) {
    it(s.name, async () => {
      checkGolden(`${DIR}/${files[i]}`, await goldenOf(s));
    });
  }
});
