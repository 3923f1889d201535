// policy.smi-operator.io/v1alpha1: the hub (and only) form of the policy kinds that
// go beyond SMI (timeouts, retries, circuit breaking, fault injection, mirroring,
// rate limits, tracing). One kind per capability; design notes in schemas/README.md.

import type { KubeObject, SmiStatus } from './hub.js';

export const POLICY_GROUP = 'policy.smi-operator.io';
export const POLICY_VERSION = 'v1alpha1';

/** The Service a policy governs (same namespace). TracingPolicy may also name the Namespace itself. */
export interface PolicyTargetRef {
  group?: string;
  kind: 'Service' | 'Namespace';
  name: string;
}

/** Narrows a policy to requests matching an HTTPRouteGroup (all its matches, or the named ones): SMI's rule shape. */
export interface PolicyRouteRef {
  apiGroup?: string;
  kind: 'HTTPRouteGroup';
  name: string;
  matches?: string[];
}

interface PolicySpecBase {
  targetRef: PolicyTargetRef;
  matches?: PolicyRouteRef[];
}

type Policy<K extends string, S> = KubeObject & {
  apiVersion: 'policy.smi-operator.io/v1alpha1';
  kind: K;
  spec: PolicySpecBase & S;
  status?: SmiStatus;
};

/** Durations are Gateway API Durations: `10s`, `500ms`, `1h30m`. */
export type TimeoutPolicy = Policy<'TimeoutPolicy', { request?: string; backendRequest?: string; idle?: string; connect?: string }>;

export type RetryOn = '5xx' | 'gateway-error' | 'connect-failure' | 'reset';
export type RetryPolicy = Policy<
  'RetryPolicy',
  { attempts: number; perTryTimeout?: string; retryOn?: RetryOn[]; statusCodes?: number[]; backoff?: { baseInterval?: string; maxInterval?: string } }
>;

export type CircuitBreakerPolicy = Policy<
  'CircuitBreakerPolicy',
  {
    connectionPool?: { maxConnections?: number; maxPendingRequests?: number; maxRequestsPerConnection?: number; maxConcurrentRequests?: number };
    outlierDetection?: { consecutive5xxErrors?: number; consecutiveGatewayErrors?: number; interval?: string; baseEjectionTime?: string; maxEjectionPercent?: number };
  }
>;

export type FaultInjectionPolicy = Policy<
  'FaultInjectionPolicy',
  { delay?: { fixedDelay: string; percentage: number }; abort?: { httpStatus: number; percentage: number } }
>;

export type MirrorPolicy = Policy<'MirrorPolicy', { backendRef: { kind?: 'Service'; name: string; port?: number }; percentage?: number }>;

export type RateLimitUnit = 'second' | 'minute' | 'hour';
export type RateLimitPolicy = Policy<'RateLimitPolicy', { local: { requests: number; unit: RateLimitUnit; burst?: number; responseStatusCode?: number } }>;

export type TracingPolicy = Policy<'TracingPolicy', { samplingPercentage: number; provider?: string }>;

export type PolicyObject = TimeoutPolicy | RetryPolicy | CircuitBreakerPolicy | FaultInjectionPolicy | MirrorPolicy | RateLimitPolicy | TracingPolicy;
export type PolicyKind = PolicyObject['kind'];

export const POLICY_KINDS: readonly PolicyKind[] = [
  'TimeoutPolicy',
  'RetryPolicy',
  'CircuitBreakerPolicy',
  'FaultInjectionPolicy',
  'MirrorPolicy',
  'RateLimitPolicy',
  'TracingPolicy',
];

export const isPolicyKind = (k: unknown): k is PolicyKind => (POLICY_KINDS as readonly unknown[]).includes(k);
