/**
 * Which migrations wrangler's local D1 already applied: `wrangler d1 migrations apply --local` keeps
 * each database at `.wrangler/state/v3/d1/miniflare-D1DatabaseObject/<hmac id>.sqlite` (WAL mode)
 * with a `d1_migrations` table of applied file names. Read only, never written.
 */
import Database from 'better-sqlite3';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { appliedMigrations } from '../d1/apply.js';

export const LOCAL_D1_STATE = join('.wrangler', 'state', 'v3', 'd1', 'miniflare-D1DatabaseObject');

/** File names (`0001_x.sql`) any local D1 database under `root` lists as applied. */
export function locallyAppliedMigrations(root: string, table = 'd1_migrations'): Set<string> {
  const dir = join(root, LOCAL_D1_STATE);
  const applied = new Set<string>();
  if (!existsSync(dir)) return applied;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.sqlite'))) {
    let db: Database.Database | undefined;
    try {
      db = new Database(join(dir, name), { readonly: true, fileMustExist: true });
      for (const m of appliedMigrations(db, table)) applied.add(m);
    } catch {
      // Not a database wrangler wrote (or one being written): it lists nothing.
    } finally {
      db?.close();
    }
  }
  return applied;
}
