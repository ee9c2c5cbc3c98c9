export { CODES, severityOf, type Code } from './codes.js';
export type { Diagnostic, Fix, Severity } from './types.js';
export { UserInputError, PlanRefusal, displayPath, describeIssues } from './errors.js';
export { errnoOf, fileSystemError } from './fs.js';
