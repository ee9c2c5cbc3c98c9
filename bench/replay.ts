/**
 * How much the replayed database costs a command: build a synthetic 100-migration folder (drizzle-kit
 * style tables, ALTERs, indexes, drizzle's rebuilds, and every fifth a `--custom` file with a view,
 * a trigger and a partial index, plus an FTS5 table with its sync triggers every 25th), then time:
 *   replay    replayFolder (read the journal and files, apply each in its own transaction)
 *   model     readSchemaModel on the result
 *   compare   handWrittenObjects + schemaDrift against a snapshot-like state of the drizzle tables
 * Cold: --cold N fresh processes (default 7), each timing its first run, which is what a command
 * pays. Warm: --runs N (default 15) in this process after one unmeasured warm-up. Medians. The
 * better-sqlite3 load is reported apart. Target: replay + model + compare ≤ 150 ms, cold.
 *
 *   npx tsx bench/replay.ts [--runs N] [--cold N] [--migrations N] [--fts-every N] [--wall] [--keep]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SchemaState, Table } from '../src/snapshot/types.js';
import { numberFlag } from './args.js';

const argv = process.argv.slice(2);
const RUNS = numberFlag('--runs', 15);
const COLD = numberFlag('--cold', 7);
/** Every how many migrations a custom one adds an FTS5 table (--fts-every 5: every custom migration). */
const FTS_EVERY = numberFlag('--fts-every', 25);
const MIGRATIONS = numberFlag('--migrations', 100);
const BREAK = '--> statement-breakpoint\n';

/** A drizzle-kit CREATE TABLE with an id, a few columns and an optional parent. */
function createTable(name: string, parent?: string): string {
  const fk = parent ? `,\n\t\`${parent}_id\` integer REFERENCES \`${parent}\`(\`id\`) ON DELETE cascade` : '';
  return `CREATE TABLE \`${name}\` (\n\t\`id\` integer PRIMARY KEY NOT NULL,\n\t\`name\` text NOT NULL,\n\t\`created_at\` integer DEFAULT (unixepoch()) NOT NULL${fk}\n);\n`;
}

/** drizzle-kit's table rebuild: new table, copy, drop, rename, under its PRAGMA pair. */
function rebuild(name: string, columns: string[]): string {
  const cols = columns.map((c) => `\`${c}\``).join(', ');
  return [
    'PRAGMA foreign_keys=OFF;',
    `CREATE TABLE \`__new_${name}\` (\n\t\`id\` integer PRIMARY KEY NOT NULL,\n\t\`name\` text DEFAULT '' NOT NULL,\n\t\`created_at\` integer DEFAULT (unixepoch()) NOT NULL${columns.slice(3).map((c) => `,\n\t\`${c}\` text`).join('')}\n);\n`,
    `INSERT INTO \`__new_${name}\`(${cols}) SELECT ${cols} FROM \`${name}\`;`,
    `DROP TABLE \`${name}\`;`,
    `ALTER TABLE \`__new_${name}\` RENAME TO \`${name}\`;`,
    'PRAGMA foreign_keys=ON;',
  ].join(BREAK);
}

/** A `--custom` migration: views, an updated_at trigger, a partial index, and now and then FTS5 with its sync triggers. */
function custom(k: number, table: string): string {
  const fts = k % FTS_EVERY === 0
    ? `CREATE VIRTUAL TABLE ${table}_fts_${k} USING fts5(name, content='${table}', content_rowid='id');
CREATE TRIGGER ${table}_ai_${k} AFTER INSERT ON ${table} BEGIN INSERT INTO ${table}_fts_${k}(rowid, name) VALUES (new.id, new.name); END;
CREATE TRIGGER ${table}_ad_${k} AFTER DELETE ON ${table} BEGIN INSERT INTO ${table}_fts_${k}(${table}_fts_${k}, rowid, name) VALUES ('delete', old.id, old.name); END;
`
    : '';
  return `-- Custom SQL migration file, put your code below! --
${fts}CREATE TRIGGER ${table}_touch_${k} AFTER UPDATE OF name ON ${table} BEGIN UPDATE ${table} SET created_at = unixepoch() WHERE id = new.id; END;
CREATE VIEW ${table}_recent_${k} AS SELECT t.id, t.name FROM ${table} AS t WHERE t.created_at > unixepoch() - 86400;
CREATE INDEX ${table}_named_${k} ON ${table} (name) WHERE name <> '';
`;
}

