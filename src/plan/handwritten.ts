/**
 * Phase 5b: the objects the migrations folder built by hand (`generate --custom`) that drizzle's
 * snapshot does not describe, known from the replayed database. `DROP TABLE` takes a table's
 * triggers and indexes with it; a view or trigger that reads a dropped table breaks, and a broken
 * one makes every later `ALTER TABLE … RENAME` fail; `DROP COLUMN` fails under an index, trigger or
 * view that uses the column; a hand-written table whose foreign key reacts to a parent's drop loses
 * its rows. So such objects are dropped first and created again last, hand-written children move
 * like drizzle's own, and what can never work is refused before anything is written.
 */
import type { HandWrittenObject, HandWrittenTable } from '../d1/handwritten.js';
import { declaredAliases } from '../d1/references.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { rewriteReferences } from '../sqltext/rewrite.js';
import { tokenize, unquoteIdentifier } from '../sqltext/tokens.js';
import { NEW_PREFIX, REACTING, rowidName, type PlanContext } from './context.js';
import type { GuardCheck } from './types.js';

/** A hand-written table rebuilt because its foreign key would react to a parent's drop. */
export interface MovedHandWrittenTable {
  name: string;
  /** Its CREATE TABLE under the new name, pointing at the new parents. */
  createSql: string;
  /** The columns copied (generated columns are computed, never written). */
  columns: string[];
  /** The name its rowids are copied under, where no INTEGER PRIMARY KEY carries them. */
  rowid?: string;
}

export interface HandWrittenPlan {
  /** Foreign keys of hand-written tables to rebuilt or moved tables, checked at the end. */
  guards: GuardCheck[];
  /** Dropped at the start, before any table changes. */
  drop: { triggers: string[]; views: string[]; indexes: string[] };
  moved: MovedHandWrittenTable[];
  /** Created at the end, in this order (views after what they read, triggers last). */
  create: { kind: 'trigger' | 'view' | 'index'; name: string; sql: string }[];
  diagnostics: Diagnostic[];
}

export const noHandWritten = (): HandWrittenPlan => ({ guards: [], drop: { triggers: [], views: [], indexes: [] }, moved: [], create: [], diagnostics: [] });

const lower = (s: string) => s.toLowerCase();

/** What this migration does to the previous schema's tables, by lower-cased previous name. */
interface Touch {
  /** Tables whose old version is dropped: rebuilt (or moved) tables and removed ones. */
  rebuilt: Set<string>;
  removed: Set<string>;
  /** Columns removed, by table. */
  droppedColumns: Map<string, Set<string>>;
  /** Drizzle views this migration drops and creates again. */
  views: Set<string>;
}

function touchOf(ctx: PlanContext, rebuildNames: string[], droppedViews: string[]): Touch {
  const droppedColumns = new Map<string, Set<string>>();
  for (const c of ctx.changes) {
    if (c.kind !== 'dropColumn') continue;
    const t = lower(ctx.prevName(c.table));
    droppedColumns.set(t, (droppedColumns.get(t) ?? new Set()).add(lower(c.column.name)));
  }
  return {
    rebuilt: new Set(rebuildNames.map((n) => lower(ctx.prevName(n)))),
    removed: new Set(ctx.droppedPrevNames.map(lower)),
    droppedColumns,
    views: new Set(droppedViews.map(lower)),
  };
}

/**
 * `sql` as it must read after this migration's renames: SQLite rewrites a trigger or view on
 * `ALTER TABLE … RENAME`, but these are dropped before the renames and created again after them.
 * `NEW.` and `OLD.` name the trigger's table.
 */
function afterRenames(ctx: PlanContext, sql: string, scope: string[], triggerTable?: string): string {
  const tables = new Map(ctx.renamedTables.map((r) => [lower(r.from), r.to]));
  const columns = new Map<string, Map<string, string>>();
  for (const r of ctx.columnRenames) {
    const t = lower(ctx.prevName(r.table));
    columns.set(t, (columns.get(t) ?? new Map()).set(lower(r.from), r.to));
  }
  // An unqualified name is a column of one of the tables in scope (the index's or trigger's table, the relations a view reads).
  const inScope = scope.map(lower);
  const anyColumn = (name: string) => inScope.map((t) => columns.get(t)?.get(lower(name))).find((x) => x !== undefined);
  // `u.name` in `FROM users u`: the alias stays, the column is users' (NEW. and OLD. likewise name the trigger's table).
  const aliases = declaredAliases(sql);
  if (triggerTable) ['new', 'old'].forEach((w) => aliases.set(w, triggerTable));
  return rewriteReferences(sql, (ref) => {
    if (ref.qualifier === undefined) return aliases.has(lower(ref.name)) ? undefined : { name: tables.get(lower(ref.name)) ?? anyColumn(ref.name) };
    const aliased = aliases.get(lower(ref.qualifier));
    const q = aliased ?? ref.qualifier;
    return { qualifier: aliased !== undefined ? undefined : tables.get(lower(q)), name: columns.get(lower(q))?.get(lower(ref.name)) };
  });
}

