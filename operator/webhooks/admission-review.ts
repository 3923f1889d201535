// admission.k8s.io/v1 AdmissionReview for SMI kinds -> allow / deny, via
// validateSmiObject. Non-SMI objects and deletes are allowed. A denial lists
// every problem, one per line, each naming object and field.

import { buildSnapshot } from '../../adapters/common/snapshot.js';
import { unresolvedReferenceFindings } from '../../adapters/common/references.js';
import type { KubeObject, SmiObject } from '../../schemas/hub.js';
import { isPolicyKind } from '../../schemas/policy-types.js';
import { refOf } from '../../schemas/object-ref.js';
import { formatProblem } from '../../schemas/problem.js';
import { validateSmiObject } from '../../schemas/validate.js';
import { servedKind, unservedSmiField } from '../../schemas/versions.js';
import { routeRefs, serviceRefs } from '../controller/units.js';

export interface AdmissionReviewResponse {
  apiVersion: 'admission.k8s.io/v1';
  kind: 'AdmissionReview';
  response: { uid: string; allowed: boolean; status?: { code: number; reason: string; message: string }; warnings?: string[] };
}

/** The kinds an SMI object refers to by name. */
export type ReferencedKind = 'Service' | 'ServiceAccount' | 'HTTPRouteGroup' | 'TCPRoute' | 'UDPRoute';
const ROUTE_KINDS: ReadonlySet<string> = new Set<ReferencedKind>(['HTTPRouteGroup', 'TCPRoute', 'UDPRoute']);

/**
 * What the webhook can look up in the operator's cache: the object, null when it does not
 * exist, undefined when that is not known (cache not synced, namespace or kind not watched):
 * then no warning. Objects may be created in any order, so a missing reference is a warning,
 * never a denial.
 */
export interface ReferenceLookup {
  get(kind: ReferencedKind, namespace: string, name: string): KubeObject | null | undefined;
}

/**
 * Warnings for the references of a valid hub object that do not resolve (yet). Pure. Services
 * and routes: what resolve() reports as InvalidReference for the object and the cached objects it
 * names (the verdict `smictl validate`, `translate` and the status give); ServiceAccounts of a
 * TrafficTarget, which resolve() does not require, are checked here.
 */
export function unresolvedReferences(obj: SmiObject, refs: ReferenceLookup): string[] {
  const ns = obj.metadata.namespace ?? 'default';
  const ref = refOf(obj);
  const out: string[] = [];
  const named: KubeObject[] = [];
  let known = true;
  const look = (kind: ReferencedKind, namespace: string, name: string): void => {
    const o = refs.get(kind, namespace, name);
    if (o === undefined) known = false;
    else if (o) named.push(o);
  };
  for (const name of new Set(serviceRefs(obj))) if (name) look('Service', ns, name);
  for (const key of new Set(routeRefs(obj))) {
    const [kind, rns, ...rest] = key.split('/');
    if (ROUTE_KINDS.has(kind ?? '') && rest.join('/')) look(kind as ReferencedKind, rns ?? ns, rest.join('/'));
  }
  // Routes refer to nothing (and re-validating one here would compile its regexes twice).
  const refers = obj.kind === 'TrafficSplit' || obj.kind === 'TrafficTarget' || isPolicyKind(obj.kind);
  if (known && refers) {
    const { snapshot } = buildSnapshot([obj, ...named]);
    out.push(...unresolvedReferenceFindings(obj, snapshot).map((m) => `${ref}: ${m}`));
  }
  if (obj.kind === 'TrafficTarget') {
    const spec = obj.spec as { destination?: Account; sources?: Account[] };
    const accounts: [string, Account | undefined][] = [['spec.destination', spec.destination], ...(spec.sources ?? []).map((s, i): [string, Account] => [`spec.sources[${i}]`, s])];
    for (const [path, a] of accounts) {
      if (a?.kind !== 'ServiceAccount' || !a.name) continue;
      const ans = a.namespace ?? ns;
      if (refs.get('ServiceAccount', ans, a.name) === null) out.push(`${ref}: ${path}.name: ServiceAccount ${ans}/${a.name} does not exist (yet)`);
    }
  }
  return out;
}

type Account = { kind?: string; name?: string; namespace?: string };

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
