/** The SchemaError the serialiser throws for a schema, for tests that assert its code and message. */
import * as orm from 'drizzle-orm';
import * as sqliteCore from 'drizzle-orm/sqlite-core';
import { expect } from 'vitest';
import type { Code } from '../../src/diagnostics/codes.js';
import { collectEntities, SchemaError, serializeSchema, type Casing, type DrizzleModules } from '../../src/schema/serialize.js';

const M: DrizzleModules = { orm, sqliteCore };

/** The code and message of the SchemaError serialising `imports` throws; throws "expected a SchemaError" if none. */
export function refusal(imports: Record<string, unknown>, casing?: Casing): { code: Code; message: string } {
  try {
    serializeSchema(collectEntities([imports], M), M, casing);
  } catch (e) {
    expect(e).toBeInstanceOf(SchemaError);
    return { code: (e as SchemaError).code, message: (e as SchemaError).message };
  }
  throw new Error('expected a SchemaError');
}
