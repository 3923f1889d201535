// What the gamma renderer (Gateway API for mesh traffic, standard channel v1.6) can
// express, for docs/capabilities.md. Sources: docs/adapters/gamma.md.

import { POLICY_FEATURES, type Capability, type CapabilityTable } from '../common/capabilities.js';

const NO_AUTHZ = 'unsupported: Gateway API has no authorization standard (GAMMA covers routing); the TrafficTarget is reported Unsupported and nothing is enforced — use the mesh\'s own adapter, or `smictl migrate --mesh` for its objects';
const NO_MTLS = 'unsupported: Gateway API has no mTLS setting; the mesh\'s own mTLS configuration applies';
const NO_POLICY = (feature: string): Capability => {
  if (feature.startsWith('RetryPolicy')) return 'unsupported: HTTPRoute retry is in the Gateway API experimental channel only, not in the standard-channel CRD the gamma adapter targets; status Unsupported, nothing applied';
  const what = feature.split(' ')[0];
  return `unsupported: Gateway API has no ${what === 'CircuitBreakerPolicy' ? 'circuit breaking' : what === 'FaultInjectionPolicy' ? 'fault injection' : what === 'RateLimitPolicy' ? 'rate limiting' : 'tracing configuration'}; status Unsupported, nothing applied`;
};

export const capabilities: CapabilityTable & Readonly<Record<string, Capability>> = {
  'TrafficSplit weights': 'exact',
  'TrafficSplit weights over 1,000,000':
    'approximated: divided by their common divisor (exact); otherwise scaled so the largest is at most 1,000,000, a weight above 0 never 0 (reported)',
  'TrafficSplit with more than 16 live backends': 'unsupported: an HTTPRoute rule holds at most 16 backendRefs; the split is not applied',
  'TrafficSplit backends': 'exact',
  'TrafficSplit matches (A/B)':
    'approximated: HTTPRoute rules per match and a catch-all to the root Service; header and method matches rank by the Gateway API spec (exact). With a pathRegex every rule uses a RegularExpression path (the catch-all `.*`), whose precedence is implementation-specific: written so that Istio (regexes by length) and Linkerd (regex above prefix, then rule order) both pick the condition',
  'TrafficSplit of gRPC services': 'approximated: an unconditional split of a grpc port is a GRPCRoute; with matches it is an HTTPRoute (gRPC is HTTP/2 POST /<service>/<method>)',
  'TrafficSplit of TCP/UDP services':
    'unsupported: TCPRoute, TLSRoute and UDPRoute are not in the Gateway API standard channel; ports declaring tcp/tls/udp are not split (reported)',
  'HTTPRouteGroup pathRegex':
    'approximated: RegularExpression path match (support level Implementation-specific): honoured by Istio (RE2, full match) and Linkerd (Rust regex, full match), written `^(?:R)(?s:.*)`; a mesh without regex support rejects the route, so the split is not applied (never broader)',
  'HTTPRouteGroup methods': 'exact',
  'HTTPRouteGroup headers': 'approximated: RegularExpression header match (Implementation-specific, full match `^(?:R)$`); Istio and Linkerd honour it',
  'HTTPRouteGroup regex dialect': 'approximated: RE2 syntax as written; \\Q...\\E and \\C (RE2-only, rejected by Linkerd) are reported unsupported',
  'TrafficTarget sources': NO_AUTHZ,
  'TrafficTarget destination': NO_AUTHZ,
  'TrafficTarget HTTP rules': NO_AUTHZ,
  'TrafficTarget TCPRoute (all ports)': NO_AUTHZ,
  'TrafficTarget port restrictions': NO_AUTHZ,
  'TrafficTarget UDPRoute': NO_AUTHZ,
  'accessMode enforce (default deny)': NO_AUTHZ,
  'accessMode permissive': 'exact',
  'mtlsMode strict': NO_MTLS,
  'mtlsMode permissive': NO_MTLS,
  'mtlsMode disabled': NO_MTLS,
  // policy.smi-operator.io: adapters/gamma/policy.ts (Gateway API standard channel v1.6).
  ...(Object.fromEntries(POLICY_FEATURES.map((f) => [f, NO_POLICY(f)])) as unknown as Record<(typeof POLICY_FEATURES)[number], Capability>),
  'TimeoutPolicy request': 'exact: HTTPRoute rule timeouts.request (Extended support; a GRPCRoute has no timeouts: reported there)',
  'TimeoutPolicy backendRequest':
    'exact: HTTPRoute rule timeouts.backendRequest (validation already requires it to be no more than request, as Gateway API does)',
  'TimeoutPolicy idle': 'unsupported: Gateway API has no idle timeout (reported)',
  'TimeoutPolicy connect': 'unsupported: Gateway API has no connect timeout (reported)',
  'MirrorPolicy backendRef (Service, port)':
    'exact: a RequestMirror filter (Extended support) on the rules the policy governs; without a port, the route\'s Service port, which the mirror Service must have (else Unsupported for that route)',
  'MirrorPolicy percentage': 'exact: RequestMirror percent',
  'policy matches (narrowed to HTTPRouteGroup matches)':
    'approximated: rules for the conditions are added before the catch-all of a route with only a catch-all (with a regex condition the catch-all becomes the regex `.*`, as for splits), or the split\'s same matches are governed; other matches are not applied (Unsupported)',
  'policy and TrafficSplit on one Service': 'exact: settings land on the rules of the split\'s HTTPRoute (one per Service port); the policy status names the routes',
};
