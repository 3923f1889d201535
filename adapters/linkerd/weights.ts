// SMI weights are relative, like Gateway API backendRef weights, so they are copied
// as is; only weights above the schema's 1,000,000 cap need scaling.

import type { SplitBackend } from '../common/model.js';
import { MAX_WEIGHT } from './kinds.js';

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

export interface Weights {
  weights: number[];
  /** False when the shares had to be rounded (weights above the cap even after reduction). */
  exact: boolean;
}

export function backendWeights(backends: readonly SplitBackend[]): Weights {
  const raw = backends.map((b) => b.weight);
  if (raw.every((w) => w <= MAX_WEIGHT)) return { weights: raw, exact: true };
  // Dividing by the common divisor keeps the ratios exactly.
  const d = raw.reduce((a, w) => gcd(a, w), 0) || 1;
  const reduced = raw.map((w) => w / d);
  if (reduced.every((w) => w <= MAX_WEIGHT)) return { weights: reduced, exact: true };
  // Still too large: the mesh-neutral percentages (largest remainder, sum 100) are the fallback.
  return { weights: backends.map((b) => b.percent), exact: false };
}
