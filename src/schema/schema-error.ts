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
