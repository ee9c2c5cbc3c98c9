import { createRequire } from 'node:module';
import path from 'node:path';
import { projectWith, removeProjects } from '../../test/support/files.js';
import { afterAll, describe, expect, it } from 'vitest';
import { UserInputError } from '../diagnostics/errors.js';
import { activeLoader, loadConfigModule, loadSchemaModules, schemaFiles } from './load.js';

const project = (files: Record<string, string>, options: { nodeModules?: boolean } = {}) =>
  projectWith(files, { ...options, prefix: 'drizzle-d1-load-' });

function userError(fn: () => unknown): UserInputError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserInputError);
    expect((err as Error).message).not.toMatch(/\n/);
    return err as UserInputError;
  }
  throw new Error('expected a UserInputError');
}

async function asyncUserError(promise: Promise<unknown>): Promise<UserInputError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(UserInputError);
    expect((err as Error).message).not.toMatch(/\n/);
    return err as UserInputError;
  }
  throw new Error('expected a UserInputError');
}

afterAll(removeProjects);

const table = (name: string) => `import { sqliteTable, integer, text } from 'drizzle-orm/sqlite-core';
export const ${name} = sqliteTable('${name}', { id: integer('id').primaryKey(), label: text('label') });
`;

// Must run first: nothing before it has needed tsx in this process.
describe('config loading without tsx', () => {
  it('loads .json and CommonJS .js/.cjs configs without loading tsx', async () => {
    const dir = project({
      'a.json': JSON.stringify({ dialect: 'sqlite', schema: 'a.ts' }),
      'b.js': `module.exports = { dialect: 'sqlite', schema: 'b.ts' };`,
      'c.cjs': `exports.default = { dialect: 'sqlite', schema: 'c.ts' };`,
    });
    expect(await loadConfigModule(path.join(dir, 'a.json'))).toEqual({ dialect: 'sqlite', schema: 'a.ts' });
    expect(await loadConfigModule(path.join(dir, 'b.js'))).toEqual({ dialect: 'sqlite', schema: 'b.ts' });
    expect(await loadConfigModule('c.cjs', dir)).toEqual({ default: { dialect: 'sqlite', schema: 'c.ts' } });
    const cache = createRequire(import.meta.url).cache;
    expect(Object.keys(cache).filter((k) => k.includes(`${path.sep}tsx${path.sep}`))).toEqual([]);
  });

  it('loads a .js config Node cannot load itself through the fast path, still without tsx', async () => {
    const dir = project({
      'settings.ts': `export const SCHEMA: string = 'x.ts';`,
      'drizzle.config.js': `import { SCHEMA } from './settings';\nexport default { dialect: 'sqlite', schema: SCHEMA };`,
    });
    const mod = (await loadConfigModule(path.join(dir, 'drizzle.config.js'))) as { default: unknown };
    expect(mod.default).toEqual({ dialect: 'sqlite', schema: 'x.ts' });
    expect(activeLoader()).toBe('fast');
    const cache = createRequire(import.meta.url).cache;
    expect(Object.keys(cache).filter((k) => k.includes(`${path.sep}tsx${path.sep}`))).toEqual([]);
  });
});

