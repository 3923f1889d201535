// policy.smi-operator.io scenarios (beyond SMI): what each mesh does with a route's
// requests — timeout and retry budget, circuit-breaker and ejection settings, fault
// percentages, mirror target, local rate limit — read from the native objects at the
// config level. What a mesh cannot express is declared per mesh and must really fail
// there (the matrix in docs/capabilities.md says why).

import type { KubeObject } from '../../schemas/hub.js';
import type { ExpectedUnsupported, PolicyAssertion, RoutePolicy, Scenario, StatusAssertion } from '../types.js';
import { ACCESS_V, SPECS_V, SPLIT_V, httpRouteGroup, splitApp, tcpRoute, trafficSplit, trafficTarget } from './app.js';
import { req } from './access.js';

export const POLICY_V = 'policy.smi-operator.io/v1alpha1';

function policy(ns: string, kind: string, name: string, spec: Record<string, unknown>, service = 'app-svc'): KubeObject {
  return { apiVersion: POLICY_V, kind, metadata: { name, namespace: ns }, spec: { targetRef: { kind: 'Service', name: service }, ...spec } } as KubeObject;
}

const on = (name: string, expect: RoutePolicy, request = req('GET', '/echo')): PolicyAssertion => ({ kind: 'policy', name, from: { sa: 'service-a' }, service: 'app-svc', port: 9091, request, expect });
const status = (name: string, kind: string, object: string, expectReason: string): StatusAssertion => ({ kind: 'status', name, object: { kind, name: object }, expectReason });

const unsupported = (assertions: string[], reason: string): ExpectedUnsupported => ({ assertions, reason });

