import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFilesAtomically } from './files.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'd1-write-'));
  dirs.push(d);
  return d;
};

describe('writeFilesAtomically', () => {
  it('writes new files and replaces the journal', () => {
    const d = tmp();
    writeFileSync(join(d, 'journal'), 'old');
    writeFilesAtomically([{ path: join(d, 'a.sql'), content: 'A', mode: 'create' }, { path: join(d, 'meta/s.json'), content: 'S', mode: 'create' }, { path: join(d, 'journal'), content: 'new', mode: 'replace' }]);
    expect(readFileSync(join(d, 'a.sql'), 'utf8')).toBe('A');
    expect(readFileSync(join(d, 'meta/s.json'), 'utf8')).toBe('S');
    expect(readFileSync(join(d, 'journal'), 'utf8')).toBe('new');
    expect(readdirSync(d).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('never overwrites an existing migration and writes nothing at all then', () => {
    const d = tmp();
    writeFileSync(join(d, 's.json'), 'keep');
    writeFileSync(join(d, 'journal'), 'old');
    expect(() =>
      writeFilesAtomically([{ path: join(d, 'a.sql'), content: 'A', mode: 'create' }, { path: join(d, 's.json'), content: 'S', mode: 'create' }, { path: join(d, 'journal'), content: 'new', mode: 'replace' }]),
    ).toThrow(expect.objectContaining({ code: 'D1-620', message: expect.stringMatching(/already exists/) }));
    expect(existsSync(join(d, 'a.sql'))).toBe(false);
    expect(readFileSync(join(d, 's.json'), 'utf8')).toBe('keep');
    expect(readFileSync(join(d, 'journal'), 'utf8')).toBe('old');
  });

  it('a file-system failure is a diagnostic and leaves nothing behind', () => {
    const d = tmp();
    writeFileSync(join(d, 'meta'), 'a file where the meta folder goes');
    writeFileSync(join(d, 'journal'), 'old');
    expect(() =>
      writeFilesAtomically([{ path: join(d, 'a.sql'), content: 'A', mode: 'create' }, { path: join(d, 'meta/s.json'), content: 'S', mode: 'create' }, { path: join(d, 'journal'), content: 'new', mode: 'replace' }]),
    ).toThrow(expect.objectContaining({ code: 'D1-621' }));
    expect(readdirSync(d).sort()).toEqual(['journal', 'meta']);
    expect(readFileSync(join(d, 'journal'), 'utf8')).toBe('old');
  });
});