describe('schemaFiles', () => {
  const dir = project({
    'src/db/users.ts': table('users'),
    'src/db/Posts.ts': table('posts'),
    'src/db/_shared.ts': `export const x = 1;`,
    'src/db/types.d.ts': `export type T = number;`,
    'src/db/README.md': '# schema',
    'src/db/data.json': '{}',
    'src/db/.hidden.ts': `export const h = 1;`,
    'src/db/nested/comments.ts': table('comments'),
    'src/other/tags.mts': table('tags'),
  });
  const db = (f: string) => path.join(dir, 'src/db', f);

  it('takes a single file', () => {
    expect(schemaFiles(['./src/db/users.ts'], dir)).toEqual([db('users.ts')]);
  });

  it('sorts glob matches like glob 8 (localeCompare en) and skips dotfiles', () => {
    expect(schemaFiles(['./src/db/*.ts'], dir)).toEqual([db('_shared.ts'), db('Posts.ts'), db('users.ts')]);
  });

  it('expands globstars, keeps array order and removes duplicates', () => {
    expect(schemaFiles(['src/other/*', 'src/db/**/*.ts', './src/db/users.ts'], dir)).toEqual([
      path.join(dir, 'src/other/tags.mts'),
      db('_shared.ts'),
      db('nested/comments.ts'),
      db('Posts.ts'),
      db('users.ts'),
    ]);
  });

  it('takes only the direct JS/TS files of a directory', () => {
    expect(schemaFiles(['./src/db'], dir).sort()).toEqual(
      [db('.hidden.ts'), db('Posts.ts'), db('_shared.ts'), db('users.ts')].sort(),
    );
    expect(schemaFiles(['./src/db/'], dir)).toEqual(schemaFiles(['./src/db'], dir));
  });

  it('accepts absolute patterns', () => {
    expect(schemaFiles([path.join(dir, 'src/other/*.mts')], dir)).toEqual([path.join(dir, 'src/other/tags.mts')]);
  });

  it('no files is a UserInputError naming the patterns and the config', () => {
    const err = userError(() => schemaFiles(['./src/db/*.sql', './src/none.ts'], dir, path.join(dir, 'drizzle.config.ts')));
    expect(err.message).toContain("'./src/db/*.sql', './src/none.ts'");
    expect(err.message).toContain('drizzle.config.ts');
    expect(err.file).toBe(path.join(dir, 'drizzle.config.ts'));
  });
});

describe('loadSchemaModules', () => {
  it("loads TypeScript schema files with tsconfig paths and uses the project's drizzle-orm", async () => {
    const dir = project({
      'tsconfig.json': JSON.stringify({
        compilerOptions: { strict: true, baseUrl: '.', paths: { '@db/*': ['./src/db/*'] } },
      }),
      'src/db/users.ts': table('users'),
      'src/db/posts.ts': `import { sqliteTable, integer } from 'drizzle-orm/sqlite-core';
import { users } from '@db/users';

export const posts = sqliteTable('posts', { id: integer('id').primaryKey(), author: integer('author').references(() => users.id) });
export { users };
`,
    });
    const files = schemaFiles(['./src/db/*.ts'], dir);
    expect(files.map((f) => path.basename(f))).toEqual(['posts.ts', 'users.ts']);
    const { modules, drizzle } = await loadSchemaModules(files, dir);
    expect(modules).toHaveLength(2);
    const [postsModule, usersModule] = modules;
    // the re-export and the original are the same object: one module instance through the alias
    expect(postsModule!.users).toBe(usersModule!.users);
    const { SQLiteTable, getTableConfig } = drizzle.sqliteCore;
    expect(postsModule!.posts).toBeInstanceOf(SQLiteTable); // same drizzle-orm copy as the schema
    expect(drizzle.orm.is(postsModule!.posts, SQLiteTable)).toBe(true);
    expect(getTableConfig(postsModule!.posts as InstanceType<typeof SQLiteTable>).foreignKeys).toHaveLength(1);
    expect(activeLoader()).toBe('fast');
  });

  it('loads ESM schema files in a "type": "module" project with .js import specifiers', async () => {
    const dir = project({
      'package.json': '{ "type": "module" }',
      'db/index.ts': `export * from './users.js';`,
      'db/users.ts': table('users'),
    });
    const { modules, drizzle } = await loadSchemaModules(schemaFiles(['db/index.ts'], dir), dir);
    expect(drizzle.orm.is(modules[0]!.users, drizzle.sqliteCore.SQLiteTable)).toBe(true);
    expect(activeLoader()).toBe('fast');
  });

  it('a schema file that throws is a UserInputError naming it and quoting the first line', async () => {
    const dir = project({
      'src/ok.ts': table('ok'),
      'src/bad.ts': `${table('bad')}\nthrow new TypeError('cannot read DB_NAME\\nat somewhere');\n`,
    });
    const err = await asyncUserError(loadSchemaModules(schemaFiles(['src/ok.ts', 'src/bad.ts'], dir), dir));
    expect(err.message).toContain(path.join('src', 'bad.ts'));
    expect(err.message).toContain('TypeError: cannot read DB_NAME');
    expect(err.message).not.toContain('at somewhere');
    expect(err.file).toBe(path.join(dir, 'src/bad.ts'));
  });

  it('a schema file with a syntax error names the file and position', async () => {
    const dir = project({ 'schema.ts': `export const x = ;` });
    const err = await asyncUserError(loadSchemaModules([path.join(dir, 'schema.ts')], dir));
    expect(err.message).toMatch(/schema\.ts:1:\d+: ERROR/); // esbuild's wording: the fast path gave way to tsx
    expect(activeLoader()).toBe('tsx');
  });

  it('a project without drizzle-orm is told to install it', async () => {
    const dir = project({ 'schema.ts': table('users') }, { nodeModules: false });
    const err = await asyncUserError(loadSchemaModules([path.join(dir, 'schema.ts')], dir));
    expect(err.message).toContain('drizzle-orm is not installed');
    expect(err.message).toContain('npm install drizzle-orm');
  });
});

