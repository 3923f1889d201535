// What the Consul renderer can express, feature by feature, for docs/capabilities.md.

import type { Capability, CapabilityTable } from '../common/capabilities.js';

export const capabilities: CapabilityTable & Readonly<Record<string, Capability>> = {
  'TrafficSplit weights':
    'approximated: percentages in 0.01 % steps (largest remainder, sum exactly 100, each within 0.01 % of the exact share), listed in an order whose float32 sum is exactly 100 (consul-k8s checks that); a share below 0.01 % gets 0.01 %, taken from the largest backend, and is reported',
  'TrafficSplit backends': 'exact',
  'TrafficSplit matches (A/B)':
    'approximated: ServiceRouter routes on the root send matching requests to a virtual service whose ServiceSplitter holds the split; needs an HTTP-based protocol (ServiceDefaults) on root, backends and the virtual service',
  'TrafficSplit of TCP/UDP services':
    'unsupported: Consul splitters and routers work only for http, http2 and grpc services (a Service whose TCP ports declare different protocols counts as neither)',
  'HTTPRouteGroup pathRegex': 'exact',
  'HTTPRouteGroup methods': 'exact',
  'HTTPRouteGroup headers': 'exact',
  'TrafficTarget sources':
    'approximated: resolved like the destination, to the Consul services of the Services in the source\'s namespace that select its pods; a source no Service selects is not allowed, and a Service that also selects pods of a ServiceAccount the rule does not allow is left out (both reported); the Kubernetes namespace is not part of the identity without Consul Enterprise',
  'TrafficTarget destination':
    'approximated: the Consul services of the Services that select the ServiceAccount\'s pods; nothing is written (reported) when no Service does, since consul-k8s registers pods only under a Service',
  'TrafficTarget HTTP rules': 'exact',
  'TrafficTarget TCPRoute (all ports)': 'exact',
  'TrafficTarget port restrictions':
    'approximated: exact when the rule\'s pod ports cover all or none of a destination Service\'s pod ports (intentions are per service); a rule covering only some of them, or any port of a Service targeting a named container port, is dropped for that service (narrower) and reported Unsupported',
  'TrafficTarget UDPRoute': 'unsupported: the rule is dropped (allows nothing); Consul service mesh carries no UDP traffic either',
  'accessMode enforce (default deny)': 'exact',
  'accessMode permissive': 'exact',
  'mtlsMode strict': 'exact',
  'mtlsMode permissive':
    'approximated: with accessMode permissive, ServiceDefaults mutualTLSMode permissive (needs transparent proxy and Mesh allowEnablingPermissiveMutualTLS); with accessMode enforce not applied (stays strict) and reported, because Consul enforces no intention on plaintext connections',
  'mtlsMode disabled': 'unsupported: Consul sidecars always use mTLS',
  // policy.smi-operator.io: adapters/consul/policy.ts; the mesh facts and sources in docs/adapters/consul.md
  'TimeoutPolicy request':
    'exact: ServiceRouter route destination requestTimeout',
  'TimeoutPolicy backendRequest':
    'approximated: Consul has no per-try timeout; without retries requestTimeout is the shorter of request and backendRequest, with retries only request bounds the attempts (reported)',
  'TimeoutPolicy idle':
    'exact: ServiceRouter route destination idleTimeout',
  'TimeoutPolicy connect':
    'exact: ServiceResolver connectTimeout',
  'RetryPolicy attempts':
    'exact: route destination numRetries',
  'RetryPolicy perTryTimeout':
    'unsupported: Consul routes have no per-try timeout (reported); attempts are bounded by requestTimeout',
  'RetryPolicy retryOn 5xx':
    'exact: route destination retryOn 5xx',
  'RetryPolicy retryOn gateway-error':
    'exact: retryOn gateway-error',
  'RetryPolicy retryOn connect-failure':
    'exact: retryOnConnectFailure',
  'RetryPolicy retryOn reset':
    'exact: retryOn reset',
  'RetryPolicy statusCodes':
    'exact: retryOnStatusCodes',
  'RetryPolicy backoff.baseInterval':
    'unsupported: Consul uses Envoy\'s default back-off (reported)',
  'RetryPolicy backoff.maxInterval':
    'unsupported: as baseInterval',
  'CircuitBreakerPolicy connectionPool.maxConnections':
    'unsupported: Consul sets limits on each caller (ServiceDefaults upstreamConfig), which a policy on the target cannot name exhaustively; status Unsupported',
  'CircuitBreakerPolicy connectionPool.maxPendingRequests':
    'unsupported: as maxConnections',
  'CircuitBreakerPolicy connectionPool.maxRequestsPerConnection':
    'unsupported: as maxConnections',
  'CircuitBreakerPolicy connectionPool.maxConcurrentRequests':
    'unsupported: as maxConnections',
  'CircuitBreakerPolicy outlierDetection (consecutive5xxErrors, consecutiveGatewayErrors, interval, baseEjectionTime, maxEjectionPercent)':
    'unsupported: passive health checks are caller-side too (upstreamConfig passiveHealthCheck); status Unsupported',
  'FaultInjectionPolicy delay (fixedDelay, percentage)':
    'unsupported: Consul config entries have no fault injection; status Unsupported',
  'FaultInjectionPolicy abort (httpStatus, percentage)':
    'unsupported: as delay',
  'MirrorPolicy backendRef (Service, port)':
    'unsupported: Consul config entries have no traffic mirroring; status Unsupported',
  'MirrorPolicy percentage':
    'unsupported: as backendRef',
  'RateLimitPolicy local.requests per unit':
    'approximated: ServiceDefaults rateLimits.instanceLevel.requestsPerSecond; other units are rounded down to whole requests per second (narrower), under 1 per second is Unsupported. A Consul Enterprise feature that Consul CE ignores (reported)',
  'RateLimitPolicy local.burst':
    'approximated: rateLimits.instanceLevel.requestsMaxBurst; a burst below the per-second rate lowers the rate to the burst (Consul requires burst >= rate), never more admitted',
  'RateLimitPolicy local.responseStatusCode':
    'approximated: Consul always answers 429 (reported when another code is asked for)',
  'TracingPolicy samplingPercentage (Service target)':
    'unsupported: Consul tracing is mesh-wide (ProxyDefaults "global"), not per service; status Unsupported',
  'TracingPolicy targetRef Namespace':
    'unsupported: as samplingPercentage',
  'TracingPolicy provider':
    'unsupported: as samplingPercentage',
  'policy matches (narrowed to HTTPRouteGroup matches)':
    'approximated: exact without a split or with the split\'s same matches (routes are added before the catch-all); other matches cannot be combined with the split\'s first-match routes: not applied (Unsupported)',
  'policy and TrafficSplit on one Service':
    'exact: route settings land in the service\'s one ServiceRouter; its catch-all route to the service itself goes on to the service\'s ServiceSplitter',
  'Service protocol (ServiceDefaults protocol)':
    'approximated: one protocol per Consul service from the shared port protocol selection (grpc, http2, http; TLS and server-first protocols are tcp); undeclared means http where SMI needs HTTP; a Service whose TCP ports declare different protocols gets no splits or HTTP rules (reported Unsupported)',
};
