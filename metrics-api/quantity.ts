// Kubernetes Quantity strings for metric values. Values are rounded to the
// precision a Quantity can hold (nano), then written with the largest decimal
// suffix that keeps the mantissa an integer: 0.01 -> "10m", 0.00875 -> "8750u", 80 -> "80".

const SUFFIXES: Array<[string, bigint]> = [
  ['', 1_000_000_000n],
  ['m', 1_000_000n],
  ['u', 1_000n],
  ['n', 1n],
];

export function formatQuantity(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  const nanos = BigInt(Math.round(value * 1e9));
  if (nanos === 0n) return '0';
  for (const [suffix, scale] of SUFFIXES) {
    if (nanos % scale === 0n) return `${nanos / scale}${suffix}`;
  }
  return `${nanos}n`;
}

/** Rounds a count to milli precision: increase() extrapolates, so counts can be fractional. */
export const roundCount = (value: number): number => Math.round(value * 1000) / 1000;

const SCALE: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9 };

/** Reads back the decimal Quantities this module writes (for display). */
export function parseQuantity(q: string): number | undefined {
  const m = /^(-?\d+(?:\.\d+)?)(n|u|m|k|M|G)?$/.exec(q);
  if (!m) return undefined;
  return Number(m[1]) * (SCALE[m[2] ?? ''] ?? 1);
}
