import { describe, expect, it } from 'vitest';
import { checkName, nameProblem } from './names.js';

describe('--name', () => {
  it.each([
    ['add_users', undefined],
    ['add-users-2', undefined],
    ['ajouter_élève', undefined],
    ['', /empty/],
    ['a\nb', /line break/],
    ['a/b', /slash/],
    ['a\\b', /slash/],
    ["it's", /quote/],
    ['say "hi"', /quote/],
    ['a b', /other than a letter/],
    ['n'.repeat(100), undefined],
    ['n'.repeat(101), /longer than 100/],
  ])('%j', (name, problem) => {
    if (problem) expect(nameProblem(name)).toMatch(problem);
    else expect(nameProblem(name)).toBeUndefined();
  });

  it('is refused as D1-706 on one line', () => {
    expect(() => checkName('a\nb')).toThrow(expect.objectContaining({ code: 'D1-706', message: expect.not.stringMatching(/\n/) }));
  });
});
