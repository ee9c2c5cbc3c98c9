/**
 * Generate speed: drizzle-d1 and drizzle-kit on the same prepared projects, alternating, each measured
 * run on a fresh copy of the prepared folder. Most cases edit the schema before every run (a default
 * value no earlier run used), as a user does between two runs of `generate`: the edited file is then in
 * no transform cache.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { measuredSpawn, nextEditValue, runTool, sqlFiles, TOOLS, type Tool } from './child.js';
import { base, childEnv, KIT_BIN, log, median, reps } from './env.js';
import {
  CHANGED,
  FOLDER_FILES,
  folderFileName,
  folderFileSource,
  leafIn,
  makeProject,
  schemaSource,
  SMALL_TABLES,
  TABLES,
} from './schemas.js';

export interface Case {
  id: string;
  label: string;
  dir: string;
  /** .sql files the folder must hold after the run (proves both tools did the same work). */
  expectSql: number;
  /** The user's edit before each run. */
  edit?: (dir: string) => void;
  coldCache?: boolean;
  /** Node arguments of the floor process measured beside this case (see prepareFloor). */
  floor?: string[];
}

export interface CaseResult {
  c: Case;
  ms: Record<Tool, number[]>;
  rss: Record<Tool, number[]>;
  cpu: Record<Tool, number[]>;
  floorMs: number[];
}

/** Give the projects that start with a migration drizzle-kit's initial one (the adoption path). */
function addKitInitialMigration(dir: string): void {
  const r = spawnSync(process.execPath, [KIT_BIN, 'generate'], { cwd: dir, encoding: 'utf8', env: childEnv });
  if (r.status !== 0 || sqlFiles(dir).length !== 1) throw new Error(`preparing ${dir} failed:\n${r.stdout}\n${r.stderr}`);
}

/** A leaf table that does not change type in the 50-table change (t298): its default is what an edit changes. */
const ONE_FILE_LEAF = 298;
const editOneFile = (changed: ReadonlySet<number>) => (dir: string) =>
  writeFileSync(join(dir, 'src', 'schema.ts'), schemaSource(TABLES, changed, new Map([[ONE_FILE_LEAF, nextEditValue()]])));
/** Edit one file of the folder, a different one each run among those holding leaf tables (files 10–19). */
let folderEdits = 0;
function editFolderFile(dir: string): void {
  const f = FOLDER_FILES / 2 + (folderEdits++ % (FOLDER_FILES / 2));
  writeFileSync(join(dir, 'src', 'schema', folderFileName(f)), folderFileSource(f, new Map([[leafIn(f), nextEditValue()]])));
}

/**
 * The floor of the everyday run: a bare `node` that loads drizzle-orm and requires the 5-table schema,
 * already compiled to CommonJS (no TypeScript hook at all): what any tool must at least spend.
 */
function prepareFloor(dir: string): string[] {
  const schema = transformSync(schemaSource(SMALL_TABLES), { loader: 'ts', format: 'cjs' }).code;
  writeFileSync(join(dir, 'floor-schema.cjs'), schema);
  writeFileSync(join(dir, 'floor.cjs'), `require('drizzle-orm');\nrequire('drizzle-orm/sqlite-core');\nrequire('./floor-schema.cjs');\n`);
  return [join(dir, 'floor.cjs')];
}

function folderProject(dir: string): string {
  const files: Record<string, string> = {};
  for (let f = 0; f < FOLDER_FILES; f++) files[join('src', 'schema', folderFileName(f))] = folderFileSource(f);
  makeProject(dir, files, './src/schema');
  addKitInitialMigration(dir);
  return dir;
}