/** The synthetic folder: 20 tables first, then a rotating mix of changes. */
function buildFolder(out: string): void {
  mkdirSync(join(out, 'meta'), { recursive: true });
  const tables = new Map<string, string[]>();
  const files: string[] = [];
  const first: string[] = [];
  for (let t = 0; t < 20; t++) {
    const name = `t${t}`;
    first.push(createTable(name, t > 0 ? `t${t - 1}` : undefined));
    tables.set(name, ['id', 'name', 'created_at', ...(t > 0 ? [`t${t - 1}_id`] : [])]);
  }
  files.push(first.join(BREAK));
  for (let k = 1; k < MIGRATIONS; k++) {
    const table = `t${k % 20}`;
    const cols = tables.get(table)!;
    switch (k % 5) {
      case 0:
        files.push(custom(k, table));
        break;
      case 1:
        cols.push(`c${k}`);
        files.push(`ALTER TABLE \`${table}\` ADD \`c${k}\` text;`);
        break;
      case 2:
        files.push(`CREATE INDEX \`${table}_i${k}\` ON \`${table}\` (\`name\`);`);
        break;
      case 3:
        tables.set(`n${k}`, ['id', 'name', 'created_at', `${table}_id`]);
        files.push(createTable(`n${k}`, table));
        break;
      default:
        files.push(rebuild(table, cols.filter((c) => !c.endsWith('_id'))));
    }
  }
  const entries = files.map((sql, idx) => {
    const tag = `${String(idx).padStart(4, '0')}_m${idx}`;
    writeFileSync(join(out, `${tag}.sql`), sql);
    return { idx, version: '6', when: 1700000000000 + idx, tag, breakpoints: true };
  });
  writeFileSync(join(out, 'meta', '_journal.json'), JSON.stringify({ version: '7', dialect: 'sqlite', entries }, null, 2));
}

/** The folder's drizzle tables are t<N> (the first migration) and n<N> (added later). */
const isDrizzleTable = (name: string): boolean => /^[tn][0-9]+$/.test(name);

/** A snapshot-like state of the drizzle tables, read back from a model (what drift compares against). */
function stateOf(model: import('../src/d1/model.js').SchemaModel): SchemaState {
  const tables: Record<string, Table> = {};
  for (const t of model.tables.filter((x) => isDrizzleTable(x.name))) {
    const foreignKeys = Object.fromEntries(
      t.foreignKeys.map((fk, i) => [`fk${i}`, { name: `fk${i}`, tableFrom: t.name, tableTo: fk.parent, columnsFrom: fk.from, columnsTo: fk.to.map((c) => c ?? 'id'), onDelete: fk.onDelete.toLowerCase(), onUpdate: fk.onUpdate.toLowerCase() }]),
    );
    const columns = Object.fromEntries(
      t.columns.map((c) => [c.name, { name: c.name, type: c.type.toLowerCase(), primaryKey: c.primaryKey > 0, notNull: c.notNull, autoincrement: false, ...(c.default === null ? {} : { default: `(${c.default})` }) }]),
    );
    tables[t.name] = { name: t.name, columns, indexes: {}, foreignKeys, compositePrimaryKeys: {}, uniqueConstraints: {}, checkConstraints: {} };
  }
  return { tables, views: {} };
}

/**
 * Milliseconds of this process's CPU time (user + system), or of wall time with --wall. The machine
 * is shared (2 cores, other work running), which inflates wall time but hardly CPU time; the replay
 * is single-threaded and does no I/O beyond reading the files, so unloaded the two agree.
 */
