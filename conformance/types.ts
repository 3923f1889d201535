// The conformance suite's vocabulary: scenarios made of steps (apply/delete SMI
// objects, then assert), and assertions phrased as questions a mesh answers
// ("may A call B?", "where does this request go?") rather than as YAML to compare.

import type { MeshName } from '../adapters/types.js';
import type { KubeObject } from '../schemas/hub.js';

export type SpecName = 'traffic-access' | 'traffic-specs' | 'traffic-split' | 'traffic-metrics' | 'policy (beyond SMI)';

/** Logical namespace names in a scenario (`app`, `other`) → real names in a run. */
export type NsMap = (logical: string) => string;

export interface HttpRequest {
  path: string;
  method: string;
  /** Lower-case names. */
  headers?: Record<string, string>;
}

/** A client: pods running as ServiceAccount `sa` in logical namespace `ns` (default `app`). */
export interface Client {
  sa: string;
  ns?: string;
}

/** `allow`/`deny` decided by policy the operator wrote; `default`: nothing governs it, the mesh default applies. */
export type AccessVerdict = 'allow' | 'deny' | 'default';

export interface AccessAssertion {
  kind: 'access';
  name: string;
  from: Client;
  /** Service name and Service port in logical namespace `ns` (default `app`). */
  to: { service: string; port: number; ns?: string };
  /** HTTP request; absent: a plain TCP connection (or UDP datagram when `udp`). */
  request?: HttpRequest;
  udp?: boolean;
  expect: AccessVerdict;
}

export interface SplitAssertion {
  kind: 'split';
  name: string;
  from?: Client;
  service: string;
  port: number;
  ns?: string;
  request?: HttpRequest;
  /** Backend Service name → percent of requests. */
  expect: Record<string, number>;
}

/** The SMI object's Accepted condition reason, as the operator reports it. */
export interface StatusAssertion {
  kind: 'status';
  name: string;
  object: { kind: string; name: string; ns?: string };
  expectReason: string;
}

/**
 * TrafficMetrics (metrics.smi-spec.io, served by the operator's metrics API) report the traffic the earlier steps
 * sent: at least `minSuccess` successful requests to the resource. Needs real traffic and the mesh's Prometheus, so
 * it is asserted at the traffic level only.
 */
export interface MetricsAssertion {
  kind: 'metrics';
  name: string;
  resource: { plural: 'deployments' | 'pods' | 'namespaces'; name: string; ns?: string };
  window: string;
  minSuccess: number;
}

/**
 * What a mesh does with one route's requests beyond where they go (policy.smi-operator.io): each field is what the
 * mesh applies, its own defaults included where an interpreter knows them (Istio's default retries, Envoy's default
 * ejection interval); absent means nothing is applied (no timeout, no retries, no limit).
 */
export interface RoutePolicy {
  /** Whole-request timeout. */
  timeoutMs?: number;
  /** Retries after the first attempt. */
  retryAttempts?: number;
  perTryTimeoutMs?: number;
  /** Retry conditions (Envoy's retry_on vocabulary), sorted, comma-separated. */
  retryOn?: string;
  /** Retriable HTTP status codes, sorted, comma-separated. */
  retryStatusCodes?: string;
  retryBackoffBaseMs?: number;
  retryBackoffMaxMs?: number;
  faultDelayPercent?: number;
  faultDelayMs?: number;
  faultAbortPercent?: number;
  faultAbortStatus?: number;
  /** Service name requests are mirrored to, and the share mirrored. */
  mirrorService?: string;
  mirrorPercent?: number;
  maxConnections?: number;
  maxPendingRequests?: number;
  /** Concurrent requests. */
  maxRequests?: number;
  maxRequestsPerConnection?: number;
  ejectConsecutive5xx?: number;
  ejectConsecutiveGatewayErrors?: number;
  ejectIntervalMs?: number;
  ejectBaseMs?: number;
  ejectMaxPercent?: number;
  /** Local (per instance) requests per second. */
  rateLimitPerSecond?: number;
}

/** The policy the mesh applies to a request to service:port: only the fields named in `expect` are compared. */
export interface PolicyAssertion {
  kind: 'policy';
  name: string;
  from?: Client;
  service: string;
  port: number;
  ns?: string;
  request: HttpRequest;
  expect: RoutePolicy;
}

export type Assertion = PolicyAssertion | AccessAssertion | SplitAssertion | StatusAssertion | MetricsAssertion;

/** The levels an assertion can be observed at. */
// Policy assertions read configured numbers (a timeout, a retry budget) that traffic can only hint at: the config
// level and the Envoy configuration istiod generates (xds), not traffic.
export const levelsOf = (a: Assertion): Array<'config' | 'xds' | 'traffic'> =>
  a.kind === 'metrics' ? ['traffic'] : a.kind === 'policy' ? ['config', 'xds'] : ['config', 'xds', 'traffic'];

export interface Step {
  title: string;
  apply?: (ns: NsMap) => KubeObject[];
  /** Objects (from earlier steps) to delete, by kind/name/logical ns. */
  remove?: Array<{ apiVersion: string; kind: string; name: string; ns?: string }>;
  assertions: Assertion[];
}

/** Why a mesh cannot express an assertion: it is expected to fail there, and reported as such. */
export interface ExpectedUnsupported {
  assertions: string[];
  reason: string;
}

export interface Scenario {
  id: string;
  spec: SpecName;
  /** SMI API versions exercised, e.g. `access.smi-spec.io/v1alpha3`. */
  versions: string[];
  title: string;
  /** What this fixes or adds relative to the Meshery/learn-layer5 suite. */
  origin: string;
  /** Logical namespaces used besides `app`. */
  extraNamespaces?: string[];
  /** The application objects (Services, ServiceAccounts, Deployments) applied before step 1. */
  app: (ns: NsMap) => KubeObject[];
  steps: Step[];
  unsupported?: Partial<Record<MeshName, ExpectedUnsupported>>;
  /** Applies older API versions: needs the CRD conversion webhook. */
  needsConversion?: boolean;
}

export type Outcome = 'passed' | 'failed' | 'expected-unsupported' | 'unexpectedly-passed';

export interface AssertionResult {
  scenario: string;
  spec: SpecName;
  versions: string[];
  step: string;
  assertion: string;
  outcome: Outcome;
  /** What was observed, and for failures what was expected. */
  detail: string;
  reason?: string;
  durationMs: number;
}
