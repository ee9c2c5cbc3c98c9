/**
 * Golden output of `generate` for every schema history (test/history/histories.ts): each version's
 * migration SQL, in order, byte for byte, in test/golden/histories/<slug>.txtar, each right after
 * the schema version it came from. UPDATE_GOLDEN=1 rewrites the files instead (see ./golden.ts).
 */
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TempProject } from '../support/project.js';
import { histories, versionOf, type History } from '../history/histories.js';
import { checkGolden, fileSection, GOLDEN_DIR, input, orphans, output, slug, type Golden, type GoldenSection } from './golden.js';

const DIR = `${GOLDEN_DIR}/histories`;

/** One version: its schema (and backfill, if any) as inputs, then the migration generate wrote for it. */
async function versionSections(project: TempProject, raw: History['versions'][number], i: number): Promise<GoldenSection[]> {
  const v = versionOf(raw);
  const label = `v${i + 1}`;
  project.schema(v.source);
  const result = await project.generate({ flags: { name: label }, backfill: v.backfill });
  const m = result.migration;
  if (!m) throw new Error(`version ${label}: generate found no change`);
  const warnings = (m.plan?.diagnostics ?? []).map((d) => `${d.code} ${d.message}`);
  return [
    input(`${label}/schema.ts`, v.source),
    ...(v.backfill ? [input(`${label}/backfill`, JSON.stringify(v.backfill, null, 2))] : []),
    output(fileSection(project.dir, relative(project.dir, m.sqlPath))),
    ...(warnings.length ? [output({ name: `${label}/plan warnings`, body: warnings.join('\n') })] : []),
  ];
}

async function goldenOf(history: History): Promise<Golden> {
  const project = new TempProject({ configExtra: history.configExtra });
  try {
    const sections = [input('name', history.name), input('options', JSON.stringify({ configExtra: history.configExtra }, null, 2))];
    // One after another into the same folder: each migration is planned from the previous snapshot.
    for (const [i, raw] of history.versions.entries()) sections.push(...(await versionSections(project, raw, i)));
    return {
      comment: `Golden output of drizzle-d1 generate for a schema history of test/history/histories.ts: every migration, in order.\nRegenerate with UPDATE_GOLDEN=1 (test/golden/golden.ts); review the diff.\n`,
      sections,
    };
  } finally {
    project.dispose();
  }
}

describe('golden SQL of the schema histories', () => {
  const files = histories.map((h) => `${slug(h.name)}.txtar`);

  it('every history has its own golden file, and no golden file is left without a history', () => {
    expect(new Set(files).size).toBe(files.length);
    expect(orphans(DIR, files)).toEqual([]);
  });

  for (const [i, history] of histories.entries()) {
    it(history.name, async () => {
      checkGolden(`${DIR}/${files[i]}`, await goldenOf(history));
    });
  }
});
