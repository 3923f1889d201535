// TCPRoute / UDPRoute port lists: validation shared by their own results and by
// the TrafficTarget rules that use them.

import type { TCPRoute, UDPRoute } from '../../schemas/hub.js';

export interface RoutePorts {
  /** Valid ports, sorted, de-duplicated; empty: every port. */
  ports: number[];
  errors: string[];
}

export function routePorts(route: TCPRoute | UDPRoute): RoutePorts {
  const raw = route.spec?.matches?.ports;
  const errors: string[] = [];
  const ports = new Set<number>();
  if (raw !== undefined && !Array.isArray(raw)) errors.push('spec.matches.ports: must be a list of port numbers');
  (Array.isArray(raw) ? raw : []).forEach((p, i) => {
    if (typeof p === 'number' && Number.isInteger(p) && p >= 1 && p <= 65535) ports.add(p);
    else errors.push(`spec.matches.ports[${i}]: must be a port number 1-65535, got ${JSON.stringify(p)}`);
  });
  return { ports: [...ports].sort((a, b) => a - b), errors };
}
