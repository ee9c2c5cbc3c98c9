/**
 * wrangler reads D1 migrations from `migrations_dir` as top-level `*.sql` files unless
 * `migrations_pattern` (wrangler 4.98+) says otherwise, so a drizzle-kit 1.0 folder
 * (`<dir>/<folder>/migration.sql`) needs `"migrations_pattern": "*\/migration.sql"`. This looks at the
 * project's wrangler config for a `migrations_dir` naming `out` without a pattern (D1-634).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { displayPath } from '../diagnostics/errors.js';

const CONFIGS = ['wrangler.jsonc', 'wrangler.json', 'wrangler.toml'];

/** `migrations_dir` values written in a wrangler config (JSON with comments or TOML). */
function migrationDirs(text: string): string[] {
  return [...text.matchAll(/["']?migrations_dir["']?\s*[:=]\s*["']([^"']+)["']/g)].map((m) => m[1]!);
}

/** One warning per wrangler config whose `migrations_dir` is `out` and that sets no `migrations_pattern`. */
export function wranglerPatternWarnings(projectRoot: string, out: string): string[] {
  const warnings: string[] = [];
  for (const name of CONFIGS) {
    const path = join(projectRoot, name);
    if (!existsSync(path)) continue;
    const text = readFileSync(path, 'utf8');
    const pointsAtOut = migrationDirs(text).some((dir) => resolve(projectRoot, dir) === resolve(out));
    if (!pointsAtOut || text.includes('migrations_pattern')) continue;
    warnings.push(
      `[D1-634] ${displayPath(path)} points migrations_dir at ${displayPath(out)}, which uses drizzle-kit 1.0's folder-per-migration layout, but sets no migrations_pattern: ` +
        `wrangler d1 migrations apply would find no migration. Add "migrations_pattern": "*/migration.sql" next to migrations_dir (wrangler 4.98 or later).`,
    );
  }
  return warnings;
}
