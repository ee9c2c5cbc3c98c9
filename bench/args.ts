/** The bench scripts' command-line flags: `--name` switches and `--name N` positive integers. */
const argv = process.argv.slice(2);

export const flag = (name: string) => argv.includes(name);

export function numberFlag(name: string, fallback: number): number {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} needs a positive integer`);
  return n;
}
