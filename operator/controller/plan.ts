// Pure planning for one output unit: desired objects vs what the cache shows
// → which to apply, which already match (skip), which belong to another unit
// (defer), which to delete (prune) or hand over to another claimant.

import type { KubeObject } from '../../schemas/hub.js';
import { cachedDigest, desiredProjection, digestOf } from '../cache/digest.js';
import { HASH_ANNOTATION, isManaged, nativeKey, unitOf } from './labels.js';

export type PlannedAction =
  /** force: the object exists and carries our managed-by label. `verify`: not in the cache, so check it is not someone else's before writing. */
  | { op: 'apply'; key: string; obj: KubeObject; force: boolean; verify: boolean; why: 'create' | 'changed' | 'drift' | 'adopt' }
  | { op: 'skip'; key: string; obj: KubeObject }
  | { op: 'defer'; key: string; obj: KubeObject; owner: string }
  | { op: 'prune'; key: string; obj: KubeObject }
  | { op: 'handover'; key: string; obj: KubeObject; to: string };

export interface PlanInput {
  unit: string;
  /** Decorated desired objects of this unit. */
  desired: KubeObject[];
  /** Managed objects in the cache whose unit annotation is this unit. */
  owned: KubeObject[];
  /**
   * A managed object in the cache, by native key: whole, or digested (cache/digest.ts). A
   * digested one whose digest does not decide (sameContent) is given whole, read live
   * (controller/observed.ts); if not, it is applied again, which is never wrong.
   */
  observed(key: string): KubeObject | undefined;
  /** Every unit currently known to want this native key (including this one for desired keys). */
  claimants(key: string): string[];
}

/**
 * `desired ⊆ observed`: every field we set has the value we set. Fields the
 * server or others add are ignored; null/empty in desired match absent.
 */
export function matches(desired: unknown, observed: unknown): boolean {
  if (desired === null || desired === undefined) return observed === null || observed === undefined || isEmpty(observed);
  if (Array.isArray(desired)) {
    if (observed === undefined || observed === null) return desired.length === 0;
    if (!Array.isArray(observed) || observed.length !== desired.length) return false;
    return desired.every((d, i) => matches(d, observed[i]));
  }
  if (typeof desired === 'object') {
    if (observed === undefined || observed === null) return isEmpty(desired);
    if (typeof observed !== 'object' || Array.isArray(observed)) return false;
    const o = observed as Record<string, unknown>;
    return Object.entries(desired as Record<string, unknown>).every(([k, v]) => matches(v, o[k]));
  }
  return desired === observed;
}

/**
 * `matches(desired, observed)` for a cached object, whole or digested: a digested one matches
 * when its digest equals that of the desired object's projection (equal projections imply
 * `matches`), and does not when its applied-hash annotation differs (`matches` compares that
 * annotation). Undefined: the digest cannot tell (the server or someone else added fields
 * `matches` ignores, or an owned field drifted); compare with the whole object.
 */
export function sameContent(desired: KubeObject, observed: KubeObject): boolean | undefined {
  const digest = cachedDigest(observed);
  if (digest === undefined) return matches(desired, observed);
  const hash = desired.metadata.annotations?.[HASH_ANNOTATION];
  if (hash !== undefined && observed.metadata.annotations?.[HASH_ANNOTATION] !== hash) return false;
  const p = desiredProjection(desired);
  return p && digestOf(p) === digest ? true : undefined;
}

function isEmpty(v: unknown): boolean {
  if (Array.isArray(v)) return v.length === 0;
  if (v && typeof v === 'object') return Object.values(v).every((x) => x === undefined || x === null || isEmpty(x));
  return false;
}

/** The deterministic owner among claimants: the smallest unit key. */
export function ownerOf(claimants: string[]): string | undefined {
  return [...claimants].sort()[0];
}

export function plan(input: PlanInput): PlannedAction[] {
  const out: PlannedAction[] = [];
  const desiredKeys = new Set<string>();
  for (const obj of input.desired) {
    const key = nativeKey(obj);
    desiredKeys.add(key);
    const owner = ownerOf([input.unit, ...input.claimants(key)]) ?? input.unit;
    if (owner !== input.unit) {
      out.push({ op: 'defer', key, obj, owner });
      continue;
    }
    const seen = input.observed(key);
    if (!seen || !isManaged(seen)) {
      out.push({ op: 'apply', key, obj, force: false, verify: true, why: 'create' });
    } else if (sameContent(obj, seen) === true) {
      out.push({ op: 'skip', key, obj });
    } else {
      const why = unitOf(seen) !== input.unit ? 'adopt' : seen.metadata.annotations?.['smi-operator.io/applied-hash'] === obj.metadata.annotations?.['smi-operator.io/applied-hash'] ? 'drift' : 'changed';
      out.push({ op: 'apply', key, obj, force: true, verify: false, why });
    }
  }
  for (const obj of input.owned) {
    const key = nativeKey(obj);
    if (desiredKeys.has(key)) continue;
    const others = input.claimants(key).filter((u) => u !== input.unit);
    const next = ownerOf(others);
    out.push(next ? { op: 'handover', key, obj, to: next } : { op: 'prune', key, obj });
  }
  return out;
}
