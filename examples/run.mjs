#!/usr/bin/env node
/**
 * `npm run example`: the whole drizzle-d1 workflow on the bundled Worker, in a scratch copy.
 *   1. wrangler applies the existing drizzle-kit migration to a local D1 database, and rows are added;
 *   2. `drizzle-d1 generate` writes the migration for the pending schema change (a table rebuild);
 *   3. wrangler applies it, and every row is counted again.
 */
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, '.tmp', 'example-worker');
const env = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' };
const wrangler = (...args) => execa(join(root, 'node_modules/.bin/wrangler'), args, { cwd: work, env });
const step = (text) => console.log(`\n\x1b[1m== ${text}\x1b[0m`);

if (!existsSync(join(root, 'dist/cli/index.js'))) await execa('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
rmSync(work, { recursive: true, force: true });
cpSync(join(root, 'examples/worker'), work, {
  recursive: true,
  filter: (src) => !/[\\/](node_modules|\.wrangler)$/.test(src),
});

step('wrangler d1 migrations apply DB --local   (the existing drizzle-kit migration)');
console.log((await wrangler('d1', 'migrations', 'apply', 'DB', '--local')).stdout.split('\n').filter((l) => /\.sql|Migrations/.test(l)).join('\n'));

const seed = `
INSERT INTO users (id, email, name) VALUES (1, 'ada@example.com', 'Ada'), (2, 'bob@example.com', 'Bob');
INSERT INTO posts (id, author_id, title) VALUES (1, 1, 'Hello D1'), (2, 1, 'Cascades'), (3, 2, 'Bob writes');
INSERT INTO comments (id, post_id, user_id, body) VALUES (1, 1, 2, 'Nice'), (2, 3, 1, 'Welcome'), (3, 2, NULL, 'Anon');
INSERT INTO tags (id, name) VALUES (1, 'sqlite'), (2, 'cloudflare');
INSERT INTO post_tags (post_id, tag_id) VALUES (1, 1), (1, 2), (2, 1), (3, 2);`;
await wrangler('d1', 'execute', 'DB', '--local', '--command', seed);
const tables = ['users', 'posts', 'comments', 'tags', 'post_tags'];
const counts = async () => {
  const sql = tables.map((t) => `SELECT '${t}' AS t, count(*) AS n FROM ${t}`).join(' UNION ALL ');
  const out = JSON.parse((await wrangler('d1', 'execute', 'DB', '--local', '--json', '--command', sql)).stdout);
  return Object.fromEntries(out[0].results.map((r) => [r.t, r.n]));
};
const before = await counts();

step('drizzle-d1 generate   (users.name becomes nullable: SQLite must rebuild `users`)');
const gen = await execa('node', [join(root, 'bin/drizzle-d1.cjs'), 'generate', '--name', 'users_name_optional'], { cwd: work, env, reject: false });
console.log(gen.stdout + gen.stderr);
if (gen.exitCode !== 0) process.exit(gen.exitCode ?? 1);
console.log(readFileSync(join(work, 'drizzle/0001_users_name_optional.sql'), 'utf8'));

step('wrangler d1 migrations apply DB --local   (the drizzle-d1 migration)');
console.log((await wrangler('d1', 'migrations', 'apply', 'DB', '--local')).stdout.split('\n').filter((l) => /\.sql|Migrations/.test(l)).join('\n'));
const after = await counts();

step('rows per table, before and after the migration');
console.table(tables.map((t) => ({ table: t, before: before[t], after: after[t] })));
const lost = tables.filter((t) => before[t] !== after[t]);
console.log(lost.length ? `ROWS LOST in ${lost.join(', ')}` : 'Every row kept. (drizzle-kit\'s migration for this change empties posts, comments and post_tags on D1.)');
console.log(`\nThe project is in ${work}; run drizzle-d1 there again to see "No schema changes".`);
process.exit(lost.length ? 1 : 0);
