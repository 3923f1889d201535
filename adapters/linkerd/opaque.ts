// Which pod ports Linkerd proxies opaquely without being told per Server: the
// `config.linkerd.io/opaque-ports` annotation of the pod (or, when the pod has none,
// of its namespace), or Linkerd's default list when neither is set. A Server's
// `proxyProtocol` supersedes all of these, so a Server that leaves it out turns a
// server-speaks-first port back to protocol detection.

import type { WorkloadInfo } from '../types.js';

export const OPAQUE_PORTS_ANNOTATION = 'config.linkerd.io/opaque-ports';

/**
 * Linkerd's default `proxy.opaquePorts` (charts/linkerd-control-plane README): SMTP 25 and
 * 587, MySQL 3306, Galera 4444, PostgreSQL 5432, Redis 6379, ElasticSearch 9300 and
 * Memcached 11211 — server-speaks-first protocols, or clients that send no preamble.
 */
export const DEFAULT_OPAQUE_PORTS: ReadonlySet<number> = new Set([25, 587, 3306, 4444, 5432, 6379, 9300, 11211]);

export interface OpaquePorts {
  ports: ReadonlySet<number>;
  /** Where the list came from, for messages. */
  from: 'pod annotation' | 'namespace annotation' | 'Linkerd default list';
}

/**
 * The annotation value as linkerd2 `pkg/util` ParseContainerOpaquePorts reads it: comma
 * separated, each item a container port name of the pod, a port, or a range `a-b`;
 * unreadable items are skipped.
 */
export function parseOpaquePorts(value: string, w: WorkloadInfo): Set<number> {
  const out = new Set<number>();
  const named = new Map<string, number>();
  for (const c of w.containers ?? []) for (const p of c.ports) if (p.name !== undefined && !named.has(p.name)) named.set(p.name, p.containerPort);
  for (const raw of value.replace(/,$/, '').split(',')) {
    const item = raw.trim();
    const byName = named.get(item);
    if (byName !== undefined) {
      out.add(byName);
      continue;
    }
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(item);
    if (!m) continue;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo < 1 || hi > 65535 || lo > hi) continue;
    for (let p = lo; p <= hi; p++) out.add(p);
  }
  return out;
}

/**
 * The opaque ports of one workload's pods: its pod annotation, else its namespace's
 * (the proxy injector lets the pod's override the namespace's), else the default list.
 */
export function opaquePortsOf(w: WorkloadInfo, namespaceAnnotations: Readonly<Record<string, string>> | undefined): OpaquePorts {
  const own = w.podAnnotations?.[OPAQUE_PORTS_ANNOTATION];
  if (own !== undefined) return { ports: parseOpaquePorts(own, w), from: 'pod annotation' };
  const ns = namespaceAnnotations?.[OPAQUE_PORTS_ANNOTATION];
  if (ns !== undefined) return { ports: parseOpaquePorts(ns, w), from: 'namespace annotation' };
  return { ports: DEFAULT_OPAQUE_PORTS, from: 'Linkerd default list' };
}
