// Hand-built ResolvedModel pieces for the Consul renderer tests.

import type { TrafficSplit, TrafficTarget } from '../../../../schemas/hub.js';
import type { AccessRule, HttpCondition, IdentityService, ResolvedDestination, ResolvedModel, ResolvedSplit, SourceIdentity } from '../../../../adapters/common/model.js';
import type { KubeObject } from '../../../../schemas/hub.js';
import type { MeshOptions, ServiceInfo, ServicePort } from '../../../../adapters/types.js';
import { DEFAULT_MESH_OPTIONS } from '../../../../adapters/types.js';

export const NS = 'shop';

export function svc(name: string, opts: { ns?: string; ports?: ServicePort[] } = {}): ServiceInfo {
  return { namespace: opts.ns ?? NS, name, ports: opts.ports ?? [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }], selector: { app: name } };
}

export function trafficSplit(name: string, root: string, ns = NS): TrafficSplit {
  return {
    apiVersion: 'split.smi-spec.io/v1alpha4',
    kind: 'TrafficSplit',
    metadata: { name, namespace: ns, uid: `uid-ts-${name}` },
    spec: { service: root, backends: [] },
  };
}

export function cond(origin: string, c: Partial<HttpCondition> = {}): HttpCondition {
  return { origin, headers: [], ...c };
}

export function split(
  name: string,
  root: ServiceInfo,
  backends: Array<[ServiceInfo, number]>,
  matches: HttpCondition[] = [],
): ResolvedSplit {
  const ts = trafficSplit(name, root.name, root.namespace);
  ts.spec.backends = backends.map(([s, p]) => ({ service: s.name, weight: p }));
  return {
    split: ts,
    namespace: root.namespace,
    root,
    backends: backends.map(([service, weight], index) => ({ service, weight, index })),
    matches,
  };
}

export function trafficTarget(name: string, destSa: string, ns = NS): TrafficTarget {
  return {
    apiVersion: 'access.smi-spec.io/v1alpha3',
    kind: 'TrafficTarget',
    metadata: { name, namespace: ns, uid: `uid-tt-${name}` },
    spec: { destination: { kind: 'ServiceAccount', name: destSa, namespace: ns }, rules: [], sources: [] },
  };
}

/**
 * A source as resolve() gives it: by default its pods are selected by one Service of the
 * same name and nobody else's (`services: []`: no Service selects them).
 */
export function src(serviceAccount: string, namespace = NS, services?: IdentityService[]): SourceIdentity {
  return { namespace, serviceAccount, services: services ?? [{ service: svc(serviceAccount, { ns: namespace }), serviceAccounts: [serviceAccount] }] };
}

/** A Service selecting pods of the given ServiceAccounts, as a source identity sees it. */
export function via(service: string, serviceAccounts: string[], namespace = NS): IdentityService {
  return { service: svc(service, { ns: namespace }), serviceAccounts };
}

export function rule(target: TrafficTarget, index: number, sources: SourceIdentity[], opts: { http?: HttpCondition[]; ports?: number[] } = {}): AccessRule {
  const r: AccessRule = { target, path: `spec.rules[${index}]`, sources, ports: opts.ports ?? [] };
  if (opts.http) r.http = opts.http;
  return r;
}

export function destination(serviceAccount: string, targets: TrafficTarget[], services: ServiceInfo[], rules: AccessRule[], ns = NS): ResolvedDestination {
  return {
    namespace: ns,
    serviceAccount,
    targets,
    workloads: [{ namespace: ns, owner: `Deployment/${serviceAccount}`, serviceAccount, podLabels: { app: serviceAccount } }],
    namespaceWorkloads: [{ namespace: ns, owner: `Deployment/${serviceAccount}`, serviceAccount, podLabels: { app: serviceAccount } }],
    services,
    rules,
  };
}

export function model(splits: ResolvedSplit[] = [], destinations: ResolvedDestination[] = []): ResolvedModel {
  return { splits, destinations, results: [] };
}

export function options(o: Partial<MeshOptions> = {}): MeshOptions {
  return { ...DEFAULT_MESH_OPTIONS, ...o };
}

export function find(objects: KubeObject[], kind: string, name: string, ns = NS): KubeObject {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name && x.metadata.namespace === ns);
  if (!o) throw new Error(`no ${kind} ${ns}/${name} among ${objects.map((x) => `${x.kind}/${x.metadata.name}`).join(', ')}`);
  return o;
}

export function names(objects: KubeObject[]): string[] {
  return objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Spec = Record<string, any>;

export function spec(o: KubeObject): Spec {
  return o.spec as Spec;
}
