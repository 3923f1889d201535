// Which Consul protocol a Service speaks. Splitters, routers and L7 intentions need an
// HTTP-based protocol (http, http2, grpc) on every service of the discovery chain, and
// Consul rejects a chain whose services disagree ("inconsistent protocols").

import type { ServiceInfo } from '../types.js';

export type ConsulProtocol = 'http' | 'http2' | 'grpc' | 'tcp';

export const L7_PROTOCOLS: ReadonlySet<ConsulProtocol> = new Set(['http', 'http2', 'grpc']);

/** Kubernetes appProtocol -> Consul protocol; anything unknown (https, ws, mongo...) is opaque TCP to Consul. */
function fromAppProtocol(appProtocol: string): ConsulProtocol {
  switch (appProtocol.toLowerCase()) {
    case 'http':
      return 'http';
    case 'http2':
    case 'h2c':
    case 'kubernetes.io/h2c':
      return 'http2';
    case 'grpc':
      return 'grpc';
    default:
      return 'tcp';
  }
}

/**
 * The protocol a Service declares: the first port with an appProtocol decides; a Service
 * whose ports are all UDP is 'udp' (Consul's mesh carries no UDP); undefined when nothing
 * is declared (callers then assume http, since SMI L7 objects imply HTTP traffic).
 */
export function declaredProtocol(service: ServiceInfo): ConsulProtocol | 'udp' | undefined {
  if (service.ports.length > 0 && service.ports.every((p) => p.protocol === 'UDP')) return 'udp';
  const declared = service.ports.find((p) => typeof p.appProtocol === 'string' && p.appProtocol !== '');
  return declared ? fromAppProtocol(declared.appProtocol as string) : undefined;
}

export type ChainProtocol = { ok: true; protocol: ConsulProtocol } | { ok: false; reason: string };

/**
 * One L7 protocol for all services of a chain: the declared ones must agree and be L7;
 * undeclared ones follow them (http when none declares anything).
 */
export function chainProtocol(services: ServiceInfo[]): ChainProtocol {
  let chosen: { protocol: ConsulProtocol | 'udp'; by: string } | undefined;
  for (const s of services) {
    const p = declaredProtocol(s);
    if (p === undefined) continue;
    if (p === 'udp' || !L7_PROTOCOLS.has(p)) {
      return { ok: false, reason: `Service ${s.name} is ${p === 'udp' ? 'UDP-only' : `declared ${p}`} but Consul splits and routes only HTTP-based traffic (http, http2, grpc)` };
    }
    if (chosen && chosen.protocol !== p) {
      return { ok: false, reason: `Services ${chosen.by} (${chosen.protocol}) and ${s.name} (${p}) declare different protocols; Consul requires one protocol along a discovery chain` };
    }
    chosen ??= { protocol: p, by: s.name };
  }
  return { ok: true, protocol: (chosen?.protocol as ConsulProtocol | undefined) ?? 'http' };
}
