import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockMigrationsFolder } from './lock.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'd1-lock-'));
  dirs.push(d);
  return d;
};

describe('the migrations folder lock', () => {
  it('is exclusive while held and gone once released', () => {
    const d = tmp();
    const release = lockMigrationsFolder(d);
    expect(JSON.parse(readFileSync(join(d, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    expect(() => lockMigrationsFolder(d)).toThrow(expect.objectContaining({ code: 'D1-615' }));
    release();
    expect(existsSync(join(d, LOCK_FILE))).toBe(false);
    lockMigrationsFolder(d)();
  });

  it('takes over a lock older than an hour, whoever holds it', () => {
    const d = tmp();
    writeFileSync(join(d, LOCK_FILE), JSON.stringify({ pid: process.pid, host: 'elsewhere', started: '2020-01-01T00:00:00.000Z' }));
    utimesSync(join(d, LOCK_FILE), new Date('2020-01-01'), new Date('2020-01-01'));
    lockMigrationsFolder(d)();
  });

  it('keeps a recent lock of another host (its pid means nothing here)', () => {
    const d = tmp();
    writeFileSync(join(d, LOCK_FILE), JSON.stringify({ pid: 999999, host: 'elsewhere', started: new Date().toISOString() }));
    expect(() => lockMigrationsFolder(d)).toThrow(expect.objectContaining({ code: 'D1-615', message: expect.stringContaining('on elsewhere') }));
  });

  it('a folder where the lock file belongs, however old, is never taken for a stale lock (D1-615, no crash)', () => {
    const d = tmp();
    mkdirSync(join(d, LOCK_FILE));
    utimesSync(join(d, LOCK_FILE), new Date('2020-01-01'), new Date('2020-01-01'));
    expect(() => lockMigrationsFolder(d)).toThrow(expect.objectContaining({ code: 'D1-615', message: expect.stringContaining(`delete ${join(d, LOCK_FILE)}`) }));
  });

  it('creates a missing folder for the lock and removes it again when nothing was written', () => {
    const out = join(tmp(), 'a', 'drizzle');
    const release = lockMigrationsFolder(out);
    expect(existsSync(join(out, LOCK_FILE))).toBe(true);
    release();
    expect(existsSync(join(out, '..'))).toBe(false);
  });
});
