/**
 * Phase 4b: guards. A change whose success depends on the rows already there (a column made NOT
 * NULL, a new check, unique index or foreign key, a column becoming the rowid) is generated, with a
 * check inside the migration that aborts it before anything is committed; D1 then rolls the whole
 * file back with an error naming the object and the way out. `generate` says each one as a warning.
 */
import type { Diagnostic } from '../diagnostics/types.js';
import type { CheckConstraint, ForeignKey, Index } from '../snapshot/types.js';
import { mentions } from '../sqltext/rewrite.js';
import type { PlanContext } from './context.js';
import type { Copies } from './copies.js';
import { affinityOf } from '../sqltext/affinity.js';
import type { GuardCheck, GuardColumn } from './types.js';

export interface Guards {
  /** Checked on the old rows, before they are copied. */
  beforeCopy: GuardCheck[];
  /** Checked on the final tables, before the indexes are created. */
  beforeIndexes: GuardCheck[];
  /** Checked at the end, before deferred foreign-key checking ends. */
  atEnd: GuardCheck[];
  /** What `generate` says about the data-dependent guards. */
  warnings: Diagnostic[];
}

const isInteger = (type: string) => /^integer$/i.test(type);

/** A column becoming the rowid (a single-column INTEGER PRIMARY KEY) accepts only integer values. */
function integerKeyGuards(ctx: PlanContext): GuardCheck[] {
  return ctx.changes.flatMap((c) =>
    c.kind === 'alterColumn' && c.aspects.includes('type') && c.to.primaryKey && isInteger(c.to.type) && !isInteger(c.from.type)
      ? [{ kind: 'integerKey' as const, code: 'D1-108' as const, table: c.table, column: c.to.name }]
      : [],
  );
}

/** A check evaluated on the rows as the copy will write them (none where it reads a generated column). */
function checkGuard(ctx: PlanContext, copies: Copies, table: string, check: CheckConstraint, existing: boolean): GuardCheck[] {
  // A generated column is computed by the new table; SQLite's own CHECK error names the check then.
  const generated = Object.values(ctx.cur.tables[table]!.columns).filter((col) => col.generated);
  if (generated.some((g) => mentions(check.value, g.name))) return [];
  // The rows as the new table will hold them: copied values, and defaults (or NULL) for the rest.
  const copied = copies.copies.get(table)!;
  const columns = Object.values(ctx.cur.tables[table]!.columns).flatMap((col): GuardColumn[] => {
    if (col.generated) return [];
    const copy = copied.find((x) => x.name === col.name);
    if (!copy) return [{ name: col.name, fallback: col.default !== undefined && col.default !== null ? String(col.default) : 'NULL' }];
    const from = copy.from === undefined ? undefined : oldColumnType(ctx, table, copy.from);
    const to = affinityOf(col.type);
    return [from !== undefined && affinityOf(from) !== to ? { ...copy, storedAs: to } : copy];
  });
  return [{ kind: 'checkHolds', code: 'D1-105', table, check, from: table, columns, ...(existing ? { existing: true as const } : {}) }];
}

/** New checks on existing tables, and existing checks over values the rebuild fills or converts. */
function checkGuards(ctx: PlanContext, copies: Copies): GuardCheck[] {
  const added = ctx.changes.flatMap((c) => (c.kind === 'addCheck' && !ctx.created.has(c.table) && copies.copies.has(c.table) ? [c] : []));
  const rechecked = [...copies.copies.keys()].flatMap((table) => {
    const changed = changedColumns(ctx, copies, table);
    return Object.values(ctx.cur.tables[table]!.checkConstraints)
      .filter((k) => !added.some((c) => c.table === table && c.check.name === k.name) && changed.some((col) => mentions(k.value, col)))
      .flatMap((k) => checkGuard(ctx, copies, table, k, true));
  });
  return [...added.flatMap((c) => checkGuard(ctx, copies, c.table, c.check, false)), ...rechecked];
}

/** The declared type, in the previous schema, of the column a copy reads as `from` (after this migration's renames). */
function oldColumnType(ctx: PlanContext, table: string, from: string): string | undefined {
  const renamed = ctx.columnRenames.find((r) => r.table === table && r.to === from);
  return ctx.prevTable(table)?.columns[renamed?.from ?? from]?.type;
}

const indexExpressions = (ctx: PlanContext, index: Index) =>
  Object.entries(ctx.cur.internal?.indexes?.[index.name]?.columns ?? {}).filter(([, v]) => v.isExpression).map(([k]) => k);

/** Whether rows unique under the previous index of this name are unique under `index` too. */
function impliedByPrevious(ctx: PlanContext, table: string, index: Index): boolean {
  const prev = Object.values(ctx.prevTable(table)?.indexes ?? {}).find((i) => i.name === index.name && i.isUnique);
  if (!prev || prev.where !== index.where) return false;
  const renamed = (col: string) => ctx.columnRenames.find((r) => r.table === table && r.from === col)?.to ?? col;
  // Rows distinct on some columns (or NULL in one of them) are distinct on any superset of them.
  return prev.columns.every((col) => index.columns.includes(renamed(col)));
}

/** Columns whose values a rebuild of `table` changes: NULLs filled, or a type (affinity) converted. */
function changedColumns(ctx: PlanContext, copies: Copies, table: string): string[] {
  const retyped = (col: string) => (ctx.byTable.get(table) ?? []).some((c) => c.kind === 'alterColumn' && c.to.name === col && c.aspects.includes('type'));
  return (copies.copies.get(table) ?? []).filter((c) => c.from !== undefined && (c.fallback !== undefined || retyped(c.name))).map((c) => c.name);
}

