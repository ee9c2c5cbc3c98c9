import { createRequire } from 'node:module';
import path from 'node:path';
import { projectWith, removeProjects } from '../../test/support/files.js';
import { afterAll, describe, expect, it } from 'vitest';
import { UserInputError } from '../diagnostics/errors.js';
import { loadConfigModule, loadSchemaModules, schemaFiles } from './load.js';

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

  it('falls back to tsx when Node cannot load a .js config itself', async () => {
    const dir = project({
      'settings.ts': `export const SCHEMA: string = 'x.ts';`,
      'drizzle.config.js': `import { SCHEMA } from './settings';\nexport default { dialect: 'sqlite', schema: SCHEMA };`,
    });
    const mod = (await loadConfigModule(path.join(dir, 'drizzle.config.js'))) as { default: unknown };
    expect(mod.default).toEqual({ dialect: 'sqlite', schema: 'x.ts' });
    const cache = createRequire(import.meta.url).cache;
    expect(Object.keys(cache).some((k) => k.includes(`${path.sep}tsx${path.sep}`))).toBe(true);
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
  });

  it('loads ESM schema files in a "type": "module" project with .js import specifiers', async () => {
    const dir = project({
      'package.json': '{ "type": "module" }',
      'db/index.ts': `export * from './users.js';`,
      'db/users.ts': table('users'),
    });
    const { modules, drizzle } = await loadSchemaModules(schemaFiles(['db/index.ts'], dir), dir);
    expect(drizzle.orm.is(modules[0]!.users, drizzle.sqliteCore.SQLiteTable)).toBe(true);
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
    expect(err.message).toMatch(/schema\.ts:1:\d+: ERROR/);
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
