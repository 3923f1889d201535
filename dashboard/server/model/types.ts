// The JSON the dashboard server sends the page (`GET /api/snapshot`): one view
// model with everything the four views draw. Types only, no imports: the page's
// bundle (dashboard/ui) imports this file too.

/** Something the user can act on, shown in the page (never a blank graph). */
export interface Alert {
  /** Stable kind, for tests and styling. */
  kind: 'api-unreachable' | 'unauthorized' | 'forbidden' | 'metrics-missing' | 'metrics-unavailable' | 'prometheus-down' | 'config-invalid' | 'error';
  severity: 'error' | 'warning' | 'info';
  /** One line: what is wrong. */
  title: string;
  /** What happened, as the server said it. */
  detail: string;
  /** What to do about it. */
  hint: string;
}

/** Request rate, success rate and latency of one edge or backend over the window; undefined fields had no requests. */
export interface Traffic {
  /** Requests per second over the window. */
  rps: number;
  /** Requests in the window (success + failure). */
  requests: number;
  /** 0..1; undefined without requests. */
  successRate?: number;
  /** Seconds. */
  p50?: number;
  p99?: number;
}

export interface NodeRef {
  kind: string;
  namespace?: string;
  name: string;
}

export interface TopologyNode {
  /** `Kind/namespace/name`, unique. */
  id: string;
  kind: string;
  namespace: string;
  name: string;
  /** ServiceAccount the pods run as (workloads); undefined for Services and unknown peers. */
  serviceAccount?: string;
  /** Services that select these pods (workloads) or the workloads a Service selects. */
  related: string[];
  /** Seen only as a peer in the metrics (not found among the objects this user can list). */
  external: boolean;
  /** Traffic the node received (server side), when measured. */
  inbound?: Traffic;
}

/** Whether SMI access policy allows an edge: the overlay's answer. */
export type AccessVerdict =
  /** A TrafficTarget allows this source on (some routes of) the destination. */
  | 'allowed'
  /** The destination is governed by TrafficTargets (enforce) and none allows this source. */
  | 'denied'
  /** Not allowed by any TrafficTarget, but accessMode is permissive: reported, not enforced. */
  | 'not-allowed-permissive'
  /** No TrafficTarget names the destination: the mesh default applies. */
  | 'ungoverned'
  /** The source's identity is unknown (not listed), so policy cannot be evaluated. */
  | 'unknown';

export interface TopologyEdge {
  /** `source->target`, unique. */
  id: string;
  source: string;
  target: string;
  /** Observed traffic; undefined for an allowed-but-unobserved edge (access overlay only). */
  traffic?: Traffic;
  /** Where it was measured: server or client proxy. */
  side?: 'server' | 'client';
  access: AccessVerdict;
  /** The TrafficTargets (namespace/name) that allow it, with their routes. */
  allowedBy: string[];
  /** Why the verdict, one line (for the edge's label/tooltip and the table). */
  reason: string;
}

export interface Topology {
  nodes: TopologyNode[];
  /** Observed edges (from TrafficMetrics edges). */
  edges: TopologyEdge[];
  /** Edges TrafficTargets allow that carried no traffic in the window (access overlay). */
  allowedOnly: TopologyEdge[];
  /** Which TrafficMetrics kind the nodes are (deployments etc. or services for Consul). */
  nodeKinds: string[];
}

export interface SplitBackendView {
  service: string;
  weight: number;
  /** Configured share 0..100 (weight / sum of weights). */
  configuredPercent: number;
  /** Observed share 0..100 of the requests sent to the backends in the window; undefined without traffic. */
  observedPercent?: number;
  traffic?: Traffic;
}

export interface SplitView {
  namespace: string;
  name: string;
  apex: string;
  matches: string[];
  ready: ConditionView | undefined;
  backends: SplitBackendView[];
  /** Total requests in the window over all backends. */
  requests: number;
}

export interface ConditionView {
  status: string;
  reason: string;
  message: string;
}

/** An object the page can show as YAML (`GET /api/yaml`). */
export interface NativeRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface ObjectView {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  accepted?: ConditionView;
  ready?: ConditionView;
  /** observedGeneration of the status vs metadata.generation: false while the operator has not caught up. */
  current: boolean;
  /** The unit key whose native objects this object produced. */
  unit: string;
  natives: NativeRef[];
}

export interface MeshView {
  mesh: string;
  accessMode: string;
  mtlsMode: string;
  clusterDomain: string;
  trustDomain: string;
  /** Where it came from: `configmap smi-system/smi-operator-config`, or `defaults (…)`. */
  source: string;
  /** The adapter ConfigMap and its raw data, when readable. */
  configMap: { namespace: string; name: string };
  data?: Record<string, string>;
  errors: string[];
}

export interface MetricsSourceView {
  /** `aggregated`: the TrafficMetrics APIService; `prometheus`: --prometheus in-process; `none`. */
  type: 'aggregated' | 'prometheus' | 'none';
  description: string;
}

export interface Snapshot {
  generatedAt: string;
  /** The window as the metrics API wrote it, e.g. `1m`. */
  window: string;
  windowSeconds: number;
  /** Evaluation time of the window's end (ISO). */
  windowEnd: string;
  namespace: string | null;
  namespaces: string[];
  cluster: { server: string; user?: string };
  mesh: MeshView;
  metrics: MetricsSourceView;
  topology: Topology;
  splits: SplitView[];
  objects: ObjectView[];
  alerts: Alert[];
}