export const policyScenarios: Scenario[] = [
  {
    id: 'policy-timeout-retry',
    spec: 'policy (beyond SMI)',
    versions: [POLICY_V, SPLIT_V],
    title: 'a TimeoutPolicy and a RetryPolicy compose with the TrafficSplit of the same Service; a second TimeoutPolicy is Conflict; deleting the policy removes the timeout',
    origin: 'extension (issue 13): SMI leaves timeouts and retries out of scope',
    app: (ns) => splitApp(ns),
    steps: [
      {
        title: 'split 50/50, request timeout 5s, 3 retries of 1s on gateway errors',
        apply: (ns) => [
          trafficSplit(ns('app'), 'app-split', 'app-svc', [['service-b', 50], ['service-c', 50]]),
          policy(ns('app'), 'TimeoutPolicy', 'app-timeout', { request: '5s' }),
          policy(ns('app'), 'RetryPolicy', 'app-retries', { attempts: 3, perTryTimeout: '1s', retryOn: ['gateway-error'] }),
        ],
        assertions: [
          on('request timeout 5s', { timeoutMs: 5000 }),
          on('3 retry attempts', { retryAttempts: 3 }),
          on('per-try timeout 1s', { perTryTimeoutMs: 1000 }),
          { kind: 'split', name: 'the split still applies', from: { sa: 'service-a' }, service: 'app-svc', port: 9091, request: req('GET', '/echo'), expect: { 'service-b': 50, 'service-c': 50 } },
          status('TimeoutPolicy Accepted', 'TimeoutPolicy', 'app-timeout', 'Accepted'),
        ],
      },
      {
        title: 'a second TimeoutPolicy for app-svc (younger) and one for a missing Service',
        apply: (ns) => [policy(ns('app'), 'TimeoutPolicy', 'z-timeout', { request: '1s' }), policy(ns('app'), 'TimeoutPolicy', 'ghost-timeout', { request: '1s' }, 'ghost')],
        assertions: [
          status('the younger policy is Conflict', 'TimeoutPolicy', 'z-timeout', 'Conflict'),
          status('a missing Service is InvalidReference', 'TimeoutPolicy', 'ghost-timeout', 'InvalidReference'),
          on('the oldest policy still rules: 5s', { timeoutMs: 5000 }),
        ],
      },
      {
        title: 'delete the TimeoutPolicies',
        remove: ['app-timeout', 'z-timeout', 'ghost-timeout'].map((name) => ({ apiVersion: POLICY_V, kind: 'TimeoutPolicy', name })),
        assertions: [on('no request timeout', { timeoutMs: undefined }), on('retries stay', { retryAttempts: 3 })],
      },
    ],
    unsupported: { consul: unsupported(['per-try timeout 1s'], 'Consul ServiceRouter routes have no per-try timeout (requestTimeout bounds all attempts)') },
  },
  {
    id: 'policy-timeout-match',
    spec: 'policy (beyond SMI)',
    versions: [POLICY_V, SPECS_V],
    title: 'a TimeoutPolicy narrowed to an HTTPRouteGroup match governs only the matching requests',
    origin: 'extension (issue 13)',
    app: (ns) => splitApp(ns),
    steps: [
      {
        title: 'GET /reports... gets 30s, other requests no timeout',
        apply: (ns) => [
          httpRouteGroup(ns('app'), 'reports', [{ name: 'reports', pathRegex: '/reports', methods: ['GET'] }]),
          { ...policy(ns('app'), 'TimeoutPolicy', 'reports-timeout', { request: '30s' }), spec: { targetRef: { kind: 'Service', name: 'app-svc' }, matches: [{ kind: 'HTTPRouteGroup', name: 'reports' }], request: '30s' } } as KubeObject,
        ],
        assertions: [on('GET /reports/q3: 30s', { timeoutMs: 30000 }, req('GET', '/reports/q3')), on('POST /reports/q3: no timeout', { timeoutMs: undefined }, req('POST', '/reports/q3')), on('GET /echo: no timeout', { timeoutMs: undefined })],
      },
    ],
  },
  {
    id: 'policy-circuit-breaker',
    spec: 'policy (beyond SMI)',
    versions: [POLICY_V],
    title: 'a CircuitBreakerPolicy sets connection limits and outlier ejection for the Service',
    origin: 'extension (issue 13)',
    app: (ns) => splitApp(ns),
    steps: [
      {
        title: '100 connections; eject after 5 consecutive 5xx, every 10s, for 30s, at most 50%',
        apply: (ns) => [policy(ns('app'), 'CircuitBreakerPolicy', 'app-breaker', { connectionPool: { maxConnections: 100 }, outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 50 } })],
        assertions: [
          on('max 100 connections', { maxConnections: 100 }),
          on('ejection settings', { ejectConsecutive5xx: 5, ejectIntervalMs: 10000, ejectBaseMs: 30000, ejectMaxPercent: 50 }),
          status('CircuitBreakerPolicy Accepted', 'CircuitBreakerPolicy', 'app-breaker', 'Accepted'),
        ],
      },
    ],
    unsupported: {
      linkerd: unsupported(['max 100 connections', 'ejection settings', 'CircuitBreakerPolicy Accepted'], 'Linkerd has no connection limits; failure accrual is set by annotations on the Service, which the operator does not own'),
      consul: unsupported(['max 100 connections', 'ejection settings', 'CircuitBreakerPolicy Accepted'], 'Consul sets limits and passive health checks on each caller (upstreamConfig), not on the target'),
    },
  },
  {
    id: 'policy-circuit-breaker-limits',
    spec: 'policy (beyond SMI)',
    versions: [POLICY_V],
    title: 'request limits without a connection limit, and ejection on gateway errors only',
    origin: 'extension (issue 13); the xds level found that Envoy ejects after 5 consecutive 5xx unless told otherwise',
    app: (ns) => splitApp(ns),
    steps: [
      {
        title: '10 pending, 50 concurrent, 5 per connection; eject after 3 consecutive gateway errors',
        apply: (ns) => [policy(ns('app'), 'CircuitBreakerPolicy', 'app-limits', { connectionPool: { maxPendingRequests: 10, maxConcurrentRequests: 50, maxRequestsPerConnection: 5 }, outlierDetection: { consecutiveGatewayErrors: 3 } })],
        assertions: [
          on('request limits, no connection limit', { maxPendingRequests: 10, maxRequests: 50, maxRequestsPerConnection: 5, maxConnections: undefined }),
          on('only gateway errors eject', { ejectConsecutiveGatewayErrors: 3, ejectConsecutive5xx: undefined }),
        ],
      },
    ],
    unsupported: {
      linkerd: unsupported(['request limits, no connection limit', 'only gateway errors eject'], 'Linkerd has no connection or request limits; failure accrual is set by annotations on the Service, which the operator does not own'),
      consul: unsupported(['request limits, no connection limit', 'only gateway errors eject'], 'Consul sets limits and passive health checks on each caller (upstreamConfig), not on the target'),
    },
  },
  {
    id: 'policy-fault',
    spec: 'policy (beyond SMI)',
    versions: [POLICY_V],
    title: 'a FaultInjectionPolicy delays 5% of requests by 500ms and aborts 2% with 503',
    origin: 'extension (issue 13)',
    app: (ns) => splitApp(ns),
    steps: [
      {
        title: 'delay 500ms at 5%, abort 503 at 2%',
        apply: (ns) => [policy(ns('app'), 'FaultInjectionPolicy', 'app-chaos', { delay: { fixedDelay: '500ms', percentage: 5 }, abort: { httpStatus: 503, percentage: 2 } })],
        assertions: [
          on('delay 500ms for 5%', { faultDelayMs: 500, faultDelayPercent: 5 }),
          on('abort 503 for 2%', { faultAbortStatus: 503, faultAbortPercent: 2 }),
          status('FaultInjectionPolicy Accepted', 'FaultInjectionPolicy', 'app-chaos', 'Accepted'),
        ],
      },
    ],
    unsupported: {
      linkerd: unsupported(['delay 500ms for 5%', 'abort 503 for 2%', 'FaultInjectionPolicy Accepted'], 'Linkerd has no fault injection (its documented way is a TrafficSplit to a backend that fails)'),
      consul: unsupported(['delay 500ms for 5%', 'abort 503 for 2%', 'FaultInjectionPolicy Accepted'], 'Consul config entries have no fault injection'),
    },
  },
  {
    id: 'policy-mirror',
    spec: 'policy (beyond SMI)',
    versions: [POLICY_V],
    title: 'a MirrorPolicy copies 10% of the requests to service-c',
    origin: 'extension (issue 13)',
    app: (ns) => splitApp(ns),
    steps: [
      {
        title: 'mirror 10% to service-c',
        apply: (ns) => [policy(ns('app'), 'MirrorPolicy', 'app-shadow', { backendRef: { name: 'service-c' }, percentage: 10 })],
        assertions: [on('10% mirrored to service-c', { mirrorService: 'service-c', mirrorPercent: 10 }), status('MirrorPolicy Accepted', 'MirrorPolicy', 'app-shadow', 'Accepted')],
      },
    ],
    unsupported: {
      linkerd: unsupported(['10% mirrored to service-c', 'MirrorPolicy Accepted'], 'Linkerd does not mirror traffic'),
      consul: unsupported(['10% mirrored to service-c', 'MirrorPolicy Accepted'], 'Consul config entries have no traffic mirroring'),
    },
  },
  {
    id: 'policy-rate-limit',
    spec: 'policy (beyond SMI)',
    versions: [POLICY_V, ACCESS_V, SPECS_V],
    title: 'a RateLimitPolicy limits each instance to 100 requests per second',
    origin: 'extension (issue 13)',
    app: (ns) => splitApp(ns),
    steps: [
      {
        // The TrafficTargets make the pods destinations: Linkerd's limit attaches to their Servers.
        title: '6000 per minute, burst 200; service-a may call the pods behind app-svc',
        apply: (ns) => [
          trafficTarget(ns('app'), 'b-from-a', 'service-b', [{ sa: 'service-a', ns: ns('app') }], [{ kind: 'TCPRoute', name: 'app-any' }]),
          trafficTarget(ns('app'), 'c-from-a', 'service-c', [{ sa: 'service-a', ns: ns('app') }], [{ kind: 'TCPRoute', name: 'app-any' }]),
          tcpRoute(ns('app'), 'app-any'),
          policy(ns('app'), 'RateLimitPolicy', 'app-rate', { local: { requests: 6000, unit: 'minute', burst: 200 } }),
        ],
        assertions: [on('100 requests per second per instance', { rateLimitPerSecond: 100 }), status('RateLimitPolicy Accepted', 'RateLimitPolicy', 'app-rate', 'Accepted')],
      },
    ],
    unsupported: {
      istio: unsupported(['100 requests per second per instance', 'RateLimitPolicy Accepted'], 'Istio has no rate-limit API besides EnvoyFilter; nothing is emitted'),
    },
  },
  {
    id: 'policy-tracing',
    spec: 'policy (beyond SMI)',
    versions: [POLICY_V],
    title: 'a TracingPolicy samples 10% of the traces of the Service\'s pods',
    origin: 'extension (issue 13)',
    app: (ns) => splitApp(ns),
    steps: [
      {
        title: 'sample 10%',
        apply: (ns) => [policy(ns('app'), 'TracingPolicy', 'app-tracing', { samplingPercentage: 10 })],
        assertions: [status('TracingPolicy Accepted', 'TracingPolicy', 'app-tracing', 'Accepted')],
      },
    ],
    unsupported: {
      linkerd: unsupported(['TracingPolicy Accepted'], 'Linkerd tracing is configured by the linkerd-jaeger extension and pod annotations, not a CRD'),
      consul: unsupported(['TracingPolicy Accepted'], 'Consul tracing is mesh-wide (ProxyDefaults "global"), not per service'),
    },
  },
];
