/**
 * Change[] → ordered Step[]: native ALTER where SQLite allows it, a rebuild where it does not, and
 * the "redirect" plan for children (design.md): every table that would react to a rebuilt or
 * dropped parent's DROP TABLE is rebuilt once, already pointing at the parent's new table.
 *
 * D1 runs each migration file in one transaction with foreign keys enforced, where
 * `PRAGMA foreign_keys=OFF` is a no-op (sqlite.org/pragma.html#pragma_foreign_keys). `DROP TABLE`
 * first runs an implicit `DELETE FROM` that fires ON DELETE CASCADE / SET NULL / SET DEFAULT on the
 * children (sqlite.org/foreignkeys.html §5). So nothing that still references an old table with
 * such an action may survive its drop.
 */
import { UserInputError } from '../diagnostics/errors.js';
import type { Change } from '../diff/types.js';
import type { Column, ForeignKey, Index, SchemaState, Table, View } from '../snapshot/types.js';
import type { CopyColumn, Plan, PlanOptions, RebuildStep, Step } from './types.js';

const REACTING = new Set(['cascade', 'set null', 'set default']);
export const NEW_PREFIX = '__new_';
const DROP_PREFIX = '__drop_';
const GUARD_TABLE = '__drizzle_d1_fk_guard';

const action = (a: string | undefined) => (a ?? 'no action').toLowerCase();

