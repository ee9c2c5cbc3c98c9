/**
 * File-system failures as user errors: Node's errno errors (EACCES, ENOSPC, ENOTDIR, …) carry a
 * message and a stack meant for programmers; the user needs the file, the reason in words and the fix.
 */
import { readFileSync } from 'node:fs';
import type { Code } from './codes.js';
import { displayPath, UserInputError } from './errors.js';

/** An error thrown by node:fs, which names its errno in `code`. */
export const errnoOf = (e: unknown): string | undefined => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
};

const NOT_A_FOLDER = new Set(['ENOTDIR', 'EEXIST']);
const REFUSED: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exceeded',
  EFBIG: 'the file is too large',
  EIO: 'an I/O error occurred',
  EBUSY: 'the file is busy',
  EMFILE: 'too many files are open',
};

/**
 * The user error for an errno error met while `doing` (e.g. "write the migration") at `path`, or
 * `e` itself when it is not a file-system error (a bug: the CLI reports it as unexpected).
 * `reading`: the failure happened while reading the folder, not while writing it.
 */
export function fileSystemError(e: unknown, path: string, doing: string, reading = false): unknown {
  const errno = errnoOf(e);
  if (!errno || e instanceof UserInputError) return e;
  const shown = displayPath(path);
  if (errno === 'ENAMETOOLONG') {
    return new UserInputError('D1-623', `Cannot ${doing}: ${shown} is longer than the file system allows (ENAMETOOLONG). Use a shorter --name or a shorter "out" path.`, path);
  }
  // mkdir meets a file on the way (EEXIST, ENOTDIR); readdir a file (ENOTDIR). A link's EEXIST (the
  // target appeared meanwhile) is the caller's to report as an existing migration.
  if (NOT_A_FOLDER.has(errno)) return notAFolder(path, doing, errno);
  // read or rename meets a folder where a file belongs (a migration's .sql, a snapshot, the journal).
  if (errno === 'EISDIR') {
    return new UserInputError(reading ? 'D1-624' : 'D1-622', `Cannot ${doing}: ${shown} is a folder, not a file (EISDIR). Move that folder away and restore the file from version control, then run drizzle-d1 again.${reading ? '' : ' Nothing was written.'}`, path);
  }
  const reason = REFUSED[errno] ?? (e as Error).message;
  const code: Code = reading ? 'D1-624' : 'D1-622';
  const fix = errno === 'ENOSPC' || errno === 'EDQUOT' ? 'Free some space' : errno === 'EROFS' ? 'Point "out" at a writable folder' : 'Fix the permissions of the migrations folder';
  return new UserInputError(code, `Cannot ${doing}: ${reason} (${errno}) at ${shown}. ${fix}, then run drizzle-d1 generate again.${reading ? '' : ' Nothing was written.'}`, path);
}

function notAFolder(path: string, doing: string, errno: string): UserInputError {
  return new UserInputError('D1-621', `Cannot ${doing}: ${displayPath(path)} (or a folder on the way to it) is a file, not a folder (${errno}). Rename or remove that file, or point "out" in drizzle.config.ts at another folder.`, path);
}

/** A file of the migrations folder as UTF-8 text; a file-system failure is the user error naming it. */
export function readFolderText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw fileSystemError(e, path, 'read the migrations folder', true);
  }
}
