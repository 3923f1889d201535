// The contract between the operator (or `smictl translate`) and a mesh adapter.
// Adapters are pure: translate(snapshot, options) -> desired native objects + a
// result per SMI object. No I/O, no clocks, no randomness: the same snapshot
// always gives the same output, in the same order.

import type { HTTPRouteGroup, KubeObject, TCPRoute, TrafficSplit, TrafficTarget, UDPRoute } from '../schemas/hub.js';
import type { PolicyObject } from '../schemas/policy-types.js';

export type MeshName = 'istio' | 'linkerd' | 'consul' | 'gamma';
export const MESH_NAMES: readonly MeshName[] = ['istio', 'linkerd', 'consul', 'gamma'];
/**
 * Meshes with their own telemetry (TrafficMetrics queries, dashboard): `gamma` is any
 * GAMMA-conformant mesh, whose metrics are that mesh's, so it has none of its own.
 */
export type MetricsMesh = Exclude<MeshName, 'gamma'>;
export const METRICS_MESHES: readonly MetricsMesh[] = ['istio', 'linkerd', 'consul'];

export const isMeshName = (s: unknown): s is MeshName => (MESH_NAMES as readonly unknown[]).includes(s);
export const isMetricsMesh = (s: unknown): s is MetricsMesh => (METRICS_MESHES as readonly unknown[]).includes(s);

const notOneOf = (names: readonly string[], s: unknown): string => `must be one of ${names.join(', ')}, got ${JSON.stringify(s)}`;

/** The one mesh-name check: undefined when valid, else why (callers prefix the flag or key). */
export const meshNameProblem = (s: unknown): string | undefined => (isMeshName(s) ? undefined : notOneOf(MESH_NAMES, s));

/** As meshNameProblem, for the meshes with metrics of their own (`smictl metrics`, the metrics API). */
export const metricsMeshProblem = (s: unknown): string | undefined => (isMetricsMesh(s) ? undefined : notOneOf(METRICS_MESHES, s));

/** A Kubernetes Service port as the adapters need it. */
export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  appProtocol?: string;
}

export interface ServiceInfo {
  namespace: string;
  name: string;
  ports: ServicePort[];
  selector?: Record<string, string>;
}

/** A port a container declares. */
export interface ContainerPortInfo {
  name?: string;
  containerPort: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
}

/** An httpGet liveness, readiness or startup probe, as the pod template writes it. */
export interface HttpProbeInfo {
  /** Container port number, or the name of a port of the same container. */
  port: number | string;
  /** As written (may carry a query); absent: the kubelet requests `/`. */
  path?: string;
  scheme: 'HTTP' | 'HTTPS';
}

export interface ContainerInfo {
  name: string;
  ports: ContainerPortInfo[];
  httpProbes: HttpProbeInfo[];
}

/** Pods run as a ServiceAccount: which labels they carry (from Deployments, StatefulSets, DaemonSets, Pods). */
export interface WorkloadInfo {
  namespace: string;
  /** `Deployment/web`, `Pod/web-abc`, ... */
  owner: string;
  serviceAccount: string;
  podLabels: Record<string, string>;
  /** The pod's containers (init containers excluded); absent when the pod spec was not read. */
  containers?: ContainerInfo[];
  /** The pod's annotations (the template's for a controller). */
  podAnnotations?: Record<string, string>;
}

/** A Namespace, when the input has it: some mesh settings are namespace annotations. */
export interface NamespaceInfo {
  name: string;
  annotations: Record<string, string>;
}

export interface ServiceAccountInfo {
  namespace: string;
  name: string;
}

