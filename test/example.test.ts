/**
 * The README's first command: `npm run example` generates the pending migration of the bundled
 * Worker with drizzle-d1 and applies the folder with `wrangler d1 migrations apply --local`.
 */
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { repoRoot } from './support/project.js';
import { describeWrangler } from './support/wrangler.js';

describeWrangler('bundled example', () => {
  it('wrangler applies the example folder, drizzle-kit history plus the drizzle-d1 rebuild, keeping every row', async () => {
    const r = await execa('node', ['examples/run.mjs'], { cwd: repoRoot, reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('0000_init.sql │ ✅');
    expect(r.stdout).toContain('0001_users_name_optional.sql │ ✅');
    expect(r.stdout).toContain('Every row kept.');
    expect(r.stdout).not.toMatch(/(?<!defer_)foreign_keys\s*=\s*OFF/i);
  }, 120_000);
});
