/**
 * The bundled example (examples/worker) verified end to end: its whole history, drizzle-kit's 0000
 * plus drizzle-d1's 0001, verifies clean on synthetic rows, through wrangler's local D1, and against
 * the example's own local D1 state and a `wrangler d1 export --local` dump of it, which give the
 * same figures and are left byte-identical. The CLI's exit codes and --json close the file.
 */
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import { generate, loadSchemaState } from '../../src/generate.js';
import type { SchemaState } from '../../src/snapshot/types.js';
import { verifyAgainst } from '../../src/verify/against.js';
import type { VerifyReport } from '../../src/verify/types.js';
import { verifyFolder } from '../../src/verify/verify.js';
import { verifyThroughWrangler } from '../../src/verify/wrangler.js';
import { buildCli, drizzleD1 } from '../cli/support.js';
import { projectWith } from '../support/files.js';
import { repoRoot } from '../support/project.js';
import { describeWrangler } from '../support/wrangler.js';

const WRANGLER = join(repoRoot, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
const ENV = { CI: 'true', WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true', NO_COLOR: '1' };
const wrangler = (dir: string, ...args: string[]) => execa(process.execPath, [WRANGLER, ...args], { cwd: dir, env: ENV, stdin: 'ignore' });

/** A scratch copy of examples/worker with this repository's node_modules. */
function exampleCopy(): string {
  const dir = projectWith({});
  cpSync(join(repoRoot, 'examples', 'worker'), dir, { recursive: true, filter: (src) => !/[\\/](node_modules|\.wrangler)$/.test(src) });
  return dir;
}

const generateRebuild = (dir: string) => generate({ cwd: dir, flags: { name: 'users_name_optional' } });
const schemaOf = async (dir: string): Promise<SchemaState> => loadSchemaState(await resolveConfig({}, dir));
/**
 * Figures without timings, the database's name and its size in pages (the local state also holds
 * miniflare's own tables, and a dump packs pages differently).
 */
const figures = (r: VerifyReport) =>
  JSON.stringify({ ...r, against: '', migrations: r.migrations.map((m) => ({ ...m, cost: { ...m.cost, milliseconds: 0, databaseBytes: 0 } })) });

const hashFile = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
/** Every file of the local D1 state (the database, its -wal and -shm) by hash. */
const hashFiles = (dir: string) => Object.fromEntries(readdirSync(dir).map((f) => [f, hashFile(join(dir, f))]));

describe('verify on the bundled example', () => {
  it('the whole history verifies clean on synthetic rows, schema.ts included', async () => {
    const dir = exampleCopy();
    await generateRebuild(dir);
    const report = verifyFolder({ out: join(dir, 'drizzle'), current: await schemaOf(dir) });
    expect(report.diagnostics).toEqual([]);
    expect(report.migrations.map((m) => m.tag)).toEqual(['0000_init', '0001_users_name_optional']);
    // 0001 rebuilds users and moves the children: every row copied, none lost.
    const cost = report.migrations[1]!.cost!;
    expect(cost.rowsCopied).toBeGreaterThan(0);
    expect(cost.plannedCopies).toBe(cost.rowsCopied); // a drizzle-d1 migration copies what its plan says
    expect(cost.rowsDeleted).toBe(0);
  });

  it('the pending schema change without its migration is drift, said in words', async () => {
    const dir = exampleCopy();
    const report = verifyFolder({ out: join(dir, 'drizzle'), rows: 10, current: await schemaOf(dir) });
    expect(report.drift).toEqual([
      'schema.ts has column users.bio, which no migration adds',
      'column users.name differs in notNull (migrations: text NOT NULL; schema.ts: text)',
    ]);
    expect(report.diagnostics.map((d) => d.code)).toEqual(['D1-455', 'D1-455']);
    expect(report.exitCode).toBe(1);
  });
});

describeWrangler('verify on the bundled example with wrangler local D1', () => {
  let dir: string;
  let dump: string;
  let state: string;
  beforeAll(async () => {
    dir = exampleCopy();
    await wrangler(dir, 'd1', 'migrations', 'apply', 'DB', '--local');
    await wrangler(dir, 'd1', 'execute', 'DB', '--local', '--command', readFileSync(join(import.meta.dirname, 'example-rows.sql'), 'utf8'));
    dump = join(dir, 'export.sql');
    await wrangler(dir, 'd1', 'export', 'DB', '--local', '--output', dump);
    state = join(dir, '.wrangler', 'state', 'v3', 'd1', 'miniflare-D1DatabaseObject');
    await generateRebuild(dir);
  }, 120_000);

  it('--against the local D1 state and against its export give the same figures and leave both untouched', async () => {
    const before = { state: hashFiles(state), dump: hashFile(dump) };
    const current = await schemaOf(dir);
    const local = verifyAgainst({ out: join(dir, 'drizzle'), against: dir, cwd: dir, current });
    const exported = verifyAgainst({ out: join(dir, 'drizzle'), against: dump, cwd: dir, current });
    expect(local.alreadyApplied).toEqual(['0000_init.sql']);
    expect(local.migrations.map((m) => m.tag)).toEqual(['0001_users_name_optional']);
    expect(local.diagnostics).toEqual([]);
    expect(local.migrations[0]!.cost).toMatchObject({ rowsCopied: 2 + 3 + 3 + 4, plannedCopies: 2 + 3 + 3 + 4, rowsDeleted: 0 });
    expect(figures(exported)).toBe(figures(local));
    expect({ state: hashFiles(state), dump: hashFile(dump) }).toEqual(before);
  });

  it('--wrangler replays the whole history through wrangler d1 migrations apply --local, clean', async () => {
    const report = await verifyThroughWrangler({ out: join(dir, 'drizzle'), cwd: dir, rows: 20, current: await schemaOf(dir) });
    expect(report.mode).toBe('wrangler');
    expect(report.diagnostics).toEqual([]);
    expect(report.migrations.map((m) => `${m.tag} ${m.status}`)).toEqual(['0000_init applied', '0001_users_name_optional applied']);
    expect(report.migrations[1]!.cost!.rowsCopied).toBeGreaterThan(0);
  }, 120_000);

  it('the CLI: exit 0 clean, the same report as JSON, exit 2 for a bad flag or database', async () => {
    await buildCli();
    const clean = await drizzleD1(dir, ['verify', '--against', dir, '--json']);
    expect(clean.exitCode, clean.stderr).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ status: 'clean', mode: 'against', alreadyApplied: ['0000_init.sql'] });
    const text = await drizzleD1(dir, ['verify', '--rows', '20']);
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toContain('Clean: every row is kept');
    expect((await drizzleD1(dir, ['verify', '--rows', 'many'])).exitCode).toBe(2);
    const unknown = await drizzleD1(dir, ['verify', '--bogus']);
    expect([unknown.exitCode, unknown.stderr.trim()]).toEqual([2, "Error [D1-713]: unknown option '--bogus'. Run drizzle-d1 verify --help for the flags."]);
    const missing = await drizzleD1(dir, ['verify', '--against', 'nowhere.sqlite']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('Error [D1-460]');
  }, 120_000);
});
