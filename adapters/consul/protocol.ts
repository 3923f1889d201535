// Which Consul protocol a Service speaks. Consul keeps one protocol per service
// (ServiceDefaults `protocol`: tcp, http, http2 or grpc); splitters, routers and L7
// intentions need an HTTP-based one on every service of the discovery chain, and Consul
// rejects a chain whose services disagree ("inconsistent protocols"). The protocol of
// each port comes from the shared selection (adapters/common/protocol.ts).

import { proxiedPorts, servicePortProtocol } from '../common/ports.js';
import type { ProtocolChoice } from '../common/protocol.js';
import type { ServiceInfo, ServicePort } from '../types.js';

export type ConsulProtocol = 'http' | 'http2' | 'grpc' | 'tcp';

export const L7_PROTOCOLS: ReadonlySet<ConsulProtocol> = new Set(['http', 'http2', 'grpc']);

/**
 * A port's declared protocol -> Consul protocol. TLS and everything non-HTTP is opaque TCP
 * to Consul, including an appProtocol nobody recognises (it declares something, and it
 * is not HTTP). Undefined: nothing declared.
 */
function consulProtocol(c: ProtocolChoice): ConsulProtocol | undefined {
  switch (c.protocol) {
    case 'http':
    case 'http2':
    case 'grpc':
      return c.protocol;
    case 'tls':
    case 'tcp':
      return 'tcp';
    case undefined:
      return c.source === 'appProtocol' ? 'tcp' : undefined;
    default:
      return undefined; // udp, sctp: not carried (proxiedPorts leaves them out)
  }
}

/** How a port declared its protocol, for messages: `appProtocol grpc`, `name grpc`, `port 3306`. */
function declaredBy(p: ServicePort, c: ProtocolChoice): string {
  return c.source === 'none' ? `port ${p.port}` : `${c.source} ${c.declared ?? ''}`.trim();
}

export type DeclaredProtocol =
  | { kind: 'declared'; protocol: ConsulProtocol; why: string }
  /** Nothing declared on any TCP port: callers assume http (SMI L7 objects imply HTTP). */
  | { kind: 'undeclared' }
  /** No TCP port at all: Consul's mesh carries no UDP or SCTP. */
  | { kind: 'not-tcp'; why: string }
  /** TCP ports declare different Consul protocols, and a service has only one. */
  | { kind: 'mixed'; why: string };

/** The one Consul protocol a Service's TCP ports declare. */
export function declaredProtocol(service: ServiceInfo): DeclaredProtocol {
  const tcp = proxiedPorts(service.ports);
  if (tcp.length === 0 && service.ports.length > 0) return { kind: 'not-tcp', why: `Service ${service.name} has only UDP/SCTP ports` };
  const declared = tcp.flatMap((p) => {
    const c = servicePortProtocol(p);
    const protocol = consulProtocol(c);
    return protocol ? [{ protocol, port: p, by: declaredBy(p, c) }] : [];
  });
  const first = declared[0];
  if (!first) return { kind: 'undeclared' };
  const other = declared.find((d) => d.protocol !== first.protocol);
  if (other) {
    const say = (d: typeof first): string => `port ${d.port.port} (${d.by}) is ${d.protocol}`;
    return { kind: 'mixed', why: `Service ${service.name}: ${say(first)} but ${say(other)}, and a Consul service has one protocol` };
  }
  return { kind: 'declared', protocol: first.protocol, why: `Service ${service.name} is declared ${first.protocol} (port ${first.port.port}, ${first.by})` };
}

/** Why L7 features (routers, splitters, L7 intentions) cannot be used on this Service; undefined when they can. */
export function l7Blocker(d: DeclaredProtocol): string | undefined {
  if (d.kind === 'undeclared') return undefined;
  if (d.kind === 'declared') return L7_PROTOCOLS.has(d.protocol) ? undefined : d.why;
  return d.why;
}

/** The L7 protocol for a Service with no blocker: the declared one, or http when nothing is declared. */
export function l7Protocol(d: DeclaredProtocol): ConsulProtocol {
  return d.kind === 'declared' ? d.protocol : 'http';
}

export type ChainProtocol = { ok: true; protocol: ConsulProtocol } | { ok: false; reason: string };

/**
 * One L7 protocol for all services of a chain: the declared ones must agree and be L7;
 * undeclared ones follow them (http when none declares anything).
 */
export function chainProtocol(services: ServiceInfo[]): ChainProtocol {
  let chosen: { protocol: ConsulProtocol; by: string } | undefined;
  for (const s of services) {
    const d = declaredProtocol(s);
    const blocker = l7Blocker(d);
    if (blocker) return { ok: false, reason: `${blocker}, but Consul splits and routes only HTTP-based traffic (http, http2, grpc)` };
    if (d.kind !== 'declared') continue;
    if (chosen && chosen.protocol !== d.protocol) {
      return { ok: false, reason: `Services ${chosen.by} (${chosen.protocol}) and ${s.name} (${d.protocol}) declare different protocols; Consul requires one protocol along a discovery chain` };
    }
    chosen ??= { protocol: d.protocol, by: s.name };
  }
  return { ok: true, protocol: chosen?.protocol ?? 'http' };
}
