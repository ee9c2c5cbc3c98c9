/**
 * Phase 6: the steps, in an order SQLite and D1 accept. Foreign keys are deferred, never switched
 * off (`foreign_keys=OFF` is a no-op inside D1's transaction). Renames come first; new and rebuilt
 * tables are created already pointing at the rebuilt parents; rows are copied parents first; old
 * tables are dropped children first; the new ones take their names; indexes, views and the
 * foreign-key guard come last.
 */
import type { Change } from '../diff/types.js';
import type { Index, SchemaState, Table } from '../snapshot/types.js';
import type { Classification } from './classify.js';
import { NEW_PREFIX, rowidName, type PlanContext } from './context.js';
import { dropDeletions, oldTargetsOf } from './drops.js';
import { dropOrder, orderRenames, parentsFirst } from './order.js';
import { columnKey } from './safety.js';
import type { Guards } from './guards.js';
import type { HandWrittenPlan } from './handwritten.js';
import type { CopyColumn, GuardCheck, Rebuild, Step } from './types.js';
import type { ViewPlan } from './views.js';

const GUARD_TABLE = '__drizzle_d1_guard';

/** What the earlier phases decided: everything step emission needs. */
export interface Layout {
  ctx: PlanContext;
  classification: Classification;
  /** Rebuilt tables, parents first. */
  rebuilds: Rebuild[];
  copies: Map<string, CopyColumn[]>;
  guards: Guards;
  views: ViewPlan;
  handWritten: HandWrittenPlan;
}

/** The steps of one phase of the file, and the names they share. */
interface Emit {
  layout: Layout;
  steps: Step[];
  rebuildOrder: string[];
  rebuilt: Set<string>;
  redirect: Record<string, string>;
  push(step: Step): void;
}

const note = (reason: string, sources: Change[] = []) => ({ reason, sources });

function uniqueName(base: string, prev: SchemaState, cur: SchemaState): string {
  let name = base;
  for (let i = 2; prev.tables[name] || cur.tables[name]; i++) name = `${base}_${i}`;
  return name;
}

function expressionsOf(cur: SchemaState, indexName: string): string[] {
  return Object.entries(cur.internal?.indexes?.[indexName]?.columns ?? {})
    .filter(([, v]) => v.isExpression)
    .map(([k]) => k);
}

/** Drop views, step dropped tables aside, rename tables and columns, drop indexes: before any table changes. */
function emitRenamesAndDrops(e: Emit): void {
  const { ctx, views } = e.layout;
  const dropChange = (name: string) => ctx.changes.find((c) => c.kind === 'dropView' && c.view.name === name);
  for (const name of views.dropped) {
    const c = dropChange(name);
    e.push({ kind: 'dropView', name, ...note(c ? 'the view changed or was removed' : 'the view reads a table this migration changes; it is created again at the end', c ? [c] : []) });
  }
  const hw = e.layout.handWritten;
  for (const name of hw.drop.triggers) e.push({ kind: 'dropTrigger', name, ...note('a hand-written trigger that reads a table this migration rebuilds; created again at the end') });
  for (const name of hw.drop.views) e.push({ kind: 'dropView', name, ...note('a hand-written view that reads a table this migration changes; created again at the end') });
  for (const name of hw.drop.indexes) e.push({ kind: 'dropIndex', name, ...note('a hand-written index on a column this migration drops') });
  // A dropped table whose name another table takes over steps aside first, and is dropped later
  // under its spare name (its children's references follow it there).
  for (const [key, prevName] of ctx.droppedPrevName) {
    const c = ctx.changes.find((x) => x.kind === 'dropTable' && x.table.name === prevName)!;
    if (key !== prevName) e.push({ kind: 'renameTable', from: prevName, to: key, ...note('a renamed table takes over the name of this dropped table', [c]) });
  }
  for (const r of orderRenames(ctx.renamedTables, true)) e.push({ kind: 'renameTable', from: r.from, to: r.to, ...note('table renamed', [r.source]) });
  for (const a of ctx.columnsAside) {
    const c = ctx.changes.find((x) => x.kind === 'dropColumn' && x.table === a.table && x.column.name === a.column)!;
    e.push({ kind: 'renameColumn', table: a.table, from: a.column, to: a.spare, ...note('a renamed column takes over the name of this dropped column', [c]) });
  }
  for (const table of new Set(ctx.columnRenames.map((r) => r.table))) {
    const renames = ctx.columnRenames.filter((r) => r.table === table);
    for (const r of orderRenames(renames)) e.push({ kind: 'renameColumn', table, from: r.from, to: r.to, ...note('column renamed in place, so a rebuild copies its values', [r.source]) });
  }
  for (const c of ctx.changes) {
    if (c.kind === 'dropIndex' && !e.rebuilt.has(c.table) && !ctx.dropped.has(c.table)) e.push({ kind: 'dropIndex', name: c.index.name, ...note('index removed or changed', [c]) });
  }
}

