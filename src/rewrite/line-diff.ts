/** A line diff of two texts (longest common subsequence), shown as `-`/`+` lines with context. */
export interface DiffLine {
  kind: ' ' | '-' | '+';
  text: string;
}

/** Every line of `a` and `b`, marked kept, removed or added. */
export function diffLines(a: string, b: string): DiffLine[] {
  const x = a.split('\n');
  const y = b.split('\n');
  const lcs: number[][] = Array.from({ length: x.length + 1 }, () => new Array<number>(y.length + 1).fill(0));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      out.push({ kind: ' ', text: x[i++]! });
      j++;
    } else if (j < y.length && (i === x.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) out.push({ kind: '+', text: y[j++]! });
    else out.push({ kind: '-', text: x[i++]! });
  }
  return out;
}

/** The changed lines with `context` unchanged lines around each change; `…` where lines are skipped. */
export function diffText(a: string, b: string, context = 2): string[] {
  const lines = diffLines(a, b);
  const near = lines.map((_, k) => lines.slice(Math.max(0, k - context), k + context + 1).some((l) => l.kind !== ' '));
  const out: string[] = [];
  lines.forEach((l, k) => {
    if (near[k]) out.push(`${l.kind} ${l.text}`);
    else if (k > 0 && near[k - 1]) out.push('  …');
  });
  return out;
}