describe('loadConfigModule', () => {
  it('a config that throws, and one that does not exist', async () => {
    const dir = project({ 'drizzle.config.ts': `throw new Error('no CLOUDFLARE_ACCOUNT_ID');` });
    const thrown = await asyncUserError(loadConfigModule(path.join(dir, 'drizzle.config.ts'), dir));
    expect(thrown.message).toContain('drizzle.config.ts');
    expect(thrown.message).toContain('no CLOUDFLARE_ACCOUNT_ID');
    const missing = await asyncUserError(loadConfigModule(path.join(dir, 'missing.config.ts'), dir));
    expect(missing.message).toContain('missing.config.ts');
  });

  it('top-level await gets a specific message', async () => {
    const dir = project({ 'drizzle.config.ts': `const x = await Promise.resolve(1);\nexport default { x };` });
    const err = await asyncUserError(loadConfigModule(path.join(dir, 'drizzle.config.ts'), dir));
    expect(err.message).toContain('top-level await');
    expect(err.message).toContain('drizzle.config.ts');
  });
});

/** Load `files` (the first is the schema entry) through loadSchemaModules; the loader used afterwards. */
async function loadEntry(files: Record<string, string>, entry = Object.keys(files)[0]!) {
  const dir = project(files);
  const { modules, drizzle } = await loadSchemaModules(schemaFiles([entry], dir), dir);
  return { dir, mod: modules[0]!, drizzle, loader: activeLoader() };
}

