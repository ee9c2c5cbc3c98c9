/** Library entry: the pipeline stages, usable without the CLI. */
export { generate, loadSchemaState, resolveRenames, AmbiguityError } from './generate.js';
export type { GenerateOptions, GenerateResult, RenameResolver } from './generate.js';
export { diffSchemas, findAmbiguities } from './diff/diff.js';
export type { Change, Renames, Ambiguity } from './diff/types.js';
export { planMigration } from './plan/plan.js';
export type { Plan, Step, Rebuild } from './plan/types.js';
export { summarizePlan, type PlanSummary } from './plan/summary.js';
export type { Diagnostic, Fix, Code } from './diagnostics/index.js';
export { renderMigration, stepSql } from './sql/render.js';
export { readMigrationsFolder, formatSnapshot, formatJournal } from './snapshot/io.js';
export type { Snapshot, SchemaState, Journal } from './snapshot/types.js';
export { UserInputError, PlanRefusal } from './diagnostics/errors.js';