/** New tables, native column drops, and the rebuilt tables' new versions. */
function emitCreates(e: Emit): void {
  const { ctx, classification, rebuilds } = e.layout;
  const curRefs = (n: string) => Object.values(ctx.cur.tables[n]?.foreignKeys ?? {}).map((f) => f.tableTo);
  // New tables point at the new versions of rebuilt parents too: an old parent's DROP TABLE must not
  // reach them (SQLite would compile its ON DELETE action against tables already dropped).
  for (const name of parentsFirst([...ctx.created], curRefs)) {
    const c = ctx.changes.find((x) => x.kind === 'createTable' && x.table.name === name)!;
    e.push({ kind: 'createTable', table: ctx.cur.tables[name]!, ...(e.rebuildOrder.length ? { references: e.redirect } : {}), ...note('new table', [c]) });
  }
  for (const d of classification.nativeDrops) {
    if (e.rebuilt.has(d.table)) continue;
    const aside = ctx.columnsAside.find((a) => a.table === d.table && a.column === d.column);
    e.push({ kind: 'dropColumn', table: d.table, column: aside?.spare ?? d.column, ...note('column removed', [d.source]) });
  }
  for (const rebuild of rebuilds) {
    const name = rebuild.table;
    const sources = (ctx.byTable.get(name) ?? []).filter((c) => c.kind !== 'renameColumn');
    const reason = rebuild.reasons.length ? 'rebuilt for changes ALTER TABLE cannot make' : 'moved onto its rebuilt parents, so their DROP TABLE cannot reach its rows';
    e.push({ kind: 'createTable', table: ctx.cur.tables[name]!, as: NEW_PREFIX + name, references: e.redirect, rebuild, ...note(reason, sources) });
  }
  for (const m of e.layout.handWritten.moved) {
    e.push({ kind: 'createObject', object: 'table', name: NEW_PREFIX + m.name, sql: m.createSql, ...note('a hand-written table moved onto its rebuilt parents, so their DROP TABLE cannot reach its rows') });
  }
}

/**
 * A child's foreign key may target a UNIQUE column rather than the primary key. SQLite needs that
 * parent key indexed while rows are inserted into the child ("foreign key mismatch" otherwise,
 * sqlite.org/foreignkeys.html §3), but the real index name is still taken by the old table: index
 * the new table under a spare name until the old one is gone.
 */
function spareIndexes(e: Emit): { table: string; index: Index }[] {
  const { cur } = e.layout.ctx;
  const spare: { table: string; index: Index }[] = [];
  for (const name of e.rebuildOrder) {
    for (const index of Object.values(cur.tables[name]!.indexes)) {
      if (!index.isUnique || index.where || expressionsOf(cur, index.name).length) continue;
      const key = columnKey(index.columns);
      const targeted = e.rebuildOrder.some((child) =>
        Object.values(cur.tables[child]!.foreignKeys).some((f) => f.tableTo === name && columnKey(f.columnsTo) === key),
      );
      if (targeted) spare.push({ table: name, index: { ...index, name: NEW_PREFIX + index.name } });
    }
  }
  return spare;
}

