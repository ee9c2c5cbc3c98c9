/**
 * Synthetic Drizzle schemas and projects: 300 tables of 8 columns in a binary tree of ON DELETE
 * CASCADE foreign keys, as one file or as a folder of 20 files, and the edits a user makes between
 * two runs of `generate` (one default value changed).
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repo } from './env.js';

export const TABLES = 300;
export const SMALL_TABLES = 5;
export const FOLDER_FILES = 20;
/** Tables whose `price` column changes type (real → integer): every sixth, 50 of 300. */
export const CHANGED = new Set(Array.from({ length: TABLES }, (_, i) => i).filter((i) => i % 6 === 5));

export const pad = (i: number) => String(i).padStart(3, '0');
export const tname = (i: number) => `t${pad(i)}`;
/** Each table references one earlier table (a binary tree: t001, t002 → t000; t003, t004 → t001 …). */
export const parentOf = (i: number) => Math.floor((i - 1) / 2);

/** The `score` default of table `i`: 0, unless an edit set it (`edited`: table → default). */
export type Defaults = ReadonlyMap<number, number>;

function tableSource(i: number, changed: ReadonlySet<number>, defaults: Defaults): string {
  const t = tname(i);
  const parent =
    i === 0
      ? `integer('parent_id')`
      : `integer('parent_id').notNull().references(() => ${tname(parentOf(i))}.id, { onDelete: 'cascade' })`;
  return (
    `export const ${t} = sqliteTable('${t}', {\n` +
    `  id: integer('id').primaryKey(),\n` +
    `  parentId: ${parent},\n` +
    `  name: text('name').notNull(),\n` +
    `  email: text('email'),\n` +
    `  score: integer('score').notNull().default(${defaults.get(i) ?? 0}),\n` +
    `  price: ${changed.has(i) ? `integer('price')` : `real('price')`},\n` +
    `  createdAt: integer('created_at', { mode: 'timestamp' }),\n` +
    `  note: text('note'),\n` +
    `}, (t) => [index('${t}_parent_idx').on(t.parentId)]);\n\n`
  );
}

const IMPORTS = `import { sqliteTable, integer, text, real, index } from 'drizzle-orm/sqlite-core';\n`;

/** `n` tables of 8 columns, one index and (but t000) one ON DELETE CASCADE foreign key each. */
export function schemaSource(n: number, changed: ReadonlySet<number> = new Set(), defaults: Defaults = new Map()): string {
  let s = `${IMPORTS}\n`;
  for (let i = 0; i < n; i++) s += tableSource(i, changed, defaults);
  return s;
}

/** The folder layout: file `f` holds tables f·15 … f·15+14 and imports the parents it references from the other files. */
const fileOf = (i: number) => Math.floor(i / (TABLES / FOLDER_FILES));
export const folderFileName = (f: number) => `part${String(f).padStart(2, '0')}.ts`;

export function folderFileSource(f: number, defaults: Defaults = new Map()): string {
  const per = TABLES / FOLDER_FILES;
  const own = Array.from({ length: per }, (_, k) => f * per + k);
  const parents = [...new Set(own.filter((i) => i > 0 && fileOf(parentOf(i)) !== f).map(parentOf))];
  const byFile = new Map<number, number[]>();
  for (const p of parents) byFile.set(fileOf(p), [...(byFile.get(fileOf(p)) ?? []), p]);
  let s = IMPORTS;
  for (const [pf, ps] of byFile) s += `import { ${ps.map(tname).join(', ')} } from './${folderFileName(pf).replace(/\.ts$/, '')}';\n`;
  s += '\n';
  for (const i of own) s += tableSource(i, new Set(), defaults);
  return s;
}

/** A leaf of the tree (no table references it) in file `f`, or in the one-file schema: an edit there is an everyday change. */
export const leafIn = (f: number) => f * (TABLES / FOLDER_FILES) + TABLES / FOLDER_FILES - 1;
export const isLeaf = (i: number) => 2 * i + 1 >= TABLES;

/** Fill every table (parents first): `rows(i)` rows, each child row pointing at an existing parent row. */
export function seedSql(n: number, rows: (i: number) => number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const parent = i === 0 ? 'NULL' : `((x - 1) % ${rows(parentOf(i))}) + 1`;
    out.push(
      `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ${rows(i)}) ` +
        `INSERT INTO ${tname(i)} (id, parent_id, name, email, score, price, created_at, note) ` +
        `SELECT x, ${parent}, 'name ' || x, 'user' || x || '@example.com', x % 100, x * 0.25, 1700000000 + x, NULL FROM c;`,
    );
  }
  return out.join('\n');
}

/** A project folder: drizzle.config.ts naming `schema` (a file or folder under src/), the repository's node_modules linked in. */
export function makeProject(dir: string, files: Record<string, string>, schema = './src/schema.ts'): string {
  mkdirSync(join(dir, 'src'), { recursive: true });
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(
    join(dir, 'drizzle.config.ts'),
    `import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'sqlite', schema: '${schema}', out: './drizzle' });\n`,
  );
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}
