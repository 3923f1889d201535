// What the Istio renderer can express, feature by feature, for docs/capabilities.md:
// every shared SMI feature (checked by the type), plus Istio-specific limits. The
// RenderNotes emitted at runtime say the same per object.

import type { Capability, CapabilityTable } from '../common/capabilities.js';

export const capabilities: CapabilityTable & Readonly<Record<string, Capability>> = {
  // Route weights are relative (istiod rejects only a zero total), so SMI weights are copied.
  'TrafficSplit weights': 'exact',
  'TrafficSplit weights summing past 2,147,483,647':
    'approximated: divided by their common divisor (exact); otherwise scaled to fit an int32 sum, each share within a few parts in 2^31 and a weight above 0 never 0 (reported)',
  'TrafficSplit backends': 'exact',
  'TrafficSplit matches (A/B)': 'exact',
  'TrafficSplit matches on a root without HTTP ports': 'unsupported: only HTTP requests can match an HTTPRouteGroup; no VirtualService is emitted',
  'TrafficSplit of TCP/UDP services':
    'approximated: TCP ports are split exactly (tcp routes); TLS ports (https-*, tls-*) only for connections whose SNI is the root FQDN (Istio routes TLS by SNI); UDP and SCTP ports are not proxied by Istio and are not split',
  'HTTPRouteGroup pathRegex':
    'approximated: exact in TrafficSplit matches (VirtualService full-match regex); in TrafficTarget rules only literal, prefix, suffix and finite alternations are exact, any other regex allows nothing (narrower)',
  'HTTPRouteGroup methods': 'exact',
  'HTTPRouteGroup headers':
    'approximated: exact in TrafficSplit matches (VirtualService full-match regex); in TrafficTarget rules only literal, prefix, suffix and finite alternations are exact (an "any value" regex does not match empty values), any other regex allows nothing (narrower)',
  'TrafficTarget sources': 'exact',
  'TrafficTarget destination':
    'approximated: pods are selected by the labels all pods of the ServiceAccount share; when none exist or they also select a workload of another ServiceAccount, each workload\'s own labels carry the policy, and pods that cannot be told apart from another identity\'s are closed instead (deny-all, STRICT mTLS; reported)',
  'TrafficTarget HTTP rules':
    'approximated: one ALLOW rule per match, HTTP-only so raw TCP is never admitted; paths and header values follow HTTPRouteGroup pathRegex/headers above',
  'TrafficTarget TCPRoute (all ports)': 'exact',
  'TrafficTarget port restrictions': 'exact',
  'TrafficTarget UDPRoute': 'unsupported: Istio does not proxy UDP, so UDP cannot be authorized by identity (the rule allows nothing)',
  'accessMode enforce (default deny)': 'exact',
  'accessMode permissive': 'exact',
  'mtlsMode strict': 'exact',
  'mtlsMode permissive': 'exact',
  'mtlsMode disabled': 'exact',
  'TrafficTarget with mTLS permissive':
    'approximated: plaintext clients carry no principal, so the ALLOW policy denies them (narrower)',
  'TrafficTarget with mTLS disabled': 'unsupported: without mTLS there is no source principal, so everything is denied',
  'TrafficSplit match whose rewritten path regex passes 1024 bytes':
    'unsupported: istiod rejects a regex over 1024 bytes; that condition is left out of the VirtualService (its requests stay on the root Service) and reported',
  // policy.smi-operator.io: adapters/istio/policy.ts; the mesh facts and sources in docs/adapters/istio.md
  'TimeoutPolicy request':
    'exact: VirtualService http route timeout',
  'TimeoutPolicy backendRequest':
    'approximated: retries.perTryTimeout when a RetryPolicy governs the route (its own perTryTimeout wins); without a RetryPolicy the route keeps Istio\'s default retries, which take no per-try timeout, so the route timeout is the shorter of request and backendRequest and bounds every attempt (reported)',
  'TimeoutPolicy idle':
    'approximated: DestinationRule connectionPool.http.idleTimeout of the Service host (traffic a split sends to other backend Services keeps theirs); 0s keeps Istio\'s default (Istio rejects 0; reported)',
  'TimeoutPolicy connect':
    'approximated: DestinationRule connectionPool.tcp.connectTimeout of the Service host (as idle); 0s keeps Istio\'s default (reported)',
  'RetryPolicy attempts':
    'exact: retries.attempts',
  'RetryPolicy perTryTimeout':
    'exact: retries.perTryTimeout',
  'RetryPolicy retryOn 5xx':
    'exact: retries.retryOn 5xx (Envoy retry_on)',
  'RetryPolicy retryOn gateway-error':
    'exact: retryOn gateway-error',
  'RetryPolicy retryOn connect-failure':
    'exact: retryOn connect-failure',
  'RetryPolicy retryOn reset':
    'exact: retryOn reset',
  'RetryPolicy statusCodes':
    'exact: status codes listed in retryOn (retriable status codes)',
  'RetryPolicy backoff.baseInterval':
    'exact: retries.backoff',
  'RetryPolicy backoff.maxInterval':
    'approximated: not settable in Istio; Envoy caps the back-off at 10 times the base interval (reported)',
  'CircuitBreakerPolicy connectionPool.maxConnections':
    'approximated: DestinationRule connectionPool.tcp.maxConnections, enforced per calling proxy (as every Envoy limit), for traffic to the Service host only; a split\'s other backend Services keep theirs (reported)',
  'CircuitBreakerPolicy connectionPool.maxPendingRequests':
    'approximated: connectionPool.http.http1MaxPendingRequests (per calling proxy, Service host only, as above)',
  'CircuitBreakerPolicy connectionPool.maxRequestsPerConnection':
    'approximated: connectionPool.http.maxRequestsPerConnection (per calling proxy, Service host only)',
  'CircuitBreakerPolicy connectionPool.maxConcurrentRequests':
    'approximated: connectionPool.http.http2MaxRequests (Envoy max_requests, every protocol; per calling proxy, Service host only)',
  'CircuitBreakerPolicy outlierDetection (consecutive5xxErrors, consecutiveGatewayErrors, interval, baseEjectionTime, maxEjectionPercent)':
    'approximated: DestinationRule outlierDetection field for field (with only consecutiveGatewayErrors given, consecutive5xxErrors 0: Envoy would otherwise also eject after 5 consecutive 5xx), for traffic to the Service host only; a split\'s other backend Services keep theirs (reported)',
  'FaultInjectionPolicy delay (fixedDelay, percentage)':
    'exact: route fault.delay fixedDelay and percentage',
  'FaultInjectionPolicy abort (httpStatus, percentage)':
    'exact: route fault.abort httpStatus and percentage',
  'MirrorPolicy backendRef (Service, port)':
    'exact: route mirror host (FQDN) and port',
  'MirrorPolicy percentage':
    'exact: route mirrorPercentage (100 when absent)',
  'RateLimitPolicy local.requests per unit':
    'unsupported: Istio has no rate-limit API besides EnvoyFilter (Envoy internals, breaks across upgrades); nothing is emitted, status Unsupported',
  'RateLimitPolicy local.burst':
    'unsupported: as local.requests',
  'RateLimitPolicy local.responseStatusCode':
    'unsupported: as local.requests',
  'TracingPolicy samplingPercentage (Service target)':
    'approximated: Telemetry tracing randomSamplingPercentage selecting the Service\'s pods by its selector, so it covers all their traffic, also through other Services (reported); a Service without selector gets nothing (Unsupported)',
  'TracingPolicy targetRef Namespace':
    'exact: a namespace-wide Telemetry (no selector)',
  'TracingPolicy provider':
    'exact: Telemetry tracing providers; the provider must be defined in meshConfig.extensionProviders (reported)',
  'policy matches (narrowed to HTTPRouteGroup matches)':
    'approximated: exact when the host\'s VirtualService routes by no matches (a gated copy of the catch-all route is added) or by the same matches; other matches cannot be combined with a split\'s first-match routes: not applied (Unsupported)',
  'policy and TrafficSplit on one Service':
    'exact: route settings land in the split\'s VirtualService (one per host); the policy status names the routes it governs',
};
