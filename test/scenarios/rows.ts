import type { Row } from '../../src/d1/inspect.js';
import type { PlannerScenario } from './scenarios.js';

/** Rows of every surviving table, projected on the columns both versions have (renames applied). */
export function survivingRows(s: PlannerScenario, before: Record<string, Row[]>, after: Record<string, Row[]>) {
  const out: { table: string; before: Row[]; after: Row[] }[] = [];
  for (const [table, rows] of Object.entries(before)) {
    const cur = s.renames?.tables[table] ?? table;
    // A table dropped while a renamed one takes its name: its rows are gone on purpose.
    if (cur === table && Object.values(s.renames?.tables ?? {}).includes(table)) continue;
    const now = after[cur];
    if (!now) continue;
    const colMap = s.renames?.columns[cur] ?? {};
    const project = (r: Row, fromBefore: boolean) =>
      Object.fromEntries(
        Object.keys(rows[0] ?? {})
          .map((c) => [c, colMap[c] ?? c] as const)
          // A column dropped while a renamed one takes its name: its values are gone on purpose.
          .filter(([old, c]) => !(old === c && Object.values(colMap).includes(old)))
          .filter(([, c]) => (now.length === 0 || c in now[0]!) && !s.filled?.includes(`${cur}.${c}`))
          .map(([old, c]) => {
            const v = fromBefore ? r[old] : r[c];
            return [c, s.loose?.includes(`${cur}.${c}`) && v !== null ? String(Number(v)) : v];
          }),
      );
    out.push({ table: cur, before: rows.map((r) => project(r, true)), after: now.map((r) => project(r, false)) });
  }
  return out;
}
