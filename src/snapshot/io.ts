/**
 * Reading and formatting the migrations folder drizzle-kit 0.31 keeps: `<out>/meta/_journal.json`,
 * `<out>/meta/<prefix>_snapshot.json` and `<out>/<tag>.sql`. Reading validates everything and turns
 * each problem into a UserInputError naming the file; formatting is byte-compatible with drizzle-kit.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeIssues, displayPath, UserInputError } from '../diagnostics/errors.js';
import { sameJson } from './equal.js';
import {
  ZERO_ID,
  emptyState,
  journalSchema,
  snapshotSchema,
  type Journal,
  type SchemaState,
  type Snapshot,
} from './types.js';

export interface MigrationsFolder {
  /** Absolute path of `out`. */
  dir: string;
  journal: Journal;
  /** Snapshot files in drizzle-kit's order (names sorted) with their ids; the last one is the previous state. */
  snapshots: { file: string; id: string; prevId: string }[];
  /** The latest snapshot, validated in full, or null for a fresh project. */
  latest: Snapshot | null;
  /** Problems further back in the history that do not stop generation. */
  warnings: string[];
}

export const journalPath = (out: string) => join(out, 'meta', '_journal.json');

const show = (path: string) => displayPath(path);

function parseJsonFile(path: string, what: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UserInputError('D1-600', 
      `${show(path)} is not valid JSON (${(e as Error).message}). It is drizzle-kit's ${what}; ` +
        `restore it from version control, or delete the migrations folder's last migration and ` +
        `its snapshot and generate again.`,
      path,
    );
  }
}


/**
 * Reads one snapshot file (drizzle-kit SQLite snapshot version 6). Only the latest snapshot is the
 * previous state and is validated in full; older ones are checked for their version, dialect and ids
 * (what the collision check needs), which keeps long histories fast. `known`: the state just
 * serialized from the schema, whose identical tables and views need no check.
 */
export function readSnapshotFile(path: string, full = true, known?: SchemaState): Snapshot {
  const raw = parseJsonFile(path, 'snapshot of the schema after that migration');
  const version = (raw as { version?: unknown })?.version;
  const dialect = (raw as { dialect?: unknown })?.dialect;
  if (dialect !== undefined && dialect !== 'sqlite') {
    throw new UserInputError('D1-600', 
      `${show(path)} is a "${String(dialect)}" snapshot, but drizzle-d1 only handles SQLite (Cloudflare D1). ` +
        `Point "out" in drizzle.config.ts at the migrations folder of your D1 database.`,
      path,
    );
  }
  if (version === '5') {
    throw new UserInputError('D1-600', 
      `${show(path)} is a version 5 snapshot written by drizzle-kit 0.20 or older. ` +
        `Run "npx drizzle-kit up" once to upgrade the folder to version 6, then run drizzle-d1 again.`,
      path,
    );
  }
  if (version !== '6') {
    throw new UserInputError('D1-600', 
      `${show(path)} has snapshot version ${JSON.stringify(version)}, which drizzle-d1 does not understand ` +
        `(it reads drizzle-kit 0.21–0.31 SQLite snapshots, version "6"). ` +
        `If this folder was written by drizzle-kit 1.0, keep using drizzle-kit 1.0 for it; otherwise restore the file from version control.`,
      path,
    );
  }
  if (!full) {
    const { id, prevId } = raw as { id?: unknown; prevId?: unknown };
    if (typeof id === 'string' && typeof prevId === 'string') return raw as Snapshot;
  }
  const parsed = snapshotSchema.safeParse(known ? withoutKnownEntries(raw, known) : raw);
  if (!parsed.success) {
    throw new UserInputError('D1-600', 
      `${show(path)} is not a valid drizzle-kit SQLite snapshot (${describeIssues(parsed.error.issues)}). ` +
        `Restore it from version control; drizzle-d1 will not guess the previous schema.`,
      path,
    );
  }
  return known ? withKnownEntries(parsed.data, raw, known) : parsed.data;
}

