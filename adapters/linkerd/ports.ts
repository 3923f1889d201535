// The pod ports of a destination Linkerd governs, and how Linkerd must proxy each.
//
// A Server's `port` is a pod port: a number (any port of the selected pods, declared
// or not) or a container port name (every container port with that name); policy-
// controller `inbound/index.rs` select_ports. SMI rule ports are pod ports too
// (adapters/common/ports.ts), so a rule port is matched against the Servers' pod port
// numbers, never against a Service `port`. Each Service port is mapped to the pod port
// it targets, and every TCP container port the destination's workloads declare is
// governed too: a port no Server selects keeps the cluster default policy (all-
// unauthenticated out of the box). When two Servers select one pod port, Linkerd keeps
// one of them arbitrarily ("Port already matched by another server"), so a named port
// is turned into its number when every workload agrees on it.

import { isHttp, portProtocol } from '../common/protocol.js';
import type { ResolvedDestination } from '../common/model.js';
import type { ServicePort, WorkloadInfo } from '../types.js';
import { opaquePortsOf } from './opaque.js';

export type PortKind = 'http' | 'opaque' | 'not-proxied';

/**
 * Outbound (splits): `not-proxied` is UDP/SCTP, which the Linkerd proxy does not carry;
 * `opaque` an appProtocol that is not HTTP (Linkerd then routes no HTTP); `http` HTTP
 * declared, or nothing declared (Linkerd detects the protocol).
 */
export function portKind(p: ServicePort): PortKind {
  const c = portProtocol(p);
  if (c.source === 'transport') return 'not-proxied';
  if (c.source !== 'appProtocol') return 'http';
  return isHttp(c.protocol) ? 'http' : 'opaque';
}

/** A destination pod port, the Service ports that reach it, and how Linkerd proxies it. */
export interface PodPort {
  /** Container port number or name (a named targetPort). */
  port: number | string;
  servicePorts: Array<{ service: string; port: ServicePort }>;
  /**
   * `opaque`: the Server gets `proxyProtocol: opaque` and HTTP rules cannot apply there.
   * `http`: protocol detection (HTTP is read when the client speaks it).
   */
  kind: 'http' | 'opaque';
  /** Why the port is opaque, for messages. */
  opaqueBecause?: string;
}

const keyOf = (p: number | string): string => (typeof p === 'number' ? `n:${String(p).padStart(5, '0')}` : `s:${p}`);

/** TCP container ports of a workload named `name` (all containers). */
function numbersNamed(w: WorkloadInfo, name: string): number[] {
  return (w.containers ?? []).flatMap((c) => c.ports.filter((p) => p.protocol === 'TCP' && p.name === name).map((p) => p.containerPort));
}

/** The one number every workload gives `name`, or undefined when they disagree, lack it, or their pod specs are unknown. */
function uniformNumber(workloads: readonly WorkloadInfo[], name: string): number | undefined {
  let n: number | undefined;
  for (const w of workloads) {
    const found = [...new Set(numbersNamed(w, name))];
    if (found.length !== 1 || (n !== undefined && n !== found[0])) return undefined;
    n = found[0];
  }
  return n;
}

/** Container port names a pod port number goes by in the workloads. */
function namesOf(workloads: readonly WorkloadInfo[], port: number): string[] {
  return [...new Set(workloads.flatMap((w) => (w.containers ?? []).flatMap((c) => c.ports.filter((p) => p.protocol === 'TCP' && p.containerPort === port && p.name).map((p) => p.name!))))];
}

