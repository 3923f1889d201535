// What the Istio renderer can express, for docs/capabilities.md. Each entry is
// 'exact', 'approximated: how' or 'unsupported: why'; the RenderNotes emitted at
// runtime say the same per object. Tests pin the entries to the renderer's behaviour.

export type Capability = 'exact' | `approximated: ${string}` | `unsupported: ${string}`;

export const capabilities: Readonly<Record<string, Capability>> = {
  'TrafficSplit weights': 'exact',
  'TrafficSplit on HTTP ports (incl. sniffed)': 'exact',
  'TrafficSplit on TCP ports': 'exact',
  'TrafficSplit on TLS ports (https-*, tls-*)': 'approximated: split only for connections whose SNI is the root FQDN (Istio routes TLS by SNI)',
  'TrafficSplit on UDP/SCTP ports': 'unsupported: Istio does not proxy UDP or SCTP',
  'TrafficSplit matches: pathRegex': 'exact',
  'TrafficSplit matches: methods': 'exact',
  'TrafficSplit matches: headers': 'exact',
  'TrafficSplit matches on a root without HTTP ports': 'unsupported: only HTTP requests can match an HTTPRouteGroup',
  'TrafficTarget sources (ServiceAccount)': 'exact',
  'TrafficTarget default deny': 'exact',
  'TrafficTarget TCPRoute ports': 'approximated: Service ports map to numeric targetPorts; a named targetPort cannot be resolved and that port is denied',
  'TrafficTarget UDPRoute rules': 'unsupported: Istio does not proxy UDP, so UDP cannot be authorized by identity (the rule allows nothing)',
  'TrafficTarget HTTP methods': 'exact',
  'TrafficTarget HTTP pathRegex': 'approximated: literal, prefix, suffix and finite alternations are exact; any other regex is denied (narrower)',
  'TrafficTarget HTTP headers': 'approximated: literal, prefix, suffix and finite alternations are exact (an "any value" regex does not match empty values); any other regex is denied (narrower)',
  'TrafficTarget destination selection': 'approximated: pods are selected by the labels all pods of the ServiceAccount share; no policy when that would select other pods',
  'TrafficTarget with mTLS disabled': 'unsupported: without mTLS there is no source principal, so everything is denied',
  'accessMode permissive': 'exact',
  'mTLS mode (strict/permissive/disabled)': 'exact',
};
