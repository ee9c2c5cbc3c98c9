/**
 * The D1 database the runbook's wrangler commands name: `d1_databases[0]` of the project's
 * wrangler.jsonc, wrangler.json or wrangler.toml (wrangler's own lookup order), or `<DB>` when none
 * is found. Only the two fields the commands need are read; nothing else of the file is interpreted.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface WranglerDatabase {
  /** `database_name`, or `<DB>`. */
  name: string;
  /** `migrations_table` (wrangler's default `d1_migrations`). */
  migrationsTable: string;
  /** The wrangler config file it came from, if any. */
  file?: string;
}

const FILES = ['wrangler.jsonc', 'wrangler.json', 'wrangler.toml'] as const;
const DEFAULT: WranglerDatabase = { name: '<DB>', migrationsTable: 'd1_migrations' };

/** The end (index of the closing quote) of the JSON string starting at `i`. */
function stringEnd(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
  return j;
}

/** JSON with comments and trailing commas as plain JSON: comments become spaces, strings stay as they are. */
export function stripJsonComments(text: string): string {
  let plain = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') {
      const end = stringEnd(text, i);
      plain += text.slice(i, end + 1);
      i = end;
    } else if (text.startsWith('//', i)) {
      while (i < text.length && text[i] !== '\n') i++;
      plain += '\n';
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
      plain += ' ';
    } else plain += text[i];
  }
  // A comma outside a string followed (past white space) by } or ] is a trailing comma.
  let out = '';
  for (let i = 0; i < plain.length; i++) {
    if (plain[i] === '"') {
      const end = stringEnd(plain, i);
      out += plain.slice(i, end + 1);
      i = end;
    } else if (plain[i] !== ',' || !/^\s*[}\]]/.test(plain.slice(i + 1))) out += plain[i];
  }
  return out;
}

function fromJson(text: string): Partial<WranglerDatabase> {
  const config = JSON.parse(stripJsonComments(text)) as { d1_databases?: { database_name?: unknown; migrations_table?: unknown }[] };
  const db = config.d1_databases?.[0];
  return {
    ...(typeof db?.database_name === 'string' ? { name: db.database_name } : {}),
    ...(typeof db?.migrations_table === 'string' ? { migrationsTable: db.migrations_table } : {}),
  };
}

/** `key = "value"` or `key = 'value'` in a TOML line (also inside an inline table). */
function tomlString(line: string, key: string): string | undefined {
  const m = new RegExp(`(?:^|[\\s,{])${key}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|'([^']*)')`).exec(line);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** The first `[[d1_databases]]` table of a wrangler.toml, or the first entry of `d1_databases = [{…}]`. */
function fromToml(text: string): Partial<WranglerDatabase> {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^\s*(\[\[\s*d1_databases\s*\]\]|d1_databases\s*=)/.test(l));
  const out: Partial<WranglerDatabase> = {};
  if (start < 0) return out;
  for (let i = start; i < lines.length; i++) {
    if (i > start && /^\s*\[/.test(lines[i]!)) break; // the next table header
    const name = out.name ?? tomlString(lines[i]!, 'database_name');
    const table = out.migrationsTable ?? tomlString(lines[i]!, 'migrations_table');
    if (name !== undefined) out.name = name;
    if (table !== undefined) out.migrationsTable = table;
  }
  return out;
}

/** The first D1 database of the wrangler config in `projectRoot`; `<DB>` when there is none or it cannot be read. */
export function wranglerDatabase(projectRoot: string): WranglerDatabase {
  for (const name of FILES) {
    const file = join(projectRoot, name);
    if (!existsSync(file)) continue;
    try {
      const text = readFileSync(file, 'utf8');
      const found = name.endsWith('.toml') ? fromToml(text) : fromJson(text);
      return { ...DEFAULT, ...found, file };
    } catch {
      return { ...DEFAULT, file }; // unreadable or not JSON: the runbook says <DB>
    }
  }
  return DEFAULT;
}
