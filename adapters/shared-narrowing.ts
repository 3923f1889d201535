// Several operator units may want one native object: two Services whose pods share a
// Linkerd Server each ask for that Server's HTTPLocalRateLimitPolicy (a Server takes
// one). The operator's generic merge of such an object lets the owning unit's version
// win any disagreement; for the fields below the narrowest value must win instead,
// whichever unit owns it, or the merged object could admit more than one policy says.
// Pure; one rule per native kind.

import type { KubeObject } from '../schemas/hub.js';
import { HTTP_LOCAL_RATE_LIMIT_POLICY } from './linkerd/kinds.js';

type Narrowing = (merged: KubeObject, versions: readonly KubeObject[]) => KubeObject;

const rateOf = (o: KubeObject): number | undefined => {
  const r = (o.spec as { total?: { requestsPerSecond?: unknown } } | undefined)?.total?.requestsPerSecond;
  // 0 means "no limit" to Linkerd: never the narrowest.
  return typeof r === 'number' && r > 0 ? r : undefined;
};

/** The lowest `total.requestsPerSecond` any claimant asks for. */
const lowestRate: Narrowing = (merged, versions) => {
  const rates = versions.map(rateOf).filter((r): r is number => r !== undefined);
  if (rates.length === 0) return merged;
  const spec = merged.spec as { total?: Record<string, unknown> };
  return { ...merged, spec: { ...spec, total: { ...spec.total, requestsPerSecond: Math.min(...rates) } } };
};

const NARROWINGS: ReadonlyMap<string, Narrowing> = new Map([[`${HTTP_LOCAL_RATE_LIMIT_POLICY.apiVersion}/${HTTP_LOCAL_RATE_LIMIT_POLICY.kind}`, lowestRate]]);

/** The merged object with every narrowing field at the narrowest value among `versions`. */
export function narrowShared(merged: KubeObject, versions: readonly KubeObject[]): KubeObject {
  const rule = NARROWINGS.get(`${merged.apiVersion}/${merged.kind}`);
  return rule ? rule(merged, versions) : merged;
}
