// What every interpreter needs: the cluster as the mesh sees it (native objects,
// Services, the pods behind each ServiceAccount) and small matching helpers.

import { RE2JS } from 're2js';
import type { ServiceInfo, ServicePort, WorkloadInfo } from '../../adapters/types.js';
import type { KubeObject } from '../../schemas/hub.js';
import type { AccessVerdict, HttpRequest, RoutePolicy, SplitAssertion } from '../types.js';
import { matchesLabels } from '../../adapters/common/label-match.js';

export interface World {
  natives: KubeObject[];
  services: ServiceInfo[];
  workloads: WorkloadInfo[];
  trustDomain: string;
  clusterDomain: string;
}

export interface AccessQuery {
  from: { ns: string; sa: string };
  to: { ns: string; service: ServiceInfo; port: ServicePort };
  request?: HttpRequest;
  udp?: boolean;
}

export interface SplitQuery {
  from?: { ns: string; sa: string };
  ns: string;
  service: ServiceInfo;
  port: ServicePort;
  request?: HttpRequest;
}

export interface Verdict {
  verdict: AccessVerdict;
  why: string;
}

export interface MeshInterpreter {
  access(world: World, q: AccessQuery): Verdict;
  /** Backend Service name → percent. */
  split(world: World, q: SplitQuery): Record<string, number>;
  /** Timeouts, retries, faults, mirroring, circuit breaking and rate limits applied to the request (SplitQuery with a request). */
  policy(world: World, q: SplitQuery): RoutePolicy;
}

export type { RoutePolicy, SplitAssertion };

export const spec = (o: KubeObject): Record<string, unknown> => ((o as { spec?: Record<string, unknown> }).spec ?? {});

export function natives(world: World, kind: string, ns: string, group?: string): KubeObject[] {
  return world.natives
    .filter((o) => o.kind === kind && o.metadata.namespace === ns && (group === undefined || o.apiVersion.startsWith(`${group}/`)))
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}


/** The pods (by their workloads) a Service sends traffic to. */
export function podsBehind(world: World, svc: ServiceInfo): WorkloadInfo[] {
  if (!svc.selector || Object.keys(svc.selector).length === 0) return [];
  return world.workloads.filter((w) => w.namespace === svc.namespace && matchesLabels(svc.selector, w.podLabels));
}

/** Access decided per pod (meshes that enforce at the destination's sidecar): every pod behind the Service must agree. */
export function accessByPods(world: World, q: AccessQuery, podVerdict: (world: World, pod: WorkloadInfo, q: AccessQuery) => Verdict): Verdict {
  const pods = podsBehind(world, q.to.service);
  if (pods.length === 0) return { verdict: 'default', why: 'no pods behind the Service' };
  const vs = pods.map((p) => podVerdict(world, p, q));
  const first = vs[0]!;
  return vs.every((v) => v.verdict === first.verdict) ? first : { verdict: 'deny', why: `pods disagree: ${vs.map((v) => v.verdict).join(', ')}` };
}

/** The pod port a Service port reaches (a number, or a name when targetPort is named). */
export function podPort(p: ServicePort): number | string {
  return p.targetPort ?? p.port;
}

/** RE2 full match, as Envoy and Linkerd apply regexes to whole values. A bad regex matches nothing. */
export function fullMatch(re: string, value: string): boolean {
  try {
    return RE2JS.matches(re, value);
  } catch {
    return false;
  }
}

export function serviceByHost(world: World, host: string, ns: string): ServiceInfo | undefined {
  const short = host.split('.');
  const name = short[0]!;
  const hostNs = short.length > 1 ? short[1]! : ns;
  return world.services.find((s) => s.name === name && s.namespace === hostNs);
}

/** Add `share` percent to `to`; shares are rounded at the end by the caller. */
export function addShare(acc: Record<string, number>, to: string, share: number): void {
  acc[to] = (acc[to] ?? 0) + share;
}

export function roundShares(acc: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  // Float noise away, but a share above 0 never rounds to 0 (a tiny canary is still a canary).
  for (const [k, v] of Object.entries(acc)) out[k] = v > 0 ? Math.round(v * 1e6) / 1e6 || v : v;
  return out;
}
