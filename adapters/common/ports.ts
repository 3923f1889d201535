// Service ports as every mesh reads them.
//
// What a port in a TrafficTarget rule means: a TCPRoute `spec.matches.ports` entry (and a
// pre-v1alpha3 `destination.port`) is a port of the destination's pods, the port a
// container listens on, which is what a Service's `targetPort` names. Not a Service port:
// the destination is a ServiceAccount (pods), not a Service, access is enforced at the
// destination, which only sees the port its pod receives on (Istio AuthorizationPolicy
// `ports`, a Linkerd Server's `port`), and Services selecting the same pods may map their
// ports differently. A Service port number matches nothing unless the pods listen on it.

import type { ServicePort } from '../types.js';
import { portProtocol, type ProtocolChoice } from './protocol.js';

/** The pod port a Service port delivers to: its targetPort (a number, or a container port's name), else its port. */
export function podPortOf(p: ServicePort): number | string {
  return p.targetPort ?? p.port;
}

/** SMTP, DNS, MySQL, MongoDB: Istio's well-known ports, TCP when nothing is declared (pkg/config/kube/conversion.go). */
const WELL_KNOWN_TCP_PORTS: ReadonlySet<number> = new Set([25, 53, 3306, 27017]);

/**
 * The protocol a Service port declares (adapters/common/protocol.ts), where a port that
 * declares nothing recognisable on a well-known server-first port is TCP, as Istio reads it:
 * guessing HTTP there would break the protocol.
 */
export function servicePortProtocol(p: ServicePort): ProtocolChoice {
  const c = portProtocol(p);
  return c.protocol === undefined && WELL_KNOWN_TCP_PORTS.has(p.port) ? { ...c, protocol: 'tcp' } : c;
}

/** The Service ports mesh proxies carry: not UDP or SCTP. */
export function proxiedPorts(ports: readonly ServicePort[]): ServicePort[] {
  return ports.filter((p) => {
    const protocol = portProtocol(p).protocol;
    return protocol !== 'udp' && protocol !== 'sctp';
  });
}
