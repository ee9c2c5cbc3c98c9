/**
 * Hand-written objects: what the replayed database holds that drizzle's snapshot does not describe
 * (triggers, views, indexes, tables and FTS5 tables written with `generate --custom`), each with the
 * snapshot tables it depends on. The planner uses them to recreate triggers after a rebuild (SQLite
 * drops a table's triggers with it), drop and recreate views (a view over a dropped table breaks, and
 * a broken view makes every later RENAME fail), recreate indexes, and move hand-written child tables
 * whose foreign keys react to a parent's DROP.
 */
import type { SchemaState } from '../snapshot/types.js';
import type {
  ForeignKeyModel,
  IndexModel,
  RelationUse,
  SchemaModel,
  TableModel,
  TriggerModel,
  ViewModel,
  VirtualTableModel,
} from './model.js';

interface HandWrittenBase {
  name: string;
  /** The CREATE statement as sqlite_schema keeps it. */
  sql: string;
  /** Every relation it names (hand-written ones included), with the columns named. */
  references: RelationUse[];
  /** The subset of `references` that the snapshot describes (drizzle's tables and views). */
  dependsOn: RelationUse[];
}

export interface HandWrittenTrigger extends HandWrittenBase {
  kind: 'trigger';
  trigger: TriggerModel;
}

export interface HandWrittenView extends HandWrittenBase {
  kind: 'view';
  view: ViewModel;
  /** A drizzle `.existing()` view: the snapshot names it but has no definition to recreate it from. */
  existingInSnapshot: boolean;
}

export interface HandWrittenIndex extends HandWrittenBase {
  kind: 'index';
  index: IndexModel;
}

export interface HandWrittenTable extends HandWrittenBase {
  kind: 'table';
  table: TableModel;
  /** Its foreign keys to tables the snapshot describes (a DROP of the parent reaches it). */
  foreignKeysToSnapshot: ForeignKeyModel[];
}

export interface HandWrittenVirtualTable extends HandWrittenBase {
  kind: 'virtual-table';
  table: VirtualTableModel;
  /** Its shadow tables (`<name>_data`, `_idx`, …): created and dropped with it, never by hand. */
  shadowTables: string[];
}

export type HandWrittenObject = HandWrittenTrigger | HandWrittenView | HandWrittenIndex | HandWrittenTable | HandWrittenVirtualTable;

/** Lower-cased names the snapshot describes; SQLite names are case-insensitive. */
interface Described {
  tables: Set<string>;
  views: Set<string>;
  existingViews: Set<string>;
  indexes: Set<string>;
}

function described(state: SchemaState): Described {
  const lower = (names: Iterable<string>) => new Set([...names].map((n) => n.toLowerCase()));
  const views = Object.values(state.views);
  return {
    tables: lower(Object.values(state.tables).map((t) => t.name)),
    views: lower(views.filter((v) => !v.isExisting).map((v) => v.name)),
    existingViews: lower(views.filter((v) => v.isExisting).map((v) => v.name)),
    indexes: lower(Object.values(state.tables).flatMap((t) => Object.values(t.indexes).map((i) => i.name))),
  };
}

function snapshotUses(uses: readonly RelationUse[], d: Described): RelationUse[] {
  return uses.filter((u) => d.tables.has(u.name.toLowerCase()) || d.views.has(u.name.toLowerCase()) || d.existingViews.has(u.name.toLowerCase()));
}

function primaryKeyOf(model: SchemaModel, table: string): string[] {
  const t = model.tables.find((x) => x.name.toLowerCase() === table.toLowerCase());
  return t ? t.columns.filter((c) => c.primaryKey > 0).sort((a, b) => a.primaryKey - b.primaryKey).map((c) => c.name) : [];
}

/** A table's foreign keys as uses of their parents' columns (an implied parent key resolved). */
function foreignKeyUses(model: SchemaModel, table: TableModel): RelationUse[] {
  const byParent = new Map<string, Set<string>>();
  for (const fk of table.foreignKeys) {
    const implied = primaryKeyOf(model, fk.parent);
    const cols = byParent.get(fk.parent) ?? new Set<string>();
    fk.to.forEach((c, i) => cols.add(c ?? implied[i] ?? ''));
    byParent.set(fk.parent, cols);
  }
  return [...byParent].map(([name, cols]) => ({ name, kind: 'table' as const, columns: [...cols].filter(Boolean) }));
}

