/**
 * Reading and formatting the migrations folder drizzle-kit 0.31 keeps: `<out>/meta/_journal.json`,
 * `<out>/meta/<prefix>_snapshot.json` and `<out>/<tag>.sql`. Reading validates everything and turns
 * each problem into a UserInputError naming the file; formatting is byte-compatible with drizzle-kit.
 */
import { existsSync, readdirSync, type Dirent } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Code } from '../diagnostics/codes.js';
import { describeIssues, displayPath, UserInputError } from '../diagnostics/errors.js';
import { errnoOf, fileSystemError, readFolderText } from '../diagnostics/fs.js';
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
  /** `.sql` files the journal does not list (migrations written for wrangler only, or strays): warnings. */
  unlistedSql: string[];
  /** Temporary files an interrupted write left behind, relative to `dir`. */
  leftovers: string[];
}

export const journalPath = (out: string) => join(out, 'meta', '_journal.json');

const show = (path: string) => displayPath(path);

function parseJsonFile(path: string, what: string, code: Code): unknown {
  const text = readFolderText(path);
  try {
    return JSON.parse(text);
  } catch (e) {
    // A merge left its conflict markers: the fix is the merge's, not a restore.
    const fix = /^<{7}( |$)/m.test(text)
      ? `It holds git conflict markers: two branches changed it. Keep one branch's migration (see D1-612: delete the other's SQL file, snapshot and journal entry), make the file valid JSON again, and generate again.`
      : `Restore it from version control, or delete the migrations folder's last migration and its snapshot and generate again.`;
    throw new UserInputError(code, `${show(path)} is not valid JSON (${(e as Error).message}). It is drizzle-kit's ${what}. ${fix}`, path);
  }
}

/**
 * Reads one snapshot file (drizzle-kit SQLite snapshot version 6). Only the latest snapshot is the
 * previous state and is validated in full; older ones are checked for their version, dialect and ids
 * (what the collision check needs), which keeps long histories fast. `known`: the state just
 * serialized from the schema, whose identical tables and views need no check.
 */
