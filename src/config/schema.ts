// zod's v3 API (shipped inside zod 4): it loads in ~15 ms where zod 4 classic takes ~100 ms, and
// generate runs many times a day.
import { z } from 'zod/v3';

/** drizzle-kit 0.31 `dialects`. */
export const DIALECTS = ['postgresql', 'mysql', 'sqlite', 'turso', 'singlestore', 'gel'] as const;
/** drizzle-kit 0.31 `prefixes` (config `migrations.prefix` and `--prefix`). */
export const PREFIXES = ['index', 'timestamp', 'supabase', 'unix', 'none'] as const;
export const CASINGS = ['snake_case', 'camelCase'] as const;
/** drizzle-kit 0.31 config `driver` (sqlite and postgres drivers; the same list as `--driver`). */
export const DRIVERS = ['d1-http', 'expo', 'durable-sqlite', 'aws-data-api', 'pglite'] as const;

export type Prefix = (typeof PREFIXES)[number];
export type Casing = (typeof CASINGS)[number];

const stringOrStrings = z.union([z.string(), z.array(z.string())]);

/**
 * drizzle-kit 0.31's `configCommonSchema`: the same fields, defaults and passthrough of unknown keys, so a
 * config drizzle-kit rejects is rejected here too.
 */
export const configSchema = z.object({
  dialect: z.enum(DIALECTS),
  schema: stringOrStrings.optional(),
  out: z.string().optional(),
  breakpoints: z.boolean().optional().default(true),
  verbose: z.boolean().optional().default(false),
  driver: z.enum(DRIVERS).optional(),
  tablesFilter: stringOrStrings.optional(),
  schemaFilter: stringOrStrings.default(['public']),
  migrations: z
    .object({
      table: z.string().optional(),
      schema: z.string().optional(),
      prefix: z.enum(PREFIXES).optional().default('index'),
    })
    .optional(),
  dbCredentials: z.any().optional(),
  casing: z.enum(CASINGS).optional(),
  sql: z.boolean().default(true),
}).passthrough();

export type ParsedConfig = z.output<typeof configSchema>;
