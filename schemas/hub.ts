// Hub (newest) version of every SMI kind: the in-memory form that validation,
// adapters and the operator work on. Older versions convert to and from these
// (schemas/conversion). Field names follow the upstream Go types.

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  [key: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** Any Kubernetes object, as read from YAML or the API server. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** Standard condition (metav1.Condition). */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime: string;
}

/** Status subresource shared by every SMI kind served by this operator. */
export interface SmiStatus {
  observedGeneration?: number;
  conditions?: Condition[];
}

import { POLICY_GROUP, POLICY_KINDS, POLICY_VERSION, type PolicyKind, type PolicyObject } from './policy-types.js';

// ---- split.smi-spec.io/v1alpha4 ----

export interface TrafficSplitBackend {
  service: string;
  /** Relative weight, a non-negative integer. */
  weight: number;
}

export interface TypedLocalObjectReference {
  apiGroup?: string;
  kind: string;
  name: string;
}

export interface TrafficSplit extends KubeObject {
  apiVersion: 'split.smi-spec.io/v1alpha4';
  kind: 'TrafficSplit';
  spec: {
    service: string;
    backends: TrafficSplitBackend[];
    matches?: TypedLocalObjectReference[];
  };
  status?: SmiStatus;
}

// ---- access.smi-spec.io/v1alpha3 ----

export interface IdentityBindingSubject {
  kind: string; // 'ServiceAccount'
  name: string;
  namespace?: string;
}

export interface TrafficTargetRule {
  kind: 'HTTPRouteGroup' | 'TCPRoute' | 'UDPRoute' | string;
  name: string;
  matches?: string[];
}

export interface TrafficTarget extends KubeObject {
  apiVersion: 'access.smi-spec.io/v1alpha3';
  kind: 'TrafficTarget';
  spec: {
    destination: IdentityBindingSubject;
    rules?: TrafficTargetRule[];
    sources?: IdentityBindingSubject[];
  };
  status?: SmiStatus;
}

// ---- specs.smi-spec.io/v1alpha4 ----

export type HttpMethod = '*' | 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE' | 'CONNECT' | 'OPTIONS' | 'TRACE' | 'PATCH';

export interface HTTPMatch {
  name: string;
  pathRegex?: string;
  methods?: HttpMethod[];
  /** Normalised to a map (header name -> RE2 regex) whatever shape the input used. */
  headers?: Record<string, string>;
}

export interface HTTPRouteGroup extends KubeObject {
  apiVersion: 'specs.smi-spec.io/v1alpha4';
  kind: 'HTTPRouteGroup';
  spec: { matches: HTTPMatch[] };
  status?: SmiStatus;
}

export interface PortMatch {
  name?: string;
  /** Empty or absent: all ports of the destination. */
  ports?: number[];
}

export interface TCPRoute extends KubeObject {
  apiVersion: 'specs.smi-spec.io/v1alpha4';
  kind: 'TCPRoute';
  spec: { matches?: PortMatch };
  status?: SmiStatus;
}

export interface UDPRoute extends KubeObject {
  apiVersion: 'specs.smi-spec.io/v1alpha4';
  kind: 'UDPRoute';
  spec: { matches?: PortMatch };
  status?: SmiStatus;
}

export type SmiObject = TrafficSplit | TrafficTarget | HTTPRouteGroup | TCPRoute | UDPRoute | PolicyObject;
export type SmiKind = SmiObject['kind'];

export const SMI_GROUPS = {
  TrafficSplit: 'split.smi-spec.io',
  TrafficTarget: 'access.smi-spec.io',
  HTTPRouteGroup: 'specs.smi-spec.io',
  TCPRoute: 'specs.smi-spec.io',
  UDPRoute: 'specs.smi-spec.io',
  TimeoutPolicy: POLICY_GROUP,
  RetryPolicy: POLICY_GROUP,
  CircuitBreakerPolicy: POLICY_GROUP,
  FaultInjectionPolicy: POLICY_GROUP,
  MirrorPolicy: POLICY_GROUP,
  RateLimitPolicy: POLICY_GROUP,
  TracingPolicy: POLICY_GROUP,
} as const satisfies Record<SmiKind, string>;

export const HUB_VERSIONS = {
  TrafficSplit: 'v1alpha4',
  TrafficTarget: 'v1alpha3',
  HTTPRouteGroup: 'v1alpha4',
  TCPRoute: 'v1alpha4',
  UDPRoute: 'v1alpha4',
  TimeoutPolicy: POLICY_VERSION,
  RetryPolicy: POLICY_VERSION,
  CircuitBreakerPolicy: POLICY_VERSION,
  FaultInjectionPolicy: POLICY_VERSION,
  MirrorPolicy: POLICY_VERSION,
  RateLimitPolicy: POLICY_VERSION,
  TracingPolicy: POLICY_VERSION,
} as const satisfies Record<SmiKind, string>;

export const SMI_PLURALS = {
  TrafficSplit: 'trafficsplits',
  TrafficTarget: 'traffictargets',
  HTTPRouteGroup: 'httproutegroups',
  TCPRoute: 'tcproutes',
  UDPRoute: 'udproutes',
  TimeoutPolicy: 'timeoutpolicies',
  RetryPolicy: 'retrypolicies',
  CircuitBreakerPolicy: 'circuitbreakerpolicies',
  FaultInjectionPolicy: 'faultinjectionpolicies',
  MirrorPolicy: 'mirrorpolicies',
  RateLimitPolicy: 'ratelimitpolicies',
  TracingPolicy: 'tracingpolicies',
} as const satisfies Record<SmiKind, string>;

export const SMI_KINDS: readonly SmiKind[] = ['TrafficSplit', 'TrafficTarget', 'HTTPRouteGroup', 'TCPRoute', 'UDPRoute', ...POLICY_KINDS];

export type { PolicyKind, PolicyObject };

export function hubApiVersion(kind: SmiKind): string {
  return `${SMI_GROUPS[kind]}/${HUB_VERSIONS[kind]}`;
}

/** `Kind namespace/name`, the prefix of every problem message. */
export function objectRef(obj: { kind: string; metadata?: { name?: string; namespace?: string } }): string {
  const ns = obj.metadata?.namespace ?? 'default';
  return `${obj.kind} ${ns}/${obj.metadata?.name ?? '<unnamed>'}`;
}
