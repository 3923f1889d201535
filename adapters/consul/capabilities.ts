// What the Consul renderer can express, feature by feature, for docs/capabilities.md.

import type { Capability, CapabilityTable } from '../common/capabilities.js';

export const capabilities: CapabilityTable & Readonly<Record<string, Capability>> = {
  'TrafficSplit weights':
    'approximated: integer percentages by largest remainder (sum exactly 100) in ServiceSplitter weights; Consul could take 0.01% steps but every mesh gets the same percentages',
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
  'Service protocol (ServiceDefaults protocol)':
    'approximated: one protocol per Consul service from the shared port protocol selection (grpc, http2, http; TLS and server-first protocols are tcp); undeclared means http where SMI needs HTTP; a Service whose TCP ports declare different protocols gets no splits or HTTP rules (reported Unsupported)',
};
