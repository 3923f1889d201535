// Relative TrafficSplit weights -> what a mesh can hold: a fixed number of units
// (Consul: 10,000 steps of 0.01 %) or relative integers under a cap (Istio: int32,
// Gateway API: 1,000,000 per backendRef). One rule for every mesh: a weight above 0
// never becomes 0, and 0 stays 0. Integer arithmetic (BigInt) throughout, so huge
// weights (v1alpha1 Quantities scaled to a common unit) cannot drift.

export interface Apportioned {
  /** Units per input weight, summing to exactly the requested total. */
  units: number[];
  /**
   * Indices whose exact share was below one unit and that got one unit anyway; the
   * units they need are taken from the backends holding the most units.
   */
  raised: number[];
}

/**
 * Integer units of `total` for relative `weights` (non-negative safe integers).
 * Without raised backends every result is the floor or the ceiling of the exact
 * share `total*w/sum` (largest remainder; ties to the earlier index). A weight > 0
 * below one unit gets one unit; a zero weight gets 0. Undefined when every weight is
 * 0, or when more weights are above 0 than there are units.
 */
export function apportion(weights: readonly number[], total: number): Apportioned | undefined {
  const big = weights.map((w) => BigInt(w));
  const sum = big.reduce((a, b) => a + b, 0n);
  const live = weights.filter((w) => w > 0).length;
  if (sum === 0n || live > total) return undefined;
  const t = BigInt(total);
  const units = big.map((w) => Number((w * t) / sum));
  const remainders = big.map((w) => (w * t) % sum);
  const raised: number[] = [];
  weights.forEach((w, i) => {
    if (w > 0 && units[i] === 0) {
      units[i] = 1;
      raised.push(i);
    }
  });
  let left = total - units.reduce((a, b) => a + b, 0);
  if (left > 0) {
    // Fewer leftover units than non-raised backends with a remainder, so each gets at most one.
    const order = weights
      .map((_, i) => i)
      .filter((i) => !raised.includes(i) && remainders[i]! > 0n)
      .sort((a, b) => (remainders[a] === remainders[b] ? a - b : remainders[a]! > remainders[b]! ? -1 : 1));
    for (const i of order) {
      if (left === 0) break;
      units[i]! += 1;
      left -= 1;
    }
  }
  while (left < 0) {
    // The raised units come from the backend holding the most (ties: larger weight, earlier index).
    let from = -1;
    units.forEach((u, i) => {
      if (u <= 1) return;
      const best = units[from] ?? 0;
      if (from < 0 || u > best || (u === best && big[i]! > big[from]!)) from = i;
    });
    units[from]! -= 1;
    left += 1;
  }
  return { units, raised };
}

export interface WeightLimits {
  /** Largest weight one destination may carry. */
  maxWeight: number;
  /** Largest sum of the weights of one route. */
  maxTotal: number;
}

export interface RelativeWeights {
  weights: number[];
  /** True when the ratios are exactly the input's (copied, or divided by their common divisor). */
  exact: boolean;
  /** Backends raised to weight 1 (see apportion); only when not exact. */
  raised: number[];
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

const fits = (ws: readonly bigint[], l: WeightLimits): boolean =>
  ws.every((w) => w <= BigInt(l.maxWeight)) && ws.reduce((a, b) => a + b, 0n) <= BigInt(l.maxTotal);

/**
 * Relative integer weights within `limits`: the input as is when it fits, else divided
 * by the common divisor (exact), else scaled to the largest total that keeps every
 * weight under the cap (each share within a few 1/total of the exact one; a weight
 * above 0 stays above 0). Undefined when every weight is 0.
 */
export function relativeWeights(weights: readonly number[], limits: WeightLimits): RelativeWeights | undefined {
  const big = weights.map((w) => BigInt(w));
  const sum = big.reduce((a, b) => a + b, 0n);
  if (sum === 0n) return undefined;
  if (fits(big, limits)) return { weights: [...weights], exact: true, raised: [] };
  const d = big.reduce((a, w) => gcd(a, w), 0n);
  const reduced = big.map((w) => w / d);
  if (fits(reduced, limits)) return { weights: reduced.map(Number), exact: true, raised: [] };
  // The largest share then stays at or below maxWeight - 1 before rounding up by one.
  const largest = reduced.reduce((a, b) => (b > a ? b : a), 0n);
  const rSum = sum / d;
  const byCap = (BigInt(limits.maxWeight - 1) * rSum) / largest;
  const total = Number(byCap < BigInt(limits.maxTotal) ? byCap : BigInt(limits.maxTotal));
  const a = apportion(reduced.map(Number), total);
  if (!a) return undefined;
  return { weights: a.units, exact: false, raised: a.raised };
}

/**
 * Status messages for an approximation of the weights of `backends` (in the order the
 * weights were given): why they were scaled, and each backend raised to one step.
 */
export function approximationNotes(
  backends: ReadonlyArray<{ index: number; weight: number }>,
  r: { exact?: boolean; raised: readonly number[] },
  how: { mesh: string; step: string; scaled?: string },
): string[] {
  const sum = backends.reduce((a, b) => a + b.weight, 0);
  const out = r.exact === false && how.scaled ? [`spec.backends: ${how.scaled}`] : [];
  for (const k of r.raised) {
    const b = backends[k]!;
    out.push(`spec.backends[${b.index}].weight: ${b.weight} of ${sum} is below ${how.step}, the smallest share ${how.mesh} can express; it gets ${how.step}, taken from the largest backend`);
  }
  return out;
}

/**
 * Each relative weight as a percentage of the sum, for status messages: exact to 0.01 %
 * (`62.5 %`), else rounded and marked (`≈ 33.33 %`). BigInt, as above.
 */
export function percentages(weights: readonly number[]): string[] {
  const big = weights.map((w) => BigInt(w));
  const sum = big.reduce((a, b) => a + b, 0n);
  return big.map((w) => {
    if (sum === 0n) return '0 %';
    const hundredths = (w * 10_000n * 2n + sum) / (2n * sum); // rounded half up
    const exact = (w * 10_000n) % sum === 0n;
    const whole = hundredths / 100n;
    const frac = (hundredths % 100n).toString().padStart(2, '0').replace(/0+$/, '');
    return `${exact ? '' : '≈ '}${whole}${frac ? `.${frac}` : ''} %`;
  });
}
