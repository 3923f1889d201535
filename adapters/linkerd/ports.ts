// Which Service ports carry traffic Linkerd can route or authorize, and which pod
// (container) port a Service port lands on: a Server's `port` must name a port of
// the pod spec, and SMI rule ports are pod ports too (adapters/common/ports.ts).

import type { ServiceInfo, ServicePort } from '../types.js';

/** appProtocol values Linkerd sees as HTTP (after protocol detection). Unset means "detect". */
const HTTP_APP_PROTOCOLS = new Set(['http', 'http2', 'h2c', 'grpc', 'kubernetes.io/h2c', 'kubernetes.io/ws']);

export type PortKind = 'http' | 'opaque' | 'not-proxied';

/**
 * `not-proxied`: UDP/SCTP, which the Linkerd proxy does not carry. `opaque`: an appProtocol
 * that is not HTTP (tcp, https, mysql, linkerd.io/opaque...), so HTTP rules never apply.
 * `http`: HTTP declared, or nothing declared (Linkerd detects the protocol).
 */
export function portKind(p: ServicePort): PortKind {
  if (p.protocol !== undefined && p.protocol !== 'TCP') return 'not-proxied';
  if (p.appProtocol === undefined || p.appProtocol === '') return 'http';
  return HTTP_APP_PROTOCOLS.has(p.appProtocol.toLowerCase()) ? 'http' : 'opaque';
}

/** A destination pod port and the Service ports that reach it. */
export interface PodPort {
  /** Container port number or name (a named targetPort). */
  port: number | string;
  servicePorts: Array<{ service: string; port: ServicePort }>;
  /** HTTP rules apply only when every Service port reaching it may carry HTTP. */
  kind: PortKind;
}

const podPortOf = (p: ServicePort): number | string => p.targetPort ?? p.port;
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