export function readSnapshotFile(path: string, full = true, known?: SchemaState): Snapshot {
  const raw = parseJsonFile(path, 'snapshot of the schema after that migration', 'D1-603');
  const version = (raw as { version?: unknown })?.version;
  const dialect = (raw as { dialect?: unknown })?.dialect;
  if (dialect !== undefined && dialect !== 'sqlite') {
    throw new UserInputError('D1-605',
      `${show(path)} is a "${String(dialect)}" snapshot, but drizzle-d1 only handles SQLite (Cloudflare D1). ` +
        `Point "out" in drizzle.config.ts at the migrations folder of your D1 database.`,
      path,
    );
  }
  if (version === '5') {
    throw new UserInputError('D1-604',
      `${show(path)} is a version 5 snapshot written by drizzle-kit 0.20 or older. ` +
        `Run "npx drizzle-kit up" once to upgrade the folder to version 6, then run drizzle-d1 again.`,
      path,
    );
  }
  if (version !== '6') {
    throw new UserInputError('D1-604',
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
    throw new UserInputError('D1-603',
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

/** The `.sql` files and `meta/` names of a migrations folder, listed once. */
interface Listing {
  /** Top-level `.sql` files. */
  sqlFiles: string[];
  /** Top-level sub-folders: another layout shows there. */
  folders: string[];
  /** `meta/*.json` snapshot files, in drizzle-kit's order (sorted names). */
  snapshotFiles: string[];
  /** Temporary files an interrupted write left (`.<name>.<hex>.tmp`), relative to `out`. */
  leftovers: string[];
}

/** writeFilesAtomically's temporary names. */
const TEMP_FILE = /^\..+\.[0-9a-f]{12}\.tmp$/;

function listDir(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return [];
    throw fileSystemError(e, dir, 'read the migrations folder', true);
  }
}

/** A file or a symbolic link (to one, as checked-in folders sometimes hold): what existsSync would accept. */
const isFileLike = (e: Dirent) => e.isFile() || e.isSymbolicLink();

function listFolder(out: string): Listing {
  const top = listDir(out);
  // listDir reports a `meta` that is a file (ENOTDIR) as D1-621; a missing one is an empty list.
  const meta = top.some((e) => e.name === 'meta') ? listDir(join(out, 'meta')) : [];
  return {
    sqlFiles: top.filter((e) => isFileLike(e) && e.name.endsWith('.sql')).map((e) => e.name),
    folders: top.filter((e) => e.isDirectory()).map((e) => e.name),
    snapshotFiles: meta.filter((e) => !e.name.startsWith('_') && e.name.endsWith('.json')).map((e) => e.name).sort(),
    leftovers: [...top.filter((e) => TEMP_FILE.test(e.name)).map((e) => e.name), ...meta.filter((e) => TEMP_FILE.test(e.name)).map((e) => `meta/${e.name}`)],
  };
}

/** drizzle-kit ≤0.19 and 1.0 keep one folder per migration; drizzle-d1 continues 0.x journals only. */
function checkLayout(out: string, { folders }: Listing): void {
  const legacy = folders.find((n) => /^\d{14}$/.test(n));
  if (legacy) {
    throw new UserInputError('D1-606',
      `${show(join(out, legacy))} is an old drizzle-kit (≤0.19) migration folder. ` +
        `Run "npx drizzle-kit up" once to upgrade the layout, then run drizzle-d1 again.`,
      join(out, legacy),
    );
  }
  const v1 = existsSync(journalPath(out))
    ? undefined
    : folders.find((n) => existsSync(join(out, n, 'migration.sql')) && existsSync(join(out, n, 'snapshot.json')));
  if (v1) {
    throw new UserInputError('D1-606',
      `${show(join(out, v1))} uses drizzle-kit 1.0's folder-per-migration layout, which this reader of drizzle-kit 0.x folders (meta/_journal.json and snapshots) does not take. ` +
        `drizzle-d1 generate continues it.`,
      join(out, v1),
    );
  }
}

function readJournal(out: string, listing: Listing): Journal {
  const { snapshotFiles } = listing;
  const jPath = journalPath(out);
  if (!existsSync(jPath)) {
    if (!snapshotFiles.length) return { version: '7', dialect: 'sqlite', entries: [] };
    // The first migration's run, interrupted before it replaced the journal: its temporary journal is left.
    if (listing.leftovers.some((f) => f.startsWith('meta/._journal.json.'))) throw halfWrittenMigration(out, snapshotFiles, listing.sqlFiles, listing.leftovers, true);
    throw new UserInputError('D1-602',
      `${show(jPath)} is missing although ${show(join(out, 'meta'))} holds snapshots. ` +
        `Restore the journal from version control; without it drizzle-orm's migrator cannot know which migrations exist.`,
      jPath,
    );
  }
  const parsed = journalSchema.safeParse(parseJsonFile(jPath, 'migration journal', 'D1-601'));
  if (!parsed.success) {
    throw new UserInputError('D1-601',
      `${show(jPath)} is not a valid drizzle-kit journal (${describeIssues(parsed.error.issues)}). ` +
        `Restore it from version control; it lists the migrations that drizzle-orm's migrator applies.`,
      jPath,
    );
  }
  if (parsed.data.dialect !== 'sqlite') {
    throw new UserInputError('D1-605',
      `${show(jPath)} belongs to a "${parsed.data.dialect}" project, but drizzle-d1 only handles SQLite (Cloudflare D1). ` +
        `Point "out" in drizzle.config.ts at your D1 migrations folder.`,
      jPath,
    );
  }
  return parsed.data;
}

/**
 * The journal of `out`, checked as generate checks it (missing beside snapshots, shape, dialect); an
 * empty one when the folder has no migrations yet. For the commands that only need its entries.
 */
export const readJournalOf = (out: string): Journal => readJournal(out, listFolder(out));

/**
 * drizzle-kit numbers a new migration after the last entry's idx: entries whose idx goes down would
 * make it reuse a number (and overwrite that migration's snapshot).
 */
function checkIdxOrder(out: string, journal: Journal): void {
  journal.entries.forEach((e, i) => {
    const before = journal.entries[i - 1];
    if (!before || e.idx > before.idx) return;
    const jPath = journalPath(out);
    throw new UserInputError('D1-601',
      `${show(jPath)} lists "${e.tag}" (idx ${e.idx}) after "${before.tag}" (idx ${before.idx}): the entries are out of order, and the next migration would be numbered after idx ${journal.entries.at(-1)!.idx}, reusing a number. ` +
        `Put the entries back in the order they were generated, with increasing idx (restore the journal from version control), then run drizzle-d1 again.`,
      jPath,
    );
  });
}

/**
 * Two journal entries with one idx or one tag prefix: the journal of two branches merged by keeping
 * both sides. They share one snapshot name, and drizzle-orm's D1 migrator skips whichever is older.
 */
function checkOneMigrationPerNumber(out: string, journal: Journal): void {
  const seen = new Map<string, string>();
  for (const e of journal.entries) {
    for (const key of [`idx ${e.idx}`, `prefix ${tagPrefix(e.tag)}`]) {
      const other = seen.get(key);
      if (other !== undefined && other !== e.tag) {
        const jPath = journalPath(out);
        throw new UserInputError('D1-612',
          `${show(jPath)} lists two migrations with the same ${key.startsWith('idx') ? `idx (${e.idx})` : `number (${tagPrefix(e.tag)})`}: "${other}" and "${e.tag}". ` +
            `They were generated from the same state, usually on two git branches that were then merged. ` +
            `Keep one: delete the other's .sql file, snapshot and journal entry, then run drizzle-d1 generate to write its changes again on top of the kept one.`,
          jPath,
        );
      }
      seen.set(key, e.tag);
    }
  }
}

/**
 * Each entry's SQL file and snapshot. The latest migration must be whole: its snapshot is the
 * previous state, and without its SQL its changes would never reach the database. Gaps further back
 * (files deleted by hand, as real histories have) do not change what is generated, and drizzle-kit
 * ignores them too: they are warnings.
 */
function checkEntryFiles(out: string, journal: Journal, { sqlFiles, snapshotFiles }: Listing): string[] {
  const warnings: string[] = [];
  const jPath = journalPath(out);
  const sql = new Set(sqlFiles);
  const snapshots = new Set(snapshotFiles);
  journal.entries.forEach((entry, i) => {
    const latest = i === journal.entries.length - 1;
    const sqlPath = join(out, `${entry.tag}.sql`);
    if (!sql.has(`${entry.tag}.sql`)) {
      if (latest) throw missingLatestSql(sqlPath, jPath, entry.tag);
      warnings.push(`${show(sqlPath)} is missing although ${show(jPath)} lists it; drizzle-orm's migrators cannot read this folder until it is restored or its entry removed.`);
    }
    const snapshotFile = `${tagPrefix(entry.tag)}_snapshot.json`;
    if (!snapshots.has(snapshotFile)) {
      const snapPath = join(out, 'meta', snapshotFile);
      if (latest) throw missingLatestSnapshot(snapPath, jPath, entry.tag, journal.entries[i - 1]?.tag);
      warnings.push(`${show(snapPath)} is missing although ${show(jPath)} lists "${entry.tag}"; only the latest snapshot is needed to generate.`);
    }
  });
  return warnings;
}

const missingLatestSql = (sqlPath: string, jPath: string, tag: string) =>
  new UserInputError('D1-610',
    `${show(sqlPath)} is missing: ${show(jPath)} lists migration "${tag}" but its SQL file is not there. ` +
      `Restore it from version control, or remove the entry (and its snapshot) if the migration was never applied anywhere.`,
    sqlPath,
  );

/** A hand-written migration added to the journal by hand never had a snapshot: say how to make one. */
function missingLatestSnapshot(snapPath: string, jPath: string, tag: string, previousTag: string | undefined): UserInputError {
  const previous = previousTag ? show(join(dirname(snapPath), `${tagPrefix(previousTag)}_snapshot.json`)) : undefined;
  const copy = previous
    ? `If its SQL leaves the tables of your schema as they were (data fixes, seeds), copy ${previous} to ${show(snapPath)} and in the copy set "prevId" to the old "id" and "id" to a new UUID (node -e "console.log(crypto.randomUUID())"): that is the snapshot --custom writes. `
    : '';
  return new UserInputError('D1-611',
    `${show(snapPath)} is missing: ${show(jPath)} lists migration "${tag}" without the snapshot drizzle-kit writes with each migration, usually because the migration was written and added to the journal by hand. ` +
      `drizzle-d1 needs it to know the schema after that migration. ${copy}` +
      `If it changes the schema, make the Drizzle schema match it, remove its journal entry, move ${tag}.sql aside, run drizzle-d1 generate --name ${tag.slice(tagPrefix(tag).length + 1) || 'custom'} (which writes the snapshot) and put your SQL into the new file; ` +
      `or check out the commit whose schema matches this migration (git stash; git checkout <commit>) and run drizzle-d1 generate there.`,
    snapPath,
  );
}

/** Tag prefixes in migration order: numbers numerically (index, timestamp, unix), anything else by name. */
const comparePrefixes = (a: string, b: string) =>
  /^\d+$/.test(a) && /^\d+$/.test(b) ? (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0) : a.localeCompare(b);

/**
 * Files the journal does not list. A snapshot after its last entry is a half-written migration (the
 * writer places the snapshot first, then the SQL, then the journal); one among its entries is a
 * merged branch's. A lone `.sql` file is a migration written for wrangler only (real histories have
 * them): returned, for a warning.
 */
function checkUnlisted(out: string, journal: Journal, listing: Listing): string[] {
  const listedPrefixes = new Set(journal.entries.map((e) => tagPrefix(e.tag)));
  const last = journal.entries.at(-1);
  const after = (prefix: string) => !last || comparePrefixes(prefix, tagPrefix(last.tag)) > 0;
  const strays = listing.snapshotFiles.filter((f) => !listedPrefixes.has(tagPrefix(f)));
  const listedSql = new Set(journal.entries.map((e) => `${e.tag}.sql`));
  const unlistedSql = listing.sqlFiles.filter((f) => !listedSql.has(f));
  const halfWritten = strays.filter((f) => after(tagPrefix(f)));
  if (halfWritten.length) throw halfWrittenMigration(out, halfWritten, unlistedSql, listing.leftovers);
  if (strays.length) {
    const file = join(out, 'meta', strays[0]!);
    throw new UserInputError('D1-612',
      `${show(file)} is not the snapshot of any migration ${show(journalPath(out))} lists: it belongs to a migration of another branch, merged without its journal entry. ` +
        `drizzle-kit would take whichever snapshot sorts last as the previous schema. Keep one migration per number: delete this snapshot (and its .sql file), then run drizzle-d1 generate to write its changes again on top.`,
      file,
    );
  }
  return unlistedSql;
}

function halfWrittenMigration(out: string, snapshots: string[], unlistedSql: string[], leftovers: string[], noJournal = false): UserInputError {
  const prefixes = new Set(snapshots.map(tagPrefix));
  const files = [
    ...unlistedSql.filter((f) => prefixes.has(tagPrefix(f))),
    ...snapshots.map((f) => `meta/${f}`),
    ...leftovers,
  ].map((f) => show(join(out, f)));
  return new UserInputError('D1-614',
    `${files.join(', ')} ${files.length > 1 ? 'are' : 'is'} not in ${show(journalPath(out))}: a run that was writing a migration was interrupted before it updated the journal. ` +
      `Delete ${files.length > 1 ? 'them' : 'it'} and run drizzle-d1 generate again (if wrangler already applied that .sql file, keep it and add its entry to the journal instead${noJournal ? '; if the journal was deleted, restore it from version control' : ''}).`,
    join(out, 'meta', snapshots[0]!),
  );
}

/** Every snapshot's ids; the last one (drizzle-kit's previous state) validated in full. */
function readSnapshots(out: string, { snapshotFiles }: Listing, known?: SchemaState) {
  return snapshotFiles.map((file, i) => ({
    file,
    snapshot: readSnapshotFile(join(out, 'meta', file), i === snapshotFiles.length - 1, known),
  }));
}

/**
 * Each snapshot names the one it was generated from. Two with one prevId were generated from the same
 * state (two branches); a latest one whose prevId is not the snapshot before it was generated from
 * another state and may lack that migration's changes, which the next migration would then undo.
 */
function checkChain(out: string, journal: Journal, snapshots: { file: string; id: string; prevId: string }[]): string[] {
  const metaDir = join(out, 'meta');
  const byPrev = new Map<string, string>();
  for (const { file, prevId } of snapshots) {
    const other = byPrev.get(prevId);
    if (other) {
      throw new UserInputError('D1-612',
        `${show(join(metaDir, file))} and ${show(join(metaDir, other))} have the same prevId (${prevId}): ` +
          `two migrations were generated from the same state, usually on two branches. ` +
          `Keep one of them, delete the other migration's SQL, snapshot and journal entry, and generate again.`,
        join(metaDir, file),
      );
    }
    byPrev.set(prevId, file);
  }
  // Only consecutive journal entries are compared: a snapshot missing further back (a warning) is a gap, not a break.
  const byPrefix = new Map(snapshots.map((s) => [tagPrefix(s.file), s]));
  const chain = journal.entries.map((e) => byPrefix.get(tagPrefix(e.tag)));
  const warnings: string[] = [];
  chain.forEach((s, i) => {
    const before = chain[i - 1];
    if (!s || !before || s.prevId === before.id) return;
    const message = `${show(join(metaDir, s.file))} has prevId ${s.prevId}, but the snapshot before it, ${show(join(metaDir, before.file))}, has id ${before.id}: the migration was generated from another state`;
    if (i < chain.length - 1) return void warnings.push(`${message}.`);
    throw new UserInputError('D1-613',
      `${message}, and its snapshot may lack the changes of the migration before it, which the next migration would undo. ` +
        `If it was never applied, delete it (SQL file, snapshot and journal entry) and run drizzle-d1 generate again; otherwise restore the snapshots from version control.`,
      join(metaDir, s.file),
    );
  });
  return warnings;
}

/**
 * Reads and checks the migrations folder `out` (missing: a fresh project). `known`: the state just
 * serialized from the schema (see readSnapshotFile).
 */
export function readMigrationsFolder(out: string, known?: SchemaState): MigrationsFolder {
  const listing = listFolder(out);
  checkLayout(out, listing);
  const journal = readJournal(out, listing);
  checkOneMigrationPerNumber(out, journal);
  checkIdxOrder(out, journal);
  const unlistedSql = checkUnlisted(out, journal, listing);
  const warnings = checkEntryFiles(out, journal, listing);
  const read = readSnapshots(out, listing, known);
  const snapshots = read.map(({ file, snapshot }) => ({ file, id: snapshot.id, prevId: snapshot.prevId }));
  warnings.push(...checkChain(out, journal, snapshots));
  return { dir: out, journal, snapshots, latest: read.at(-1)?.snapshot ?? null, warnings, unlistedSql, leftovers: listing.leftovers };
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
