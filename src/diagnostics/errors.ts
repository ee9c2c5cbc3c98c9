import { isAbsolute, relative } from 'node:path';
import { CODES, type Code } from './codes.js';
import type { Diagnostic } from './types.js';

/**
 * Bad input from the user (config, schema, migrations folder, flags, a change that cannot be made
 * safely). The message is one paragraph naming the file and saying what to do; the CLI prints it
 * with its code and exits 1 without writing anything.
 */
export class UserInputError extends Error {
  constructor(
    public readonly code: Code,
    message: string,
    public readonly file?: string,
  ) {
    super(message);
    this.name = 'UserInputError';
  }

  /** The error as a diagnostic, for `--json` and for rendering. */
  get diagnostics(): Diagnostic[] {
    return [{ code: this.code, severity: CODES[this.code].severity, message: this.message, ...(this.file ? { file: this.file } : {}) }];
  }
}

/**
 * The planner's refusal of a change: one diagnostic per reason, each with its own code and fixes.
 * `schemaFiles`: where the user makes the fix.
 */
export class PlanRefusal extends UserInputError {
  constructor(
    public readonly refusals: Diagnostic[],
    public readonly schemaFiles: string[] = [],
  ) {
    super(refusals[0]!.code, refusals.map((d) => d.message).join(' '), schemaFiles[0]);
    this.name = 'PlanRefusal';
  }

  override get diagnostics(): Diagnostic[] {
    return this.refusals.map((d) => (d.file || !this.file ? d : { ...d, file: this.file }));
  }
}

/** `file` relative to `root` when it lies inside it, absolute otherwise: how every message names a file. */
export function displayPath(file: string, root: string = process.cwd()): string {
  const rel = relative(root, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** zod's issues as one line for a message: "`path`: problem; …" (the first three, then a count). */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[], top = '(top level)'): string {
  const shown = issues.slice(0, 3).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.map(String).join('.') : top;
    return `\`${where}\`: ${issue.message.replace(/^Invalid (?:input|option): /, '')}`;
  });
  return shown.join('; ') + (issues.length > 3 ? ` (and ${issues.length - 3} more)` : '');
}
