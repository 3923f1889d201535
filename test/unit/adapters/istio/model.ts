// Hand-built ResolvedModel pieces: the renderer is tested on the model alone,
// independent of resolve().

import type { AccessRule, HttpCondition, ResolvedDestination, ResolvedSplit } from '../../../../adapters/common/model.js';
import type { MeshOptions, ServiceInfo, ServicePort, WorkloadInfo } from '../../../../adapters/types.js';
import type { TrafficSplit, TrafficTarget } from '../../../../schemas/hub.js';

export const OPTIONS: MeshOptions = { accessMode: 'enforce', mtlsMode: 'strict', clusterDomain: 'cluster.local', trustDomain: 'cluster.local' };

export function service(name: string, ports: Array<number | ServicePort> = [{ port: 80, name: 'http' }], ns = 'shop'): ServiceInfo {
  return { namespace: ns, name, ports: ports.map((p) => (typeof p === 'number' ? { port: p, protocol: 'TCP' } : p)), selector: { app: name } };
}

export function tsObject(name: string, ns = 'shop', uid?: string): TrafficSplit {
  return {
    apiVersion: 'split.smi-spec.io/v1alpha4',
    kind: 'TrafficSplit',
    metadata: { name, namespace: ns, ...(uid ? { uid } : {}) },
    spec: { service: 'web', backends: [] },
  };
}

export function ttObject(name: string, ns = 'shop', uid?: string): TrafficTarget {
  return {
    apiVersion: 'access.smi-spec.io/v1alpha3',
    kind: 'TrafficTarget',
    metadata: { name, namespace: ns, ...(uid ? { uid } : {}) },
    spec: { destination: { kind: 'ServiceAccount', name: 'api' }, rules: [], sources: [] },
  };
}

export function resolvedSplit(root: ServiceInfo, backends: Array<[ServiceInfo, number]>, matches: HttpCondition[] = [], split = tsObject('canary')): ResolvedSplit {
  return { split, namespace: root.namespace, root, backends: backends.map(([s, weight], index) => ({ service: s, weight, index })), matches };
}

export function cond(origin: string, fields: Partial<Omit<HttpCondition, 'origin'>> = {}): HttpCondition {
  return { origin, headers: [], ...fields };
}

export function wl(owner: string, sa: string, podLabels: Record<string, string>, ns = 'shop'): WorkloadInfo {
  return { namespace: ns, owner, serviceAccount: sa, podLabels };
}

export function rule(target: TrafficTarget, sources: Array<[string, string]>, extra: Partial<Pick<AccessRule, 'http' | 'ports'>> = {}, path = 'spec.rules[0]'): AccessRule {
  return { target, path, sources: sources.map(([namespace, serviceAccount]) => ({ namespace, serviceAccount })), ports: [], ...extra };
}

export function destination(
  sa: string,
  rules: AccessRule[],
  opts: { workloads?: WorkloadInfo[]; otherWorkloads?: WorkloadInfo[]; services?: ServiceInfo[]; targets?: TrafficTarget[]; ns?: string } = {},
): ResolvedDestination {
  const ns = opts.ns ?? 'shop';
  const workloads = opts.workloads ?? [wl(`Deployment/${sa}`, sa, { app: sa, version: 'v1' }, ns)];
  return {
    namespace: ns,
    serviceAccount: sa,
    targets: opts.targets ?? [...new Set(rules.map((r) => r.target))],
    workloads,
    namespaceWorkloads: [...workloads, ...(opts.otherWorkloads ?? [])],
    services: opts.services ?? [service(sa, [{ port: 80, name: 'http', targetPort: 8080 }], ns)],
    rules,
  };
}
