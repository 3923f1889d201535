// The mesh-neutral model between SMI and a mesh: `resolve()` (adapters/common/resolve.ts)
// turns a Snapshot into this, applying every SMI semantic rule once (weights, conflicts,
// ports, references, merging); each mesh's renderer only turns it into native objects.

import type { KubeObject, TrafficSplit, TrafficTarget } from '../../schemas/hub.js';
import type { PolicyObject } from '../../schemas/policy-types.js';
import type { ClosedForm, MeshName, MeshOptions, ObjectResult, ResultStatus, ServiceInfo, ServicePort, WorkloadInfo } from '../types.js';

/** One HTTP match of an HTTPRouteGroup, normalised. Fields inside are ANDed. */
export interface HttpCondition {
  /** `<HTTPRouteGroup name>/<match name>`, for names and messages. */
  origin: string;
  /**
   * Anchored at the start (`^` prepended when missing) but not at the end: a path matches when
   * the regex matches a prefix of it (full-match engines need a trailing `.*`). Absent: any path.
   */
  pathRegex?: string;
  /** Upper-case methods; absent (or when the input had `*`): any method. */
  methods?: string[];
  /**
   * Header name (lower-case) -> RE2 regex, sorted by name; the regex must match the WHOLE header
   * value (as OSM/Envoy do; the upstream examples write `.*Android.*`). Empty: no header condition.
   * Guaranteed by resolve() (schemas/rules/http-match.ts), so renderers need not re-check: each
   * name appears once (names are case-insensitive; two regexes on one header are Invalid, as
   * Istio and Linkerd could keep only one), and no regex is empty (Invalid: Istio and Consul
   * reject one). Every regex here and pathRegex as written is valid RE2 of at most
   * MAX_REGEX_BYTES (schemas/regex.ts); a renderer that lengthens one checks its mesh's limit.
   */
  headers: Array<{ name: string; regex: string }>;
}

export interface SplitBackend {
  service: ServiceInfo;
  /** Relative weight from the spec (> 0); duplicates of one Service are added up. */
  weight: number;
  /**
   * Position in `spec.backends` (the first, for a Service listed twice), for messages.
   * Each renderer turns the weights into what its mesh can hold (adapters/common/weights.ts).
   */
  index: number;
}

/** A TrafficSplit that won its root Service and can be rendered. */
export interface ResolvedSplit {
  split: TrafficSplit;
  namespace: string;
  root: ServiceInfo;
  /** Backends that receive traffic, in spec order. Never empty. */
  backends: SplitBackend[];
  /** OR of conditions gating the split; empty: the split applies to all requests. */
  matches: HttpCondition[];
}

/** A Service selecting pods of an identity, with every identity whose known pods it selects. */
export interface IdentityService {
  service: ServiceInfo;
  /** ServiceAccounts (names, in the Service's namespace) of all known pods the Service selects, sorted. */
  serviceAccounts: string[];
}

/** A source identity allowed by a TrafficTarget. */
export interface SourceIdentity {
  namespace: string;
  serviceAccount: string;
  /**
   * The Services in the source's namespace that select pods running as it, sorted by name,
   * resolved the same way as ResolvedDestination.services (meshes that name identities by
   * service, such as Consul, need them). Empty when none does or no such pod is known;
   * absent only in hand-built models.
   */
  services?: IdentityService[];
}

/** One allow rule: the sources may reach the destination on these conditions. */
export interface AccessRule {
  target: TrafficTarget;
  /** `spec.rules[i]` path, for messages. */
  path: string;
  sources: SourceIdentity[];
  /** HTTP conditions (OR). Absent: not an HTTP rule (any request on the allowed ports). */
  http?: HttpCondition[];
  /** Allowed destination ports; empty: all ports. */
  ports: number[];
}

/** Everything that may reach pods running as one ServiceAccount (merged across TrafficTargets). */
export interface ResolvedDestination {
  namespace: string;
  serviceAccount: string;
  /** Contributing TrafficTargets, oldest first (creationTimestamp, then name). */
  targets: TrafficTarget[];
  /** Pods running as the ServiceAccount. */
  workloads: WorkloadInfo[];
  /**
   * Every workload in the destination's namespace (this ServiceAccount's included), sorted by
   * owner: a label selector for `workloads` must be checked against these, so that policy
   * never lands on pods of another identity.
   */
  namespaceWorkloads: WorkloadInfo[];
  /** Services that select some of those pods. */
  services: ServiceInfo[];
  /** Annotations of the destination's Namespace, when the input has the Namespace (files may; the operator does not watch them). */
  namespaceAnnotations?: Record<string, string>;
  /** OR of all rules. An empty list with enforce mode means deny all. */
  rules: AccessRule[];
}

/** A policy.smi-operator.io object that won its target and whose references resolve. */
export interface ResolvedPolicy {
  policy: PolicyObject;
  namespace: string;
  /** The target Service; absent for a Namespace-wide TracingPolicy. */
  service?: ServiceInfo;
  /** OR of conditions the policy is narrowed to; empty: every request. */
  matches: HttpCondition[];
  /** MirrorPolicy: the Service receiving the copies. */
  mirror?: ServiceInfo;
}

export interface ResolvedModel {
  splits: ResolvedSplit[];
  /** Winning policies, sorted by namespace, kind, name. */
  policies?: ResolvedPolicy[];
  destinations: ResolvedDestination[];
  /** Destinations of Snapshot.contextTrafficTargets: rendered by another unit, read here only (never emitted). */
  contextDestinations?: ResolvedDestination[];
  /** Base results for every SMI object in the snapshot (renderers may downgrade/add messages). */
  results: ObjectResult[];
}

/** A renderer's remark about one SMI object: an extra message and optionally a worse status. */
export interface RenderNote {
  /** `Kind namespace/name` of the SMI object. */
  object: string;
  status?: ResultStatus;
  message: string;
}

export interface RenderOutput {
  objects: KubeObject[];
  notes: RenderNote[];
}

export interface MeshRenderer {
  readonly mesh: MeshName;
  readonly nativeKinds: ReadonlyArray<{ apiVersion: string; kind: string; plural: string }>;
  render(model: ResolvedModel, options: MeshOptions): RenderOutput;
  /** What replaces an object of this renderer the API server refused (adapters/types.ts ClosedForm). */
  closedForm(o: KubeObject): ClosedForm;
}

export type { ServicePort };
