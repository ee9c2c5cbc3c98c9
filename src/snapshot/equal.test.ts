import { describe, expect, it } from 'vitest';
import { sameJson } from './equal.js';

describe('sameJson', () => {
  const cases: [unknown, unknown][] = [
    [{ a: 1, b: [1, 'x', null] }, { a: 1, b: [1, 'x', null] }],
    [{ a: 1, b: 2 }, { b: 2, a: 1 }],
    [{ a: 1, u: undefined }, { a: 1 }],
    [[undefined], [null]],
    [{ a: { b: { c: [true] } } }, { a: { b: { c: [false] } } }],
    [[1, 2], [1, 2, 3]],
    [{}, []],
    [null, {}],
    ['1', 1],
    [undefined, undefined],
    [{ a: '' }, { a: 0 }],
    [{ columns: { id: { name: 'id', default: undefined } } }, { columns: { id: { name: 'id' } } }],
    [{ a: 1, b: undefined, c: 2 }, { a: 1, c: 2, d: undefined }],
    [{ a: undefined, b: 1 }, { b: 1, c: 2 }],
    [{ a: 1, b: undefined }, { a: 1, c: undefined }],
    [[{ a: 1 }, [2]], [{ a: 1 }, [3]]],
  ];
  it.each(cases)('agrees with comparing JSON.stringify output: %j vs %j', (a, b) => {
    expect(sameJson(a, b)).toBe(JSON.stringify(a) === JSON.stringify(b));
  });
});
