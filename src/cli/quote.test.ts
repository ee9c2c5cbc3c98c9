import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellQuote } from './quote.js';

describe('shellQuote', () => {
  it.each([`[{"to":["users"]}]`, `it's`, `'`, `a'b'c`, `$HOME \`x\` "y" \\n !`])('%s comes back unchanged through a POSIX shell', (text) => {
    const r = spawnSync('sh', ['-c', `printf %s ${shellQuote(text)}`], { encoding: 'utf8' });
    expect(r.stdout).toBe(text);
  });
});
