/**
 * Files shipped with drizzle-d1 (package.json, templates/), found from the package root, so the same
 * code works from tsc's dist/ tree, the dist/cli.cjs bundle and vitest's src/.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

export function packageFile(relative: string): string {
  // A package may require itself by name (Node's self-reference through "exports").
  const manifest = createRequire(import.meta.url).resolve('drizzle-d1/package.json');
  return path.join(path.dirname(manifest), relative);
}
