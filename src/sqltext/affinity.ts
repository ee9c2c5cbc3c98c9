/** SQLite's type affinity (sqlite.org/datatype3.html §3): how a column converts the values it stores. */

export type Affinity = 'INTEGER' | 'TEXT' | 'BLOB' | 'REAL' | 'NUMERIC';

/** A column's affinity from its declared type (datatype3.html §3.1). */
export function affinityOf(type: string): Affinity {
  const t = type.toUpperCase();
  if (t.includes('INT')) return 'INTEGER';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'TEXT';
  if (t === '' || t.includes('BLOB')) return 'BLOB';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'REAL';
  return 'NUMERIC';
}

/**
 * `value` as a column of affinity `to` stores it (datatype3.html §3.2), as an SQL expression. A
 * comparison with a CAST applies that CAST's numeric affinity to the other side, so
 * `CAST(v AS NUMERIC) = v` holds exactly for text that a numeric column converts ('12', ' 7 ',
 * '1e3'; not '12abc' or '0x10'). The expression has no affinity of its own.
 */
export function storedAs(value: string, to: Affinity): string {
  const v = value;
  switch (to) {
    case 'BLOB':
      return v;
    case 'TEXT':
      return `CASE WHEN typeof(${v}) IN ('integer', 'real') THEN CAST(${v} AS TEXT) ELSE ${v} END`;
    case 'REAL':
      return `CASE WHEN typeof(${v}) = 'integer' OR (typeof(${v}) = 'text' AND CAST(${v} AS REAL) = ${v}) THEN CAST(${v} AS REAL) ELSE ${v} END`;
    case 'INTEGER':
    case 'NUMERIC':
      return (
        `CASE WHEN typeof(${v}) = 'text' AND CAST(${v} AS NUMERIC) = ${v} THEN CAST(${v} AS NUMERIC) ` +
        `WHEN typeof(${v}) = 'real' AND CAST(${v} AS INTEGER) = ${v} THEN CAST(${v} AS INTEGER) ELSE ${v} END`
      );
  }
}
