// What the informers keep of each object (as controller-runtime's cache
// TransformFunc): only the fields a reader of the cache uses, with repeated
// strings interned. At 10,000 SMI objects the cache also holds ~6,700 Services
// and ~3,300 Deployments, most of whose fields (cluster IPs, pod template
// defaults, status) nothing here reads. Most kinds are then stored as text
// (./compact.ts); interning still pays for what the change feed hands the
// dependency index, which keeps Services' selectors and workloads' pod labels.
//
// The readers, per kind (a field added to one of them must be kept here; the
// property in test/unit/operator/transform.test.ts translates both ways):
// - SMI kinds: validation/conversion and the adapters (metadata incl. annotations
//   and creationTimestamp, spec), status.ts (status, generation, uid), the
//   indexes and predicates. Kept whole but for kubectl's last-applied copy.
// - Service: buildSnapshot (name, namespace, spec.ports, spec.selector), the
//   selector index, predicates (spec).
// - ServiceAccount: name and namespace only.
// - Deployment/StatefulSet/DaemonSet/Pod: buildSnapshot's workloadInfo (service
//   account, pod labels and annotations, containers' ports and HTTP probes, a
//   pod's controller), the workload index (labels, service account).
// - Managed native objects: plan.ts compares what the operator applies
//   (metadata labels/annotations/ownerReferences and every top-level field but
//   status) with what is there, through a digest of that projection (./digest.ts;
//   the object is read live when digests differ); uid and resourceVersion for
//   deletes and echoes; the managed-by label and the unit/applied-hash
//   annotations (indexes, prune, plan); mesh-status.ts reads the mesh's verdict
//   in status (kept whole: parents, conditions, Istio's validationMessages), with
//   generation, and a Linkerd rate limit's spec.targetRef. Kinds the API server
//   defaults fields of are kept whole (SERVER_DEFAULTED).
// - The user's own routing objects and config entries (clashes.ts): labels, spec.
// Metadata-only watches (PartialObjectMetadata) would not do for workloads: the
// adapters read the service account, container ports and probes from the spec.

import type { KubeObject } from '../../schemas/hub.js';
import { isSmiGroup } from '../../schemas/versions.js';
import { MANAGED_BY_LABEL } from '../../adapters/types.js';
import { HASH_ANNOTATION, UNIT_ANNOTATION } from '../controller/labels.js';
import { DIGEST_FIELD, digestOf, projection } from './digest.js';

export type Transform = (o: KubeObject) => KubeObject;

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * One copy of each repeated short string (namespaces, kinds, apiVersions, label keys and
 * values): JSON.parse makes a new string for every value. Bounded: past the limit the table
 * starts over (strings already interned stay shared).
 */
export class Interner {
  private readonly table = new Map<string, string>();
  constructor(private readonly limit = 100_000) {}

  s<T>(v: T): T {
    if (typeof v !== 'string' || v.length > 253) return v;
    const hit = this.table.get(v);
    if (hit !== undefined) return hit as T;
    if (this.table.size >= this.limit) this.table.clear();
    this.table.set(v, v);
    return v;
  }

  map(m: unknown): Record<string, string> | undefined {
    if (!m || typeof m !== 'object') return undefined;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(m as Record<string, unknown>)) if (typeof v === 'string') out[this.s(k)] = this.s(v);
    return out;
  }

  get size(): number {
    return this.table.size;
  }
}

/**
 * Interns nothing: for kinds kept as text (cache/compact.ts) whose strings nothing else holds
 * on to. Our native objects' label and annotation values are mostly unique to the object; in
 * the table they would outlive it.
 */
export class NoInterner extends Interner {
  override s<T>(v: T): T {
    return v;
  }

  override map(m: unknown): Record<string, string> | undefined {
    if (!m || typeof m !== 'object') return undefined;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(m as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
    return out;
  }
}

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : undefined);

/** Copies the listed keys that are present. */
function pick(o: Rec | undefined, keys: readonly string[]): Rec {
  const out: Rec = {};
  if (!o) return out;
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

function withoutLastApplied(a: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!a || !(LAST_APPLIED in a)) return a;
  const { [LAST_APPLIED]: _drop, ...rest } = a;
  return rest;
}

/** Identity, versions and deletion: what every reader may use. */
function baseMeta(m: KubeObject['metadata'], i: Interner): KubeObject['metadata'] {
  const out = pick(m as unknown as Rec, ['name', 'uid', 'resourceVersion', 'generation', 'deletionTimestamp']) as KubeObject['metadata'];
  if (m.namespace !== undefined) out.namespace = i.s(m.namespace);
  return out;
}

/**
 * The context kinds' (Services, ServiceAccounts, workloads): no uid, which nothing reads of them
 * (ownerReferences name SMI objects; a Pod's controller is kept with its own uid). The
 * resourceVersion stays: a relist tells changed objects by it.
 */