/** True when `name` appears in `sql` as an identifier (quoted or bare), case-insensitively. */
export function mentions(sql: string, name: string): boolean {
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_$])${esc}([^A-Za-z0-9_$]|$)`, 'i').test(sql);
}

/** Orders `names` so that a table comes after the tables it references (cycles keep input order). */
export function parentsFirst(names: string[], referencesOf: (name: string) => string[]): string[] {
  const inSet = new Set(names);
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: string[] = [];
  const visit = (n: string) => {
    if (done.has(n) || visiting.has(n)) return;
    visiting.add(n);
    for (const p of referencesOf(n)) if (inSet.has(p) && p !== n) visit(p);
    visiting.delete(n);
    done.add(n);
    out.push(n);
  };
  for (const n of names) visit(n);
  return out;
}

/** What ALTER TABLE … ADD COLUMN cannot do (sqlite.org/lang_altertable.html#altertabaddcol). */
function addColumnBlocker(column: Column, fk: ForeignKey | undefined): string | null {
  if (column.primaryKey) return 'is a PRIMARY KEY';
  if (column.generated?.type === 'stored') return 'is a STORED generated column';
  const d = column.default;
  if (typeof d === 'string' && (/^\(/.test(d.trim()) || /^current_(time|date|timestamp)$/i.test(d.trim())))
    return 'has an expression default';
  if (fk && d !== undefined && d !== null) return 'references another table and has a non-NULL default';
  if (column.notNull && (d === undefined || d === null) && !column.generated) return 'is NOT NULL without a default';
  return null;
}

const qualify = (t: string, c: string) => `${t}.${c}`;
/** Appends `value` to the list `map` holds for `key`. */
function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
/** A set of columns as one comparable value: SQLite matches a parent key to a unique index in any order. */
const columnKey = (columns: string[]) => [...columns].sort().join('\u0000');

export function planMigration(prev: SchemaState, cur: SchemaState, changes: Change[], options: PlanOptions = {}): Plan {
  const backfill = options.backfill ?? {};
  const assumeNotNull = new Set(options.assumeNotNull ?? []);
  for (const [flag, names] of [['--backfill', Object.keys(backfill)], ['--assume-not-null', [...assumeNotNull]]] as const) {
    for (const n of names) {
      const [t, c] = n.split('.');
      if (!t || !c || !cur.tables[t]?.columns[c]) {
        throw new UserInputError('D1-701', `${flag} names ${n}, which is not a column of the schema (write it as table.column, with the database names).`);
      }
    }
  }
  const warnings: string[] = [];
  const unsafe: string[] = [];

  const created = changes.flatMap((c) => (c.kind === 'createTable' ? [c.table.name] : []));
  // A dropped table whose name a renamed table takes over is known (and dropped) by a spare name.
  const droppedPrevNames = changes.flatMap((c) => (c.kind === 'dropTable' ? [c.table.name] : []));
  const droppedKey = (prevName: string) => (cur.tables[prevName] ? DROP_PREFIX + prevName : prevName);
  const dropped = droppedPrevNames.map(droppedKey);
  const droppedPrevName = new Map(droppedPrevNames.map((n) => [droppedKey(n), n]));
  const renamedTables = changes.flatMap((c) => (c.kind === 'renameTable' ? [{ from: c.from, to: c.to }] : []));
  const curNameOf = new Map(renamedTables.map((r) => [r.from, r.to]));
  const prevNameOf = new Map(renamedTables.map((r) => [r.to, r.from]));
  const prevTable = (curName: string): Table | undefined => prev.tables[prevNameOf.get(curName) ?? curName];
  const createdSet = new Set(created);
  const droppedSet = new Set(dropped);

  const byTable = new Map<string, Change[]>();
  for (const c of changes) {
    if ('table' in c && typeof c.table === 'string') {
      append(byTable, c.table, c);
    }
  }

  // 1. Which existing tables need a rebuild for their own changes.
  const reasons = new Map<string, string[]>();
  const nativeAdds: { table: string; column: Column; foreignKey?: ForeignKey }[] = [];
  const nativeDrops: { table: string; column: string }[] = [];
  const columnRenames = changes.flatMap((c) => (c.kind === 'renameColumn' ? [c] : []));
  const addReason = (t: string, r: string) => {
    const list = reasons.get(t) ?? [];
    if (!list.includes(r)) list.push(r);
    reasons.set(t, list);
  };

  for (const [table, list] of byTable) {
    if (createdSet.has(table)) continue;
    const prev0 = prevTable(table)!;
    const addedFks = list.flatMap((c) => (c.kind === 'addForeignKey' ? [c.foreignKey] : []));
    const absorbedFks = new Set<ForeignKey>();
    const pending: { column: Column; fk?: ForeignKey }[] = [];
    for (const c of list) {
      switch (c.kind) {
        case 'alterColumn':
          addReason(table, `column \`${c.to.name}\`: ${c.aspects.join(', ')} changed`);
          break;
        case 'addForeignKey':
        case 'dropForeignKey':
          break; // decided below, once column additions have absorbed what they can
        case 'alterPrimaryKey':
          addReason(table, 'primary key changed');
          break;
        case 'addCheck':
        case 'dropCheck':
          addReason(table, `check \`${c.check.name}\` ${c.kind === 'addCheck' ? 'added' : 'dropped'}`);
          break;
        case 'addUnique':
        case 'dropUnique':
          addReason(table, `unique constraint \`${c.unique.name}\` changed`);
          break;
        case 'addColumn': {
          const fk = addedFks.find((f) => f.columnsFrom.length === 1 && f.columnsFrom[0] === c.column.name);
          const multi = addedFks.some((f) => f.columnsFrom.length > 1 && f.columnsFrom.includes(c.column.name));
          const blocker = multi ? 'is part of a composite foreign key' : addColumnBlocker(c.column, fk);
          if (blocker) {
            addReason(table, `column \`${c.column.name}\` added (${blocker})`);
          } else {
            if (fk) absorbedFks.add(fk);
            pending.push({ column: c.column, ...(fk ? { fk } : {}) });
          }
          break;
        }
        case 'dropColumn': {
          const col = c.column.name;
          const pk = Object.values(prev0.compositePrimaryKeys).some((p) => p.columns.includes(col));
          const inFk = Object.values(prev0.foreignKeys).some((f) => f.columnsFrom.includes(col));
          const referenced = Object.values(prev.tables).some((t) =>
            Object.values(t.foreignKeys).some(
              (f) => f.tableTo === (prevNameOf.get(table) ?? table) && f.columnsTo.includes(col),
            ),
          );
          const inExpr =
            Object.values(prev0.checkConstraints).some((k) => mentions(k.value, col)) ||
            Object.values(prev0.columns).some((k) => k.generated && mentions(k.generated.as, col));
          if (c.column.primaryKey || pk || inFk || referenced || inExpr) {
            addReason(table, `column \`${col}\` dropped (SQLite cannot drop a key, referenced or constrained column)`);
          } else {
            nativeDrops.push({ table, column: col });
          }
          break;
        }
        default:
          break;
      }
    }
    for (const c of list) {
      if ((c.kind === 'addForeignKey' && !absorbedFks.has(c.foreignKey)) || c.kind === 'dropForeignKey') {
        const fk = c.foreignKey;
        addReason(
          table,
          `foreign key (${fk.columnsFrom.join(', ')}) → ${fk.tableTo} ${c.kind === 'addForeignKey' ? 'added' : 'dropped'}`,
        );
      }
    }
    for (const p of pending) nativeAdds.push({ table, column: p.column, ...(p.fk ? { foreignKey: p.fk } : {}) });
  }

  // 2. The reacting closure: children whose ON DELETE action would fire when a parent is dropped.
  const own = new Set(reasons.keys());
  const moved = new Map<string, { parent: string; onDelete: string }[]>();
  const leaving = [...own, ...dropped]; // tables whose old version is dropped (current names; dropped ones keep theirs)
  const leavingSet = new Set(leaving);
  const oldFksOf = (curName: string): ForeignKey[] => {
    const t = droppedSet.has(curName) ? prev.tables[droppedPrevName.get(curName)!] : prevTable(curName);
    return t ? Object.values(t.foreignKeys) : [];
  };
  /** Where an old foreign key points: the parent's current name, or its drop key if it is dropped. */
  const targetOf = (prevName: string) => (droppedPrevNames.includes(prevName) ? droppedKey(prevName) : (curNameOf.get(prevName) ?? prevName));
  // Surviving tables by the parents their ON DELETE CASCADE / SET NULL / SET DEFAULT reaches.
  const reactingChildren = new Map<string, { child: string; onDelete: string }[]>();
  for (const name of Object.keys(cur.tables)) {
    if (createdSet.has(name) || droppedSet.has(name)) continue;
    for (const fk of oldFksOf(name)) {
      const target = targetOf(fk.tableTo);
      // A self reference moves with the table's own rebuild.
      if (target === name || !REACTING.has(action(fk.onDelete))) continue;
      append(reactingChildren, target, { child: name, onDelete: action(fk.onDelete) });
    }
  }
  for (let i = 0; i < leaving.length; i++) {
    const parent = leaving[i]!;
    for (const { child, onDelete } of reactingChildren.get(parent) ?? []) {
      append(moved, child, { parent, onDelete });
      if (!leavingSet.has(child)) {
        leavingSet.add(child);
        leaving.push(child);
      }
    }
  }
  const rebuildNames = Object.keys(cur.tables).filter((n) => leavingSet.has(n) && !droppedSet.has(n));
  const rebuildSet = new Set(rebuildNames);

  // 3. Copies: what each rebuilt table's new rows are made from.
  const copies = new Map<string, CopyColumn[]>();
  for (const name of rebuildNames) {
    const t = cur.tables[name]!;
    const old = prevTable(name)!;
    const renamedCols = new Map(columnRenames.filter((r) => r.table === name).map((r) => [r.to, r.from]));
    const dropping = new Set(
      (byTable.get(name) ?? []).flatMap((c) => (c.kind === 'dropColumn' ? [c.column.name] : [])),
    );
    const cols: CopyColumn[] = [];
    for (const col of Object.values(t.columns)) {
      if (col.generated) continue; // generated columns cannot be written (sqlite.org/gencol.html)
      const prevName = renamedCols.get(col.name) ?? col.name;
      const before = old.columns[prevName];
      const fill = backfill[qualify(name, col.name)];
      const hasDefault = col.default !== undefined && col.default !== null;
      if (before && !dropping.has(prevName)) {
        if (col.notNull && !before.notNull && !before.primaryKey) {
          const fallback = fill ?? (hasDefault ? String(col.default) : undefined);
          if (fallback === undefined && !assumeNotNull.has(qualify(name, col.name))) {
            unsafe.push(
              `\`${name}\`.\`${col.name}\` becomes NOT NULL but has no default: rows holding NULL would make the migration fail. ` +
                `Add a .default(…), pass --backfill ${name}.${col.name}=<SQL expression> to fill them, ` +
                `or --assume-not-null ${name}.${col.name} if you checked that no row holds NULL there.`,
            );
          }
          cols.push({ name: col.name, from: col.name, ...(fallback !== undefined ? { fallback } : {}) });
        } else {
          cols.push({ name: col.name, from: col.name });
        }
      } else if (fill !== undefined) {
        cols.push({ name: col.name, fallback: fill });
      } else if (col.notNull && !hasDefault && !(col.primaryKey && /^integer$/i.test(col.type))) {
        unsafe.push(
          `\`${name}\`.\`${col.name}\` is added as NOT NULL without a default, so existing rows have no value for it. ` +
            `Add a .default(…), make it nullable, or pass --backfill ${name}.${col.name}=<SQL expression>.`,
        );
      }
    }
    copies.set(name, cols);
  }
  // The tables whose rows this migration can leave without a parent row: those it copies, and those
  // whose parent it rebuilds or drops. Only these are checked at the end, so an untouched table's old
  // orphans, or its unusable foreign key, cannot fail the migration.
  const parentTouched = new Set([...rebuildNames, ...droppedPrevNames]);
  const checked = Object.keys(cur.tables)
    .filter((t) => rebuildSet.has(t) || Object.values(cur.tables[t]!.foreignKeys).some((f) => parentTouched.has(f.tableTo)))
    .sort();
  const checkedSet = new Set(checked);
  // A foreign key whose parent columns are neither the primary key nor covered by a unique index is
  // unusable: SQLite refuses every write to the child and its parent ("foreign key mismatch",
  // sqlite.org/foreignkeys.html §3), and D1 always enforces foreign keys. A migration that copies or
  // checks such a child cannot succeed; a new one is said, since writes to it will fail.
  for (const [table, fk] of Object.entries(cur.tables).flatMap(([t, def]) => Object.values(def.foreignKeys).map((f) => [t, f] as const))) {
    if (parentKeyIsUnique(cur, fk)) continue;
    const what = `\`${table}\` references \`${fk.tableTo}\`(${fk.columnsTo.join(', ')}), which is neither its primary key nor unique, so SQLite rejects every write to \`${table}\` ("foreign key mismatch").`;
    const fix = `Reference the primary key, or make those columns unique (.unique() or a uniqueIndex).`;
    if (checkedSet.has(table)) unsafe.push(`${what} This migration would fail on it. ${fix}`);
    else if (createdSet.has(table) || byTable.get(table)?.some((c) => c.kind === 'addForeignKey')) warnings.push(`${what} ${fix}`);
  }
  if (unsafe.length) {
    throw new UserInputError('D1-102', 
      `drizzle-d1 refuses to generate a migration that can fail or lose data on a table that holds rows: ${unsafe.join(' ')} Nothing was written.`,
    );
  }

  // 4. Views that must be dropped before and created after: changed ones, and every view over a
  //    table that is rebuilt, dropped, renamed or loses a column (a broken view makes RENAME fail).
  const touched = new Set<string>([
    ...rebuildNames.map((n) => prevNameOf.get(n) ?? n),
    ...droppedPrevNames,
    ...renamedTables.map((r) => r.from),
    ...nativeDrops.map((d) => prevNameOf.get(d.table) ?? d.table),
    ...columnRenames.map((r) => prevNameOf.get(r.table) ?? r.table),
  ]);
  const viewsOut = new Set(changes.flatMap((c) => (c.kind === 'dropView' ? [c.view.name] : [])));
  let grew = true;
  while (grew) {
    grew = false;
    for (const v of Object.values(prev.views)) {
      if (viewsOut.has(v.name) || v.isExisting || !v.definition) continue;
      if ([...touched, ...viewsOut].some((n) => mentions(v.definition!, n))) {
        viewsOut.add(v.name);
        grew = true;
      }
    }
  }
  const viewsIn = new Set(changes.flatMap((c) => (c.kind === 'createView' ? [c.view.name] : [])));
  for (const name of viewsOut) if (cur.views[name] && prev.views[name]) viewsIn.add(name);
  const droppedViews = [...viewsOut].filter((n) => prev.views[n] && !prev.views[n]!.isExisting);
  // Views over other views come after them (SQLite resolves names when a view is used or renamed).
  const viewsToCreate = Object.values(cur.views).filter((v) => viewsIn.has(v.name) && !v.isExisting);
  const viewRefs = (n: string) => viewsToCreate.filter((o) => o.name !== n && mentions(cur.views[n]!.definition ?? '', o.name)).map((o) => o.name);
  const createdViews: View[] = parentsFirst(viewsToCreate.map((v) => v.name), viewRefs).map((n) => cur.views[n]!);

  // 5. Steps, in an order SQLite and D1 accept.
  const steps: Step[] = [];
  const needsFrame = rebuildNames.length > 0 || dropped.length > 0;
  const guardName = uniqueName(GUARD_TABLE, prev, cur);
  if (needsFrame) steps.push({ kind: 'deferForeignKeys', on: true });
  for (const name of droppedViews) steps.push({ kind: 'dropView', name });
  // A dropped table whose name another table takes over steps aside first, and is dropped later
  // under its spare name (its children's references follow it there).
  for (const [key, prevName] of droppedPrevName) if (key !== prevName) steps.push({ kind: 'renameTable', from: prevName, to: key });
  for (const r of orderRenames(renamedTables)) steps.push({ kind: 'renameTable', ...r });
  for (const table of new Set(columnRenames.map((r) => r.table))) {
    const renames = columnRenames.filter((r) => r.table === table);
    for (const r of orderRenames(renames)) steps.push({ kind: 'renameColumn', table, from: r.from, to: r.to });
  }
  for (const c of changes) {
    if (c.kind === 'dropIndex' && !rebuildSet.has(c.table) && !droppedSet.has(c.table)) {
      steps.push({ kind: 'dropIndex', name: c.index.name });
    }
  }
  const curRefs = (n: string) => Object.values(cur.tables[n]?.foreignKeys ?? {}).map((f) => f.tableTo);
  const rebuildOrder = parentsFirst(rebuildNames, curRefs);
  const redirect: Record<string, string> = Object.fromEntries(rebuildOrder.map((n) => [n, NEW_PREFIX + n]));
  // New tables point at the new versions of rebuilt parents too: an old parent's DROP TABLE must not
  // reach them (SQLite would compile its ON DELETE action against tables already dropped).
  const createOrder = parentsFirst(created, curRefs);
  for (const name of createOrder) {
    steps.push({ kind: 'createTable', table: cur.tables[name]!, ...(rebuildOrder.length ? { references: redirect } : {}) });
  }
  for (const d of nativeDrops) if (!rebuildSet.has(d.table)) steps.push({ kind: 'dropColumn', ...d });

  const expressionsOf = (indexName: string) =>
    Object.entries(cur.internal?.indexes?.[indexName]?.columns ?? {})
      .filter(([, v]) => v.isExpression)
      .map(([k]) => k);
  for (const name of rebuildOrder) {
    steps.push({ kind: 'createTable', table: cur.tables[name]!, as: NEW_PREFIX + name, references: redirect });
  }
  // A child's foreign key may target a UNIQUE column rather than the primary key. SQLite needs that
  // parent key indexed while rows are inserted into the child ("foreign key mismatch" otherwise,
  // sqlite.org/foreignkeys.html §3), but the real index name is still taken by the old table:
  // index the new table under a spare name until the old one is gone.
  const spareIndexes: { table: string; index: Index }[] = [];
  for (const name of rebuildOrder) {
    for (const index of Object.values(cur.tables[name]!.indexes)) {
      if (!index.isUnique || index.where || expressionsOf(index.name).length) continue;
      const key = columnKey(index.columns);
      const targeted = rebuildOrder.some((child) =>
        Object.values(cur.tables[child]!.foreignKeys).some((f) => f.tableTo === name && columnKey(f.columnsTo) === key),
      );
      if (targeted) spareIndexes.push({ table: name, index: { ...index, name: NEW_PREFIX + index.name } });
    }
  }
  for (const s of spareIndexes) steps.push({ kind: 'createIndex', table: NEW_PREFIX + s.table, index: s.index, expressions: [] });
  for (const name of rebuildOrder) {
    steps.push({ kind: 'copyRows', from: name, to: NEW_PREFIX + name, columns: copies.get(name)! });
    const autoinc = (t: Table | undefined) => Object.values(t?.columns ?? {}).some((c) => c.autoincrement);
    if (autoinc(cur.tables[name]) && autoinc(prevTable(name))) {
      steps.push({ kind: 'carrySequence', from: name, to: NEW_PREFIX + name });
    }
  }
  // Drop old tables children first: each implicit DELETE then finds no child rows to act on, which
  // also keeps D1's trigger-depth limit (10 levels of cascade) out of reach.
  const oldFkTargets = (n: string) =>
    oldFksOf(n).map((f) => ({ to: targetOf(f.tableTo), onDelete: action(f.onDelete) }));
  const dropSequence = dropOrder([...rebuildOrder, ...dropped], oldFkTargets);
  for (const name of dropSequence) steps.push({ kind: 'dropTable', name });
  // DROP TABLE first deletes a table's rows one by one (foreign keys on, sqlite.org/lang_droptable.html)
  // when a foreign key still names it: a child left in place (RESTRICT, NO ACTION), a self reference,
  // an old table dropped after it. Under defer_foreign_keys it also does so for a table with foreign
  // keys of its own while deferred violations are pending, which an earlier such drop leaves until the
  // renames (SQLite's sqlite3FkDropTable). No surviving row changes, but each deletion is a write, and
  // so is each row an ON DELETE action then changes in an old table (itself, or one dropped after it).
  const dropAt = new Map(dropSequence.map((n, i) => [n, i]));
  const oldTargets = new Map(dropSequence.map((n) => [n, oldFkTargets(n)]));
  const oldReferrers = new Map<string, { from: string; onDelete: string }[]>();
  for (const [from, fks] of oldTargets) for (const f of fks) append(oldReferrers, f.to, { from, onDelete: f.onDelete });
  const namedInPlace = new Set(
    Object.keys(cur.tables)
      .filter((t) => !rebuildSet.has(t) && !createdSet.has(t))
      .flatMap((t) => oldFksOf(t).map((f) => targetOf(f.tableTo))),
  );
  const shown = (t: string) => droppedPrevName.get(t) ?? t;
  let pending = false;
  // Tables an earlier drop's actions reached: some of their rows may already be gone (a cycle's cascade).
  const reachedEarlier = new Set<string>();
  const deletedByDrop = dropSequence.flatMap((n, i) => {
    // Old tables still there when n is dropped (n itself included) that reference it.
    const referrers = (x: string) => (oldReferrers.get(x) ?? []).filter((r) => dropAt.get(r.from)! >= i);
    const named = namedInPlace.has(n) || referrers(n).length > 0;
    const possibly = pending && oldTargets.get(n)!.length > 0;
    pending ||= named;
    if (!named && !possibly) return [];
    // The old tables those deletions' actions can reach, transitively (a cascade deletes, and its own
    // actions fire in turn); one entry per action, since each can change a row once.
    const reached = new Set([n]);
    const actionsInto: string[] = [];
    for (const x of reached) {
      for (const r of referrers(x)) {
        if (!REACTING.has(r.onDelete)) continue;
        actionsInto.push(shown(r.from));
        reached.add(r.from);
      }
    }
    const certain = named && !reachedEarlier.has(n);
    for (const x of reached) reachedEarlier.add(x);
    return [{ table: shown(n), certain, actionsInto }];
  });
  for (const name of rebuildOrder) steps.push({ kind: 'renameTable', from: NEW_PREFIX + name, to: name });
  for (const s of spareIndexes) steps.push({ kind: 'dropIndex', name: s.index.name });
  // Columns with a foreign key are added once the old tables are gone: a new ON DELETE action on an
  // old parent would otherwise be compiled into that parent's DROP TABLE.
  for (const a of nativeAdds) if (!rebuildSet.has(a.table)) steps.push({ kind: 'addColumn', ...a });
  for (const name of [...created, ...rebuildOrder]) {
    for (const index of Object.values(cur.tables[name]!.indexes)) {
      steps.push({ kind: 'createIndex', table: name, index, expressions: expressionsOf(index.name) });
    }
  }
  for (const c of changes) {
    if (c.kind === 'createIndex' && !createdSet.has(c.table) && !rebuildSet.has(c.table)) {
      steps.push({ kind: 'createIndex', table: c.table, index: c.index, expressions: expressionsOf(c.index.name) });
    }
  }
  for (const view of createdViews) steps.push({ kind: 'createView', view });
  if (needsFrame) {
    if (checked.length) steps.push({ kind: 'foreignKeyGuard', table: guardName, checked });
    steps.push({ kind: 'deferForeignKeys', on: false });
  }

  for (const r of rebuildNames) {
    const t = cur.tables[r]!;
    if (Object.keys(t.columns).length > 100) warnings.push(`\`${r}\` has more than 100 columns, which D1 does not allow.`);
  }

  // Constraints that existing rows may not meet: not refused (the rows decide), but said, since D1
  // then rolls the whole file back at deploy time.
  for (const c of changes) {
    if (createdSet.has('table' in c && typeof c.table === 'string' ? c.table : '')) continue;
    if (c.kind === 'addCheck') {
      warnings.push(`\`${c.table}\`: new check \`${c.check.name}\`; rows that violate it make the migration fail (and roll back) on D1.`);
    } else if (c.kind === 'createIndex' && c.index.isUnique && !Object.values(prevTable(c.table)?.indexes ?? {}).some((i) => i.name === c.index.name && i.isUnique)) {
      warnings.push(`\`${c.table}\`: new unique index \`${c.index.name}\`; duplicate values make the migration fail (and roll back) on D1.`);
    } else if (c.kind === 'addForeignKey' && c.foreignKey.columnsFrom.some((col) => prevTable(c.table)?.columns[col])) {
      warnings.push(
        `\`${c.table}\`: new foreign key (${c.foreignKey.columnsFrom.join(', ')}) → \`${c.foreignKey.tableTo}\` on existing columns; values without a matching row make the migration's foreign-key guard abort it.`,
      );
    }
  }

  const rebuilds: RebuildStep[] = rebuildOrder.map((table) => ({
    table,
    reasons: reasons.get(table) ?? [],
    movedOffParents: moved.get(table) ?? [],
  }));
  return {
    steps,
    rebuilds,
    createdTables: createOrder,
    droppedTables: droppedPrevNames,
    renamedTables,
    droppedColumns: changes.flatMap((c) => (c.kind === 'dropColumn' ? [{ table: c.table, column: c.column.name }] : [])),
    deletedByDrop,
    warnings,
  };
}