/** Everything an adapter may look at. All SMI objects are in hub form and structurally valid. */
export interface Snapshot {
  trafficSplits: TrafficSplit[];
  trafficTargets: TrafficTarget[];
  /**
   * TrafficTargets another unit translates, given only so that a policy can find the native
   * objects they produce (Linkerd: the Servers a rate limit attaches to). Never rendered, no results.
   */
  contextTrafficTargets?: TrafficTarget[];
  httpRouteGroups: HTTPRouteGroup[];
  tcpRoutes: TCPRoute[];
  udpRoutes: UDPRoute[];
  /** policy.smi-operator.io objects, every kind. */
  policies?: PolicyObject[];
  services: ServiceInfo[];
  serviceAccounts: ServiceAccountInfo[];
  workloads: WorkloadInfo[];
  /** Namespaces present in the input (the operator does not watch them; files may carry them). */
  namespaces?: NamespaceInfo[];
}

export type AccessMode = 'enforce' | 'permissive';
export type MtlsMode = 'strict' | 'permissive' | 'disabled';

export interface MeshOptions {
  /** `enforce`: default deny for every destination named by a TrafficTarget. `permissive`: SMI access is not enforced (report only). */
  accessMode: AccessMode;
  /** mTLS mode the adapter requests for destinations it governs. */
  mtlsMode: MtlsMode;
  /** Kubernetes cluster domain, for FQDNs (Istio hosts, SPIFFE trust domain). */
  clusterDomain: string;
  /** SPIFFE trust domain (Istio principals). */
  trustDomain: string;
}

export const DEFAULT_MESH_OPTIONS: MeshOptions = {
  accessMode: 'enforce',
  mtlsMode: 'strict',
  clusterDomain: 'cluster.local',
  trustDomain: 'cluster.local',
};

export type ResultStatus = 'Accepted' | 'Unsupported' | 'Conflict' | 'InvalidReference' | 'Invalid';

/** Outcome for one SMI object. A partially-translated object is Accepted with warnings, or Unsupported. */
export interface ObjectResult {
  /** `Kind namespace/name` of the SMI object. */
  object: string;
  kind: string;
  namespace: string;
  name: string;
  status: ResultStatus;
  /** One line per issue, each naming the field: `spec.backends[1].service: Service web-v2 has no port 80 ...`. Empty when all is well. */
  messages: string[];
}

export interface TranslationOutput {
  /** Native objects to exist, sorted by (apiVersion, kind, namespace, name). */
  objects: KubeObject[];
  /** One result per SMI object in the snapshot, sorted by object ref. */
  results: ObjectResult[];
}

/**
 * What to write instead of an emitted object the API server refused (e.g. over a CRD limit), so a
 * refusal never leaves an older, possibly broader object in force: a narrower object of the same
 * name (`apply`), or its removal where removing it narrows access (`remove`). Undefined: the
 * object grants no access (a traffic split) or is already the narrowest form.
 */
export type ClosedForm = { apply: KubeObject } | { remove: true } | undefined;

export interface MeshAdapter {
  readonly mesh: MeshName;
  /** The native kinds this adapter may emit (group/version + kind), for watches, pruning and RBAC. */
  readonly nativeKinds: ReadonlyArray<{ apiVersion: string; kind: string; plural: string }>;
  translate(snapshot: Snapshot, options: MeshOptions): TranslationOutput;
  /** The fail-closed form of one of its objects (see ClosedForm). */
  closedForm?(o: KubeObject): ClosedForm;
}

/** Labels every emitted object carries. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'smi-operator';
/** Value: `<kind-lowercase>.<name>` of the SMI object that produced it (several sources: the oldest/first). */
export const SOURCE_LABEL = 'smi-operator.io/source';
/**
 * Every SMI object an emitted object is derived from, `Kind/namespace/name` comma-separated in
 * input order. SOURCE_LABEL names only the first (a label holds one value, for `-l` selection);
 * shared objects (one VirtualService for two splits, one policy for several targets) list all here.
 */
export const SOURCES_ANNOTATION = 'smi-operator.io/sources';
/** Value: the mesh adapter that produced it. */
export const MESH_LABEL = 'smi-operator.io/mesh';
