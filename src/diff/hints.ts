/**
 * Non-interactive answers to rename questions, in drizzle-kit 1.0's `--hints` JSON
 * (`{"type":"rename","kind":"column","from":["public","users","name"],"to":["public","users","full_name"]}`,
 * the schema element optional for SQLite) and the short `--rename users.name=users.full_name`.
 */
// zod's v3 API (shipped inside zod 4): it loads in ~15 ms where zod 4 classic takes ~100 ms, and
// generate runs many times a day.
import { z } from 'zod/v3';
import { describeIssues, UserInputError } from '../diagnostics/errors.js';
import type { SchemaState } from '../snapshot/types.js';
import type { Ambiguity, Renames } from './types.js';

const path = z.array(z.string().min(1)).min(1).max(3);
const hintSchema = z.union([
  z.object({ type: z.literal('rename'), kind: z.enum(['table', 'column']), from: path, to: path }),
  z.object({ type: z.literal('create'), kind: z.enum(['table', 'column']), to: path }),
]);
export const hintsSchema = z.array(hintSchema);
export type Hint = z.infer<typeof hintSchema>;

export function parseHints(text: string, source: string): Hint[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UserInputError('D1-709', `${source} is not valid JSON (${(e as Error).message}). Pass a JSON array of hints such as [{"type":"rename","kind":"column","from":["users","name"],"to":["users","full_name"]}].`, source);
  }
  const parsed = hintsSchema.safeParse(Array.isArray(raw) ? raw : [raw]);
  if (!parsed.success) {
    throw new UserInputError('D1-709',
      `${source} holds a hint drizzle-d1 cannot read (${describeIssues(parsed.error.issues)}). ` +
        `Each hint is {"type":"rename","kind":"table"|"column","from":[…],"to":[…]} or {"type":"create","kind":…,"to":[…]}.`,
      source,
    );
  }
  return parsed.data;
}

/** `users.name=users.full_name` (column) or `users=accounts` (table). */
export function parseRenameFlag(flag: string): Hint {
  const m = /^([^=]+)=([^=]+)$/.exec(flag.trim());
  const from = m?.[1]!.split('.');
  const to = m?.[2]!.split('.');
  if (!from || !to || from.length !== to.length || from.length > 2 || [...from, ...to].some((p) => !p)) {
    throw new UserInputError('D1-708',
      `--rename "${flag}" is not of the form table=new_table or table.column=table.new_column.`,
    );
  }
  return { type: 'rename', kind: from.length === 1 ? 'table' : 'column', from, to };
}

/** Drops the optional leading schema element ("public" / "main") of a hint path. */
const strip = (p: string[], kind: 'table' | 'column') => (p.length > (kind === 'table' ? 1 : 2) ? p.slice(1) : p);

/** Turns hints into renames, refusing any hint that names something the schemas do not have. */
export function hintsToRenames(hints: Hint[], prev: SchemaState, cur: SchemaState): Renames {
  const renames: Renames = { tables: {}, columns: {}, createdTables: [], createdColumns: {} };
  const bad = (h: Hint, why: string) =>
    new UserInputError('D1-710', `The hint ${JSON.stringify(h)} ${why}. Fix or remove it; drizzle-d1 does not ignore hints.`);
  const tablesTo = (h: Hint) => {
    const [t] = strip(h.to, 'table');
    return t!;
  };
  for (const h of hints.filter((x) => x.kind === 'table')) {
    const to = tablesTo(h);
    if (!cur.tables[to]) throw bad(h, `names table "${to}", which is not in the current schema`);
    if (h.type === 'rename') {
      const [from] = strip(h.from, 'table');
      if (!prev.tables[from!]) throw bad(h, `renames table "${from}", which is not in the previous snapshot`);
      renames.tables[from!] = to;
    } else {
      renames.createdTables!.push(to);
    }
  }
  for (const h of hints.filter((x) => x.kind === 'column')) {
    const [table, column] = strip(h.to, 'column');
    if (!table || !column || !cur.tables[table]?.columns[column]) {
      throw bad(h, `names column "${h.to.join('.')}", which is not in the current schema`);
    }
    if (h.type === 'rename') {
      const [fromTable, fromColumn] = strip(h.from, 'column');
      const prevTable = Object.entries(renames.tables).find(([, t]) => t === table)?.[0] ?? table;
      if (fromTable !== table && fromTable !== prevTable) throw bad(h, 'moves a column to another table, which is not a rename');
      if (!fromColumn || !prev.tables[prevTable]?.columns[fromColumn]) {
        throw bad(h, `renames column "${h.from.join('.')}", which is not in the previous snapshot`);
      }
      (renames.columns[table] ??= {})[fromColumn] = column;
    } else {
      (renames.createdColumns![table] ??= []).push(column);
    }
  }
  return renames;
}

/** The hints that would answer `ambiguities` one way (renames paired in order) and the other (all created). */
export function suggestedHints(ambiguities: Ambiguity[]): { renames: Hint[]; creates: Hint[] } {
  const renames: Hint[] = [];
  const creates: Hint[] = [];
  for (const a of ambiguities) {
    a.added.forEach((added, i) => {
      const to = a.kind === 'table' ? [added] : [a.table, added];
      creates.push({ type: 'create', kind: a.kind, to });
      const removed = a.removed[i];
      if (removed) renames.push({ type: 'rename', kind: a.kind, from: a.kind === 'table' ? [removed] : [a.table, removed], to });
    });
  }
  return { renames, creates };
}
