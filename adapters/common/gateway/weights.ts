// SMI weights are relative, like Gateway API backendRef weights, so they are copied
// as is; weights over the schema's 1,000,000 cap are divided by their common divisor
// or, failing that, scaled (adapters/common/weights.ts: a weight above 0 stays above 0).

import type { SplitBackend } from '../model.js';
import { approximationNotes, relativeWeights } from '../weights.js';
import { MAX_WEIGHT, WEIGHT_LIMITS } from './kinds.js';

export interface Weights {
  weights: number[];
  /** Status messages when the ratios had to be approximated. */
  notes: string[];
}

/** Undefined only when no backend has a weight above 0 (resolve() never hands such a split over). */
export function backendWeights(backends: readonly SplitBackend[], mesh: string): Weights | undefined {
  const w = relativeWeights(
    backends.map((b) => b.weight),
    WEIGHT_LIMITS,
  );
  if (!w) return undefined;
  const scaled = `weights above ${MAX_WEIGHT} (the Gateway API maximum) with no common divisor to bring them under it; ${mesh} gets them scaled to ${w.weights.join('/')}`;
  return { weights: w.weights, notes: approximationNotes(backends, w, { mesh: 'this HTTPRoute', step: `one part in ${w.weights.reduce((a, b) => a + b, 0)}`, scaled }) };
}
