// What a port in a TrafficTarget rule means, for every mesh: a TCPRoute `spec.matches.ports`
// entry (and a pre-v1alpha3 `destination.port`) is a port of the destination's pods, the port
// a container listens on, which is what a Service's `targetPort` names. Not a Service port:
// the destination is a ServiceAccount (pods), not a Service, access is enforced at the
// destination, which only sees the port its pod receives on (Istio AuthorizationPolicy
// `ports`, a Linkerd Server's `port`), and Services selecting the same pods may map their
// ports differently. A Service port number matches nothing unless the pods listen on it.

import type { ServicePort } from '../types.js';
import { portProtocol } from './protocol.js';

/** The pod port a Service port delivers to: its targetPort (a number, or a container port's name), else its port. */
export function podPortOf(p: ServicePort): number | string {
  return p.targetPort ?? p.port;
}

/** The Service ports mesh proxies carry: not UDP or SCTP, by transport or by declared protocol (adapters/common/protocol.ts). */
export function proxiedPorts(ports: readonly ServicePort[]): ServicePort[] {
  return ports.filter((p) => {
    const protocol = portProtocol(p);
    return protocol !== 'udp' && protocol !== 'sctp';
  });
}