/** Whether `index` reads one of `columns` (as a column, in an expression or in its WHERE). */
const indexReads = (index: Index, columns: string[]) =>
  columns.some((col) => index.columns.some((x) => x === col || mentions(x, col)) || (index.where !== undefined && mentions(index.where, col)));

/**
 * Unique indexes on tables that hold rows: new ones (or narrower than before), and existing ones over
 * values the rebuild changes (two NULLs filled with the same default collide; '1' and 1 may become equal).
 */
function uniqueGuards(ctx: PlanContext, copies: Copies): GuardCheck[] {
  const guard = (table: string, index: Index): GuardCheck => ({ kind: 'noDuplicates', code: 'D1-106', table, index, expressions: indexExpressions(ctx, index) });
  const created = ctx.changes.flatMap((c) =>
    c.kind === 'createIndex' && c.index.isUnique && !ctx.created.has(c.table) && !impliedByPrevious(ctx, c.table, c.index) ? [guard(c.table, c.index)] : [],
  );
  const refilled = [...copies.copies.keys()].flatMap((table) =>
    Object.values(ctx.cur.tables[table]!.indexes)
      .filter((ix) => ix.isUnique && !created.some((g) => g.table === table && g.kind === 'noDuplicates' && g.index.name === ix.name))
      .filter((ix) => indexReads(ix, changedColumns(ctx, copies, table)))
      .map((ix) => ({ ...guard(table, ix), existing: true as const })),
  );
  return [...created, ...refilled];
}

/** Whether `fk` is new in this migration on columns that already hold values. */
function isNewOnExistingColumns(ctx: PlanContext, table: string, fk: ForeignKey): boolean {
  return (ctx.byTable.get(table) ?? []).some(
    (c) => c.kind === 'addForeignKey' && c.foreignKey === fk && fk.columnsFrom.some((col) => ctx.prevTable(table)?.columns[col]),
  );
}

/** Every foreign key of the checked tables: a dangling reference there aborts the migration. */
function orphanGuards(ctx: PlanContext, checked: string[]): GuardCheck[] {
  return checked.flatMap((table) =>
    Object.values(ctx.cur.tables[table]!.foreignKeys).map((foreignKey) => ({
      kind: 'noOrphans' as const,
      code: isNewOnExistingColumns(ctx, table, foreignKey) ? ('D1-107' as const) : ('D1-109' as const),
      table,
      foreignKey,
    })),
  );
}

/** The warning `generate` prints for a guard (none for the routine dangling-reference check). */
function guardWarning(g: GuardCheck): Diagnostic | null {
  const base = { severity: 'warning' as const, code: g.code, table: g.table };
  switch (g.kind) {
    case 'noNulls':
      return {
        ...base,
        column: g.column,
        message: `\`${g.table}\`.\`${g.column}\` becomes NOT NULL without a default: the migration aborts (and D1 rolls it back) if a row holds NULL there.`,
        fixes: [{ kind: 'backfill', table: g.table, column: g.column }, { kind: 'editSchema', text: 'add a .default(…)' }, { kind: 'assumeNotNull', table: g.table, column: g.column }],
      };
    case 'checkHolds':
      if (g.existing) return { ...base, message: `\`${g.table}\`: check \`${g.check.name}\` reads values the rebuild fills or converts; the migration aborts (and D1 rolls it back) if a row then violates it.` };
      return { ...base, message: `\`${g.table}\`: new check \`${g.check.name}\`; the migration aborts (and D1 rolls it back) if a row violates it.` };
    case 'noDuplicates':
      if (g.existing) return { ...base, message: `\`${g.table}\`: unique index \`${g.index.name}\` reads values the rebuild fills or converts; the migration aborts (and D1 rolls it back) if two rows then share a value.` };
      return { ...base, message: `\`${g.table}\`: new unique index \`${g.index.name}\`; the migration aborts (and D1 rolls it back) if two rows share a value.` };
    case 'noOrphans':
      if (g.code === 'D1-109') return null;
      return {
        ...base,
        message: `\`${g.table}\`: new foreign key (${g.foreignKey.columnsFrom.join(', ')}) → \`${g.foreignKey.tableTo}\` on existing columns; the migration aborts (and D1 rolls it back) if a value has no matching row.`,
      };
    case 'integerKey':
      return { ...base, column: g.column, message: `\`${g.table}\`.\`${g.column}\` becomes an INTEGER PRIMARY KEY; the migration aborts (and D1 rolls it back) if a value is not an integer.` };
  }
}

export function planGuards(ctx: PlanContext, copies: Copies, checked: string[]): Guards {
  const nulls = copies.unfilled.map((u) => ({ kind: 'noNulls' as const, code: 'D1-102' as const, ...u }));
  const beforeCopy: GuardCheck[] = [...nulls, ...integerKeyGuards(ctx), ...checkGuards(ctx, copies)];
  const beforeIndexes = uniqueGuards(ctx, copies);
  const atEnd = orphanGuards(ctx, checked);
  const warnings = [...beforeCopy, ...beforeIndexes, ...atEnd].flatMap((g) => guardWarning(g) ?? []);
  return { beforeCopy, beforeIndexes, atEnd, warnings };
}
