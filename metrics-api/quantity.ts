// Kubernetes Quantity strings for metric values (schemas/quantity.ts reads them back). Values are rounded to the
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