const refusal = (code: 'D1-302' | 'D1-303' | 'D1-305', message: string, table?: string): Diagnostic => ({
  code,
  severity: 'error',
  message,
  ...(table ? { table } : {}),
  fixes: [{ kind: 'do', text: 'drop or rewrite that object in a --custom migration (drizzle-d1 generate --custom) that runs before this one, then generate again' }],
});

/** The columns of `object`'s uses this migration drops, as `table.column`. */
function droppedColumnsUsed(object: HandWrittenObject, touch: Touch): string[] {
  return object.references.flatMap((r) => r.columns.filter((c) => touch.droppedColumns.get(lower(r.name))?.has(lower(c))).map((c) => `${r.name}.${c}`));
}

/** A trigger, view or index: dropped and created again, or refused when it could not come back. */
function planObject(ctx: PlanContext, o: HandWrittenObject, touch: Touch, moved: Set<string>, out: HandWrittenPlan): void {
  if (o.kind === 'table' || o.kind === 'virtual-table') return;
  const names = o.references.map((r) => lower(r.name));
  const onTable = o.kind === 'trigger' ? lower(o.trigger.table) : o.kind === 'index' ? lower(o.index.table) : undefined;
  // A trigger or index of a removed table goes with it.
  if (onTable !== undefined && touch.removed.has(onTable)) return;
  const removedRead = names.find((n) => touch.removed.has(n));
  if (removedRead) {
    out.diagnostics.push(refusal('D1-302', `The hand-written ${o.kind} \`${o.name}\` reads \`${removedRead}\`, which this migration drops; it could not be created again.`));
    return;
  }
  const dropped = droppedColumnsUsed(o, touch);
  if (dropped.length && o.kind === 'index' && o.index.columns.length === 1 && !o.index.where) {
    // An index that serves only the dropped column has nothing left to index: it goes first.
    out.drop.indexes.push(o.name);
    out.diagnostics.push({ code: 'D1-304', severity: 'warning', message: `The hand-written index \`${o.name}\` indexes only ${dropped.join(', ')}, which this migration drops: it is dropped first.` });
    return;
  }
  if (dropped.length) {
    out.diagnostics.push(refusal('D1-303', `The hand-written ${o.kind} \`${o.name}\` uses ${dropped.join(', ')}, which this migration drops.`));
    return;
  }
  const reaches = (n: string) => touch.rebuilt.has(n) || moved.has(n) || touch.views.has(n);
  if (!names.some(reaches) && !(onTable !== undefined && reaches(onTable))) return;
  if (o.kind === 'trigger') out.drop.triggers.push(o.name);
  else if (o.kind === 'view') {
    out.drop.views.push(o.name);
    touch.views.add(lower(o.name)); // views over it go too (objects come in creation order)
  }
  // An index of a rebuilt table goes with the old table; one on another table stays valid.
  else if (!(onTable !== undefined && reaches(onTable))) return;
  const scope = o.kind === 'index' ? [o.index.table] : o.references.map((r) => r.name);
  out.create.push({ kind: o.kind, name: o.name, sql: afterRenames(ctx, o.sql, scope, o.kind === 'trigger' ? o.trigger.table : undefined) });
}

/**
 * The hand-written tables to move: those with a CASCADE / SET NULL / SET DEFAULT foreign key to a
 * table whose old version is dropped, and, in turn, their own reacting hand-written children.
 */
