/** A throw-away folder under the OS temp dir holding `files`, with this repo's node_modules linked in. */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE_MODULES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules');
const created: string[] = [];

export function projectWith(files: Record<string, string>, { nodeModules = true, prefix = 'drizzle-d1-' } = {}): string {
  const dir = mkdtempSync(path.join(realpathSync(tmpdir()), prefix));
  created.push(dir);
  if (nodeModules) symlinkSync(NODE_MODULES, path.join(dir, 'node_modules'), 'dir');
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return dir;
}

export function removeProjects(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}
