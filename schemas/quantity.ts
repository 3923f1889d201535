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

/**
 * Kubernetes holds a quantity's decimal exponent in an int32 (apimachinery resource
 * suffixHandler.interpret truncates a wider one to int32, so it would not mean what it
 * says): a wider exponent is rejected. Beyond that, an exponent is never used as a BigInt
 * power unless the result fits a safe integer, so absurd values cost no time.
 */
const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };
/** Decimal digits of Number.MAX_SAFE_INTEGER (9007199254740991). */
const SAFE_DIGITS = 16;

export type ParsedQuantity = ExactQuantity | { error: string };

/** Parses a quantity (string or JSON number); undefined when it is not one, or not one a weight can be. */
export function parseQuantity(value: unknown): ExactQuantity | undefined {
  const q = readQuantity(value);
  return q === undefined || 'error' in q ? undefined : q;
}

/** undefined when `value` is not a quantity; `{ error }` when it is one no weight can be (exponent, digits). */
function readQuantity(value: unknown): ParsedQuantity | undefined {
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
  let exp10 = -frac.length;
  if (suffix in DECIMAL_SUFFIX) exp10 += DECIMAL_SUFFIX[suffix]!;
  else if (!(suffix in BINARY_SUFFIX)) {
    const e = Number(suffix.slice(1)); // e/E exponent; digits beyond int32 make it huge or Infinity
    if (!(e >= INT32.min && e <= INT32.max)) return { error: `${JSON.stringify(value)} has an exponent outside the int32 range Kubernetes quantities hold (-2147483648..2147483647)` };
    exp10 += e;
  }
  // Leading zeros carry no value; more significant digits than a safe integer has can never
  // scale to a usable weight (scaling only multiplies), so no BigInt is built from them.
  const digits = ((whole || '0') + frac).replace(/^0+/, '');
  if (digits.length > SAFE_DIGITS) return { error: `${JSON.stringify(value)} has more significant digits than a weight can hold (${SAFE_DIGITS})` };
  let mantissa = BigInt(digits || '0');
  if (suffix in BINARY_SUFFIX) mantissa *= 2n ** BigInt(BINARY_SUFFIX[suffix]!);
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
  const parsed = values.map(readQuantity);
  // A zero weight is zero at any scale: it must not drag the common unit down.
  const exps = parsed.filter((q): q is ExactQuantity => q !== undefined && !('error' in q) && q.mantissa !== 0n).map((q) => q.exp10);
  const unit = exps.length ? Math.min(...exps) : 0;
  const tooLarge = (v: unknown): { error: string } => ({ error: `${JSON.stringify(v)} is too large once all weights are scaled to a common unit (10^${unit})` });
  return parsed.map((q, i) => {
    if (!q) return { error: `${JSON.stringify(values[i])} is not a Kubernetes quantity` };
    if ('error' in q) return q;
    if (q.mantissa < 0n) return { error: `${JSON.stringify(values[i])} is negative; weights must be >= 0` };
    if (q.mantissa === 0n) return { weight: 0 };
    // mantissa >= 1, so a shift of SAFE_DIGITS or more is past MAX_SAFE_INTEGER: decided without computing 10^shift.
    const shift = q.exp10 - unit;
    if (shift >= SAFE_DIGITS) return tooLarge(values[i]);
    const scaled = q.mantissa * 10n ** BigInt(shift);
    if (scaled > BigInt(Number.MAX_SAFE_INTEGER)) return tooLarge(values[i]);
    return { weight: Number(scaled) };
  });
}
