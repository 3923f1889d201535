// Which root Service ports a GAMMA route splits: the Gateway API standard channel has
// HTTPRoute and GRPCRoute only (TCPRoute and UDPRoute are experimental), so a port that
// declares a non-HTTP protocol is not split; an undeclared one is (the mesh applies the
// route to the HTTP it detects, as Istio and Linkerd do).

import { portProtocol } from '../common/protocol.js';
import type { ResolvedSplit } from '../common/model.js';
import type { ServicePort } from '../types.js';

export function skipPort(split: ResolvedSplit, p: ServicePort): string | undefined {
  const c = portProtocol(p);
  const at = `spec.service: Service ${split.root.name} port ${p.port}`;
  if (c.protocol === 'udp' || c.protocol === 'sctp') return `${at} is ${p.protocol}; Gateway API (standard channel) has no route for it (UDPRoute is experimental), so it is not split`;
  if (c.protocol === 'tcp' || c.protocol === 'tls') {
    return `${at} declares ${c.declared} (${c.source}), which is not HTTP; splitting it would need a TCPRoute or TLSRoute, which are not in the Gateway API standard channel, so it is not split`;
  }
  return undefined;
}

export const isGrpc = (p: ServicePort): boolean => portProtocol(p).protocol === 'grpc';
