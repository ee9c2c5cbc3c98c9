import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';

/**
 * What drizzle-kit's bundled `dotenv/config` (dotenv 16.5) does at start-up: read `.env` from the
 * working directory (or `DOTENV_CONFIG_PATH`, `~` expanded) into `process.env` without overriding
 * variables that are already set (unless `DOTENV_CONFIG_OVERRIDE` is set). A missing or unreadable file
 * is silently ignored. Returns the file that was loaded, if any.
 */
export function loadDotenv(cwd: string): string | undefined {
  const configured = process.env.DOTENV_CONFIG_PATH;
  const file = configured
    ? path.resolve(cwd, configured.startsWith('~') ? path.join(os.homedir(), configured.slice(1)) : configured)
    : path.join(cwd, '.env');
  try {
    if (!statSync(file).isFile()) return undefined;
  } catch {
    return undefined;
  }
  try {
    if (process.env.DOTENV_CONFIG_OVERRIDE) {
      Object.assign(process.env, parseEnv(readFileSync(file, 'utf8')));
    } else {
      process.loadEnvFile(file); // never overrides variables that are already set
    }
    return file;
  } catch {
    return undefined; // dotenv ignores files it cannot read
  }
}