describe('the fast path (oxc-transform in-process) and what it gives to tsx', () => {
  it('defines exports in esbuild/tsx order: own exports sorted, then export * in the source order', async () => {
    const files = {
      's.ts': `import { sqliteTable, integer } from 'drizzle-orm/sqlite-core';
export * from './b';
export const zeta = sqliteTable('a_table', { id: integer() });
export { mmm as renamed } from './b';
export const alpha = sqliteTable('z_table', { id: integer() });
export default sqliteTable('d_table', { id: integer() });
export const Beta = sqliteTable('m_table', { id: integer() });
`,
      'b.ts': `import { sqliteTable, integer } from 'drizzle-orm/sqlite-core';
export const mmm = sqliteTable('from_b_mmm', { id: integer() });
export const aaa = sqliteTable('from_b_aaa', { id: integer() });
export const alpha = 1;
`,
    };
    const { mod, loader } = await loadEntry(files);
    expect(loader).toBe('fast');
    // The order tsx's require() gives for these files (tsx/cjs/api's require is not called here: it
    // leaves its hooks and Node's source maps on in this process).
    expect(Object.keys(mod)).toEqual(['Beta', 'alpha', 'default', 'renamed', 'zeta', 'aaa', 'mmm']);
  });

  it('extensionless and directory imports, .mts/.cts files, enums, import type, CommonJS written in TypeScript', async () => {
    const { mod, drizzle, loader } = await loadEntry({
      'schema.ts': `import { sqliteTable, integer, text } from 'drizzle-orm/sqlite-core';
import type { Kind } from './types';
import { prefix } from './lib';
import { suffix } from './more.mjs';
import { legacy } from './legacy.cjs';
import cjs from './cjs';
enum Status { Active = 'active', Gone = 'gone' }
const kind: Kind = 'table';
export const users = sqliteTable(prefix + 'users' + suffix, { id: integer('id').primaryKey(), status: text('status').default(Status.Active) });
export const meta = { kind, legacy, cjs: cjs.name, url: typeof import.meta.url };
`,
      'types.ts': `export type Kind = 'table';`,
      'lib/index.ts': `export const prefix = 'app_';`,
      'more.mts': `export const suffix: string = '_v1';`,
      'legacy.cts': `export const legacy: number = 7;`,
      'cjs.ts': `module.exports = { name: 'plain' as string };`,
    });
    expect(loader).toBe('fast');
    const { getTableConfig, SQLiteTable } = drizzle.sqliteCore;
    const config = getTableConfig(mod.users as InstanceType<typeof SQLiteTable>);
    expect(config.name).toBe('app_users_v1');
    expect(config.columns.find((c) => c.name === 'status')?.default).toBe('active');
    expect(mod.meta).toEqual({ kind: 'table', legacy: 7, cjs: 'plain', url: 'string' });
  });

  it('elides imports used only as types, as TypeScript and esbuild do, unless verbatimModuleSyntax', async () => {
    const side = `(globalThis as Record<string, number>).__d1SideEffect = ((globalThis as Record<string, number>).__d1SideEffect ?? 0) + 1;\nexport interface Shape { id: number }\nexport const unused = 1;\n`;
    const schema = `import { unused, type Shape } from './side';\nexport const shape: Shape | undefined = undefined;\n`;
    const g = globalThis as Record<string, unknown>;
    delete g.__d1SideEffect;
    expect((await loadEntry({ 'schema.ts': schema, 'side.ts': side })).loader).toBe('fast');
    expect(g.__d1SideEffect).toBeUndefined();
    const tsconfig = JSON.stringify({ compilerOptions: { verbatimModuleSyntax: true } });
    expect((await loadEntry({ 'schema.ts': schema, 'side.ts': side, 'tsconfig.json': tsconfig }, 'schema.ts')).loader).toBe('fast');
    expect(g.__d1SideEffect).toBe(1);
    delete g.__d1SideEffect;
  });

  it('tsconfig paths through extends and baseUrl', async () => {
    const { mod, loader } = await loadEntry(
      {
        'src/schema.ts': `import { label } from '~/lib/label';\nimport { other } from 'shared/other';\nexport const both = label + other;\n`,
        'src/lib/label.ts': `export const label = 'a';`,
        'src/shared/other.ts': `export const other = 'b';`,
        'tsconfig.base.json': `{ // comments and trailing commas, as tsc accepts\n "compilerOptions": { "baseUrl": "./src", "paths": { "~/*": ["./*"] }, }, }`,
        'tsconfig.json': JSON.stringify({ extends: './tsconfig.base.json' }),
      },
      'src/schema.ts',
    );
    expect(loader).toBe('fast');
    expect(mod.both).toBe('ab');
  });

  it('a schema file that throws is evaluated once, on the fast path', async () => {
    const g = globalThis as Record<string, unknown>;
    g.__d1Evaluations = 0;
    const dir = project({ 'schema.ts': `(globalThis as any).__d1Evaluations++;\nthrow new RangeError('bad value');\n` });
    const err = await asyncUserError(loadSchemaModules([path.join(dir, 'schema.ts')], dir));
    expect(err.message).toContain('RangeError: bad value');
    expect(g.__d1Evaluations).toBe(1);
    expect(activeLoader()).toBe('fast');
    delete g.__d1Evaluations;
  });

  it('decorators go to tsx: experimentalDecorators in tsconfig, or decorator syntax Node cannot run', async () => {
    const decorated = `function tag(_: unknown, __?: unknown) {}\n@tag class Holder {}\nexport const holder = typeof Holder;\n`;
    const legacy = await loadEntry({ 'schema.ts': decorated, 'tsconfig.json': '{ "compilerOptions": { "experimentalDecorators": true } }' }, 'schema.ts');
    expect(legacy).toMatchObject({ loader: 'tsx', mod: { holder: 'function' } });
    const standard = await loadEntry({ 'schema.ts': decorated });
    expect(standard).toMatchObject({ loader: 'tsx', mod: { holder: 'function' } });
    // the next project gets the fast path again
    expect((await loadEntry({ 'schema.ts': table('users') })).loader).toBe('fast');
  });

  it('top-level await in a schema file is reported as it was through tsx', async () => {
    const dir = project({ 'schema.ts': `${table('users')}\nawait Promise.resolve();\n` });
    const err = await asyncUserError(loadSchemaModules([path.join(dir, 'schema.ts')], dir));
    expect(err.message).toContain('top-level await');
  });

  it('JavaScript schema files: CommonJS loads natively, ESM syntax through the transform', async () => {
    const cjs = await loadEntry({ 'schema.js': `const { sqliteTable, integer } = require('drizzle-orm/sqlite-core');\nexports.users = sqliteTable('users', { id: integer() });\n` });
    expect(cjs.drizzle.orm.is(cjs.mod.users, cjs.drizzle.sqliteCore.SQLiteTable)).toBe(true);
    expect(cjs.loader).toBe('fast');
    const esm = await loadEntry({ 'schema.js': table('users'), 'package.json': '{ "type": "module" }' }, 'schema.js');
    expect(esm.mod.users).toBeInstanceOf(esm.drizzle.sqliteCore.SQLiteTable); // the same (CommonJS) drizzle-orm
    expect(esm.loader).toBe('fast');
  });

  it("with Node's source maps on, tsx loads the schema (its inline maps give the user's lines in stacks)", async () => {
    process.setSourceMapsEnabled(true);
    try {
      expect((await loadEntry({ 'schema.ts': table('users') })).loader).toBe('tsx');
    } finally {
      process.setSourceMapsEnabled(false);
    }
  });

  it('an import that does not resolve is reported as through tsx (which gets the load)', async () => {
    const dir = project({ 'schema.ts': `import { x } from './missing';\nexport const y = x;\n` });
    const err = await asyncUserError(loadSchemaModules([path.join(dir, 'schema.ts')], dir));
    expect(err.message).toContain("Cannot find module './missing'");
    expect(activeLoader()).toBe('tsx');
  });

  it('TSX_TSCONFIG_PATH names the tsconfig on the fast path too', async () => {
    const dir = project({
      'config/tsconfig.paths.json': JSON.stringify({ compilerOptions: { paths: { '#lib/*': ['../lib/*'] } } }),
      'lib/name.ts': `export const name: string = 'via env';`,
      'schema.ts': `import { name } from '#lib/name';\nexport const got = name;\n`,
    });
    process.env.TSX_TSCONFIG_PATH = path.join(dir, 'config/tsconfig.paths.json');
    try {
      const { modules } = await loadSchemaModules([path.join(dir, 'schema.ts')], dir);
      expect(modules[0]!.got).toBe('via env');
      expect(activeLoader()).toBe('fast');
    } finally {
      delete process.env.TSX_TSCONFIG_PATH;
    }
  });

  it('a TypeScript config loads through the fast path', async () => {
    const dir = project({
      'drizzle.config.ts': `import { defineConfig } from 'drizzle-kit';\nconst out: string = './migrations';\nexport default defineConfig({ dialect: 'sqlite', schema: './s.ts', out });\n`,
    });
    const mod = (await loadConfigModule(path.join(dir, 'drizzle.config.ts'), dir)) as { default: unknown };
    expect(mod.default).toEqual({ dialect: 'sqlite', schema: './s.ts', out: './migrations' });
    expect(activeLoader()).toBe('fast');
  });
});

