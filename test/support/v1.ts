/**
 * drizzle-kit 1.0 / drizzle-orm 1.0 test projects. The repository installs both 1.0 release
 * candidates under aliases (`drizzle-kit-v1`, `drizzle-orm-v1`) next to 0.31 / 0.45; a 1.0 project
 * gets its own node_modules folder whose `drizzle-kit` and `drizzle-orm` entries link to the aliases
 * and every other entry to the repository's. drizzle-kit 1.0's CLI runs with `--preserve-symlinks`
 * so that its own `require('drizzle-orm')` finds the project's 1.0 copy, as in a real 1.0 project.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { execa } from 'execa';
import { applyMigration } from '../../src/d1/apply.js';
import { repoRoot, TempProject, type ProjectOptions } from './project.js';

const NODE_MODULES = join(repoRoot, 'node_modules');
const ALIASES: Record<string, string> = { 'drizzle-kit': 'drizzle-kit-v1', 'drizzle-orm': 'drizzle-orm-v1' };

/** Replaces `dir`'s node_modules link with a folder whose drizzle-kit and drizzle-orm are the 1.0 ones. */
export function useDrizzleV1(dir: string, { kit = true, orm = true } = {}): void {
  const target = join(dir, 'node_modules');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target);
  for (const name of readdirSync(NODE_MODULES)) {
    if (name === 'drizzle-kit-v1' || name === 'drizzle-orm-v1') continue;
    const alias = (name === 'drizzle-kit' && kit) || (name === 'drizzle-orm' && orm) ? ALIASES[name]! : name;
    symlinkSync(join(NODE_MODULES, alias), join(target, name));
  }
}

/** A TempProject whose drizzle-kit and drizzle-orm are 1.0.0-rc.5. */
export function v1Project(options: ProjectOptions & { kit?: boolean } = {}): TempProject {
  const p = new TempProject(options);
  useDrizzleV1(p.dir, { kit: options.kit ?? true });
  return p;
}

export interface KitRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

const lastGenerateSecond = new Map<string, number>();

/**
 * drizzle-kit 1.0 names a folder by the second it generates in, so two generates within one second
 * share a timestamp (and sort by name, not by order). A generate in a project waits for a second of its own.
 */
async function waitForANewSecond(dir: string): Promise<void> {
  const wait = ((lastGenerateSecond.get(dir) ?? 0) + 1) * 1000 - Date.now();
  if (wait > 0) await new Promise((done) => setTimeout(done, wait + 5));
}

/** Runs drizzle-kit 1.0's CLI in `dir` without a TTY (renames need `--hints`). */
export async function drizzleKitV1(dir: string, args: string[]): Promise<KitRun> {
  if (args[0] === 'generate') await waitForANewSecond(dir);
  const run = await runDrizzleKitV1(dir, args);
  if (args[0] === 'generate') lastGenerateSecond.set(dir, Math.floor(Date.now() / 1000));
  return run;
}

function runDrizzleKitV1(dir: string, args: string[]): Promise<KitRun> {
  return execa('node', ['--preserve-symlinks', '--preserve-symlinks-main', join(dir, 'node_modules/drizzle-kit/bin.cjs'), ...args], {
    cwd: dir,
    reject: false,
    input: '',
    // jiti's file cache (node_modules/.cache/jiti, shared by every test project through the links)
    // once served a schema rewritten within the same second stale: tests rewrite schemas quickly.
    env: { NO_COLOR: '1', FORCE_COLOR: '0', JITI_FS_CACHE: 'false' },
    timeout: 60_000,
  }) as Promise<KitRun>;
}

/** The migration folders of a 1.0-layout `out`, in the order the runners apply them. */
export const migrationFolders = (out: string) => readdirSync(out, { withFileTypes: true }).filter((e) => e.isDirectory() && /^\d{14}_/.test(e.name)).map((e) => e.name).sort();

/** Applies every `<folder>/migration.sql` in folder order, D1's way (one transaction each); `after` runs after the first. */
export function applyFolders(db: Database.Database, out: string, after?: (db: Database.Database) => void): void {
  migrationFolders(out).forEach((folder, i) => {
    applyMigration(db, readFileSync(join(out, folder, 'migration.sql'), 'utf8'), `${folder}/migration.sql`);
    if (i === 0) after?.(db);
  });
}

/** A snapshot file's text without its `id` and `prevIds` (which differ between any two runs). */
export const v7WithoutIds = (text: string) => {
  const s = JSON.parse(text) as Record<string, unknown>;
  return JSON.stringify({ ...s, id: undefined, prevIds: undefined }, null, 2);
};

/**
 * The schema as behaviour: columns (name, type, default, pk, hidden; NOT NULL off primary keys),
 * foreign keys, and uniqueness by column set rather than by index name or inline/CREATE INDEX form
 * (drizzle-kit 1.0 writes `.unique()` inline, drizzle-d1 as a named unique index), views by name.
 */
export function schemaShape(db: Database.Database): unknown {
  const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY name`).all() as { name: string }[]).map(({ name }) => {
    const columns = (db.prepare(`SELECT name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid`).all(name) as Record<string, unknown>[]).map((c) => ({ ...c, notnull: c.pk ? 0 : c.notnull }));
    const fks = db.prepare(`SELECT "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY "from"`).all(name);
    const indexes = (db.prepare(`SELECT name, "unique", partial FROM pragma_index_list(?)`).all(name) as { name: string; unique: number; partial: number }[])
      .filter((i) => !(i.name.startsWith('sqlite_autoindex') && (db.prepare(`SELECT origin FROM pragma_index_list(?) WHERE name = ?`).get(name, i.name) as { origin: string }).origin === 'pk'))
      .map((i) => ({ unique: i.unique, partial: i.partial, columns: (db.prepare(`SELECT coalesce(name, '<expr>') AS c FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno`).all(i.name) as { c: string }[]).map((r) => r.c).join(',') }))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    return { name, columns, fks, indexes };
  });
  const views = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name`).all();
  return { tables, views };
}