type Entries = Record<string, unknown>;
const sections = ['tables', 'views'] as const;
const isEntries = (v: unknown): v is Entries => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * zod v3 allocates per field it checks: a 300-table snapshot takes ~40 ms to validate, more than the
 * rest of a no-change run. A table or view that is JSON-identical to the one the serializer just
 * built from the schema (`known`, valid by construction) needs no check, so only the others go
 * through zod (with their real paths in any message).
 */
function withoutKnownEntries(raw: unknown, known: SchemaState): unknown {
  if (!isEntries(raw)) return raw;
  const reduced: Entries = { ...raw };
  for (const section of sections) {
    const entries = raw[section];
    if (!isEntries(entries)) continue;
    reduced[section] = Object.fromEntries(Object.entries(entries).filter(([name, e]) => !(Object.hasOwn(known[section], name) && sameJson(e, known[section][name]))));
  }
  return reduced;
}

/** The validated snapshot with the known entries put back, in the file's order. */
function withKnownEntries(parsed: Snapshot, raw: unknown, known: SchemaState): Snapshot {
  const result = { ...parsed };
  for (const section of sections) {
    const entries = (raw as Entries)[section];
    if (!isEntries(entries)) continue;
    const checked = parsed[section] as Entries;
    result[section] = Object.fromEntries(Object.keys(entries).map((name) => [name, checked[name] ?? entries[name]])) as never;
  }
  return result;
}

/** The `<prefix>` part of a journal tag, which names its snapshot file. */
export const tagPrefix = (tag: string) => {
  const i = tag.indexOf('_');
  return i < 0 ? tag : tag.slice(0, i);
};

