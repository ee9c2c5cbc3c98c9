/**
 * `JSON.stringify(a) === JSON.stringify(b)` for snapshot data (plain objects, arrays, strings,
 * numbers, booleans, null), without building the strings: keys in the same order, keys whose value
 * is undefined left out. A 300-table schema is compared twice per run, and stringifying it costs
 * ~5 ms each time.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    // JSON writes an undefined array element as null.
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i] ?? null, b[i] ?? null)) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const kx = Object.keys(x);
  const ky = Object.keys(y);
  for (let i = 0, j = 0; ; i++, j++) {
    while (i < kx.length && x[kx[i]!] === undefined) i++;
    while (j < ky.length && y[ky[j]!] === undefined) j++;
    if (i === kx.length || j === ky.length) return i === kx.length && j === ky.length;
    if (kx[i] !== ky[j] || !sameJson(x[kx[i]!], y[ky[j]!])) return false;
  }
}
