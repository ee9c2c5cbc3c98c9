/**
 * Temporary Drizzle projects for tests: a folder with drizzle.config.ts, a schema file and this
 * repository's node_modules linked in, so the user's drizzle-orm is the one the tests compare with.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, type GenerateResult } from '../../src/generate.js';
import { projectWith } from './files.js';
import type { GenerateFlags } from '../../src/config/index.js';
import type { Renames } from '../../src/diff/types.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface ProjectOptions {
  /** Extra drizzle.config.ts fields, as TypeScript source (e.g. `casing: 'snake_case'`). */
  configExtra?: string;
  out?: string;
}

export class TempProject {
  readonly dir: string;
  readonly out: string;

  constructor(options: ProjectOptions = {}) {
    const out = options.out ?? 'drizzle';
    this.dir = projectWith({
      'drizzle.config.ts':
        `import { defineConfig } from 'drizzle-kit';\n` +
        `export default defineConfig({ dialect: 'sqlite', schema: './src/schema.ts', out: './${out}', ${options.configExtra ?? ''} });\n`,
    });
    this.out = join(this.dir, out);
  }

  write(files: Record<string, string>): this {
    for (const [rel, text] of Object.entries(files)) {
      const path = join(this.dir, rel);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
    return this;
  }

  schema(source: string): this {
    return this.write({ 'src/schema.ts': source });
  }

  async generate(
    options: { flags?: GenerateFlags; renames?: Renames; backfill?: Record<string, string>; now?: Date } = {},
  ): Promise<GenerateResult> {
    return generate({ cwd: this.dir, flags: options.flags ?? {}, renames: options.renames, backfill: options.backfill, now: options.now });
  }

  /** Top-level migration files in wrangler's (lexicographic) order. */
  sqlFiles(): string[] {
    return existsSync(this.out) ? readdirSync(this.out).filter((f) => f.endsWith('.sql')).sort() : [];
  }

  read(rel: string): string {
    return readFileSync(join(this.dir, rel), 'utf8');
  }

  listTree(): string[] {
    const walk = (d: string, prefix: string): string[] =>
      existsSync(d)
        ? readdirSync(d, { withFileTypes: true }).flatMap((e) =>
            e.isDirectory() ? (e.name === 'node_modules' ? [] : walk(join(d, e.name), `${prefix}${e.name}/`)) : [`${prefix}${e.name}`],
          )
        : [];
    return walk(this.dir, '').sort();
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A drizzle-orm sqlite-core import line for schema sources. */
export const CORE = `import { sqliteTable, sqliteView, integer, text, real, blob, numeric, index, uniqueIndex, unique, primaryKey, foreignKey, check } from 'drizzle-orm/sqlite-core';\nimport { sql } from 'drizzle-orm';\n`;
