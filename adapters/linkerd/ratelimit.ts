// RateLimitPolicy -> Linkerd HTTPLocalRateLimitPolicy (policy.linkerd.io/v1alpha1).
//
// Linkerd limits requests per inbound proxy and per Server (a pod port of the pods it
// selects), with `total.requestsPerSecond` and a burst of one second's worth (GCRA,
// tolerance one second); rejected requests get 429. A Server also decides access, so a
// new one would replace the port's default inbound policy: the limit only attaches to
// the Servers the destination policy of a TrafficTarget already emits (accessMode
// enforce), never to one made for it. Facts and sources: docs/adapters/linkerd.md.

import { objectRef, type KubeObject } from '../../schemas/hub.js';
import type { RateLimitPolicy } from '../../schemas/policy-types.js';
import type { RenderNote, ResolvedDestination, ResolvedModel, ResolvedPolicy } from '../common/model.js';
import { managedMetadata, nativeName } from '../common/meta.js';
import { serviceSelects } from '../common/label-match.js';
import { selectsPods } from '../common/selector.js';
import type { MeshOptions, ServicePort, WorkloadInfo } from '../types.js';
import type { ServerSite } from './access.js';
import { HTTP_LOCAL_RATE_LIMIT_POLICY, POLICY_GROUP, SERVER } from './kinds.js';
import { portKind } from './ports.js';

const UNIT_SECONDS = { second: 1, minute: 60, hour: 3600 } as const;

/** Linkerd's requestsPerSecond for a token bucket of `burst` refilled with `requests` per `unit`, never admitting more. */
export type LinkerdRate = { ok: true; rps: number; remarks: string[] } | { ok: false; why: string };

/**
 * Linkerd admits at most r requests at once and r per second after (governor
 * `Quota::per_second(r)`); the policy's bucket admits B at once and R/U per second after.
 * r = min(floor(R/U), B) keeps both bounds, so every window admits no more than the policy.
 */
export function linkerdRate(l: RateLimitPolicy['spec']['local']): LinkerdRate {
  const per = l.requests / UNIT_SECONDS[l.unit];
  const rate = Math.floor(per);
  const burst = l.burst ?? l.requests;
  const rps = Math.min(rate, burst);
  if (rps < 1) return { ok: false, why: `${l.requests} per ${l.unit} with a burst of ${burst} is under 1 request per second, the smallest limit Linkerd takes (requestsPerSecond is a whole number, 0 means no limit)` };
  const remarks: string[] = [];
  if (rate !== per) remarks.push(`spec.local: Linkerd limits per second; ${l.requests} per ${l.unit} becomes ${rate} per second (rounded down)`);
  else if (l.unit !== 'second') remarks.push(`spec.local: Linkerd limits per second; ${l.requests} per ${l.unit} is ${rate} per second`);
  if (burst > rps) remarks.push(`spec.local.burst: Linkerd admits bursts of one second's worth of requests (${rps}), not ${burst} (narrower)`);
  if (burst < rate) remarks.push(`spec.local.burst: Linkerd's burst equals its rate, so the rate is narrowed to the burst: ${rps} per second`);
  if (l.responseStatusCode !== undefined && l.responseStatusCode !== 429) remarks.push(`spec.local.responseStatusCode: Linkerd always rejects with 429, not ${l.responseStatusCode}`);
  return { ok: true, rps, remarks };
}

/** The pod port number or name a Service port reaches on one workload's pods (a named targetPort resolved there). */
function podPortsOf(sp: ServicePort, w: WorkloadInfo): Array<number | string> {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return [target];
  const numbers = (w.containers ?? []).flatMap((c) => c.ports.filter((p) => p.protocol === 'TCP' && p.name === target).map((p) => p.containerPort));
  return [target, ...numbers];
}

/** Whether a Server's port is one of these pod ports on this workload (a named Server port resolved there). */
function serverOnPort(site: ServerSite, ports: Array<number | string>, w: WorkloadInfo): boolean {
  if (ports.includes(site.pod.port)) return true;
  if (typeof site.pod.port !== 'string') return false;
  const named = site.pod.port;
  return (w.containers ?? []).some((c) => c.ports.some((p) => p.protocol === 'TCP' && p.name === named && ports.includes(p.containerPort)));
}

interface Plan {
  site: ServerSite;
  rps: number;
  policies: ResolvedPolicy[];
}

