// Rule ports on Consul. A rule port is a pod port (adapters/common/ports.ts); Consul
// intentions authorise a source on every port of a service, so a port-restricted rule
// fits a Consul service only when it covers all of its pod ports, or none.

import type { AccessRule, ResolvedDestination } from '../common/model.js';
import { podPortOf, proxiedPorts } from '../common/ports.js';
import type { ServiceInfo } from '../types.js';
import { consulServiceName } from './names.js';
import type { RenderSink } from './sink.js';

export type PortFit = { fit: 'all' | 'none' } | { fit: 'some'; why: string };

/**
 * How a rule's ports (destination pod ports, adapters/common/ports.ts) meet one Consul
 * service: an intention authorises a source on every port of the service, so a rule can
 * only be rendered when it covers all of the Service's pod ports (or none: then it says
 * nothing about this service).
 */
export function portFit(rule: AccessRule, service: ServiceInfo): PortFit {
  if (rule.ports.length === 0) return { fit: 'all' };
  const tcp = proxiedPorts(service.ports);
  if (tcp.length === 0) return { fit: 'some', why: `cannot be checked against Consul service ${consulServiceName(service)}, whose Service ${service.name} has no TCP port the mesh carries` };
  const named = [...new Set(tcp.map(podPortOf).filter((p): p is string => typeof p === 'string'))];
  if (named.length > 0) {
    return { fit: 'some', why: `cannot be checked against Consul service ${consulServiceName(service)}: Service ${service.name} targets the named container port(s) ${named.map((n) => JSON.stringify(n)).join(', ')}, whose numbers are not known without the pod spec` };
  }
  const pods = [...new Set(tcp.map(podPortOf) as number[])].sort((a, b) => a - b);
  const hit = pods.filter((p) => rule.ports.includes(p));
  if (hit.length === pods.length) return { fit: 'all' };
  if (hit.length === 0) return { fit: 'none' };
  return { fit: 'some', why: `cover only some of the pod ports of Consul service ${consulServiceName(service)} (${pods.join(', ')})` };
}

/**
 * A rule port that is no pod port of any of the destination's Services grants nothing
 * anywhere; say so (a Service port number is a common mistake: rule ports are pod ports).
 */
export function noteForeignPorts(dest: ResolvedDestination, sink: RenderSink): void {
  const pods = new Set<number>();
  let named = false;
  for (const s of dest.services) {
    for (const p of proxiedPorts(s.ports)) {
      const pod = podPortOf(p);
      if (typeof pod === 'number') pods.add(pod);
      else named = true;
    }
  }
  if (named) return; // such rules are reported per service: their ports cannot be checked
  const known = [...pods].sort((a, b) => a - b).join(', ') || 'none';
  for (const rule of dest.rules) {
    const missing = rule.ports.filter((p) => !pods.has(p));
    if (missing.length === 0) continue;
    const what = missing.length === 1 ? `port ${missing[0]} is not a pod port` : `ports ${missing.join(', ')} are not pod ports`;
    sink.note(rule.target, `${rule.path}: ${what} of any Service selecting the pods of ServiceAccount ${dest.namespace}/${dest.serviceAccount} (rule ports are pod ports: ${known}); nothing is allowed on ${missing.length === 1 ? 'it' : 'them'}`);
  }
}
