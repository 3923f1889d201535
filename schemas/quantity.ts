// Exact parsing of Kubernetes resource.Quantity values and their conversion to
// whole-number weights. v1alpha1 TrafficSplit weights are Quantities (`1` = `1000m`).
//
// Decision: all weights of one split are scaled to one common unit: the smallest
// unit used (suffix and decimal places both count), so every weight becomes a
// whole number and the ratios are kept exactly. `1` and `500m` -> 1000 and 500;
// `1.5` and `2` -> 15 and 20. The SMI SDK took the unscaled mantissa of each
// weight on its own, turning `1` and `500m` into 1 and 500 (wrong ratio).
// A weight that would exceed Number.MAX_SAFE_INTEGER after scaling, or is
// negative, is reported as a problem rather than rounded.

/** value = mantissa * 10^exp10, exactly. */
export interface ExactQuantity {
  mantissa: bigint;
  exp10: number;
}

const DECIMAL_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const QUANTITY_RE = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

/** Parses a quantity (string or JSON number); undefined when it is not one. */
export function parseQuantity(value: unknown): ExactQuantity | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    if (Number.isSafeInteger(value)) return { mantissa: BigInt(value), exp10: 0 };
    value = String(value);
  }
  if (typeof value !== 'string') return undefined;
  const m = QUANTITY_RE.exec(value.trim());
  if (!m) return undefined;
  const [, sign = '', number = '', suffix = ''] = m;
  const [whole = '', frac = ''] = number.split('.');
  let mantissa = BigInt((whole || '0') + frac);
  let exp10 = -frac.length;
  if (suffix in BINARY_SUFFIX) mantissa *= 2n ** BigInt(BINARY_SUFFIX[suffix]!);
  else if (suffix in DECIMAL_SUFFIX) exp10 += DECIMAL_SUFFIX[suffix]!;
  else exp10 += Number(suffix.slice(1)); // e/E exponent
  if (sign === '-') mantissa = -mantissa;
  return { mantissa, exp10 };
}

/** A quantity as a JavaScript number (for display and comparisons; weights use the exact form); undefined when it is not one. */
export function quantityToNumber(value: unknown): number | undefined {
  const q = parseQuantity(value);
  if (!q) return undefined;
  const m = Number(q.mantissa);
  // Dividing by an exact power of ten keeps `2500m` at 2.5 (multiplying by 1e-3 would not).
  return q.exp10 < 0 ? m / 10 ** -q.exp10 : m * 10 ** q.exp10;
}

/**
 * Scales quantities to whole numbers of their smallest common unit.
 * Returns per-index either a safe integer or an error message.
 */
export function quantitiesToWeights(values: unknown[]): Array<{ weight: number } | { error: string }> {
  const parsed = values.map(parseQuantity);
  const exps = parsed.filter((q): q is ExactQuantity => q !== undefined).map((q) => q.exp10);
  const unit = exps.length ? Math.min(...exps) : 0;
  return parsed.map((q, i) => {
    if (!q) return { error: `${JSON.stringify(values[i])} is not a Kubernetes quantity` };
    if (q.mantissa < 0n) return { error: `${JSON.stringify(values[i])} is negative; weights must be >= 0` };
    const scaled = q.mantissa * 10n ** BigInt(q.exp10 - unit);
    if (scaled > BigInt(Number.MAX_SAFE_INTEGER)) {
      return { error: `${JSON.stringify(values[i])} is too large once all weights are scaled to a common unit (10^${unit})` };
    }
    return { weight: Number(scaled) };
  });
}
