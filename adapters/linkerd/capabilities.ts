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
    'approximated: each listed Service port is mapped to the pod port it targets, where Linkerd enforces; when several Service ports target one pod port, allowing one allows them all',
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
};