function contextMeta(m: KubeObject['metadata'], i: Interner): KubeObject['metadata'] {
  const out = pick(m as unknown as Rec, ['name', 'resourceVersion', 'generation', 'deletionTimestamp']) as KubeObject['metadata'];
  if (m.namespace !== undefined) out.namespace = i.s(m.namespace);
  return out;
}

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;

/** A container as buildSnapshot reads it: name, ports, HTTP probes. */
function container(c: unknown, i: Interner): Rec {
  const r = rec(c) ?? {};
  const out: Rec = {};
  if (r.name !== undefined) out.name = i.s(r.name);
  if (Array.isArray(r.ports)) out.ports = r.ports.map((p) => { const x = pick(rec(p), ['name', 'containerPort', 'protocol']); if (typeof x.name === 'string') x.name = i.s(x.name); if (typeof x.protocol === 'string') x.protocol = i.s(x.protocol); return x; });
  for (const k of PROBES) {
    const get = rec(rec(r[k])?.httpGet);
    if (get) out[k] = { httpGet: pick(get, ['port', 'scheme', 'path']) };
  }
  return out;
}

/** A pod spec as buildSnapshot and the workload index read it. */
function podSpec(s: unknown, i: Interner): Rec {
  const r = rec(s);
  const out: Rec = {};
  if (!r) return out;
  if (r.serviceAccountName !== undefined) out.serviceAccountName = i.s(r.serviceAccountName);
  if (r.serviceAccount !== undefined) out.serviceAccount = i.s(r.serviceAccount);
  if (Array.isArray(r.containers)) out.containers = r.containers.map((c) => container(c, i));
  return out;
}

export function smiTransform(i: Interner): Transform {
  return (o) => {
    const annotations = withoutLastApplied(o.metadata.annotations);
    const { managedFields: _mf, ...meta } = o.metadata as KubeObject['metadata'] & { managedFields?: unknown };
    const metadata: KubeObject['metadata'] = meta;
    if (metadata.namespace !== undefined) metadata.namespace = i.s(metadata.namespace);
    if (annotations !== o.metadata.annotations) {
      if (annotations && Object.keys(annotations).length > 0) metadata.annotations = annotations;
      else delete metadata.annotations;
    }
    return { ...o, apiVersion: i.s(o.apiVersion), kind: i.s(o.kind), metadata };
  };
}

export function serviceTransform(i: Interner): Transform {
  return (o) => {
    const spec = rec((o as { spec?: unknown }).spec);
    const kept: Rec = {};
    const selector = i.map(spec?.selector);
    if (selector) kept.selector = selector;
    if (Array.isArray(spec?.ports)) kept.ports = spec.ports.map((p) => { const x = pick(rec(p), ['name', 'port', 'targetPort', 'protocol', 'appProtocol']); for (const k of ['name', 'protocol', 'appProtocol']) if (typeof x[k] === 'string') x[k] = i.s(x[k]); return x; });
    return { apiVersion: i.s(o.apiVersion), kind: i.s(o.kind), metadata: contextMeta(o.metadata, i), spec: kept } as KubeObject;
  };
}

export function serviceAccountTransform(i: Interner): Transform {
  return (o) => ({ apiVersion: i.s(o.apiVersion), kind: i.s(o.kind), metadata: contextMeta(o.metadata, i) });
}

/** Deployments, StatefulSets, DaemonSets (the pod template) and Pods (labels, annotations, controller). */
export function workloadTransform(i: Interner): Transform {
  return (o) => {
    const metadata = contextMeta(o.metadata, i);
    const spec = rec((o as { spec?: unknown }).spec);
    if (o.kind === 'Pod') {
      const labels = i.map(o.metadata.labels);
      if (labels) metadata.labels = labels;
      const annotations = i.map(withoutLastApplied(o.metadata.annotations));
      if (annotations) metadata.annotations = annotations;
      const owner = o.metadata.ownerReferences?.find((r) => r.controller);
      if (owner) metadata.ownerReferences = [{ apiVersion: i.s(owner.apiVersion), kind: i.s(owner.kind), name: owner.name, uid: owner.uid, controller: true }];
      return { apiVersion: i.s(o.apiVersion), kind: i.s(o.kind), metadata, spec: podSpec(spec, i) } as KubeObject;
    }
    const template = rec(spec?.template);
    const tmeta = rec(template?.metadata);
    const keptMeta: Rec = {};
    const labels = i.map(tmeta?.labels);
    if (labels) keptMeta.labels = labels;
    const annotations = i.map(tmeta?.annotations);
    if (annotations) keptMeta.annotations = annotations;
    return { apiVersion: i.s(o.apiVersion), kind: i.s(o.kind), metadata, spec: { template: { metadata: keptMeta, spec: podSpec(template?.spec, i) } } } as KubeObject;
  };
}

/**
 * Objects the operator writes, whole: all it applies (every top-level field but status), identity
 * for deletes and echoes, the mesh's verdict. What plan.ts compares when the digested form
 * (nativeDigestTransform) cannot decide, read live then (controller/observed.ts).
 */
