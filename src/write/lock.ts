/**
 * One run at a time per migrations folder. Two runs that read the folder together would both number
 * their migration after the same last entry, and the later journal would replace the earlier one's
 * entry. The lock is a file created with O_EXCL (exactly one creator wins, also on network file
 * systems that honour it), holding the owner's pid, host and start time, and removed when the run ends.
 * A killed run cannot remove it: a lock whose process is gone, or that is older than an hour, is stale
 * and taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { displayPath, UserInputError } from '../diagnostics/errors.js';
import { errnoOf, fileSystemError } from '../diagnostics/fs.js';

export const LOCK_FILE = '.drizzle-d1.lock';
/** Longer than any run, the rename prompt included, should take. */
const STALE_AFTER_MS = 60 * 60 * 1000;
/** A lock file without content: its owner died between creating and writing it (microseconds apart). */
const EMPTY_STALE_AFTER_MS = 5_000;

interface LockInfo {
  pid: number;
  host: string;
  started: string;
}

/** Errors that mean "this folder cannot be written": then no run can write either, so reading needs no lock. */
const READ_ONLY = new Set(['EACCES', 'EPERM', 'EROFS']);

/** Takes the lock of `out` (creating `out` if needed) and returns the function that releases it. */
export function lockMigrationsFolder(out: string): () => void {
  const created = ensureFolder(out);
  if (created === null) return () => {};
  const path = join(out, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      writeLock(path);
      return () => release(path, out, created);
    } catch (e) {
      if (errnoOf(e) !== 'EEXIST') {
        if (READ_ONLY.has(errnoOf(e) ?? '')) return () => {};
        throw fileSystemError(e, path, 'create the lock file');
      }
      if (attempt === 0 && isStale(path)) {
        rmSync(path, { force: true });
        continue;
      }
      throw heldBy(path);
    }
  }
}

/**
 * The first folder created for `out` (removed again on release if still empty), undefined when `out`
 * existed, null when it cannot be written.
 */
function ensureFolder(out: string): string | undefined | null {
  try {
    return mkdirSync(out, { recursive: true });
  } catch (e) {
    if (READ_ONLY.has(errnoOf(e) ?? '')) return null;
    throw fileSystemError(e, out, 'create the migrations folder');
  }
}

function writeLock(path: string): void {
  const fd = openSync(path, 'wx');
  try {
    const info: LockInfo = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
    writeSync(fd, JSON.stringify(info));
  } finally {
    closeSync(fd);
  }
}

function readLock(path: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockInfo>;
    return typeof info.pid === 'number' && typeof info.host === 'string' && typeof info.started === 'string' ? (info as LockInfo) : null;
  } catch {
    return null;
  }
}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return errnoOf(e) === 'EPERM';
  }
};

function isStale(path: string): boolean {
  const stat = statSync(path, { throwIfNoEntry: false });
  // Only a lock file is ours to take over; anything else there (a folder) is the user's to remove.
  if (stat && !stat.isFile()) return false;
  const info = readLock(path);
  const age = Date.now() - (stat?.mtimeMs ?? 0);
  if (!info) return age > EMPTY_STALE_AFTER_MS;
  if (age > STALE_AFTER_MS) return true;
  // Another host's pids mean nothing here: only the age decides for them.
  return info.host === hostname() && !isRunning(info.pid);
}

function heldBy(path: string): UserInputError {
  const info = readLock(path);
  const who = info ? `drizzle-d1 run (pid ${info.pid} on ${info.host}, started ${info.started})` : 'drizzle-d1 run';
  return new UserInputError('D1-615',
    `Another ${who} is writing this migrations folder: ${displayPath(path)} exists. ` +
      `Wait for it to finish and run drizzle-d1 generate again; if no run is active, delete ${displayPath(path)}. Nothing was written.`,
    path,
  );
}

/** `dir` and its parents up to `top`, deepest first. */
function ancestors(dir: string, top: string): string[] {
  const dirs: string[] = [];
  for (let d = dir; d.startsWith(top); d = dirname(d)) dirs.push(d);
  return dirs;
}

function release(path: string, out: string, created: string | undefined): void {
  rmSync(path, { force: true });
  if (!created) return;
  // Folders this run created and left empty (no change, dry run, refusal, a failed write that made
  // meta/) go again: "nothing written".
  for (const dir of [join(out, 'meta'), ...ancestors(out, created)]) {
    try {
      rmdirSync(dir);
    } catch (e) {
      if (errnoOf(e) !== 'ENOENT') return; // it holds the new migration
    }
  }
}