function decideKind(pp: PodPort, d: ResolvedDestination): void {
  const numbers = typeof pp.port === 'number' ? [pp.port] : [...new Set(d.workloads.flatMap((w) => numbersNamed(w, pp.port as string)))];
  const opaque = (why: string): void => {
    pp.kind = 'opaque';
    pp.opaqueBecause = why;
  };
  // 1. What the Services declare (appProtocol) decides.
  const declared = pp.servicePorts.map((s) => ({ s, c: portProtocol(s.port) })).filter((x) => x.c.source === 'appProtocol');
  const nonHttp = declared.find((x) => !isHttp(x.c.protocol));
  if (nonHttp) return opaque(`Service ${nonHttp.s.service} port ${nonHttp.s.port.port} declares appProtocol ${nonHttp.c.declared}`);
  if (declared.length > 0) return;
  // 2. The workload's opaque-ports annotation (pod, else namespace).
  for (const w of d.workloads) {
    const o = opaquePortsOf(w, d.namespaceAnnotations);
    if (o.from === 'Linkerd default list') continue;
    const hit = numbers.find((n) => o.ports.has(n));
    if (hit !== undefined) return opaque(`the ${o.from} config.linkerd.io/opaque-ports of ${w.owner} lists port ${hit}`);
  }
  // 3. A port name that says TCP or TLS (Service port, named targetPort, container port).
  const names = [
    ...pp.servicePorts.map((s) => s.port.name),
    ...(typeof pp.port === 'string' ? [pp.port] : []),
    ...numbers.flatMap((n) => namesOf(d.workloads, n)),
  ].filter((n): n is string => n !== undefined);
  for (const name of names) {
    const c = portProtocol({ name });
    if (c.source === 'name' && !isHttp(c.protocol)) return opaque(`its port name ${name} says ${c.declared}`);
  }
  if (names.some((name) => isHttp(portProtocol({ name }).protocol))) return;
  // 4. Linkerd's default opaque ports, for workloads without the annotation.
  for (const w of d.workloads) {
    const o = opaquePortsOf(w, d.namespaceAnnotations);
    if (o.from !== 'Linkerd default list') continue;
    const hit = numbers.find((n) => o.ports.has(n));
    if (hit !== undefined) return opaque(`port ${hit} is on Linkerd's default opaque ports list`);
  }
}

export interface DestinationPorts {
  ports: PodPort[];
  /** Ports that stay on the default policy, by number, with the reason. */
  open: string[];
}

/** Distinct pod ports of a destination, numbers first (ascending), then names. */
export function destinationPorts(d: ResolvedDestination): DestinationPorts {
  const byKey = new Map<string, PodPort>();
  const entry = (port: number | string): PodPort => {
    const k = keyOf(port);
    let e = byKey.get(k);
    if (!e) byKey.set(k, (e = { port, servicePorts: [], kind: 'http' }));
    return e;
  };
  for (const svc of d.services) {
    for (const sp of svc.ports) {
      if (portProtocol(sp).source === 'transport') continue; // UDP/SCTP: not carried by the proxy
      let port: number | string = sp.targetPort ?? sp.port;
      if (typeof port === 'string') port = uniformNumber(d.workloads, port) ?? port;
      entry(port).servicePorts.push({ service: svc.name, port: sp });
    }
  }
  // Numbers a name-selected Server already covers on some pod: a second Server by number would race it.
  const byName = new Map<number, string>();
  for (const pp of byKey.values()) {
    if (typeof pp.port !== 'string') continue;
    for (const w of d.workloads) for (const n of numbersNamed(w, pp.port)) byName.set(n, pp.port);
  }
  const open: string[] = [];
  for (const w of d.workloads) {
    for (const c of w.containers ?? []) {
      for (const p of c.ports) {
        if (p.protocol !== 'TCP' || byKey.has(keyOf(p.containerPort))) continue;
        const name = byName.get(p.containerPort);
        if (name !== undefined) {
          if (p.name !== name) open.push(`pod port ${p.containerPort} of ${w.owner} (the Server for the named port ${name} selects that number on other pods, and a second Server would race it)`);
          continue;
        }
        entry(p.containerPort);
      }
    }
  }
  const ports = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  for (const pp of ports) decideKind(pp, d);
  return { ports, open: [...new Set(open)] };
}

/**
 * The pod port a rule port names (a rule port is a pod port number). A named pod port
 * left as a name (its workloads disagree on the number) is not matched: a rule for one
 * of its numbers would cover the others too.
 */
export function podPortsForRulePort(all: readonly PodPort[], rulePort: number): PodPort[] {
  return all.filter((pp) => pp.port === rulePort);
}