describe('generate through the fast path: .env, a config that reads it, casing', () => {
  it('reads .env before the TypeScript config, applies snake_case to a TypeScript schema folder', async () => {
    const { generate } = await import('../generate.js');
    const dir = project({
      '.env': 'D1_LOAD_TEST_SCHEMA=./src/db\n',
      'drizzle.config.ts': `import { defineConfig } from 'drizzle-kit';
const schema: string = process.env.D1_LOAD_TEST_SCHEMA ?? 'missing';
export default defineConfig({ dialect: 'sqlite', schema, out: './drizzle', casing: 'snake_case' });
`,
      'src/db/users.ts': `import { sqliteTable, integer, text } from 'drizzle-orm/sqlite-core';\nexport const users = sqliteTable('users', { id: integer().primaryKey(), fullName: text() });\n`,
      'src/db/posts.ts': `import { sqliteTable, integer } from 'drizzle-orm/sqlite-core';\nimport { users } from './users.js';\nexport const posts = sqliteTable('posts', { id: integer().primaryKey(), authorId: integer().references(() => users.id) });\n`,
    });
    try {
      const result = await generate({ cwd: dir, flags: { name: 'init' } });
      expect(activeLoader()).toBe('fast');
      expect(result.migration!.sql).toContain('`full_name` text');
      expect(result.migration!.sql).toContain('FOREIGN KEY (`author_id`) REFERENCES `users`(`id`)');
    } finally {
      delete process.env.D1_LOAD_TEST_SCHEMA;
    }
  });
});
