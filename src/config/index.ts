export { UserInputError } from '../diagnostics/errors.js';
export { loadDotenv } from './env.js';
export {
  DEFAULT_CONFIG_FILES,
  resolveConfig,
  type GenerateFlags,
  type ResolvedConfig,
} from './resolve.js';
export { CASINGS, DIALECTS, DRIVERS, PREFIXES, type Casing, type Prefix } from './schema.js';