export function readMigrationsFolder(out: string, known?: SchemaState): MigrationsFolder {
  const metaDir = join(out, 'meta');
  const jPath = journalPath(out);
  const empty: Journal = { version: '7', dialect: 'sqlite', entries: [] };

  if (existsSync(out)) {
    // Only sub-folders can be another layout; one listing serves both checks (this runs every time).
    const folders = readdirSync(out, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    const legacy = folders.filter((n) => /^\d{14}$/.test(n));
    if (legacy.length) {
      throw new UserInputError('D1-600', 
        `${show(join(out, legacy[0]!))} is an old drizzle-kit (≤0.19) migration folder. ` +
          `Run "npx drizzle-kit up" once to upgrade the layout, then run drizzle-d1 again.`,
        join(out, legacy[0]!),
      );
    }
    const v1 = existsSync(jPath)
      ? undefined
      : folders.find((n) => existsSync(join(out, n, 'migration.sql')) && existsSync(join(out, n, 'snapshot.json')));
    if (v1) {
      throw new UserInputError('D1-600', 
        `${show(join(out, v1))} uses drizzle-kit 1.0's folder-per-migration layout, which drizzle-d1 does not write yet. ` +
          `drizzle-d1 continues drizzle-kit 0.x folders (meta/_journal.json and snapshots); keep using drizzle-kit 1.0 for this folder.`,
        join(out, v1),
      );
    }
  }

  const snapshotFiles = existsSync(metaDir)
    ? readdirSync(metaDir)
        .filter((n) => !n.startsWith('_') && n.endsWith('.json'))
        .sort()
    : [];

  let journal = empty;
  if (existsSync(jPath)) {
    const parsed = journalSchema.safeParse(parseJsonFile(jPath, 'migration journal'));
    if (!parsed.success) {
      throw new UserInputError('D1-600', 
        `${show(jPath)} is not a valid drizzle-kit journal (${describeIssues(parsed.error.issues)}). ` +
          `Restore it from version control; it lists the migrations that drizzle-orm's migrator applies.`,
        jPath,
      );
    }
    journal = parsed.data;
    if (journal.dialect !== 'sqlite') {
      throw new UserInputError('D1-600', 
        `${show(jPath)} belongs to a "${journal.dialect}" project, but drizzle-d1 only handles SQLite (Cloudflare D1). ` +
          `Point "out" in drizzle.config.ts at your D1 migrations folder.`,
        jPath,
      );
    }
  } else if (snapshotFiles.length) {
    throw new UserInputError('D1-600', 
      `${show(jPath)} is missing although ${show(metaDir)} holds snapshots. ` +
        `Restore the journal from version control; without it drizzle-orm's migrator cannot know which migrations exist.`,
      jPath,
    );
  }

  const read = snapshotFiles.map((file, i) => ({
    file,
    snapshot: readSnapshotFile(join(metaDir, file), i === snapshotFiles.length - 1, known),
  }));
  const snapshots = read.map(({ file, snapshot }) => ({ file, id: snapshot.id, prevId: snapshot.prevId }));

  // The latest migration must be whole: its snapshot is the previous state, and without its SQL its
  // changes would never reach the database. Gaps further back (files deleted by hand, as real
  // histories have) do not change what is generated, and drizzle-kit ignores them too: warn only.
  const warnings: string[] = [];
  journal.entries.forEach((entry, i) => {
    const latest = i === journal.entries.length - 1;
    const sqlPath = join(out, `${entry.tag}.sql`);
    if (!existsSync(sqlPath)) {
      if (!latest) {
        warnings.push(`${show(sqlPath)} is missing although ${show(jPath)} lists it; drizzle-orm's migrators cannot read this folder until it is restored or its entry removed.`);
      } else {
        throw new UserInputError('D1-600', 
          `${show(sqlPath)} is missing: ${show(jPath)} lists migration "${entry.tag}" but its SQL file is not there. ` +
            `Restore it from version control, or remove the entry (and its snapshot) if the migration was never applied anywhere.`,
          sqlPath,
        );
      }
    }
    const snapPath = join(metaDir, `${tagPrefix(entry.tag)}_snapshot.json`);
    if (!existsSync(snapPath)) {
      if (!latest) {
        warnings.push(`${show(snapPath)} is missing although ${show(jPath)} lists "${entry.tag}"; only the latest snapshot is needed to generate.`);
      } else {
        throw new UserInputError('D1-600', 
          `${show(snapPath)} is missing: ${show(jPath)} lists migration "${entry.tag}" but not the snapshot drizzle-kit wrote with it. ` +
            `Restore it from version control; drizzle-d1 needs it to know the schema after that migration.`,
          snapPath,
        );
      }
    }
  });

  const byPrev = new Map<string, string>();
  for (const snapshot of snapshots) {
    const { file } = snapshot;
    const other = byPrev.get(snapshot.prevId);
    if (other) {
      throw new UserInputError('D1-600', 
        `${show(join(metaDir, file))} and ${show(join(metaDir, other))} have the same prevId (${snapshot.prevId}): ` +
          `two migrations were generated from the same state, usually on two branches. ` +
          `Keep one of them, delete the other migration's SQL, snapshot and journal entry, and generate again.`,
        join(metaDir, file),
      );
    }
    byPrev.set(snapshot.prevId, file);
  }

  return { dir: out, journal, snapshots, latest: read.at(-1)?.snapshot ?? null, warnings };
}

export const stateOf = (s: Snapshot | null): SchemaState =>
  s ? { tables: s.tables, views: s.views, internal: s.internal } : emptyState();

export const previousId = (s: Snapshot | null) => s?.id ?? ZERO_ID;

/** A snapshot in drizzle-kit's key order, formatted as drizzle-kit writes it (2 spaces, no newline at the end). */
export function formatSnapshot(s: Snapshot): string {
  const ordered = {
    version: s.version,
    dialect: s.dialect,
    id: s.id,
    prevId: s.prevId,
    tables: s.tables,
    views: s.views,
    enums: s.enums,
    _meta: { schemas: s._meta.schemas, tables: s._meta.tables, columns: s._meta.columns },
    internal: s.internal,
  };
  return JSON.stringify(ordered, null, 2);
}

type Json = Record<string, unknown>;
const pick = (o: Json, keys: string[]): Json => Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
const mapValues = (o: unknown, f: (v: Json) => Json): Json =>
  Object.fromEntries(Object.entries((o ?? {}) as Record<string, Json>).map(([k, v]) => [k, f(v)]));
const kitColumn = (c: Json) =>
  pick({ ...c, generated: c.generated && pick(c.generated as Json, ['type', 'as']) }, ['name', 'type', 'primaryKey', 'notNull', 'autoincrement', 'default', 'generated']);

/**
 * drizzle-kit's `--custom` snapshot: the previous snapshot as drizzle-kit's own (zod) reader returns
 * it, so every object in its schema's key order, with `id, prevId` first and an empty `_meta`.
 */
export function formatCustomSnapshot(prev: Json, id: string, prevId: string): string {
  const tables = mapValues(prev.tables, (t) => ({
    name: t.name,
    columns: mapValues(t.columns, kitColumn),
    indexes: mapValues(t.indexes, (i) => pick(i, ['name', 'columns', 'where', 'isUnique'])),
    foreignKeys: mapValues(t.foreignKeys, (f) => pick(f, ['name', 'tableFrom', 'columnsFrom', 'tableTo', 'columnsTo', 'onUpdate', 'onDelete'])),
    compositePrimaryKeys: mapValues(t.compositePrimaryKeys, (k) => pick(k, ['columns', 'name'])),
    uniqueConstraints: mapValues(t.uniqueConstraints, (u) => pick(u, ['name', 'columns'])),
    checkConstraints: mapValues(t.checkConstraints, (c) => pick(c, ['name', 'value'])),
  }));
  const views = mapValues(prev.views, (v) => pick({ ...v, columns: mapValues(v.columns, kitColumn) }, ['name', 'columns', 'definition', 'isExisting']));
  const snapshot = pick(
    {
      id,
      prevId,
      version: prev.version ?? '6',
      dialect: prev.dialect ?? 'sqlite',
      tables,
      views,
      enums: prev.enums ?? {},
      _meta: { columns: {}, schemas: {}, tables: {} },
      internal: prev.internal,
    },
    ['id', 'prevId', 'version', 'dialect', 'tables', 'views', 'enums', '_meta', 'internal'],
  );
  return JSON.stringify(snapshot, null, 2);
}

export function formatJournal(j: Journal): string {
  return JSON.stringify(
    {
      version: j.version,
      dialect: j.dialect,
      entries: j.entries.map((e) => ({ idx: e.idx, version: e.version, when: e.when, tag: e.tag, breakpoints: e.breakpoints })),
    },
    null,
    2,
  );
}

/**
 * `<out>/migrations.js`, which drizzle-kit writes for the `expo` and `durable-sqlite` drivers (their
 * migrators import the SQL files through a bundler instead of reading the folder). Same text as
 * drizzle-kit 0.31 writes, so switching tools leaves the file unchanged.
 */
export function formatEmbeddedMigrations(journal: Journal, driver: string): string {
  const key = (idx: number) => `m${String(idx).padStart(4, '0')}`;
  let text = driver === 'expo' ? '// This file is required for Expo/React Native SQLite migrations - https://orm.drizzle.team/quick-sqlite/expo\n\n' : '';
  text += "import journal from './meta/_journal.json';\n";
  for (const e of journal.entries) text += `import ${key(e.idx)} from './${e.tag}.sql';\n`;
  text += `\n  export default {\n    journal,\n    migrations: {\n      ${journal.entries.map((e) => key(e.idx)).join(',\n')}\n    }\n  }\n  `;
  return text;
}

/** Drivers whose migrator needs `migrations.js` next to the SQL files. */
export const bundlesMigrations = (driver: string | undefined) => driver === 'expo' || driver === 'durable-sqlite';
