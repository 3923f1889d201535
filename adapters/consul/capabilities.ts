// What the Consul renderer can express, feature by feature, for docs/capabilities.md.

import type { CapabilityTable } from '../common/capabilities.js';

export const capabilities: CapabilityTable = {
  'TrafficSplit weights':
    'approximated: percentages in 0.01 % steps (largest remainder, sum exactly 100, each within 0.01 % of the exact share), listed in an order whose float32 sum is exactly 100 (consul-k8s checks that); a share below 0.01 % gets 0.01 %, taken from the largest backend, and is reported',
  'TrafficSplit backends': 'exact',
  'TrafficSplit matches (A/B)':
    'approximated: ServiceRouter routes on the root send matching requests to a virtual service whose ServiceSplitter holds the split; needs an HTTP-based protocol (ServiceDefaults) on root, backends and the virtual service',
  'TrafficSplit of TCP/UDP services': 'unsupported: Consul splitters and routers work only for http, http2 and grpc services',
  'HTTPRouteGroup pathRegex': 'exact',
  'HTTPRouteGroup methods': 'exact',
  'HTTPRouteGroup headers': 'exact',
  'TrafficTarget sources': 'approximated: Consul service named after the source ServiceAccount; Kubernetes namespace is not part of the identity without Consul Enterprise',
  'TrafficTarget destination': 'approximated: the Consul services of the Services that select the ServiceAccount\'s pods (the ServiceAccount name when none does)',
  'TrafficTarget HTTP rules': 'exact',
  'TrafficTarget TCPRoute (all ports)': 'exact',
  'TrafficTarget port restrictions': 'approximated: exact when the ports cover all or none of a destination Service\'s ports (intentions are per service); a rule covering only some is dropped for that service (narrower) and reported',
  'TrafficTarget UDPRoute': 'unsupported: the rule is dropped (allows nothing); Consul service mesh carries no UDP traffic either',
  'accessMode enforce (default deny)': 'exact',
  'accessMode permissive': 'exact',
  'mtlsMode strict': 'exact',
  'mtlsMode permissive': 'approximated: ServiceDefaults mutualTLSMode permissive; needs transparent proxy and Mesh allowEnablingPermissiveMutualTLS',
  'mtlsMode disabled': 'unsupported: Consul sidecars always use mTLS',
};
