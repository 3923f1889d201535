// The digest of what plan.ts compares of a managed native object: the cache keeps
// it instead of the object's spec (cache/transform.ts nativeDigestTransform), and
// plan computes the same digest of what it would apply. Equal digests mean the
// compared projections are equal, which implies plan's `matches(desired, observed)`;
// unequal ones decide nothing (the server or someone else may have added fields
// that `matches` ignores): plan then compares with the whole object, read live
// (controller/observed.ts). So the comparison is exactly as strict as with the
// whole object cached.
//
// The projection, the same for both sides: apiVersion, kind, name, namespace, our
// labels and annotations (app.kubernetes.io/managed-by, smi-operator.io/*; others'
// do not take part: `matches` ignores keys the desired object does not have, and a
// desired object with any other key is not decided by digest), ownerReferences,
// and every other top-level field but status. Null values are left out on both
// sides (`matches` takes a null in desired as "absent").

import { createHash } from 'node:crypto';
import { MANAGED_BY_LABEL } from '../../adapters/types.js';
import type { KubeObject } from '../../schemas/hub.js';
import { canonicalJson } from '../controller/labels.js';

/** Where a digested native object in the cache keeps its digest (no Kubernetes object has a top-level field of this name). */
export const DIGEST_FIELD = 'smi-operator.io/digest';

const OUR_PREFIX = 'smi-operator.io/';
const ours = (k: string): boolean => k === MANAGED_BY_LABEL || k.startsWith(OUR_PREFIX);
/** The metadata fields the projection has; a desired object setting any other is not decided by digest. */
const COMPARED_META = new Set(['name', 'namespace', 'labels', 'annotations', 'ownerReferences']);

type Rec = Record<string, unknown>;

/** Nulls out of objects, at every depth (array elements stay, so lengths and positions are compared). */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v && typeof v === 'object') {
    const out: Rec = {};
    for (const [k, x] of Object.entries(v as Rec)) if (x !== null && x !== undefined) out[k] = withoutNulls(x);
    return out;
  }
  return v;
}

function ourKeys(m: unknown): Rec | undefined {
  if (!m || typeof m !== 'object') return undefined;
  const out: Rec = {};
  for (const [k, v] of Object.entries(m as Rec)) if (ours(k)) out[k] = v;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The compared projection of an object as the API server holds it. */
export function projection(o: KubeObject): Rec {
  const { apiVersion, kind, metadata, status: _status, [DIGEST_FIELD]: _digest, ...rest } = o as KubeObject & Rec;
  const meta: Rec = { name: metadata.name, namespace: metadata.namespace, labels: ourKeys(metadata.labels), annotations: ourKeys(metadata.annotations), ownerReferences: metadata.ownerReferences };
  return withoutNulls({ ...rest, apiVersion, kind, metadata: meta }) as Rec;
}

/**
 * The projection of a desired object, or undefined when equal projections would not imply
 * `matches` (it sets a status, metadata beyond the compared fields, or someone else's label or
 * annotation key): such an object is compared with the whole object.
 */
export function desiredProjection(d: KubeObject): Rec | undefined {
  if ('status' in d || DIGEST_FIELD in d) return undefined;
  for (const k of Object.keys(d.metadata)) if (!COMPARED_META.has(k) && (d.metadata as Rec)[k] != null) return undefined;
  for (const m of [d.metadata.labels, d.metadata.annotations]) for (const k of Object.keys(m ?? {})) if (!ours(k)) return undefined;
  return projection(d);
}

/** 128 bits of SHA-256 over the canonical JSON of a projection. */
export const digestOf = (p: Rec): string => createHash('sha256').update(canonicalJson(p)).digest('base64url').slice(0, 22);

/** The digest a cached object carries, if it is a digested one. */
export const cachedDigest = (o: KubeObject): string | undefined => {
  const d = (o as Rec)[DIGEST_FIELD];
  return typeof d === 'string' ? d : undefined;
};