function tablesToMove(objects: HandWrittenObject[], touch: Touch, out: HandWrittenPlan): HandWrittenTable[] {
  const tables = objects.filter((o): o is HandWrittenTable => o.kind === 'table');
  const moved = new Map<string, HandWrittenTable>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const t of tables) {
      if (moved.has(lower(t.name))) continue;
      for (const fk of t.table.foreignKeys) {
        const parent = lower(fk.parent);
        if (touch.removed.has(parent)) {
          out.diagnostics.push(refusal('D1-305', `The hand-written table \`${t.name}\` references \`${fk.parent}\`, which this migration drops.`, t.name));
          moved.set(lower(t.name), t);
          break;
        }
        if (REACTING.has(lower(fk.onDelete)) && (touch.rebuilt.has(parent) || moved.has(parent))) {
          moved.set(lower(t.name), t);
          grew = true;
          break;
        }
      }
    }
  }
  return [...moved.values()];
}

/**
 * A hand-written table's CREATE TABLE under its new name, its references to rebuilt or moved tables
 * pointing at their new versions (and renamed parents at their new names).
 */
function createUnderNewName(ctx: PlanContext, t: HandWrittenTable, redirected: Set<string>): string {
  const renamed = new Map(ctx.renamedTables.map((r) => [lower(r.from), r.to]));
  const tokens = tokenize(t.sql);
  const significant = tokens.map((tok, i) => ({ tok, i })).filter(({ tok }) => tok.kind !== 'ws' && tok.kind !== 'comment');
  const replaced = new Map<number, string>();
  const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;
  significant.forEach(({ tok, i }, k) => {
    const prev = significant[k - 1]?.tok.text.toUpperCase();
    const isName = tok.kind === 'word' || tok.kind === 'quoted';
    if (!isName) return;
    const name = unquoteIdentifier(tok);
    if (prev === 'TABLE' && lower(name) === lower(t.name)) replaced.set(i, quoted(NEW_PREFIX + t.name));
    if (prev === 'REFERENCES') {
      const current = renamed.get(lower(name)) ?? name;
      if (redirected.has(lower(name))) replaced.set(i, quoted(NEW_PREFIX + current));
      else if (current !== name) replaced.set(i, quoted(current));
    }
  });
  return tokens.map((tok, i) => replaced.get(i) ?? tok.text).join('');
}

/** Hand-written tables' foreign keys to tables whose old version is dropped: no reference may dangle. */
function handWrittenReferenceGuards(ctx: PlanContext, objects: HandWrittenObject[], redirected: Set<string>): GuardCheck[] {
  const renamed = new Map(ctx.renamedTables.map((r) => [lower(r.from), r.to]));
  return objects.flatMap((o) =>
    o.kind !== 'table'
      ? []
      : o.table.foreignKeys.flatMap((fk): GuardCheck[] => {
          if (!redirected.has(lower(fk.parent)) || fk.to.some((c) => c === null)) return [];
          const tableTo = renamed.get(lower(fk.parent)) ?? fk.parent;
          const foreignKey = { name: `${o.name}_${fk.from.join('_')}_fk`, tableFrom: o.name, tableTo, columnsFrom: fk.from, columnsTo: fk.to as string[], onDelete: fk.onDelete, onUpdate: fk.onUpdate };
          return [{ kind: 'noOrphans', code: 'D1-109', table: o.name, foreignKey }];
        }),
  );
}

export function planHandWritten(ctx: PlanContext, objects: HandWrittenObject[], rebuildNames: string[], droppedViews: string[]): HandWrittenPlan {
  const out = noHandWritten();
  if (!objects.length) return out;
  const touch = touchOf(ctx, rebuildNames, droppedViews);
  const toMove = tablesToMove(objects, touch, out);
  const movedNames = new Set(toMove.map((t) => lower(t.name)));
  const redirected = new Set([...touch.rebuilt, ...movedNames]);
  for (const t of toMove) {
    const columns = t.table.columns.filter((c) => c.generated === 'no').map((c) => c.name);
    const keys = t.table.columns.filter((c) => c.primaryKey > 0);
    const aliased = t.table.withoutRowid || (keys.length === 1 && keys[0]!.type.toUpperCase() === 'INTEGER');
    const rowid = aliased ? undefined : rowidName(t.table.columns.map((c) => c.name));
    out.moved.push({ name: t.name, createSql: createUnderNewName(ctx, t, redirected), columns, ...(rowid ? { rowid } : {}) });
  }
  for (const o of objects) planObject(ctx, o, touch, movedNames, out);
  out.guards = handWrittenReferenceGuards(ctx, objects, redirected);
  return out;
}
