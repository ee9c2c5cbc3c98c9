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
      throw new UserInputError('D1-600', 
        'migrations.prefix "none" names every snapshot "_snapshot.json", which drizzle-kit itself then ignores, ' +
          'so each later run would regenerate the whole schema. Set migrations.prefix to "index" (the default), ' +
          '"timestamp" or "unix" in drizzle.config.ts.',
      );
  }
}

export function migrationTag(prefix: Prefix, journal: Journal, now: Date, name?: string): string {
  if (name !== undefined && (/[\\/]/.test(name) || name.trim() === '')) {
    throw new UserInputError('D1-600', `--name "${name}" cannot be used as a file name; use letters, digits, "-" or "_".`);
  }
  return `${tagPrefixFor(prefix, journal, now)}_${name ?? randomSuffix()}`;
}
