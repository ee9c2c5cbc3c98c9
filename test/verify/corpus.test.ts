/**
 * verify on the vendored public D1 histories (test/real/corpus): cloudflog's 0001 loses the rows its
 * README lists, per table; the clean histories verify clean; a seed gives the same rows every time.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { VerifyReport } from '../../src/verify/types.js';
import { verifyFolder } from '../../src/verify/verify.js';
import { verifyThroughWrangler } from '../../src/verify/wrangler.js';
import { describeWrangler } from '../support/wrangler.js';

const corpus = (name: string) => join(import.meta.dirname, '..', 'real', 'corpus', name);
const lossesOf = (r: VerifyReport, tag: string) =>
  Object.fromEntries(r.migrations.find((m) => m.tag === tag)!.tables.filter((t) => t.lost > 0).map((t) => [t.table, [t.lost, t.rowsBefore]]));
const codes = (r: VerifyReport) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.file ?? ''}`);
/** The report without timings, which vary. */
const figures = (r: VerifyReport) => JSON.stringify(r.migrations.map((m) => ({ ...m, cost: { ...m.cost, milliseconds: 0 } })));

describe('verify on the real corpus', () => {
  it("cloudflog: 0001 empties post, comment, post_tags, post_views and session, and overwrites user's renamed column", () => {
    const report = verifyFolder({ out: corpus('cloudflog'), rows: 50 });
    expect(lossesOf(report, '0001_chemical_wong')).toEqual({ comment: [50, 50], post: [50, 50], post_tags: [50, 50], post_views: [50, 50], session: [50, 50] });
    const user = report.migrations[1]!.tables.find((t) => t.table === 'user')!;
    expect(user.lost).toBe(0);
    expect(user.changedColumns.map((c) => c.column)).toEqual(['created_at']);
    expect(report.migrations[1]!.doubleQuotedLiterals).toContain('created_at');
    expect(new Set(codes(report))).toEqual(new Set(['D1-450 0001_chemical_wong.sql', 'D1-451 0001_chemical_wong.sql', 'D1-465 0001_chemical_wong.sql']));
    expect(report.exitCode).toBe(1);
    // The cost of the copy: every rebuilt table's rows copied, the lost ones deleted.
    expect(report.migrations[1]!.cost!.rowsDeleted).toBe(250);
    expect(report.migrations[1]!.cost!.rowsCopied).toBeGreaterThanOrEqual(250);
  });

  for (const name of ['cloudflare-authjs-sample', 'vh7']) {
    it(`${name} verifies clean`, () => {
      const report = verifyFolder({ out: corpus(name) });
      expect(report.diagnostics).toEqual([]);
      expect(report.exitCode).toBe(0);
      expect(report.migrations.every((m) => m.status === 'applied')).toBe(true);
    });
  }

  it('rage2 and wasmchannel: the losses and failures the corpus README lists', () => {
    const rage2 = verifyFolder({ out: corpus('rage2'), rows: 30 });
    expect(lossesOf(rage2, '0001_reflective_meggan')).toEqual({ videos: [30, 30] });
    expect(rage2.migrations.at(-1)).toMatchObject({ tag: '0002_clumsy_falcon', status: 'failed' });
    const wasm = verifyFolder({ out: corpus('wasmchannel'), rows: 30 });
    expect(wasm.migrations.find((m) => m.tag === '0002_nappy_bucky')!.doubleQuotedLiterals).toEqual(['refrence_id']);
    expect(wasm.migrations.at(-1)).toMatchObject({ tag: '0003_living_christian_walker', status: 'failed' });
  });

  it('the same seed gives the same figures; --from reports from that migration on', () => {
    const a = verifyFolder({ out: corpus('cloudflog'), rows: 30, seed: 7 });
    const b = verifyFolder({ out: corpus('cloudflog'), rows: 30, seed: 7 });
    expect(figures(a)).toBe(figures(b));
    const from = verifyFolder({ out: corpus('cloudflog'), rows: 30, seed: 7, from: '0002_furry_frightful_four' });
    expect(from.alreadyApplied).toEqual(['0000_short_spitfire.sql', '0001_chemical_wong.sql']);
    expect(from.migrations.map((m) => m.tag)).toEqual(['0002_furry_frightful_four', '0003_daily_thing']);
    expect(from.exitCode).toBe(0);
  });
});

describeWrangler('verify --wrangler on the real corpus', () => {
  it("cloudflog through wrangler's local D1 (workerd) gives the in-process replay's figures", async () => {
    const out = corpus('cloudflog');
    const viaWrangler = await verifyThroughWrangler({ out, cwd: out, rows: 30 });
    const inProcess = verifyFolder({ out, rows: 30 });
    const harm = (r: VerifyReport) => r.migrations.map((m) => m.tables.filter((t) => t.lost || t.changed).map((t) => [t.table, t.lost, t.changed]));
    expect(harm(viaWrangler)).toEqual(harm(inProcess));
    expect(lossesOf(viaWrangler, '0001_chemical_wong')).toEqual({ comment: [30, 30], post: [30, 30], post_tags: [30, 30], post_views: [30, 30], session: [30, 30] });
  }, 180_000);
});
