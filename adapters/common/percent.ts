// Relative weights -> integer percentages summing to exactly 100, by the largest
// remainder (Hamilton) method. Integer arithmetic throughout (BigInt), so huge
// weights cannot drift through floating-point rounding.

/**
 * Percentages for `weights` (non-negative integers, not all zero). Each result is the
 * floor or the ceiling of the exact share `100*w/sum`; the leftover points go to the
 * largest remainders, ties to the earlier index. A zero weight always gets 0.
 * Returns undefined when every weight is zero (there is no share to compute).
 */
export function largestRemainder(weights: readonly number[]): number[] | undefined {
  const big = weights.map((w) => BigInt(w));
  const total = big.reduce((a, b) => a + b, 0n);
  if (total === 0n) return undefined;
  const floors = big.map((w) => (w * 100n) / total);
  const remainders = big.map((w) => (w * 100n) % total);
  let leftover = 100 - floors.reduce((a, b) => a + Number(b), 0);
  const order = weights
    .map((_, i) => i)
    .sort((a, b) => {
      const ra = remainders[a]!;
      const rb = remainders[b]!;
      return ra === rb ? a - b : ra > rb ? -1 : 1;
    });
  const out = floors.map(Number);
  // leftover < number of non-zero remainders, so zero weights (remainder 0) never get a point.
  for (const i of order) {
    if (leftover === 0) break;
    out[i]! += 1;
    leftover -= 1;
  }
  return out;
}
