// Native objects wanted by more than one unit (e.g. a Consul ServiceDefaults
// named after a service that is both a split root and an access destination):
// one owner (the smallest unit key) writes the merge of every claimant's
// version, so the object carries all their ownerReferences (GC keeps it while
// any source lives) and fields only one of them sets; where a field limits traffic
// the narrowest value wins, not the owner's (adapters/shared-narrowing.ts). Pure.

import type { KubeObject, OwnerReference } from '../../schemas/hub.js';
import { narrowShared } from '../../adapters/shared-narrowing.js';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/** Fill in what `into` lacks from `from`; on any disagreement `into` wins (arrays are values, not merged). */
function fillMissing(into: Json, from: Json): Json {
  const out: Json = { ...into };
  for (const [k, v] of Object.entries(from)) {
    if (!(k in out) || out[k] === undefined) out[k] = structuredClone(v);
    else if (isObj(out[k]) && isObj(v)) out[k] = fillMissing(out[k] as Json, v);
  }
  return out;
}

/** versions[0] is the owner's; the rest in claimant order. Deterministic for a given order. */
export function mergeShared(versions: KubeObject[]): KubeObject {
  const [first, ...rest] = versions;
  if (!first) throw new Error('mergeShared: no versions');
  let merged = structuredClone(first) as Json;
  const owners: OwnerReference[] = [...(first.metadata.ownerReferences ?? [])];
  for (const v of rest) {
    const { metadata, ...body } = v;
    merged = fillMissing(merged, body as Json);
    for (const r of metadata.ownerReferences ?? []) if (!owners.some((o) => o.uid === r.uid)) owners.push(r);
  }
  const out = narrowShared(merged as KubeObject, versions);
  if (owners.length > 0) out.metadata = { ...out.metadata, ownerReferences: owners };
  return out;
}
