/**
 * The file-system edge: a migration is three files (SQL, snapshot, journal) that appear together or
 * not at all. Each is written to a temporary file beside its target first; new files are then
 * linked into place in the order given (link fails if the target exists, so nothing is ever
 * overwritten) and the journal, which makes the migration visible to drizzle-orm's migrator, is
 * replaced last. A run killed in between leaves files the journal does not list, which the next
 * run's folder check reports (D1-614).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { displayPath, UserInputError } from '../diagnostics/errors.js';
import { errnoOf, fileSystemError } from '../diagnostics/fs.js';

export interface OutputFile {
  path: string;
  content: string;
  /** `create`: must not exist yet; `replace`: the journal, updated in place. */
  mode: 'create' | 'replace';
}

const alreadyExists = (path: string) =>
  new UserInputError('D1-620',
    `${displayPath(path)} already exists; drizzle-d1 never overwrites a migration. ` +
      `Choose another --name, or remove the file if it was never applied anywhere. Nothing was written.`,
    path,
  );

/** D1-620 for the first new file that already exists: what writeFilesAtomically would refuse (for a dry run). */
export function refuseExisting(files: readonly OutputFile[]): void {
  for (const f of files) {
    if (f.mode === 'create' && existsSync(f.path)) throw alreadyExists(f.path);
  }
}

export function writeFilesAtomically(files: OutputFile[]): void {
  refuseExisting(files);
  const temps: string[] = [];
  const placed: string[] = [];
  let current = files[0]?.path ?? '.';
  try {
    for (const f of files) {
      current = f.path;
      mkdirSync(dirname(f.path), { recursive: true });
      const tmp = join(dirname(f.path), `.${basename(f.path)}.${randomBytes(6).toString('hex')}.tmp`);
      temps.push(tmp);
      writeFileSync(tmp, f.content);
    }
    // New files first, the journal last: until it is replaced, no tool sees the migration.
    const order = files.map((f, i) => ({ f, tmp: temps[i]! })).sort((a, b) => (a.f.mode === 'replace' ? 1 : 0) - (b.f.mode === 'replace' ? 1 : 0));
    for (const { f, tmp } of order) {
      current = f.path;
      if (f.mode === 'create') {
        linkFile(tmp, f.path);
        placed.push(f.path);
        unlinkSync(tmp);
      } else {
        renameSync(tmp, f.path);
      }
    }
  } catch (e) {
    for (const p of placed) rmSync(p, { force: true });
    throw fileSystemError(e, current, 'write the migration');
  } finally {
    for (const t of temps) rmSync(t, { force: true });
  }
}

/** link(2): atomic, and refuses an existing target (another run may have created it meanwhile). */
function linkFile(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch (e) {
    if (errnoOf(e) === 'EEXIST') throw alreadyExists(to);
    throw e;
  }
}
