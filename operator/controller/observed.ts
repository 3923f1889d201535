// The cache holds most managed native objects digested (cache/digest.ts): plan
// decides "unchanged" by digest, and when the digest cannot tell (the server or
// someone else added fields, or a field we own drifted) the object is read live
// here and compared whole, as the cache showed it before (cache/transform.ts
// nativeTransform). Rare in steady state: a digest differs only after a change
// by someone else.

import type { KubeResult } from '../../kube/client.js';
import type { KubeObject } from '../../schemas/hub.js';
import { NoInterner, nativeTransform } from '../cache/transform.js';
import { isManaged, nativeKey } from './labels.js';
import { sameContent } from './plan.js';

const whole = nativeTransform(new NoInterner());

/**
 * `observed` with the objects whose digest cannot decide replaced by their live whole form
 * (undefined when the read failed: plan then applies it with a check first, never wrong).
 * `read` is told how many objects were read.
 */
export async function wholeWhereUndecided(
  desired: readonly KubeObject[],
  observed: (key: string) => KubeObject | undefined,
  get: (o: KubeObject) => Promise<KubeResult<KubeObject>>,
): Promise<{ observed: (key: string) => KubeObject | undefined; read: number }> {
  const live = new Map<string, KubeObject | undefined>();
  for (const d of desired) {
    const key = nativeKey(d);
    const seen = observed(key);
    if (!seen || !isManaged(seen) || live.has(key) || sameContent(d, seen) !== undefined) continue;
    const r = await get(d);
    live.set(key, r.ok ? whole(r.body) : undefined);
  }
  if (live.size === 0) return { observed, read: 0 };
  return { observed: (k) => (live.has(k) ? live.get(k) : observed(k)), read: live.size };
}
