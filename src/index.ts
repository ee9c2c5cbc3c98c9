/** Library entry: the pipeline stages, usable without the CLI. */
export { generate, loadSchemaState, resolveRenames, AmbiguityError } from './generate.js';
export type { GenerateOptions, GenerateResult, RenameResolver } from './generate.js';
export { diffSchemas, findAmbiguities } from './diff/diff.js';
export type { Change, Renames, Ambiguity } from './diff/types.js';
export { planMigration } from './plan/plan.js';
export type { Plan, Step, RebuildStep } from './plan/types.js';
export { renderMigration, stepSql } from './sql/render.js';
export { readMigrationsFolder, formatSnapshot, formatJournal } from './snapshot/io.js';
export type { Snapshot, SchemaState, Journal } from './snapshot/types.js';
export { UserInputError } from './diagnostics/errors.js';
