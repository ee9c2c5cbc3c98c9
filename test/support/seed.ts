/**
 * Seeds any schema with a few rows per table from its snapshot alone: parents first, foreign-key
 * columns pointing at parent rows, every value distinct (so unique indexes hold). Checks the seeder
 * cannot satisfy just leave that row out; the returned counts say what went in. Seeding again with a
 * later `firstRow` adds rows whose values differ from the earlier ones, so a history can be seeded
 * before every migration without breaking its primary keys and unique indexes.
 */
import type Database from 'better-sqlite3';
import { parentsFirst } from '../../src/plan/plan.js';
import type { SchemaState } from '../../src/snapshot/types.js';

export function seedFromSnapshot(db: Database.Database, state: SchemaState, rowsPerTable = 3, firstRow = 1): Record<string, number> {
  const names = parentsFirst(Object.keys(state.tables), (n) => Object.values(state.tables[n]!.foreignKeys).map((f) => f.tableTo));
  const inserted: Record<string, Record<string, unknown>[]> = {};
  const counts: Record<string, number> = {};
  for (const name of names) {
    const table = state.tables[name]!;
    inserted[name] = [];
    for (let i = firstRow; i < firstRow + rowsPerTable; i++) {
      const row: Record<string, unknown> = {};
      for (const col of Object.values(table.columns)) {
        if (col.generated) continue;
        const fk = Object.values(table.foreignKeys).find((f) => f.columnsFrom.includes(col.name));
        if (fk) {
          const parentRows = inserted[fk.tableTo] ?? [];
          const parent = parentRows[(i - firstRow) % Math.max(parentRows.length, 1)];
          const v = parent?.[fk.columnsTo[fk.columnsFrom.indexOf(col.name)]!];
          if (v !== undefined) {
            row[col.name] = v;
            continue;
          }
          if (!col.notNull) {
            row[col.name] = null;
            continue;
          }
        }
        const t = col.type.toLowerCase();
        row[col.name] = /int/.test(t) ? i : /real|floa|doub/.test(t) ? i + 0.5 : /blob/.test(t) ? Buffer.from([i]) : /num|dec/.test(t) ? i : `${name}.${col.name}.${i}`;
      }
      const cols = Object.keys(row);
      try {
        db.prepare(`INSERT INTO "${name}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(
          ...cols.map((c) => row[c]),
        );
        inserted[name].push(row);
      } catch {
        // a CHECK or trigger the generic values do not satisfy: leave the row out
      }
    }
    counts[name] = inserted[name].length;
  }
  return counts;
}
