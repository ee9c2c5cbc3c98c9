/**
 * The database `verify --against` works on, always an in-memory copy: a SQLite file (opened
 * read-only and serialized), wrangler's local D1 state of a project (the miniflare file of a
 * `d1_databases` entry, or the one file there holding `d1_migrations`), or the SQL dump
 * `wrangler d1 export` writes (executed into a fresh database). The original is never written.
 */
import Database from 'better-sqlite3';
import { createHash, createHmac } from 'node:crypto';
import { existsSync, openSync, readFileSync, readSync, closeSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { readWranglerConfig, WRANGLER_FILES } from '../snapshot/wrangler-config.js';
import { displayPath, UserInputError } from '../diagnostics/errors.js';

export interface AgainstDatabase {
  db: Database.Database;
  /** What was read, as messages show it. */
  shown: string;
  kind: 'sqlite' | 'wrangler' | 'dump';
}

const SQLITE_HEADER = 'SQLite format 3\u0000';
const D1_STATE = join('.wrangler', 'state', 'v3', 'd1', 'miniflare-D1DatabaseObject');

function unreadable(path: string, why: string): UserInputError {
  return new UserInputError('D1-460', `--against ${displayPath(path)}: ${why}`, path);
}

function isSqliteFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(16);
    return readSync(fd, buffer, 0, 16, 0) === 16 && buffer.toString('latin1') === SQLITE_HEADER;
  } finally {
    closeSync(fd);
  }
}

/** miniflare's file name for a D1 database id: its Durable Object id, derived with HMAC-SHA256. */
export function localD1FileName(databaseId: string, uniqueKey = 'miniflare-D1DatabaseObject'): string {
  const key = createHash('sha256').update(uniqueKey).digest();
  const nameHmac = createHmac('sha256', key).update(databaseId).digest().subarray(0, 16);
  const hmac = createHmac('sha256', key).update(nameHmac).digest().subarray(0, 16);
  return `${Buffer.concat([nameHmac, hmac]).toString('hex')}.sqlite`;
}

function holdsLedger(file: string): boolean {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'd1_migrations'").get() !== undefined;
  } finally {
    db.close();
  }
}

/** The local D1 file of the wrangler project in `dir`. */
export function wranglerStateFile(dir: string): string {
  const state = join(dir, D1_STATE);
  if (!existsSync(state)) throw unreadable(dir, `no local D1 state in ${displayPath(state)}; run wrangler d1 migrations apply <db> --local there first, or pass a SQLite file or a wrangler d1 export dump.`);
  const expected = readWranglerConfig(dir).databases.flatMap((db) => (db.id === undefined ? [] : [db.id])).map((id) => join(state, localD1FileName(id))).filter((f) => existsSync(f));
  if (expected.length === 1) return expected[0]!;
  const files = readdirSync(state).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite').map((f) => join(state, f));
  const ledgers = files.filter(holdsLedger);
  if (ledgers.length === 1) return ledgers[0]!;
  throw unreadable(dir, `${ledgers.length || files.length} local D1 databases in ${displayPath(state)}; pass the one to verify against as --against <file>.sqlite.`);
}

function copyOfFile(file: string): Database.Database {
  const original = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const image = original.serialize();
    // A WAL database (wrangler's local D1 is one) serializes with WAL in its header (bytes 18-19 = 2),
    // which an in-memory database cannot open: mark the copy as a rollback-journal database.
    image[18] = 1;
    image[19] = 1;
    const copy = new Database(image);
    copy.pragma('foreign_keys = ON');
    return copy;
  } finally {
    original.close();
  }
}

/** A `wrangler d1 export` dump executed into a fresh database (foreign keys off while loading: tables come in name order). */
function loadDump(file: string): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = OFF');
  try {
    db.exec('BEGIN');
    db.exec(readFileSync(file, 'utf8'));
    db.exec('COMMIT');
  } catch (e) {
    db.close();
    throw unreadable(file, `it is neither a SQLite database nor an SQL dump SQLite can run (${(e as Error).message}).`);
  }
  db.pragma('foreign_keys = ON');
  return db;
}

/** Open what `--against` names, as an in-memory copy. */
export function openAgainst(path: string, cwd: string): AgainstDatabase {
  const full = resolve(cwd, path);
  if (!existsSync(full)) throw unreadable(full, 'no such file or folder. Pass a SQLite file, a project folder with wrangler local D1 state, or a wrangler d1 export dump.');
  try {
    const isConfig = WRANGLER_FILES.some((name) => full.endsWith(name));
    if (statSync(full).isDirectory() || isConfig) {
      const file = wranglerStateFile(isConfig ? dirname(full) : full);
      return { db: copyOfFile(file), shown: displayPath(file, cwd), kind: 'wrangler' };
    }
    if (isSqliteFile(full)) return { db: copyOfFile(full), shown: displayPath(full, cwd), kind: 'sqlite' };
    return { db: loadDump(full), shown: displayPath(full, cwd), kind: 'dump' };
  } catch (e) {
    if (e instanceof UserInputError) throw e;
    throw unreadable(full, `it cannot be opened (${(e as Error).message}).`);
  }
}