const autoincrements = (t: Table | undefined) => Object.values(t?.columns ?? {}).some((c) => c.autoincrement);

/**
 * The name to copy the rows' rowids under, where the new table has no INTEGER PRIMARY KEY that
 * carries them: hand-written SQL (an external-content FTS5 index, triggers) may be keyed by them,
 * and a copy without them numbers the rows again, closing the gaps deleted rows left.
 */
function rowidToCopy(ctx: PlanContext, name: string): string | undefined {
  const cur = ctx.cur.tables[name]!;
  if (Object.values(cur.columns).some((c) => c.primaryKey && c.type.toLowerCase() === 'integer')) return undefined;
  return rowidName([...Object.keys(ctx.prevTable(name)?.columns ?? {}), ...Object.keys(cur.columns)]);
}

/** Each rebuilt table's rows copied once, parents first, with its AUTOINCREMENT high-water mark. */
function emitCopies(e: Emit): void {
  const { ctx, copies } = e.layout;
  for (const name of e.rebuildOrder) {
    const rowid = rowidToCopy(ctx, name);
    e.push({ kind: 'copyRows', from: name, to: NEW_PREFIX + name, columns: copies.get(name)!, ...(rowid ? { rowid } : {}), ...note('every row copied once into the new table') });
    if (autoincrements(ctx.cur.tables[name]) && autoincrements(ctx.prevTable(name))) {
      e.push({ kind: 'carrySequence', from: name, to: NEW_PREFIX + name, ...note('freed AUTOINCREMENT ids are never handed out again') });
    }
  }
  for (const m of e.layout.handWritten.moved) {
    const columns = m.columns.map((c) => ({ name: c, from: c }));
    e.push({ kind: 'copyRows', from: m.name, to: NEW_PREFIX + m.name, columns, ...(m.rowid ? { rowid: m.rowid } : {}), ...note('every row of the hand-written table copied once') });
  }
}

/**
 * Old tables dropped children first: each implicit DELETE then finds no child rows to act on, which
 * also keeps D1's trigger-depth limit (10 levels of cascade) out of reach.
 */
function emitDrops(e: Emit): void {
  const { ctx } = e.layout;
  const sequence = dropOrder([...e.rebuildOrder, ...ctx.dropped], oldTargetsOf(ctx));
  const deletions = dropDeletions(ctx, sequence, e.rebuilt);
  // Hand-written tables reference drizzle's, never the other way round: they go first, children first.
  for (const m of [...e.layout.handWritten.moved].reverse()) e.push({ kind: 'dropTable', name: m.name, ...note('the old version of a moved hand-written table') });
  for (const name of sequence) {
    const prevName = ctx.droppedPrevName.get(name);
    const c = prevName !== undefined ? ctx.changes.find((x) => x.kind === 'dropTable' && x.table.name === prevName) : undefined;
    const deletes = deletions.get(name);
    e.push({
      kind: 'dropTable',
      name,
      ...(prevName !== undefined && prevName !== name ? { shownAs: prevName } : {}),
      ...(deletes ? { deletes } : {}),
      ...note(c ? 'table removed' : 'the old version of a rebuilt table', c ? [c] : []),
    });
  }
}

