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
  'TrafficTarget port restrictions':
    'approximated: Service ports map to numeric targetPorts (Istio matches the workload port); a named targetPort cannot be resolved and that port is denied',
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
};
