import path from 'node:path';
import { projectWith, removeProjects } from '../../test/support/files.js';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Code } from '../diagnostics/codes.js';
import { resolveConfig, UserInputError, type GenerateFlags } from './index.js';

const project = (files: Record<string, string>, options: { nodeModules?: boolean } = {}) =>
  projectWith(files, { ...options, prefix: 'drizzle-d1-config-' });



/** resolveConfig's refusal, which must carry `code` (see docs/diagnostics.md) and be one paragraph. */
async function failure(flags: GenerateFlags, cwd: string, code: Code): Promise<UserInputError> {
  try {
    await resolveConfig(flags, cwd);
  } catch (err) {
    expect(err).toBeInstanceOf(UserInputError);
    const e = err as UserInputError;
    expect(e.message).not.toMatch(/\n/); // one paragraph
    expect(e.code, e.message).toBe(code);
    return e;
  }
  throw new Error('expected resolveConfig to fail');
}

const SCHEMA = `import { sqliteTable, integer } from 'drizzle-orm/sqlite-core';
export const users = sqliteTable('users', { id: integer('id').primaryKey() });
`;

const envKeys: string[] = [];
afterEach(() => {
  for (const key of envKeys.splice(0)) delete process.env[key];
});
afterAll(removeProjects);

describe('config file lookup and loading', () => {
  it('loads drizzle.config.ts with defineConfig, .env values and defaults', async () => {
    envKeys.push('D1_TEST_OUT', 'D1_TEST_PRESET');
    process.env.D1_TEST_PRESET = 'from-shell';
    const dir = project({
      '.env': 'D1_TEST_OUT=./migrations\nD1_TEST_PRESET=from-dotenv\n',
      'drizzle.config.ts': `import { defineConfig } from 'drizzle-kit';
const preset: string = process.env.D1_TEST_PRESET!;
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: process.env.D1_TEST_OUT,
  driver: 'd1-http',
  tablesFilter: ['x'],
  somethingUnknown: preset,
} as any);
`,
      'src/db/schema.ts': SCHEMA,
    });
    const config = await resolveConfig({}, dir);
    expect(config).toEqual({
      configPath: path.join(dir, 'drizzle.config.ts'),
      projectRoot: dir,
      dialect: 'sqlite',
      schema: ['./src/db/schema.ts'],
      out: path.join(dir, 'migrations'),
      outRelative: 'migrations',
      breakpoints: true,
      driver: 'd1-http',
      prefix: 'index',
    });
    expect(process.env.D1_TEST_PRESET).toBe('from-shell'); // .env never overrides
  });

  it('prefers drizzle.config.ts over .js over .json', async () => {
    const all = project({
      'drizzle.config.ts': `export default { dialect: 'sqlite', schema: 'ts.ts' };`,
      'drizzle.config.js': `module.exports = { dialect: 'sqlite', schema: 'js.ts' };`,
      'drizzle.config.json': JSON.stringify({ dialect: 'sqlite', schema: 'json.ts' }),
    });
    expect((await resolveConfig({}, all)).schema).toEqual(['ts.ts']);
    const jsAndJson = project({
      'drizzle.config.js': `module.exports = { dialect: 'sqlite', schema: ['a.ts', 'b/*.ts'], out: 'out/dir/' };`,
      'drizzle.config.json': JSON.stringify({ dialect: 'sqlite', schema: 'json.ts' }),
    });
    const js = await resolveConfig({}, jsAndJson);
    expect(js.schema).toEqual(['a.ts', 'b/*.ts']);
    expect(js.outRelative).toBe(path.join('out', 'dir'));
    const json = project({
      'drizzle.config.json': JSON.stringify({ dialect: 'sqlite', schema: 'json.ts', breakpoints: false, casing: 'snake_case' }),
      'drizzle.config.mjs': `export default { dialect: 'sqlite', schema: 'mjs.ts' };`,
    });
    const fromJson = await resolveConfig({}, json);
    expect(fromJson).toMatchObject({ schema: ['json.ts'], breakpoints: false, casing: 'snake_case' });
    expect(fromJson.configPath).toBe(path.join(json, 'drizzle.config.json'));
  });

  it('loads an ESM .js config in a "type": "module" package and a --config .mts file', async () => {
    const dir = project({
      'package.json': '{ "type": "module" }',
      'drizzle.config.js': `export default { dialect: 'sqlite', schema: './schema.ts', out: './d1' };`,
      'configs/d1.config.mts': `const out: string = 'mts-out'; export default { dialect: 'sqlite', schema: 'x.ts', out };`,
    });
    expect((await resolveConfig({}, dir)).outRelative).toBe('d1');
    const mts = await resolveConfig({ config: 'configs/d1.config.mts' }, dir);
    expect(mts.configPath).toBe(path.join(dir, 'configs/d1.config.mts'));
    // schema and out stay relative to the working directory, not the config's folder
    expect(mts.out).toBe(path.join(dir, 'mts-out'));
  });

  it('honours tsconfig paths inside the config', async () => {
    const dir = project({
      'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@shared/*': ['./shared/*'] } } }),
      'shared/settings.ts': `export const OUT = 'aliased-out';`,
      'drizzle.config.ts': `import { OUT } from '@shared/settings';
export default { dialect: 'sqlite', schema: './schema.ts', out: OUT };`,
    });
    expect((await resolveConfig({}, dir)).outRelative).toBe('aliased-out');
  });

  it('reports a missing default config and a missing --config file', async () => {
    const dir = project({ 'drizzle.config.mjs': `export default {}` });
    const none = await failure({}, dir, 'D1-501');
    expect(none.message).toContain('drizzle.config.ts');
    expect(none.message).toContain('--config');
    const missing = await failure({ config: 'nope.config.ts' }, dir, 'D1-501');
    expect(missing.message).toContain('nope.config.ts');
    expect(missing.file).toBe(path.join(dir, 'nope.config.ts'));
  });
});

