// What the Linkerd renderer can express, feature by feature, for docs/capabilities.md:
// every shared SMI feature (checked by the type), plus Linkerd-specific limits.

import type { Capability, CapabilityTable } from '../common/capabilities.js';

export const capabilities: CapabilityTable & Readonly<Record<string, Capability>> = {
  // Raw relative weights: HTTPRoute backendRef weights are relative too.
  'TrafficSplit weights': 'exact',
  'TrafficSplit weights over 1,000,000':
    'approximated: divided by their common divisor (exact); otherwise scaled so the largest is at most 1,000,000, each share within a few parts in a million and a weight above 0 never 0 (reported)',
  'TrafficSplit with more than 16 live backends': 'unsupported: an HTTPRoute rule holds at most 16 backendRefs; the split is not applied',
  'TrafficSplit backends': 'exact',
  'TrafficSplit matches (A/B)': 'exact',
  'TrafficSplit matches over 127 HTTPRoute matches':
    'unsupported: one HTTPRoute holds at most 128 matches (one per method per match, plus the catch-all); the split is not applied',
  'TrafficSplit of TCP/UDP services':
    'unsupported: Linkerd 2.20 reads TCPRoute only as gateway.networking.k8s.io/v1alpha2, which Gateway API v1.6 (standard channel) no longer serves, and the proxy carries no UDP; ports with a non-HTTP appProtocol or UDP are not split',
  'TrafficSplit of non-HTTP connections on an HTTP port':
    'approximated: the outbound HTTPRoute applies to the HTTP traffic Linkerd detects; a connection that is not HTTP goes to the root Service unsplit',
  'HTTPRouteGroup pathRegex': 'exact',
  'HTTPRouteGroup methods': 'exact',
  'HTTPRouteGroup headers': 'exact',
  'HTTPRouteGroup regex dialect':
    'approximated: RE2 syntax is passed to Linkerd\'s Rust regex engine, which matches it identically on ASCII paths and header values; \\Q...\\E and \\C (RE2-only) are reported unsupported',
  'TrafficTarget sources': 'exact',
  'TrafficTarget destination':
    'approximated: a Server podSelector made of the pod labels every workload of the ServiceAccount shares; when none exist or they also select a workload of another ServiceAccount, each workload\'s own labels carry the policy, and pods that cannot be told apart from another identity\'s are closed instead (deny Servers without authorization; reported)',
  'TrafficTarget HTTP rules':
    'approximated: inbound HTTPRoutes per source set; a request matching overlapping matches of different source sets is allowed for one set only (narrower, never wider)',
  'TrafficTarget TCPRoute (all ports)':
    'approximated: one Server per destination pod port: every TCP port the workloads declare and every port reached through a Service; a port a container listens on without declaring it keeps the cluster default inbound policy',
  'TrafficTarget port restrictions':
    'approximated: rule ports are pod ports (never Service ports), authorized on the Server of that pod port number, a Service target port or a declared container port; a number with no Server of its own (undeclared, or a named port whose workloads disagree on its number) allows nothing (noted)',
  'TrafficTarget UDPRoute': 'unsupported: the Linkerd proxy carries no UDP traffic',
  'accessMode enforce (default deny)':
    'approximated: Servers with accessPolicy deny on every declared container port and every pod port reached through a Service; undeclared ports keep the cluster default inbound policy, and a declared port that would need a second Server for one pod port is reported by number',
  'Kubelet HTTP probes on ports with HTTP rules':
    "approximated: Linkerd drops its own probe authorization once an HTTPRoute is attached, so a probe route (GET, exact probe paths of the pod template, named probe ports resolved per container) is authorized for every network without identity, as Linkerd's default does; a port probed over HTTPS or opaquely cannot be authorized by path, so it gets no Server and is reported by number",
  'Opaque (server-speaks-first) ports':
    "approximated: Servers set proxyProtocol opaque from a non-HTTP appProtocol, the workload's config.linkerd.io/opaque-ports (pod template, or its Namespace when the input has it), a tcp/tls/mysql/redis/mongo port name, or Linkerd's default list (25, 587, 3306, 4444, 5432, 6379, 9300, 11211); a cluster-specific default list is not known, and HTTP rules allow nothing on opaque ports",
  'accessMode permissive': 'exact',
  'mtlsMode strict': 'exact',
  'mtlsMode permissive':
    'approximated: meshed pods always use mTLS; with enforce the policies require mTLS identities, so plaintext clients are denied as with strict',
  'mtlsMode disabled': 'unsupported: Linkerd always uses mTLS between meshed pods',
  // policy.smi-operator.io: adapters/linkerd/policy.ts; the mesh facts and sources in docs/adapters/linkerd.md
  'TimeoutPolicy request':
    'exact: HTTPRoute rule timeouts.request (Gateway API)',
  'TimeoutPolicy backendRequest':
    'exact: HTTPRoute rule timeouts.backendRequest',
  'TimeoutPolicy idle':
    'approximated: timeout.linkerd.io/idle annotation on the whole HTTPRoute; a policy narrowed to matches does not set it (reported)',
  'TimeoutPolicy connect':
    'unsupported: Linkerd has no connect timeout setting (reported)',
  'RetryPolicy attempts':
    'exact: retry.linkerd.io/limit',
  'RetryPolicy perTryTimeout':
    'exact: retry.linkerd.io/timeout',
  'RetryPolicy retryOn 5xx':
    'exact: retry.linkerd.io/http 5xx',
  'RetryPolicy retryOn gateway-error':
    'exact: retry.linkerd.io/http 502-504',
  'RetryPolicy retryOn connect-failure':
    'unsupported: retry.linkerd.io/http lists response statuses only; not retried (reported)',
  'RetryPolicy retryOn reset':
    'unsupported: as connect-failure',
  'RetryPolicy statusCodes':
    'exact: retry.linkerd.io/http',
  'RetryPolicy backoff.baseInterval':
    'unsupported: Linkerd has no back-off setting (reported)',
  'RetryPolicy backoff.maxInterval':
    'unsupported: as baseInterval',
  'CircuitBreakerPolicy connectionPool.maxConnections':
    'unsupported: Linkerd has no connection limits; nothing is emitted, status Unsupported',
  'CircuitBreakerPolicy connectionPool.maxPendingRequests':
    'unsupported: as maxConnections',
  'CircuitBreakerPolicy connectionPool.maxRequestsPerConnection':
    'unsupported: as maxConnections',
  'CircuitBreakerPolicy connectionPool.maxConcurrentRequests':
    'unsupported: as maxConnections',
  'CircuitBreakerPolicy outlierDetection (consecutive5xxErrors, consecutiveGatewayErrors, interval, baseEjectionTime, maxEjectionPercent)':
    'unsupported: Linkerd\'s failure accrual is set by balancer.linkerd.io/failure-accrual* annotations on the Service itself, which the operator does not own (the status says how to set them)',
  'FaultInjectionPolicy delay (fixedDelay, percentage)':
    'unsupported: Linkerd has no fault injection (its documented way is a TrafficSplit to a backend that fails); status Unsupported',
  'FaultInjectionPolicy abort (httpStatus, percentage)':
    'unsupported: as delay',
  'MirrorPolicy backendRef (Service, port)':
    'unsupported: Linkerd does not mirror traffic; status Unsupported',
  'MirrorPolicy percentage':
    'unsupported: as backendRef',
  'RateLimitPolicy local.requests per unit':
    'approximated: HTTPLocalRateLimitPolicy total.requestsPerSecond on the Servers the destination policy of a TrafficTarget already emits for the pod ports the Service reaches (accessMode enforce; none is made for the limit, since a Server replaces the port\'s default inbound policy), floor(requests per second) and at most the burst; each proxy limits every request to that pod port, whoever sends it; a pod reached on n ports gets 1/n of the limit per Server; pods without such a Server, accessMode permissive, or under 1 per second: Unsupported (reported)',
  'RateLimitPolicy local.burst':
    'approximated: Linkerd\'s burst is one second of its rate (GCRA, tolerance 1 s); a larger burst is narrowed to it, a smaller one narrows the rate to it (reported)',
  'RateLimitPolicy local.responseStatusCode':
    'approximated: Linkerd always rejects with 429; another status is reported, the limit still applies',
  'TracingPolicy samplingPercentage (Service target)':
    'unsupported: Linkerd tracing is configured by the linkerd-jaeger extension and pod annotations, not a CRD; status Unsupported',
  'TracingPolicy targetRef Namespace':
    'unsupported: as samplingPercentage',
  'TracingPolicy provider':
    'unsupported: as samplingPercentage',
  'policy matches (narrowed to HTTPRouteGroup matches)':
    'approximated: timeouts are exact when the Service\'s HTTPRoute has only a catch-all rule (gated rules are added) or the split\'s same matches, else not applied (Unsupported); retries are route annotations, so a narrowed RetryPolicy is not applied (Unsupported); an HTTPLocalRateLimitPolicy limits a whole Server, so a narrowed RateLimitPolicy is not applied (Unsupported)',
  'policy and TrafficSplit on one Service':
    'exact: settings land on the split\'s HTTPRoute (one per Service port); the policy status names the routes',
};
