// Which Service ports carry traffic Linkerd can route or authorize, and which pod
// (container) port a Service port lands on: a Server's `port` must name a port of
// the pod spec, and SMI rule ports are pod ports too (adapters/common/ports.ts).

import { podPortOf } from '../common/ports.js';
import { HTTP_PROTOCOLS, portProtocol } from '../common/protocol.js';
import type { ServiceInfo, ServicePort } from '../types.js';

export type PortKind = 'http' | 'opaque' | 'not-proxied';

/**
 * From the shared protocol selection (adapters/common/protocol.ts). `not-proxied`: UDP/SCTP,
 * which the Linkerd proxy does not carry. `opaque`: declared as something other than HTTP
 * (appProtocol tcp, https, mysql, linkerd.io/opaque..., or a name such as `tcp-db`), so HTTP
 * rules never apply. `http`: HTTP declared, or nothing declared (Linkerd detects the protocol).
 */
export function portKind(p: ServicePort): PortKind {
  const protocol = portProtocol(p);
  if (protocol === 'udp' || protocol === 'sctp') return 'not-proxied';
  return protocol === 'unknown' || HTTP_PROTOCOLS.has(protocol) ? 'http' : 'opaque';
}

/** A destination pod port and the Service ports that reach it. */
export interface PodPort {
  /** Container port number or name (a named targetPort). */
  port: number | string;
  servicePorts: Array<{ service: string; port: ServicePort }>;
  /** HTTP rules apply only when every Service port reaching it may carry HTTP. */
  kind: PortKind;
}

const keyOf = (p: number | string): string => (typeof p === 'number' ? `n:${String(p).padStart(5, '0')}` : `s:${p}`);

/** Distinct pod ports reached through TCP Service ports, numbers first (ascending), then names. */
export function podPorts(services: readonly ServiceInfo[]): PodPort[] {
  const byKey = new Map<string, PodPort>();
  for (const svc of services) {
    for (const sp of svc.ports) {
      if (portKind(sp) === 'not-proxied') continue;
      const port = podPortOf(sp);
      const k = keyOf(port);
      const entry = byKey.get(k) ?? { port, servicePorts: [], kind: 'http' as PortKind };
      entry.servicePorts.push({ service: svc.name, port: sp });
      if (portKind(sp) === 'opaque') entry.kind = 'opaque';
      byKey.set(k, entry);
    }
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

/** The pod port a rule port names (a rule port is a pod port); empty when no Service reaches a pod port of that number. */
export function podPortsForRulePort(all: readonly PodPort[], rulePort: number): PodPort[] {
  return all.filter((pp) => pp.port === rulePort);
}