function tableObjects(model: SchemaModel, d: Described): HandWrittenObject[] {
  const out: HandWrittenObject[] = [];
  for (const vt of model.virtualTables) {
    if (d.tables.has(vt.name.toLowerCase())) continue;
    const references = vt.reads;
    out.push({ kind: 'virtual-table', name: vt.name, sql: vt.sql, table: vt, shadowTables: vt.shadowTables, references, dependsOn: snapshotUses(references, d) });
  }
  for (const t of model.tables) {
    if (d.tables.has(t.name.toLowerCase())) continue;
    const references = foreignKeyUses(model, t);
    const foreignKeysToSnapshot = t.foreignKeys.filter((fk) => d.tables.has(fk.parent.toLowerCase()));
    out.push({ kind: 'table', name: t.name, sql: t.sql, table: t, foreignKeysToSnapshot, references, dependsOn: snapshotUses(references, d) });
  }
  return out;
}

/** Views in an order that creates each after the views it reads (sqlite_schema order can differ after renames). */
function viewsInCreationOrder(views: readonly ViewModel[]): ViewModel[] {
  const byName = new Map(views.map((v) => [v.name.toLowerCase(), v]));
  const done = new Set<ViewModel>();
  const order: ViewModel[] = [];
  const visit = (v: ViewModel, path: Set<ViewModel>): void => {
    if (done.has(v) || path.has(v)) return;
    path.add(v);
    for (const r of v.reads) {
      const dep = byName.get(r.name.toLowerCase());
      if (dep) visit(dep, path);
    }
    done.add(v);
    order.push(v);
  };
  for (const v of views) visit(v, new Set());
  return order;
}

/**
 * The objects of `model` that `state` (drizzle's snapshot) does not describe, in an order that
 * recreates them: tables, then views (each after those it reads), indexes, triggers. Every trigger
 * is hand-written: drizzle models none.
 */
export function handWrittenObjects(model: SchemaModel, state: SchemaState): HandWrittenObject[] {
  const d = described(state);
  const out = tableObjects(model, d);
  for (const v of viewsInCreationOrder(model.views)) {
    if (d.views.has(v.name.toLowerCase())) continue;
    const existingInSnapshot = d.existingViews.has(v.name.toLowerCase());
    out.push({ kind: 'view', name: v.name, sql: v.sql, view: v, existingInSnapshot, references: v.reads, dependsOn: snapshotUses(v.reads, d) });
  }
  for (const ix of model.indexes) {
    if (d.indexes.has(ix.name.toLowerCase())) continue;
    out.push({ kind: 'index', name: ix.name, sql: ix.sql, index: ix, references: ix.reads, dependsOn: snapshotUses(ix.reads, d) });
  }
  for (const tr of model.triggers) {
    out.push({ kind: 'trigger', name: tr.name, sql: tr.sql, trigger: tr, references: tr.reads, dependsOn: snapshotUses(tr.reads, d) });
  }
  return out;
}

/**
 * The hand-written objects that depend, directly or through other hand-written objects, on any of
 * `tables` (say, the tables a plan rebuilds or drops), in `objects`' order. A trigger ON a table
 * that writes posts_fts is reached through its ON table; posts_fts's own dependants through it.
 */
export function dependentsOf(objects: readonly HandWrittenObject[], tables: readonly string[]): HandWrittenObject[] {
  const reached = new Set(tables.map((t) => t.toLowerCase()));
  const result = new Set<HandWrittenObject>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const o of objects) {
      if (result.has(o) || !o.references.some((r) => reached.has(r.name.toLowerCase()))) continue;
      result.add(o);
      reached.add(o.name.toLowerCase());
      grew = true;
    }
  }
  return objects.filter((o) => result.has(o));
}