/** Whether SQLite can use `fk`: its parent columns are the parent's primary key or a unique index's (any order). */
function parentKeyIsUnique(state: SchemaState, fk: ForeignKey): boolean {
  const parent = state.tables[fk.tableTo];
  if (!parent) return true; // a missing parent table is a different error, reported where it is used
  if (fk.columnsTo.length === 1 && parent.columns[fk.columnsTo[0]!]?.primaryKey) return true; // the usual case
  const key = columnKey(fk.columnsTo);
  const sameKey = (columns: string[]) => columnKey(columns) === key;
  const singlePk = Object.values(parent.columns).filter((c) => c.primaryKey).map((c) => c.name);
  return (
    (singlePk.length > 0 && sameKey(singlePk)) ||
    Object.values(parent.compositePrimaryKeys).some((pk) => sameKey(pk.columns)) ||
    Object.values(parent.indexes).some((ix) => ix.isUnique && !ix.where && sameKey(ix.columns)) ||
    Object.values(parent.uniqueConstraints).some((u) => sameKey(u.columns))
  );
}

/**
 * The order in which to drop old tables. A table nothing left references is dropped first: its
 * implicit DELETE then reaches no other table. Within a foreign-key cycle some ON DELETE action must
 * fire into a table still waiting to be dropped; SQLite compiles that action's DELETE/UPDATE with
 * the foreign-key checks of its target, which fail with "no such table" if one of the target's own
 * parents was already dropped. So a table is only dropped while every table its actions reach still
 * has all its parents.
 */
