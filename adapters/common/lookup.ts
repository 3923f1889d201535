// Indexes over a Snapshot so resolve() does map look-ups instead of scans
// (the operator resolves its whole cache on every change).

import type { HTTPRouteGroup, KubeObject, TCPRoute, UDPRoute } from '../../schemas/hub.js';
import type { NamespaceInfo, ServiceInfo, Snapshot, WorkloadInfo } from '../types.js';
import { resolveRouteGroup, type ResolvedRouteGroup } from './http.js';
import { namespaceOf } from './status.js';

const key = (ns: string, name: string): string => `${ns}/${name}`;

function byKey<T>(items: readonly T[], ns: (t: T) => string, name: (t: T) => string): Map<string, T> {
  const m = new Map<string, T>();
  for (const t of items) m.set(key(ns(t), name(t)), t);
  return m;
}

function group<T>(items: readonly T[], k: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const t of items) {
    const g = m.get(k(t));
    if (g) g.push(t);
    else m.set(k(t), [t]);
  }
  return m;
}

const objNs = (o: KubeObject) => namespaceOf(o);
const objName = (o: KubeObject) => o.metadata.name;

export class SnapshotIndex {
  private readonly services: Map<string, ServiceInfo>;
  private readonly servicesByNs: Map<string, ServiceInfo[]>;
  private readonly workloadsBySa: Map<string, WorkloadInfo[]>;
  private readonly workloadsByNs: Map<string, WorkloadInfo[]>;
  private readonly routeGroups: Map<string, HTTPRouteGroup>;
  private readonly tcpRoutes: Map<string, TCPRoute>;
  private readonly udpRoutes: Map<string, UDPRoute>;
  private readonly resolvedGroups = new Map<string, ResolvedRouteGroup>();
  private readonly namespaces: Map<string, NamespaceInfo>;

  constructor(snapshot: Snapshot) {
    this.services = byKey(snapshot.services, (s) => s.namespace, (s) => s.name);
    this.servicesByNs = group(snapshot.services, (s) => s.namespace);
    this.workloadsBySa = group(snapshot.workloads, (w) => key(w.namespace, w.serviceAccount));
    this.workloadsByNs = group(snapshot.workloads, (w) => w.namespace);
    this.routeGroups = byKey(snapshot.httpRouteGroups, objNs, objName);
    this.tcpRoutes = byKey(snapshot.tcpRoutes, objNs, objName);
    this.udpRoutes = byKey(snapshot.udpRoutes, objNs, objName);
    this.namespaces = new Map((snapshot.namespaces ?? []).map((n) => [n.name, n]));
  }

  namespace(name: string): NamespaceInfo | undefined {
    return this.namespaces.get(name);
  }

  service(ns: string, name: string): ServiceInfo | undefined {
    return this.services.get(key(ns, name));
  }

  servicesIn(ns: string): readonly ServiceInfo[] {
    return this.servicesByNs.get(ns) ?? [];
  }

  workloadsOf(ns: string, serviceAccount: string): readonly WorkloadInfo[] {
    return this.workloadsBySa.get(key(ns, serviceAccount)) ?? [];
  }

  workloadsIn(ns: string): readonly WorkloadInfo[] {
    return this.workloadsByNs.get(ns) ?? [];
  }

  /** The group validated and normalised; computed once per group. */
  routeGroup(ns: string, name: string): ResolvedRouteGroup | undefined {
    const k = key(ns, name);
    const cached = this.resolvedGroups.get(k);
    if (cached) return cached;
    const g = this.routeGroups.get(k);
    if (!g) return undefined;
    const r = resolveRouteGroup(g);
    this.resolvedGroups.set(k, r);
    return r;
  }

  tcpRoute(ns: string, name: string): TCPRoute | undefined {
    return this.tcpRoutes.get(key(ns, name));
  }

  udpRoute(ns: string, name: string): UDPRoute | undefined {
    return this.udpRoutes.get(key(ns, name));
  }
}
