// admission.k8s.io/v1 AdmissionReview for SMI kinds -> allow / deny, via
// validateSmiObject. Non-SMI objects and deletes are allowed. A denial lists
// every problem, one per line, each naming object and field.

import type { KubeObject } from '../../schemas/hub.js';
import { refOf } from '../../schemas/object-ref.js';
import { formatProblem } from '../../schemas/problem.js';
import { validateSmiObject } from '../../schemas/validate.js';
import { servedKind, unservedSmiField } from '../../schemas/versions.js';

export interface AdmissionReviewResponse {
  apiVersion: 'admission.k8s.io/v1';
  kind: 'AdmissionReview';
  response: { uid: string; allowed: boolean; status?: { code: number; reason: string; message: string }; warnings?: string[] };
}

/**
 * What the webhook can look up in the operator's cache. undefined: not known (cache not synced):
 * no warning. Objects may be created in any order, so a missing reference is a warning, never a denial.
 */
export interface ReferenceLookup {
  service(namespace: string, name: string): boolean | undefined;
  serviceAccount(namespace: string, name: string): boolean | undefined;
}

/** Warnings for the references of a valid hub object that do not resolve (yet). Pure. */
export function unresolvedReferences(obj: KubeObject, refs: ReferenceLookup): string[] {
  const ns = obj.metadata.namespace ?? 'default';
  const spec = ((obj as { spec?: Record<string, unknown> }).spec ?? {}) as Record<string, unknown>;
  const out: string[] = [];
  const ref = refOf(obj);
  if (obj.kind === 'TrafficSplit') {
    const root = spec.service as string | undefined;
    if (root && refs.service(ns, root) === false) out.push(`${ref}: spec.service: Service ${ns}/${root} does not exist (yet); the split is not applied until it does`);
    ((spec.backends ?? []) as { service?: string }[]).forEach((b, i) => {
      if (b.service && refs.service(ns, b.service) === false) out.push(`${ref}: spec.backends[${i}].service: Service ${ns}/${b.service} does not exist (yet); this backend gets no traffic until it does`);
    });
  }
  if (obj.kind === 'TrafficTarget') {
    const accounts: [string, { kind?: string; name?: string; namespace?: string } | undefined][] = [
      ['spec.destination', spec.destination as { kind?: string; name?: string; namespace?: string } | undefined],
      ...((spec.sources ?? []) as { kind?: string; name?: string; namespace?: string }[]).map((s, i): [string, typeof s] => [`spec.sources[${i}]`, s]),
    ];
    for (const [path, a] of accounts) {
      if (a?.kind !== 'ServiceAccount' || !a.name) continue;
      const ans = a.namespace ?? ns;
      if (refs.serviceAccount(ans, a.name) === false) out.push(`${ref}: ${path}.name: ServiceAccount ${ans}/${a.name} does not exist (yet)`);
    }
  }
  return out;
}

interface AdmissionRequest {
  uid?: unknown;
  operation?: unknown;
  namespace?: unknown;
  name?: unknown;
  object?: unknown;
}

function answer(uid: string, denial?: string, warnings: string[] = []): AdmissionReviewResponse {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: denial === undefined
      ? { uid, allowed: true, ...(warnings.length ? { warnings } : {}) }
      : { uid, allowed: false, status: { code: 422, reason: 'Invalid', message: denial } },
  };
}

/** The object of a CREATE or UPDATE review, if any (read defensively). */
export function admissionObject(body: unknown): KubeObject | undefined {
  const request = (body as { request?: AdmissionRequest } | null)?.request;
  if (request?.operation !== 'CREATE' && request?.operation !== 'UPDATE') return undefined;
  const o = request.object;
  return o && typeof o === 'object' && !Array.isArray(o) ? (o as KubeObject) : undefined;
}

export function reviewAdmission(body: unknown, refs?: ReferenceLookup): AdmissionReviewResponse {
  const request = (body as { request?: AdmissionRequest } | null)?.request;
  const uid = typeof request?.uid === 'string' ? request.uid : '';
  if (!request) return answer(uid, 'AdmissionReview: missing request');
  if (request.operation !== 'CREATE' && request.operation !== 'UPDATE') return answer(uid);
  const raw = request.object as KubeObject | undefined;
  if (!raw || typeof raw !== 'object') return answer(uid);
  // On create the name and namespace may come from the URL or generateName.
  const metadata = { ...(raw.metadata ?? {}) };
  if (metadata.namespace === undefined && typeof request.namespace === 'string' && request.namespace) metadata.namespace = request.namespace;
  if (metadata.name === undefined) metadata.name = typeof request.name === 'string' && request.name ? request.name : `${String(metadata.generateName ?? '')}<generated>`;
  const obj: KubeObject = { ...raw, metadata };
  const unserved = unservedSmiField(obj.apiVersion, obj.kind);
  if (unserved) return answer(uid, `${refOf(obj)}: ${unserved.path}: ${unserved.message}`);
  if (!servedKind(obj.apiVersion, obj.kind)) return answer(uid);
  const { problems, hub } = validateSmiObject(obj);
  if (problems.length) return answer(uid, problems.map(formatProblem).join('\n'));
  return answer(uid, undefined, refs && hub ? unresolvedReferences(hub, refs) : []);
}