const WALL = argv.includes('--wall');
const clock = (): number => {
  if (WALL) return performance.now();
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Timings {
  replay: number;
  model: number;
  compare: number;
  total: number;
}

type Api = Awaited<ReturnType<typeof loadApi>>;

async function loadApi() {
  const [{ replayFolder }, { readSchemaModel }, { handWrittenObjects }, { schemaDrift }] = await Promise.all([
    import('../src/d1/replay.js'),
    import('../src/d1/model.js'),
    import('../src/d1/handwritten.js'),
    import('../src/d1/drift.js'),
  ]);
  return { replayFolder, readSchemaModel, handWrittenObjects, schemaDrift };
}

/** One replay + model + compare; `describe` receives a one-line summary of what was found. */
function once(api: Api, out: string, describe?: (s: string) => void): Timings {
  const t0 = clock();
  const replay = api.replayFolder(out);
  const t1 = clock();
  const model = api.readSchemaModel(replay.db);
  const t2 = clock();
  const state = stateOf(model);
  const t3 = clock();
  const handWritten = api.handWrittenObjects(model, state);
  const drift = api.schemaDrift(model, state);
  const t4 = clock();
  replay.db.close();
  if (replay.failure) throw new Error(`replay failed: ${JSON.stringify(replay.failure)}`);
  describe?.(
    `${replay.applied.length} migrations → ${model.tables.length} tables, ${model.virtualTables.length} FTS5 tables, ${model.indexes.length} indexes, ` +
      `${model.views.length} views, ${model.triggers.length} triggers; ${handWritten.length} hand-written objects, ${drift.length} drift`,
  );
  return { replay: t1 - t0, model: t2 - t1, compare: t4 - t3, total: t1 - t0 + (t2 - t1) + (t4 - t3) };
}

/** A fresh process (tsx's loader, better-sqlite3 loaded first) timing one cold run: what a CLI command pays. */
function coldRun(out: string): Timings {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const r = spawnSync(process.execPath, ['--import', tsx, fileURLToPath(import.meta.url), '--child', out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cold run failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Timings;
}

function report(name: string, samples: Timings[]): void {
  for (const key of ['replay', 'model', 'compare', 'total'] as const) {
    const xs = samples.map((s) => s[key]);
    console.log(`${name} ${key.padEnd(8)} median ${median(xs).toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)}, ${xs.length} runs)`);
  }
}

async function main(): Promise<void> {
  const child = argv.indexOf('--child');
  if (child >= 0) {
    const out = argv[child + 1]!;
    await import('better-sqlite3');
    const api = await loadApi();
    console.log(JSON.stringify(once(api, out)));
    return;
  }
  const dir = mkdtempSync(join(os.tmpdir(), 'drizzle-d1-replay-bench-'));
  const out = join(dir, 'drizzle');
  buildFolder(out);
  const t0 = performance.now();
  await import('better-sqlite3');
  const loadSqlite = performance.now() - t0;
  const api = await loadApi();
  const cold = Array.from({ length: COLD }, () => coldRun(out));
  let summary = '';
  once(api, out, (s) => (summary = s)); // warm-up
  const warm = Array.from({ length: RUNS }, () => once(api, out));
  console.log(summary);
  console.log(`better-sqlite3 load: ${loadSqlite.toFixed(1)} ms wall (once per process, not counted below)`);
  console.log(`clock: ${WALL ? 'wall time' : 'CPU time (user + system; --wall for wall time)'}; load average ${os.loadavg()[0]!.toFixed(2)} on ${os.availableParallelism()} cores`);
  report('cold (fresh process)', cold);
  report('warm (same process)', warm);
  const total = median(cold.map((c) => c.total));
  console.log(`target: a command's replay + model + compare ≤ 150 ms (cold median): ${total.toFixed(1)} ms, ${total <= 150 ? 'met' : 'NOT met'}`);
  if (argv.includes('--keep')) console.log(`folder kept: ${out}`);
  else rmSync(dir, { recursive: true, force: true });
}

await main();