describe('migration prefix', () => {
  it('a migrations key wins over --prefix, defaulting to index', async () => {
    const withKey = project({
      'drizzle.config.ts': `export default { dialect: 'sqlite', schema: 's.ts', migrations: { table: 'my_migrations' } };`,
    });
    expect((await resolveConfig({ prefix: 'unix' }, withKey)).prefix).toBe('index');
    const withPrefix = project({
      'drizzle.config.ts': `export default { dialect: 'sqlite', schema: 's.ts', migrations: { prefix: 'timestamp' } };`,
    });
    expect((await resolveConfig({ prefix: 'unix' }, withPrefix)).prefix).toBe('timestamp');
  });

  it('without a migrations key --prefix is used, defaulting to index', async () => {
    const dir = project({ 'drizzle.config.ts': `export default { dialect: 'sqlite', schema: 's.ts' };` });
    expect((await resolveConfig({ prefix: 'supabase', name: 'init', custom: true }, dir)).prefix).toBe('supabase');
    expect((await resolveConfig({}, dir)).prefix).toBe('index');
  });

  it('rejects an unknown --prefix and an unknown migrations.prefix', async () => {
    const dir = project({ 'drizzle.config.ts': `export default { dialect: 'sqlite', schema: 's.ts' };` });
    expect((await failure({ prefix: 'date' }, dir, 'D1-703')).message).toContain('--prefix');
    const bad = project({
      'drizzle.config.ts': `export default { dialect: 'sqlite', schema: 's.ts', migrations: { prefix: 'date' } };`,
    });
    const err = await failure({}, bad, 'D1-503');
    expect(err.message).toContain('drizzle.config.ts');
    expect(err.message).toContain('migrations.prefix');
  });
});

describe('pure CLI mode', () => {
  it('uses the flags and ignores drizzle.config.ts', async () => {
    const dir = project({ 'drizzle.config.ts': `throw new Error('must not be loaded');` });
    const config = await resolveConfig(
      { dialect: 'sqlite', schema: './src/schema.ts', out: './mig', breakpoints: false, casing: 'camelCase', prefix: 'unix' },
      dir,
    );
    expect(config).toEqual({
      configPath: null,
      projectRoot: dir,
      dialect: 'sqlite',
      schema: ['./src/schema.ts'],
      out: path.join(dir, 'mig'),
      outRelative: 'mig',
      breakpoints: false,
      casing: 'camelCase',
      prefix: 'unix',
    });
  });

  it('needs --dialect and --schema', async () => {
    const dir = project({});
    expect((await failure({ out: 'x' }, dir, 'D1-504')).message).toContain('--dialect sqlite');
    expect((await failure({ dialect: 'sqlite' }, dir, 'D1-705')).message).toContain('--schema');
    expect((await failure({ dialect: 'turso', schema: 's.ts' }, dir, 'D1-504')).message).toContain("'sqlite'");
    expect((await failure({ dialect: 'sqlite', schema: 's.ts', casing: 'kebab' }, dir, 'D1-703')).message).toContain('--casing');
  });

  it("refuses --config together with --out", async () => {
    const dir = project({ 'drizzle.config.ts': `export default { dialect: 'sqlite', schema: 's.ts' };` });
    const err = await failure({ config: 'drizzle.config.ts', out: 'elsewhere' }, dir, 'D1-704');
    expect(err.message).toContain("can't use both --config and other CLI options (--out)");
    expect(err.message).toContain('drizzle.config.ts');
    expect(err.file).toBe(path.join(dir, 'drizzle.config.ts'));
  });
});

