import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CODES } from './codes.js';

const doc = readFileSync(new URL('../../docs/diagnostics.md', import.meta.url), 'utf8');
const documented = [...doc.matchAll(/^### (D1-\d{3}): (.+)$/gm)].map((m) => ({ code: m[1]!, title: m[2]!.trim() }));

describe('diagnostic codes', () => {
  it('docs/diagnostics.md has one entry per code, with the same title, in code order', () => {
    const registry = Object.entries(CODES).map(([code, info]) => ({ code, title: info.title })).sort((a, b) => a.code.localeCompare(b.code));
    expect(documented).toEqual(registry);
  });

  it('every entry explains the code: a paragraph below its heading', () => {
    const sections = doc.split(/^### /m).slice(1);
    for (const s of sections) expect(s.split('\n').slice(1).join('\n').trim().length, s.split('\n')[0]).toBeGreaterThan(40);
  });
});