export function nativeTransform(i: Interner): Transform {
  return (o) => {
    const { status, ...rest } = o as KubeObject & { status?: unknown };
    const metadata = baseMeta(o.metadata, i);
    const labels = i.map(o.metadata.labels);
    if (labels) metadata.labels = labels;
    const annotations = i.map(withoutLastApplied(o.metadata.annotations));
    if (annotations) metadata.annotations = annotations;
    if (o.metadata.ownerReferences) metadata.ownerReferences = o.metadata.ownerReferences;
    // The mesh's verdict (mesh-status.ts reads parents, conditions, validationMessages, observedGeneration):
    // kept whole, it is small and written by the mesh, not us.
    return { ...rest, apiVersion: i.s(o.apiVersion), kind: i.s(o.kind), metadata, ...(status !== undefined ? { status } : {}) } as KubeObject;
  };
}

/** The labels and annotations a reader of a cached native object uses: isManaged, unitOf, plan's drift/changed. */
const KEPT_LABELS = [MANAGED_BY_LABEL] as const;
const KEPT_ANNOTATIONS = [UNIT_ANNOTATION, HASH_ANNOTATION] as const;

/**
 * Objects the operator writes, digested: identity (uid, resourceVersion, generation for deletes,
 * echoes and the mesh's verdict), the managed-by label, the unit and applied-hash annotations,
 * the mesh's verdict in status, spec.targetRef (mesh-status.ts reads it of a Linkerd
 * HTTPLocalRateLimitPolicy), and the digest of what plan.ts compares (./digest.ts) in place of
 * the rest. plan decides "unchanged" on equal digests and reads the object live otherwise.
 */
export function nativeDigestTransform(i: Interner): Transform {
  return (o) => {
    const { status } = o as KubeObject & { status?: unknown };
    const metadata = baseMeta(o.metadata, i);
    const labels = pick(o.metadata.labels, KEPT_LABELS) as Record<string, string>;
    if (Object.keys(labels).length > 0) metadata.labels = labels;
    const annotations = pick(o.metadata.annotations, KEPT_ANNOTATIONS) as Record<string, string>;
    if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
    const targetRef = rec((o as { spec?: unknown }).spec)?.targetRef;
    return {
      apiVersion: i.s(o.apiVersion),
      kind: i.s(o.kind),
      metadata,
      ...(targetRef !== undefined ? { spec: { targetRef } } : {}),
      ...(status !== undefined ? { status } : {}),
      [DIGEST_FIELD]: digestOf(projection(o)),
    } as KubeObject;
  };
}

/**
 * Native kinds kept whole: their CRD schemas default fields the operator does not set (Linkerd's
 * Server, HTTPRoute and HTTPLocalRateLimitPolicy, Gateway API routes: shared/crds), so the digest
 * of what the server holds never equals that of what is applied, and every plan of them would
 * read the object live. `group/Kind`.
 */
const SERVER_DEFAULTED = new Set(['policy.linkerd.io/Server', 'policy.linkerd.io/HTTPRoute', 'policy.linkerd.io/HTTPLocalRateLimitPolicy', 'gateway.networking.k8s.io/HTTPRoute', 'gateway.networking.k8s.io/GRPCRoute']);

/**
 * The user's own routing objects and config entries (clashes.ts reads hosts, gateways, parentRefs,
 * a ServiceIntentions' destination...): spec kept whole, the server's metadata and status not. They
 * are few; the watch leaves ours out.
 */
export function userObjectTransform(i: Interner): Transform {
  return (o) => {
    const metadata = baseMeta(o.metadata, i);
    const labels = i.map(o.metadata.labels);
    if (labels) metadata.labels = labels;
    const spec = (o as { spec?: unknown }).spec;
    return { apiVersion: i.s(o.apiVersion), kind: i.s(o.kind), metadata, ...(spec !== undefined ? { spec } : {}) } as KubeObject;
  };
}

const WORKLOADS = new Set(['apps/v1 Deployment', 'apps/v1 StatefulSet', 'apps/v1 DaemonSet', 'v1 Pod']);

/**
 * The transform for a watched kind: SMI kinds, Services, ServiceAccounts and workloads as
 * above; any other kind the operator watches is one it writes (managed native objects).
 * The adapter ConfigMap is kept whole (not given a transform).
 */
export function transformFor(apiVersion: string, kind: string, i: Interner): Transform {
  if (isSmiGroup(apiVersion)) return smiTransform(i);
  if (apiVersion === 'v1' && kind === 'Service') return serviceTransform(i);
  if (apiVersion === 'v1' && kind === 'ServiceAccount') return serviceAccountTransform(i);
  if (WORKLOADS.has(`${apiVersion} ${kind}`)) return workloadTransform(i);
  return SERVER_DEFAULTED.has(`${apiVersion.split('/')[0]}/${kind}`) ? nativeTransform(i) : nativeDigestTransform(i);
}