export function dropOrder(names: string[], targetsOf: (name: string) => { to: string; onDelete: string }[]): string[] {
  const inSet = new Set(names);
  const targets = new Map(names.map((n) => [n, targetsOf(n).filter((f) => inSet.has(f.to))]));
  const referrers = new Map(names.map((n) => [n, new Set<string>()]));
  for (const [n, fks] of targets) for (const f of fks) if (f.to !== n) referrers.get(f.to)!.add(n);
  const remaining = new Set(names);
  const out: string[] = [];
  const drop = (t: string) => {
    remaining.delete(t);
    out.push(t);
    for (const f of targets.get(t)!) referrers.get(f.to)?.delete(t);
  };
  // Tables whose action targets all still exist: an action fired into them compiles.
  const safe = (t: string) =>
    [...referrers.get(t)!].every(
      (c) => !targets.get(c)!.some((f) => f.to === t && REACTING.has(f.onDelete)) || targets.get(c)!.every((f) => remaining.has(f.to)),
    );
  while (remaining.size) {
    let next: string | undefined;
    for (const t of remaining) if (referrers.get(t)!.size === 0) { next = t; break; }
    if (next === undefined) for (const t of remaining) if (safe(t)) { next = t; break; }
    drop(next ?? remaining.values().next().value!);
  }
  return out;
}

function uniqueName(base: string, prev: SchemaState, cur: SchemaState): string {
  let name = base;
  for (let i = 2; prev.tables[name] || cur.tables[name]; i++) name = `${base}_${i}`;
  return name;
}

/** Renames in an order where no target name is still taken; a swap goes through a spare name. */
function orderRenames(renames: { from: string; to: string }[]): { from: string; to: string }[] {
  const pending = [...renames];
  const out: { from: string; to: string }[] = [];
  while (pending.length) {
    const i = pending.findIndex((r) => !pending.some((o) => o !== r && o.from === r.to));
    if (i >= 0) {
      out.push(pending.splice(i, 1)[0]!);
    } else {
      const r = pending[0]!;
      const spare = `__rename_${r.from}`;
      out.push({ from: r.from, to: spare });
      pending[0] = { from: spare, to: r.to };
    }
  }
  return out;
}
