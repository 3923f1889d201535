// The topology graph: workloads (or, for meshes that measure Services, Services)
// as nodes, TrafficMetrics edges as edges with their traffic, each edge judged
// by the access overlay. Pure: the reader (../read/) did all the I/O.

import { serviceSelects } from '../../../adapters/common/label-match.js';
import type { ServiceInfo, WorkloadInfo } from '../../../adapters/types.js';
import type { TrafficMetrics } from '../../../metrics-api/traffic-metrics.js';
import type { AccessIndex, Identity } from './access.js';
import { trafficOf } from './traffic.js';
import type { Topology, TopologyEdge, TopologyNode } from './types.js';

export interface TopologyInput {
  /** `workloads`: Deployments/StatefulSets/DaemonSets are the nodes (Istio, Linkerd); `services`: Services (Consul). */
  nodesAre: 'workloads' | 'services';
  /** Namespaces drawn; peers elsewhere appear only when they carry traffic. */
  namespaces: ReadonlySet<string>;
  workloads: readonly WorkloadInfo[];
  services: readonly ServiceInfo[];
  /** TrafficMetrics of the node kind (inbound traffic per resource). */
  resources: readonly TrafficMetrics[];
  /** TrafficMetrics edges of every measured resource. */
  edges: readonly TrafficMetrics[];
  access: AccessIndex;
  windowSeconds: number;
}

export const nodeId = (kind: string, namespace: string | undefined, name: string): string => `${kind}/${namespace ?? ''}/${name}`;

const selects = (s: ServiceInfo, w: WorkloadInfo): boolean => s.namespace === w.namespace && serviceSelects(s.selector, w.podLabels);

interface Known {
  node: TopologyNode;
  identities: Identity[];
}

export function buildTopology(input: TopologyInput): Topology {
  const known = new Map<string, Known>();
  /** namespace/name -> node id: TrafficMetrics name peers by the measured kind, which may not be the object's (a StatefulSet is reported as a workload). */
  const byName = new Map<string, string>();
  const add = (k: Known, inScope: boolean): void => {
    if (!inScope) return;
    known.set(k.node.id, k);
    byName.set(`${k.node.namespace}/${k.node.name}`, k.node.id);
  };

  // Every object that could be a node, in scope or not: out-of-scope ones become nodes only as peers.
  const candidates = new Map<string, Known>();
  if (input.nodesAre === 'workloads') {
    for (const w of input.workloads) {
      const [kind = 'Deployment', name = w.owner] = w.owner.split('/');
      const node: TopologyNode = {
        id: nodeId(kind, w.namespace, name),
        kind,
        namespace: w.namespace,
        name,
        serviceAccount: w.serviceAccount,
        related: input.services.filter((s) => selects(s, w)).map((s) => s.name).sort(),
        external: false,
      };
      const k = { node, identities: [{ namespace: w.namespace, serviceAccount: w.serviceAccount }] };
      candidates.set(`${w.namespace}/${name}`, k);
      add(k, input.namespaces.has(w.namespace));
    }
  } else {
    for (const s of input.services) {
      const pods = input.workloads.filter((w) => selects(s, w));
      const ids = new Map(pods.map((w) => [`${w.namespace}/${w.serviceAccount}`, { namespace: w.namespace, serviceAccount: w.serviceAccount }]));
      const node: TopologyNode = {
        id: nodeId('Service', s.namespace, s.name),
        kind: 'Service',
        namespace: s.namespace,
        name: s.name,
        ...(ids.size === 1 ? { serviceAccount: [...ids.values()][0]!.serviceAccount } : {}),
        related: pods.map((w) => w.owner).sort(),
        external: false,
      };
      const k = { node, identities: [...ids.values()] };
      candidates.set(`${s.namespace}/${s.name}`, k);
      add(k, input.namespaces.has(s.namespace));
    }
  }

  /** The node a TrafficMetrics reference names, created on first sight for peers. */
  const resolveRef = (ref: { kind?: string; namespace?: string; name?: string } | null | undefined): Known | undefined => {
    if (!ref?.name) return undefined;
    const id = byName.get(`${ref.namespace ?? ''}/${ref.name}`);
    if (id) return known.get(id);
    const candidate = candidates.get(`${ref.namespace ?? ''}/${ref.name}`);
    if (candidate) {
      add(candidate, true);
      return candidate;
    }
    const kind = ref.kind ?? 'Unknown';
    const node: TopologyNode = { id: nodeId(kind, ref.namespace, ref.name), kind, namespace: ref.namespace ?? '', name: ref.name, related: [], external: true };
    const k = { node, identities: [] };
    add(k, true);
    return k;
  };

  for (const r of input.resources) {
    const k = resolveRef(r.resource);
    if (k) k.node.inbound = trafficOf(r.metrics, input.windowSeconds);
  }

  const edges = new Map<string, TopologyEdge>();
  for (const e of input.edges) {
    const self = resolveRef(e.resource);
    const peer = resolveRef(e.edge.resource);
    if (!self || !peer) continue;
    const [src, dst] = e.edge.direction === 'from' ? [peer, self] : [self, peer];
    const id = `${src.node.id}->${dst.node.id}`;
    const existing = edges.get(id);
    // The same requests are seen from both ends; the server's proxy is the authority on what it answered.
    if (existing && !(existing.side === 'client' && e.edge.side === 'server')) continue;
    const verdict = input.access.edge(src.identities, dst.identities);
    edges.set(id, { id, source: src.node.id, target: dst.node.id, traffic: trafficOf(e.metrics, input.windowSeconds), side: e.edge.side, ...verdict });
  }

  // TrafficTargets as edges: every allowed pair between drawn nodes that carried no traffic.
  const allowedOnly = new Map<string, TopologyEdge>();
  const nodesOf = new Map<string, Known[]>();
  for (const k of known.values()) {
    for (const i of k.identities) {
      const list = nodesOf.get(`${i.namespace}/${i.serviceAccount}`) ?? [];
      list.push(k);
      nodesOf.set(`${i.namespace}/${i.serviceAccount}`, list);
    }
  }
  for (const a of input.access.allowedDestinations()) {
    for (const s of nodesOf.get(`${a.source.namespace}/${a.source.serviceAccount}`) ?? []) {
      for (const d of nodesOf.get(`${a.destination.namespace}/${a.destination.serviceAccount}`) ?? []) {
        const id = `${s.node.id}->${d.node.id}`;
        if (s === d || edges.has(id) || allowedOnly.has(id)) continue;
        const verdict = input.access.edge(s.identities, d.identities);
        if (verdict.access !== 'allowed') continue;
        allowedOnly.set(id, { id, source: s.node.id, target: d.node.id, ...verdict, reason: `${verdict.reason}; no traffic in the window` });
      }
    }
  }

  const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return {
    nodes: [...known.values()].map((k) => k.node).sort(byId),
    edges: [...edges.values()].sort(byId),
    allowedOnly: [...allowedOnly.values()].sort(byId),
    nodeKinds: input.nodesAre === 'workloads' ? ['Deployment', 'StatefulSet', 'DaemonSet'] : ['Service'],
  };
}
