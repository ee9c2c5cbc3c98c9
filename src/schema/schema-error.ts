import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Code } from '../diagnostics/codes.js';
import { UserInputError } from '../diagnostics/errors.js';

/**
 * A schema that drizzle-kit would reject, or would turn into a snapshot whose SQL SQLite rejects.
 * Each kind of problem has its own code (D1-541 to D1-559, see docs/diagnostics.md).
 */
export class SchemaError extends UserInputError {
  constructor(message: string, code: Code) {
    super(code, message);
    this.name = 'SchemaError';
  }
}

/** The file of a stack frame (`at f (/x/y.ts:1:2)`, `at /x/y.ts:1:2`, `at file:///x/y.mjs:1:2`). */
function frameFile(line: string): string | undefined {
  const m = /^\s+at (?:.*? \()?(.+?):\d+:\d+\)?$/.exec(line);
  if (!m) return undefined;
  const file = m[1]!;
  return file.startsWith('file://') ? fileURLToPath(file) : file;
}

/**
 * The project file (outside node_modules) an error was thrown from, by its stack: drizzle-orm runs
 * code of the schema while the tables are read (`references(() => …)`, a table's extra-config
 * callback), and what that code throws is the user's to fix, not a crash of drizzle-d1.
 */
export function projectFileOf(err: unknown, projectRoot: string): string | undefined {
  if (!(err instanceof Error) || typeof err.stack !== 'string') return undefined;
  const root = path.resolve(projectRoot) + path.sep;
  for (const line of err.stack.split('\n')) {
    const file = frameFile(line);
    if (file?.startsWith(root) && !file.includes(`${path.sep}node_modules${path.sep}`)) return file;
  }
  return undefined;
}
