// Builders for small snapshots in unit tests: only the fields a test cares about.

import type { HTTPMatch, HTTPRouteGroup, TCPRoute, TrafficSplit, TrafficTarget, TrafficTargetRule, UDPRoute } from '../../../../schemas/hub.js';
import type { ServiceInfo, Snapshot, WorkloadInfo } from '../../../../adapters/types.js';

export function snapshot(parts: Partial<Snapshot>): Snapshot {
  return {
    trafficSplits: [],
    trafficTargets: [],
    httpRouteGroups: [],
    tcpRoutes: [],
    udpRoutes: [],
    services: [],
    serviceAccounts: [],
    workloads: [],
    ...parts,
  };
}

export function svc(name: string, ports: number[] = [80], opts: { ns?: string; selector?: Record<string, string> } = {}): ServiceInfo {
  return { namespace: opts.ns ?? 'shop', name, ports: ports.map((port) => ({ port, protocol: 'TCP' })), selector: opts.selector ?? { app: name } };
}

export function workload(owner: string, serviceAccount: string, podLabels: Record<string, string>, ns = 'shop'): WorkloadInfo {
  return { namespace: ns, owner, serviceAccount, podLabels };
}

export function split(
  name: string,
  service: string,
  backends: Array<[string, number]>,
  opts: { ns?: string; created?: string; matches?: string[] } = {},
): TrafficSplit {
  return {
    apiVersion: 'split.smi-spec.io/v1alpha4',
    kind: 'TrafficSplit',
    metadata: { name, namespace: opts.ns ?? 'shop', ...(opts.created ? { creationTimestamp: opts.created } : {}) },
    spec: {
      service,
      backends: backends.map(([s, weight]) => ({ service: s, weight })),
      ...(opts.matches ? { matches: opts.matches.map((n) => ({ kind: 'HTTPRouteGroup', name: n })) } : {}),
    },
  };
}

export function hrg(name: string, matches: HTTPMatch[], ns = 'shop'): HTTPRouteGroup {
  return { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'HTTPRouteGroup', metadata: { name, namespace: ns }, spec: { matches } };
}

export function tcp(name: string, ports?: number[], ns = 'shop'): TCPRoute {
  return { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'TCPRoute', metadata: { name, namespace: ns }, spec: ports ? { matches: { ports } } : {} };
}

export function udp(name: string, ports?: number[], ns = 'shop'): UDPRoute {
  return { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'UDPRoute', metadata: { name, namespace: ns }, spec: ports ? { matches: { ports } } : {} };
}

export function target(
  name: string,
  destination: string,
  rules: TrafficTargetRule[],
  sources: Array<{ name: string; namespace?: string; kind?: string }>,
  opts: { ns?: string; destNs?: string; created?: string } = {},
): TrafficTarget {
  return {
    apiVersion: 'access.smi-spec.io/v1alpha3',
    kind: 'TrafficTarget',
    metadata: { name, namespace: opts.ns ?? 'shop', ...(opts.created ? { creationTimestamp: opts.created } : {}) },
    spec: {
      destination: { kind: 'ServiceAccount', name: destination, ...(opts.destNs ? { namespace: opts.destNs } : {}) },
      rules,
      sources: sources.map((s) => ({ kind: s.kind ?? 'ServiceAccount', name: s.name, ...(s.namespace ? { namespace: s.namespace } : {}) })),
    },
  };
}
