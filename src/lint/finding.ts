/** A lint finding is a Diagnostic with the file and line it is about; this builds one from its code. */
import { CODES, type Code } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/types.js';

export type Finding = Diagnostic & { file: string };

export interface Where {
  file: string;
  line?: number;
  table?: string;
  column?: string;
}

/** A finding with its code's severity, where it is, and one fix as a sentence. */
export function finding(code: Code, message: string, where: Where, fix: string): Finding {
  return { code, severity: CODES[code].severity, message, ...where, fixes: [{ kind: 'do', text: fix }] };
}
