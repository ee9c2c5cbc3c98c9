import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserInputError } from './errors.js';
import { fileSystemError } from './fs.js';

/** The error a real file-system call throws. */
function thrownBy(fn: () => void): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

describe('file-system errors as diagnostics', () => {
  it('a full disk (ENOSPC, from /dev/full) is a write failure with a plain message', () => {
    const e = fileSystemError(thrownBy(() => writeFileSync('/dev/full', 'x')), '/dev/full', 'write the migration');
    expect(e).toBeInstanceOf(UserInputError);
    expect(e).toMatchObject({ code: 'D1-622', file: '/dev/full' });
    expect((e as Error).message).toMatch(/^Cannot write the migration: the disk is full \(ENOSPC\) at \/dev\/full\. Free some space/);
  });

  it('a failure while reading the folder is D1-624 and says nothing about writing', () => {
    const e = fileSystemError(thrownBy(() => writeFileSync('/dev/full', 'x')), '/dev/full', 'read the migrations folder', true);
    expect(e).toMatchObject({ code: 'D1-624' });
    expect((e as Error).message).not.toMatch(/Nothing was written/);
  });

  it('a file where a folder should be (ENOTDIR) and a name too long (ENAMETOOLONG)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'd1-fs-'));
    try {
      writeFileSync(join(dir, 'out'), '');
      const notDir = fileSystemError(thrownBy(() => writeFileSync(join(dir, 'out', 'x.sql'), '')), join(dir, 'out', 'x.sql'), 'write the migration');
      expect(notDir).toMatchObject({ code: 'D1-621' });
      const long = join(dir, 'n'.repeat(300));
      expect(fileSystemError(thrownBy(() => writeFileSync(long, '')), long, 'write the migration')).toMatchObject({ code: 'D1-623' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves errors that are not the file system\'s (bugs) as they are', () => {
    const bug = new TypeError('x is undefined');
    expect(fileSystemError(bug, '/tmp', 'write')).toBe(bug);
  });
});