/** Every prepared project and the cases run on them. */
export function prepareCases(): Case[] {
  const prepared = join(base, 'prepared');
  const init300 = makeProject(join(prepared, 'init300'), { 'src/schema.ts': schemaSource(TABLES) });
  const same300 = makeProject(join(prepared, 'same300'), { 'src/schema.ts': schemaSource(TABLES) });
  const same5 = makeProject(join(prepared, 'same5'), { 'src/schema.ts': schemaSource(SMALL_TABLES) });
  for (const dir of [same300, same5]) addKitInitialMigration(dir);
  const change300 = join(prepared, 'change300');
  cpSync(same300, change300, { recursive: true, verbatimSymlinks: true });
  writeFileSync(join(change300, 'src', 'schema.ts'), schemaSource(TABLES, CHANGED));
  const folder20 = folderProject(join(prepared, 'folder20'));
  const change = `type change in ${CHANGED.size} of ${TABLES} tables`;
  return [
    { id: 'init300', label: `initial migration, ${TABLES} tables, after an edit`, dir: init300, expectSql: 1, edit: editOneFile(new Set()) },
    { id: 'change300', label: `${change}, after an edit`, dir: change300, expectSql: 2, edit: editOneFile(CHANGED) },
    { id: 'folder20', label: `one file of a ${FOLDER_FILES}-file schema folder (${TABLES} tables) edited`, dir: folder20, expectSql: 2, edit: editFolderFile },
    { id: 'cold300', label: `initial migration, ${TABLES} tables, every file cold (empty transform cache)`, dir: init300, expectSql: 1, coldCache: true },
    { id: 'warm300', label: `initial migration, ${TABLES} tables, unedited (warm transform cache; information)`, dir: init300, expectSql: 1 },
    { id: 'same300', label: `no change, ${TABLES} tables`, dir: same300, expectSql: 1 },
    { id: 'same5', label: `no change, ${SMALL_TABLES} tables`, dir: same5, expectSql: 1, floor: prepareFloor(same5) },
  ];
}

function runOnce(c: Case, tool: Tool) {
  const r = runTool(tool, c.dir, { keep: true, edit: c.edit, coldCache: c.coldCache });
  const n = sqlFiles(r.dir).length;
  rmSync(r.dir, { recursive: true, force: true });
  if (n !== c.expectSql) throw new Error(`${tool} on ${c.id}: ${n} .sql files, expected ${c.expectSql}\n${r.stdout}\n${r.stderr}`);
  return r;
}

function runFloor(c: Case): number {
  const r = measuredSpawn(c.floor!, c.dir);
  if (r.status !== 0) throw new Error(`floor of ${c.id} failed:\n${r.stderr}`);
  return r.ms;
}

/** One case: a warm-up run per tool (file cache), then `reps` alternating pairs (order swapped every repetition). */
function runCase(c: Case): CaseResult {
  const res: CaseResult = { c, ms: { 'drizzle-d1': [], 'drizzle-kit': [] }, rss: { 'drizzle-d1': [], 'drizzle-kit': [] }, cpu: { 'drizzle-d1': [], 'drizzle-kit': [] }, floorMs: [] };
  for (const tool of TOOLS) runOnce(c, tool);
  if (c.floor) runFloor(c);
  for (let i = 0; i < reps; i++) {
    for (const tool of i % 2 ? [...TOOLS].reverse() : TOOLS) {
      const r = runOnce(c, tool);
      res.ms[tool].push(r.ms);
      res.rss[tool].push(r.rssKB);
      res.cpu[tool].push(r.cpuMs);
    }
    if (c.floor) res.floorMs.push(runFloor(c));
  }
  const mb = (kb: number) => (kb / 1024).toFixed(1);
  log(
    `${c.label}: drizzle-d1 ${Math.round(median(res.ms['drizzle-d1']))} ms / ${mb(median(res.rss['drizzle-d1']))} MB, ` +
      `drizzle-kit ${Math.round(median(res.ms['drizzle-kit']))} ms / ${mb(median(res.rss['drizzle-kit']))} MB` +
      (c.floor ? `, floor ${Math.round(median(res.floorMs))} ms` : ''),
  );
  return res;
}

export const runSpeed = (cases: Case[]): CaseResult[] => cases.map(runCase);

export const ratio = (r: CaseResult, what: 'ms' | 'rss' | 'cpu') => median(r[what]['drizzle-d1']) / median(r[what]['drizzle-kit']);

/** The lowest and highest wall-time ratio of the back-to-back pairs: how far the machine's noise moves one measurement. */
export function pairedRange(r: CaseResult): [number, number] {
  const q = r.ms['drizzle-d1'].map((d, i) => d / r.ms['drizzle-kit'][i]!).sort((a, b) => a - b);
  return [q[0]!, q.at(-1)!];
}