export function renderRateLimits(model: ResolvedModel, options: MeshOptions, sites: readonly ServerSite[], destinations: readonly ResolvedDestination[]): { objects: KubeObject[]; notes: RenderNote[] } {
  const notes: RenderNote[] = [];
  const note = (p: ResolvedPolicy, message: string, status?: RenderNote['status']): void => {
    notes.push(status ? { object: objectRef(p.policy), status, message } : { object: objectRef(p.policy), message });
  };
  const plans = new Map<string, Plan>();
  for (const p of model.policies ?? []) {
    if (p.policy.kind !== 'RateLimitPolicy' || !p.service) continue;
    const svc = p.service;
    if (p.matches.length > 0) {
      note(p, 'spec.matches: a Linkerd HTTPLocalRateLimitPolicy limits every request to a Server (a pod port), not the requests of HTTPRouteGroup matches; not applied', 'Unsupported');
      continue;
    }
    if (options.accessMode !== 'enforce') {
      note(p, 'spec: a Linkerd HTTPLocalRateLimitPolicy attaches to a Server, and with accessMode permissive the operator emits none; a Server made for the limit would replace the port\'s default inbound policy (its accessPolicy), so nothing is applied', 'Unsupported');
      continue;
    }
    const rate = linkerdRate(p.policy.spec.local);
    if (!rate.ok) {
      note(p, `spec.local: ${rate.why}; nothing is applied`, 'Unsupported');
      continue;
    }
    const seen = new Set<string>();
    const pods = destinations
      .filter((d) => d.namespace === svc.namespace)
      .flatMap((d) => d.namespaceWorkloads)
      .filter((w) => (seen.has(w.owner) ? false : (seen.add(w.owner), true)))
      .filter((w) => serviceSelects(svc.selector, w.podLabels));
    const httpPorts = svc.ports.filter((sp) => portKind(sp) === 'http');
    for (const sp of svc.ports.filter((x) => portKind(x) !== 'http')) note(p, `spec.targetRef: Service ${svc.name} port ${sp.port} is not HTTP; Linkerd limits HTTP requests only, so it is not limited`);
    const missing: string[] = [];
    const perWorkload = new Map<WorkloadInfo, ServerSite[]>();
    for (const w of pods) {
      const mine: ServerSite[] = [];
      for (const sp of httpPorts) {
        const ports = podPortsOf(sp, w);
        const site = sites.find((s) => s.namespace === w.namespace && selectsPods(s.matchLabels, w) && serverOnPort(s, ports, w));
        if (!site) missing.push(`${w.owner} port ${ports[0]} (no Server: ${destinations.some((d) => d.namespace === w.namespace && d.serviceAccount === w.serviceAccount) ? 'the destination policy leaves that port on the default inbound policy' : `ServiceAccount ${w.serviceAccount} is no TrafficTarget destination`})`);
        else if (site.pod.kind === 'opaque' && !site.closed) missing.push(`${w.owner} port ${ports[0]} (its Server proxies it opaquely: no HTTP requests to limit)`);
        else if (!mine.includes(site)) mine.push(site);
      }
      perWorkload.set(w, mine);
    }
    if (pods.length === 0) {
      note(p, `spec.targetRef: no Linkerd Server governs the pods of Service ${svc.name} (the operator emits Servers only for the pods of TrafficTarget destinations, under accessMode enforce, and a Server made for the limit would change their access policy); nothing is applied`, 'Unsupported');
      continue;
    }
    const applied: string[] = [];
    for (const [w, mine] of perWorkload) {
      const open = mine.filter((s) => !s.closed);
      // Each Server has its own limiter in each proxy: a pod reached on n ports gets a share of the per-pod limit on each.
      const share = Math.floor(rate.rps / Math.max(1, open.length));
      if (open.length > 1) note(p, `spec.local: the pods of ${w.owner} are reached on ${open.length} ports, each its own Linkerd Server and limiter; each gets ${share} per second so that the pod admits no more than ${rate.rps}`);
      if (share < 1 && open.length > 0) {
        missing.push(`${w.owner} (${rate.rps} per second cannot be shared among ${open.length} ports)`);
        continue;
      }
      for (const site of open) {
        const k = `${site.namespace}/${site.name}`;
        const plan = plans.get(k);
        if (!plan) plans.set(k, { site, rps: share, policies: [p] });
        else {
          plan.rps = Math.min(plan.rps, share);
          if (!plan.policies.includes(p)) plan.policies.push(p);
        }
        if (!applied.includes(site.name)) applied.push(site.name);
      }
    }
    for (const r of rate.remarks) note(p, r);
    if (applied.length === 0 && missing.length === 0 && [...perWorkload.values()].every((m) => m.length === 0)) {
      note(p, `spec.targetRef: Service ${svc.name} has no HTTP port a Linkerd Server governs; nothing is applied`, 'Unsupported');
    }
    if (applied.length > 0) {
      note(p, `spec.local: applied as HTTPLocalRateLimitPolicy total.requestsPerSecond on Linkerd Server(s) ${applied.join(', ')}: each pod's inbound proxy limits every request to that pod port, whoever sends it (not only through Service ${svc.name}), and 429 is returned`);
      const also = sites.filter((s) => applied.includes(s.name)).flatMap((s) => destinations.filter((d) => d.namespace === s.namespace).flatMap((d) => d.namespaceWorkloads).filter((w) => selectsPods(s.matchLabels, w) && !pods.includes(w)));
      const others = [...new Set(also.map((w) => w.owner))];
      if (others.length > 0) note(p, `spec.targetRef: the Server(s) also select ${others.join(', ')}, which Service ${svc.name} does not select; they are limited too (narrower)`);
    }
    if (missing.length > 0) note(p, `spec.targetRef: not limited: ${missing.join('; ')}`, 'Unsupported');
  }
  const objects: KubeObject[] = [];
  for (const plan of [...plans.values()].sort((a, b) => (a.site.name < b.site.name ? -1 : a.site.name > b.site.name ? 1 : 0))) {
    if (plan.policies.length > 1) {
      for (const p of plan.policies) note(p, `spec.targetRef: Server ${plan.site.name} takes one HTTPLocalRateLimitPolicy, and ${plan.policies.map((x) => objectRef(x.policy)).join(', ')} all reach it: the lowest rate (${plan.rps} per second) is applied`);
    }
    objects.push({
      apiVersion: HTTP_LOCAL_RATE_LIMIT_POLICY.apiVersion,
      kind: HTTP_LOCAL_RATE_LIMIT_POLICY.kind,
      metadata: managedMetadata(nativeName('rl', plan.site.name), plan.site.namespace, 'linkerd', plan.policies.map((p) => p.policy)),
      spec: { targetRef: { group: POLICY_GROUP, kind: SERVER.kind, name: plan.site.name }, total: { requestsPerSecond: plan.rps } },
    });
  }
  return { objects, notes };
}
