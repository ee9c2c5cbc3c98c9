/**
 * The code reads as a pipeline of stages: no import cycle between files, nor between the stage
 * folders of `src/` (config → schema → snapshot → diff → plan → sql → write, with d1/ beside them),
 * and as small functions: none longer than 100 lines.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Relative imports of a file, `import type` included (a type cycle is still a design cycle). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((m) => m[1]!);
  return specs.map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts')));
}

function findCycle(graph: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (n: string): string[] | null => {
    if (state.get(n) === 'done') return null;
    if (state.get(n) === 'open') return [...stack.slice(stack.indexOf(n)), n];
    state.set(n, 'open');
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      const cycle = visit(m);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(n, 'done');
    return null;
  };
  for (const n of graph.keys()) {
    const cycle = visit(n);
    if (cycle) return cycle;
  }
  return null;
}

/** Every function with a body (declarations, methods, arrows, accessors) and its length in lines. */
function functionsOf(file: string): { name: string; lines: number }[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: { name: string; lines: number }[] = [];
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line;
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const name = node.name && ts.isIdentifier(node.name) ? node.name.text : `(anonymous at line ${lineOf(node.getStart()) + 1})`;
      out.push({ name: `${relative(SRC, file)}: ${name}`, lines: lineOf(node.getEnd()) - lineOf(node.getStart()) + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

const MAX_FUNCTION_LINES = 100;

const files = sourceFiles(SRC);
const fileGraph = new Map(files.map((f) => [f, new Set(importsOf(f))]));

describe('architecture', () => {
  it('no import cycle between files of src/', () => {
    const cycle = findCycle(fileGraph);
    expect(cycle?.map((f) => relative(SRC, f)) ?? null).toBeNull();
  });

  it('no import cycle between the stage folders of src/', () => {
    const folderOf = (f: string) => relative(SRC, f).split('/').slice(0, -1).join('/') || '.';
    const folders = new Map<string, Set<string>>();
    for (const [f, deps] of fileGraph) {
      const from = folderOf(f);
      if (from === '.') continue; // src/index.ts and generate.ts sit on top of every stage
      const set = folders.get(from) ?? new Set<string>();
      for (const d of deps) if (folderOf(d) !== from && folderOf(d) !== '.') set.add(folderOf(d));
      folders.set(from, set);
    }
    expect(findCycle(folders)).toBeNull();
  });

  it(`no function in src/ is longer than ${MAX_FUNCTION_LINES} lines`, () => {
    const tooLong = files
      .flatMap(functionsOf)
      .filter((f) => f.lines > MAX_FUNCTION_LINES)
      .map((f) => `${f.name} (${f.lines} lines)`);
    expect(tooLong).toEqual([]);
  });
});
