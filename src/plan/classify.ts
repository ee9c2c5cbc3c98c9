/**
 * Phase 1: for each existing table, which of its changes SQLite's `ALTER TABLE` can make in place
 * (add, drop or rename a column; indexes) and which need a rebuild (sqlite.org/lang_altertable.html).
 */
import type { Change } from '../diff/types.js';
import type { Column, ForeignKey } from '../snapshot/types.js';
import { mentions } from '../sqltext/rewrite.js';
import type { ChangeOf, PlanContext } from './context.js';

export interface NativeAdd {
  table: string;
  column: Column;
  foreignKey?: ForeignKey;
  source: ChangeOf<'addColumn'>;
}

export interface NativeDrop {
  table: string;
  column: string;
  source: ChangeOf<'dropColumn'>;
}

export interface Classification {
  /** Tables rebuilt for their own changes, with the reasons, in the order the changes name them. */
  reasons: Map<string, string[]>;
  /** Columns `ALTER TABLE … ADD COLUMN` adds. */
  nativeAdds: NativeAdd[];
  /** Columns `ALTER TABLE … DROP COLUMN` drops (unless the table is rebuilt anyway). */
  nativeDrops: NativeDrop[];
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

/** Whether SQLite refuses `DROP COLUMN` for this column: a key, referenced, or used by a constraint. */
function dropColumnNeedsRebuild(ctx: PlanContext, table: string, column: Column): boolean {
  const old = ctx.prevTable(table)!;
  const col = column.name;
  const inPk = column.primaryKey || Object.values(old.compositePrimaryKeys).some((p) => p.columns.includes(col));
  const inFk = Object.values(old.foreignKeys).some((f) => f.columnsFrom.includes(col));
  const referenced = Object.values(ctx.prev.tables).some((t) =>
    Object.values(t.foreignKeys).some((f) => f.tableTo === ctx.prevName(table) && f.columnsTo.includes(col)),
  );
  const inExpr =
    Object.values(old.checkConstraints).some((k) => mentions(k.value, col)) ||
    Object.values(old.columns).some((k) => k.generated && mentions(k.generated.as, col));
  return inPk || inFk || referenced || inExpr;
}

/** The reason a foreign-key change forces a rebuild, as the SQL header and the summary say it. */
const foreignKeyReason = (c: ChangeOf<'addForeignKey' | 'dropForeignKey'>) =>
  `foreign key (${c.foreignKey.columnsFrom.join(', ')}) → ${c.foreignKey.tableTo} ${c.kind === 'addForeignKey' ? 'added' : 'dropped'}`;

function classifyTable(ctx: PlanContext, table: string, list: Change[], out: Classification): void {
  const reasons: string[] = [];
  const addReason = (r: string) => {
    if (!reasons.includes(r)) reasons.push(r);
  };
  const addedFks = list.flatMap((c) => (c.kind === 'addForeignKey' ? [c.foreignKey] : []));
  // A new column's own foreign key comes with ADD COLUMN … REFERENCES; no rebuild for it.
  const absorbedFks = new Set<ForeignKey>();
  const adds: NativeAdd[] = [];
  for (const c of list) {
    switch (c.kind) {
      case 'alterColumn':
        addReason(`column \`${c.to.name}\`: ${c.aspects.join(', ')} changed`);
        break;
      case 'alterPrimaryKey':
        addReason('primary key changed');
        break;
      case 'addCheck':
      case 'dropCheck':
        addReason(`check \`${c.check.name}\` ${c.kind === 'addCheck' ? 'added' : 'dropped'}`);
        break;
      case 'addUnique':
      case 'dropUnique':
        addReason(`unique constraint \`${c.unique.name}\` changed`);
        break;
      case 'addColumn': {
        const fk = addedFks.find((f) => f.columnsFrom.length === 1 && f.columnsFrom[0] === c.column.name);
        const multi = addedFks.some((f) => f.columnsFrom.length > 1 && f.columnsFrom.includes(c.column.name));
        const blocker = multi ? 'is part of a composite foreign key' : addColumnBlocker(c.column, fk);
        if (blocker) {
          addReason(`column \`${c.column.name}\` added (${blocker})`);
        } else {
          if (fk) absorbedFks.add(fk);
          adds.push({ table, column: c.column, ...(fk ? { foreignKey: fk } : {}), source: c });
        }
        break;
      }
      case 'dropColumn':
        if (dropColumnNeedsRebuild(ctx, table, c.column)) {
          addReason(`column \`${c.column.name}\` dropped (SQLite cannot drop a key, referenced or constrained column)`);
        } else {
          out.nativeDrops.push({ table, column: c.column.name, source: c });
        }
        break;
      case 'addForeignKey':
      case 'dropForeignKey': // decided below, once column additions have absorbed what they can
      case 'renameColumn': // ALTER TABLE … RENAME COLUMN, before anything else
      case 'createIndex': // index statements; a rebuilt table gets all its indexes anew
      case 'dropIndex':
        break;
      case 'createTable': // not changes of an existing table's definition
      case 'dropTable':
      case 'renameTable':
      case 'createView':
      case 'dropView':
        break;
      default:
        assertNever(c);
    }
  }
  for (const c of list) {
    if ((c.kind === 'addForeignKey' && !absorbedFks.has(c.foreignKey)) || c.kind === 'dropForeignKey') addReason(foreignKeyReason(c));
  }
  if (reasons.length) out.reasons.set(table, reasons);
  out.nativeAdds.push(...adds);
}

export function classifyChanges(ctx: PlanContext): Classification {
  const out: Classification = { reasons: new Map(), nativeAdds: [], nativeDrops: [] };
  for (const [table, list] of ctx.byTable) {
    if (!ctx.created.has(table)) classifyTable(ctx, table, list, out);
  }
  return out;
}

export function assertNever(x: never): never {
  throw new Error(`unhandled change ${JSON.stringify(x)}`);
}
