// ServiceSplitter weights: percentages in 0.01 % steps that must add up to 100.
//
// Two validations see them. Consul's (ServiceSplitterConfigEntry.Validate in
// agent/structs/config_entry_discoverychain.go) scales each float32 weight to whole
// 0.01 % steps (scaleWeight: round(w*100)) and wants 10,000 of them. consul-k8s's
// webhook (ServiceSplits.validate in control-plane/api/v1alpha1/servicesplitter_types.go)
// adds the float32 weights in list order and wants exactly 100 - a float32 sum that
// misses 100 by rounding for roughly one split in five. The order of the splits means
// nothing to Consul, so an order whose float32 sum is exactly 100 is chosen.

import { apportion } from '../common/weights.js';

/** 100 % in Consul's 0.01 % steps. */
export const STEPS = 10_000;

/** consul-k8s: `sumOfWeights += split.Weight` in float32, in list order. */
export function webhookSum(percents: readonly number[]): number {
  let s = 0;
  for (const p of percents) s = Math.fround(s + Math.fround(p));
  return s;
}

/** Consul: the sum of `int(math.Round(float64(w * 100.0)))`, the product taken in float32. */
export function scaledSum(percents: readonly number[]): number {
  return percents.reduce((a, p) => a + Math.round(Math.fround(Math.fround(p) * 100)), 0);
}

export const passesValidation = (percents: readonly number[]): boolean =>
  webhookSum(percents) === 100 && scaledSum(percents) === STEPS && percents.every((p) => p >= 0.01 && p <= 100);

function* permutations(xs: number[]): Generator<number[]> {
  if (xs.length <= 1) {
    yield xs;
    return;
  }
  for (let i = 0; i < xs.length; i++) for (const p of permutations([...xs.slice(0, i), ...xs.slice(i + 1)])) yield [xs[i]!, ...p];
}

/** Orders to try, the input's own first; bounded, so a huge split stays cheap. */
function* candidateOrders(units: readonly number[]): Generator<number[]> {
  const idx = units.map((_, i) => i);
  const asc = [...idx].sort((a, b) => units[a]! - units[b]! || a - b);
  yield idx;
  yield asc;
  yield [...asc].reverse();
  const tries = Math.min(asc.length, 128);
  // Ascending keeps the float32 partial sums small and precise; vary which value comes last.
  for (let k = 0; k < tries; k++) yield [...asc.filter((i) => i !== asc[k]), asc[k]!];
  for (let k = 1; k < tries; k++) yield [...asc.slice(k), ...asc.slice(0, k)];
  // A small split: every order (7! = 5,040 at most), so the fallback below is never needed for it.
  if (idx.length <= 7) {
    yield* permutations(idx);
    return;
  }
  // Then seeded shuffles (the same ones every time, so the output is deterministic): many
  // equal small values can defeat every structured order above (fast-check found such splits).
  let seed = 0x2545f491;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  for (let t = 0; t < 256; t++) {
    const o = [...idx];
    for (let i = o.length - 1; i > 0; i--) {
      const j = next() % (i + 1);
      [o[i], o[j]] = [o[j]!, o[i]!];
    }
    yield o;
  }
}

function validOrder(units: readonly number[]): number[] | undefined {
  for (const o of candidateOrders(units)) if (passesValidation(o.map((i) => units[i]! / 100))) return o;
  return undefined;
}

export interface SplitterWeights {
  /** Indices of the input in the order to list them. */
  order: number[];
  /** Percent per input index, in 0.01 steps, summing to 100. */
  percents: number[];
  /** Indices below 0.01 % raised to it (taken from the largest). */
  raised: number[];
  /** Set when no order passed and one 0.01 % step was moved between these two indices. */
  moved?: { from: number; to: number };
}

/** Undefined when the weights cannot be expressed (more than 10,000 backends, or no valid order). */
export function splitterWeights(weights: readonly number[]): SplitterWeights | undefined {
  const a = apportion(weights, STEPS);
  if (!a) return undefined;
  const pack = (units: number[], order: number[], moved?: SplitterWeights['moved']): SplitterWeights => ({
    order,
    percents: units.map((u) => u / 100),
    raised: a.raised,
    ...(moved ? { moved } : {}),
  });
  const order = validOrder(a.units);
  if (order) return pack(a.units, order);
  // Rare (fast-check finds about one in 10^5 splits of 8+ backends): no order tried sums to exactly
  // 100 in float32. Moving one step (reported) beats emitting what consul-k8s rejects.
  const from = a.units.indexOf(Math.max(...a.units));
  for (let to = 0; to < Math.min(a.units.length, 16); to++) {
    if (to === from || a.units[from]! <= 1) continue;
    const units = [...a.units];
    units[from]! -= 1;
    units[to]! += 1;
    const o = validOrder(units);
    if (o) return pack(units, o, { from, to });
  }
  return undefined;
}