describe('bad configs', () => {
  it('a config that throws', async () => {
    const dir = project({
      'drizzle.config.ts': `if (!process.env.D1_NOT_SET) throw new Error('D1_NOT_SET is missing\\nsecond line');
export default {};`,
    });
    const err = await failure({}, dir, 'D1-502');
    expect(err.message).toContain('drizzle.config.ts');
    expect(err.message).toContain('D1_NOT_SET is missing');
    expect(err.message).not.toContain('second line');
    expect(err.file).toBe(path.join(dir, 'drizzle.config.ts'));
  });

  it('a config with a syntax error', async () => {
    const dir = project({ 'drizzle.config.ts': `export default { dialect: 'sqlite', schema: };` });
    const err = await failure({}, dir, 'D1-502');
    expect(err.message).toContain('drizzle.config.ts');
    expect(err.message).toMatch(/drizzle\.config\.ts:1:\d+: ERROR/);
  });

  it('a .json config that is not valid JSON', async () => {
    const dir = project({ 'drizzle.config.json': `{ "dialect": "sqlite", }` });
    expect((await failure({}, dir, 'D1-502')).message).toContain('drizzle.config.json');
  });

  it('missing dialect', async () => {
    const dir = project({ 'drizzle.config.ts': `export default { schema: './s.ts' };` });
    const err = await failure({}, dir, 'D1-504');
    expect(err.message).toContain('drizzle.config.ts does not set a dialect');
    expect(err.message).toContain("dialect: 'sqlite'");
  });

  it('dialect postgresql', async () => {
    const dir = project({ 'drizzle.config.ts': `export default { dialect: 'postgresql', schema: './s.ts' };` });
    const err = await failure({}, dir, 'D1-504');
    expect(err.message).toContain("drizzle.config.ts uses dialect 'postgresql'");
    expect(err.message).toContain('drizzle-kit generate');
  });

  it('dialect turso', async () => {
    const dir = project({ 'drizzle.config.ts': `export default { dialect: 'turso', schema: './s.ts' };` });
    const err = await failure({}, dir, 'D1-504');
    expect(err.message).toContain("drizzle.config.ts uses dialect 'turso'");
    expect(err.message).toContain("use dialect 'sqlite'");
  });

  it('an unknown dialect and invalid fields', async () => {
    const unknown = project({ 'drizzle.config.ts': `export default { dialect: 'd1', schema: './s.ts' };` });
    expect((await failure({}, unknown, 'D1-504')).message).toContain('not a drizzle-kit dialect');
    const invalid = project({
      'drizzle.config.ts': `export default { dialect: 'sqlite', schema: './s.ts', out: 3, breakpoints: 'no', casing: 'kebab' };`,
    });
    const err = await failure({}, invalid, 'D1-503');
    expect(err.message).toContain('drizzle.config.ts is invalid');
    expect(err.message).toMatch(/`out`.*`breakpoints`.*`casing`/);
  });

  it('missing schema and a non-object export', async () => {
    const noSchema = project({ 'drizzle.config.ts': `export default { dialect: 'sqlite' };` });
    expect((await failure({}, noSchema, 'D1-503')).message).toContain('drizzle.config.ts does not set schema');
    const notObject = project({ 'drizzle.config.js': `module.exports = 'sqlite';` });
    expect((await failure({}, notObject, 'D1-503')).message).toContain('drizzle.config.js does not export a config object');
  });

  it('an empty out (an environment variable set to nothing) is refused, not read as the default folder', async () => {
    const emptyOut = project({ 'drizzle.config.ts': `export default { dialect: 'sqlite', schema: './s.ts', out: '' };` });
    expect((await failure({}, emptyOut, 'D1-503')).message).toMatch(/drizzle\.config\.ts sets out to ""/);
  });
});