/** New tables take their names; then columns with foreign keys, indexes and views. */
function emitFinish(e: Emit, spare: { table: string; index: Index }[]): void {
  const { ctx, classification, views } = e.layout;
  for (const name of e.rebuildOrder) e.push({ kind: 'renameTable', from: NEW_PREFIX + name, to: name, ...note('the new table takes the old name; SQLite rewrites the references to it') });
  for (const m of e.layout.handWritten.moved) e.push({ kind: 'renameTable', from: NEW_PREFIX + m.name, to: m.name, ...note('the moved hand-written table takes its old name') });
  for (const s of spare) e.push({ kind: 'dropIndex', name: s.index.name, ...note('the spare unique index is no longer needed') });
  // Columns with a foreign key are added once the old tables are gone: a new ON DELETE action on an
  // old parent would otherwise be compiled into that parent's DROP TABLE.
  for (const a of classification.nativeAdds) {
    if (!e.rebuilt.has(a.table)) e.push({ kind: 'addColumn', table: a.table, column: a.column, ...(a.foreignKey ? { foreignKey: a.foreignKey } : {}), ...note('new column', [a.source]) });
  }
  emitGuard(e, e.layout.guards.beforeIndexes, 'no two rows share a value of a new unique index');
  for (const name of [...ctx.created, ...e.rebuildOrder]) {
    for (const index of Object.values(ctx.cur.tables[name]!.indexes)) {
      e.push({ kind: 'createIndex', table: name, index, expressions: expressionsOf(ctx.cur, index.name), ...note('index of a new or rebuilt table') });
    }
  }
  for (const c of ctx.changes) {
    if (c.kind === 'createIndex' && !ctx.created.has(c.table) && !e.rebuilt.has(c.table)) {
      e.push({ kind: 'createIndex', table: c.table, index: c.index, expressions: expressionsOf(ctx.cur, c.index.name), ...note('new or changed index', [c]) });
    }
  }
  for (const view of views.created) {
    const c = ctx.changes.find((x) => x.kind === 'createView' && x.view.name === view.name);
    e.push({ kind: 'createView', view, ...note(c ? 'new or changed view' : 'the view is created again over the changed tables', c ? [c] : []) });
  }
  // Hand-written objects last: triggers after every copy, so no copied row fires them.
  for (const o of e.layout.handWritten.create) e.push({ kind: 'createObject', object: o.kind, name: o.name, sql: o.sql, ...note(`the hand-written ${o.kind} is created again`) });
}

/** A guard step, when there is something to check: it aborts the migration unless `what` holds. */
function emitGuard(e: Emit, checks: GuardCheck[], what: string): void {
  if (!checks.length) return;
  const { prev, cur } = e.layout.ctx;
  e.push({ kind: 'guard', table: uniqueName(GUARD_TABLE, prev, cur), checks, ...note(`aborts the migration unless ${what}`) });
}

export function emitSteps(layout: Layout): Step[] {
  const { ctx, rebuilds } = layout;
  const rebuildOrder = rebuilds.map((r) => r.table);
  const steps: Step[] = [];
  const e: Emit = {
    layout,
    steps,
    rebuildOrder,
    rebuilt: new Set(rebuildOrder),
    redirect: Object.fromEntries(rebuildOrder.map((n) => [n, NEW_PREFIX + n])),
    push: (s) => steps.push(s),
  };
  const needsFrame = rebuildOrder.length > 0 || ctx.dropped.size > 0;
  if (needsFrame) e.push({ kind: 'deferForeignKeys', on: true, ...note('foreign keys are checked at the end of the file, not switched off (a no-op on D1)') });
  emitRenamesAndDrops(e);
  emitCreates(e);
  const spare = spareIndexes(e);
  for (const s of spare) e.push({ kind: 'createIndex', table: NEW_PREFIX + s.table, index: s.index, expressions: [], ...note('a moved child references this unique key while its rows are copied') });
  emitGuard(e, layout.guards.beforeCopy, 'the old rows can be copied as the new table requires');
  emitCopies(e);
  emitDrops(e);
  emitFinish(e, spare);
  if (needsFrame) {
    emitGuard(e, layout.guards.atEnd, 'no reference dangles (defer_foreign_keys = OFF alone would commit it)');
    e.push({ kind: 'deferForeignKeys', on: false, ...note('deferred checking ends once the guard has passed') });
  }
  return steps;
}
