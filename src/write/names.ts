/** Migration tags as drizzle-kit names them: `<prefix>_<suffix>`. */
import { randomInt } from 'node:crypto';
import { UserInputError } from '../diagnostics/errors.js';
import type { Journal } from '../snapshot/types.js';

export type Prefix = 'index' | 'timestamp' | 'supabase' | 'unix' | 'none';

// Our own word lists for the random `adjective_noun` suffix drizzle-kit users are used to.
const ADJECTIVES = [
  'amber', 'brave', 'calm', 'dapper', 'eager', 'fancy', 'gentle', 'happy', 'icy', 'jolly', 'keen', 'lively',
  'mellow', 'nimble', 'odd', 'proud', 'quiet', 'rapid', 'shiny', 'tidy', 'upbeat', 'vivid', 'warm', 'young',
  'zesty', 'bold', 'crisp', 'dusty', 'early', 'fresh', 'grand', 'humble', 'loud', 'merry', 'noble', 'plain',
];
const NOUNS = [
  'anchor', 'badger', 'comet', 'delta', 'ember', 'falcon', 'glacier', 'harbor', 'island', 'jaguar', 'kestrel',
  'lantern', 'meadow', 'nebula', 'otter', 'pebble', 'quasar', 'raven', 'summit', 'tundra', 'umbra', 'valley',
  'walrus', 'yonder', 'zephyr', 'beacon', 'canyon', 'dune', 'forest', 'geyser', 'heron', 'lagoon', 'marble',
];

export const randomSuffix = () => `${ADJECTIVES[randomInt(ADJECTIVES.length)]}_${NOUNS[randomInt(NOUNS.length)]}`;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function tagPrefixFor(prefix: Prefix, journal: Journal, now: Date): string {
  switch (prefix) {
    case 'index': {
      const last = journal.entries.at(-1);
      return pad(last ? last.idx + 1 : 0, 4);
    }
    case 'timestamp':
    case 'supabase':
      return (
        `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}` +
        `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`
      );
    case 'unix':
      return String(Math.floor(now.getTime() / 1000));
    case 'none':
      throw new UserInputError('D1-505',
        'migrations.prefix "none" names every snapshot "_snapshot.json", which drizzle-kit itself then ignores, ' +
          'so each later run would regenerate the whole schema. Set migrations.prefix to "index" (the default), ' +
          '"timestamp" or "unix" in drizzle.config.ts.',
      );
  }
}

/** Longest `--name`: with a 14-digit prefix and `.sql`, far below the 255 bytes a file name may have. */
export const MAX_NAME_LENGTH = 100;

/** Why `name` cannot be a migration's file-name suffix, or undefined when it can. */
export function nameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'is empty';
  if (/[\r\n]/.test(name)) return 'contains a line break';
  if (/[\\/]/.test(name)) return 'contains a slash, which would put the file in another folder';
  if (/['"`]/.test(name)) return 'contains a quote';
  if (Buffer.byteLength(name) > MAX_NAME_LENGTH) return `is longer than ${MAX_NAME_LENGTH} bytes`;
  if (!/^[\p{L}\p{N}_-]+$/u.test(name)) return 'contains a character other than a letter, a digit, "-" or "_"';
  return undefined;
}

/** Refuses a `--name` that cannot be a file-name suffix. */
export function checkName(name: string): void {
  const problem = nameProblem(name);
  if (problem) {
    throw new UserInputError('D1-706', `--name ${JSON.stringify(name)} ${problem}, so it cannot be used as a migration file name; use letters, digits, "-" or "_" (at most ${MAX_NAME_LENGTH}).`);
  }
}

export function migrationTag(prefix: Prefix, journal: Journal, now: Date, name?: string): string {
  if (name !== undefined) checkName(name);
  return `${tagPrefixFor(prefix, journal, now)}_${name ?? randomSuffix()}`;
}
