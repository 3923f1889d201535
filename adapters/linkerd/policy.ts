// Policies -> Linkerd 2.20. Timeouts go on the rules of the Service's outbound
// HTTPRoute (Gateway API `timeouts.request` / `backendRequest`, per rule); retries and
// the idle timeout are HTTPRoute annotations (`retry.linkerd.io/*`,
// `timeout.linkerd.io/idle`), which cover the whole route. The split's HTTPRoute is
// reused so that one route per Service port carries everything; without a split a
// route to the Service itself is emitted. Facts and sources: docs/adapters/linkerd.md.

import { objectRef, type KubeObject } from '../../schemas/hub.js';
import { durationMs, goDuration } from '../../schemas/duration.js';
import type { RenderNote, ResolvedModel, ResolvedPolicy } from '../common/model.js';
import { managedMetadata, nativeName } from '../common/meta.js';
import type { ServiceInfo } from '../types.js';
import { HTTPROUTE } from './kinds.js';
import { conditionMatches, MATCH_ALL } from '../common/gateway/matches.js';
import { portKind } from './ports.js';

type Rule = Record<string, unknown> & { matches?: unknown[]; timeouts?: Record<string, string> };
type Note = (p: ResolvedPolicy, message: string, status?: RenderNote['status']) => void;

const UNSUPPORTED: Partial<Record<ResolvedPolicy['policy']['kind'], string>> = {
  FaultInjectionPolicy: 'Linkerd has no fault injection; its documented way is a TrafficSplit to a backend that returns errors',
  MirrorPolicy: 'Linkerd does not mirror traffic',
  CircuitBreakerPolicy:
    'Linkerd has no connection limits, and its only outlier detection is failure accrual set by the balancer.linkerd.io/failure-accrual* annotations on the Service itself, an object this operator does not own (set them there: consecutive, with a max-failures count)',
  TracingPolicy: 'Linkerd tracing is enabled by the linkerd-jaeger extension and per-workload proxy configuration (annotations on the pods), not by a CRD; nothing is emitted',
};

const ms = (d: string | undefined): number | undefined => (d === undefined ? undefined : durationMs(d));

function statusCodes(p: Extract<ResolvedPolicy['policy'], { kind: 'RetryPolicy' }>, note: Note, rp: ResolvedPolicy): string | undefined {
  const codes: string[] = [];
  for (const on of p.spec.retryOn ?? []) {
    if (on === '5xx') codes.push('5xx');
    else if (on === 'gateway-error') codes.push('502-504');
    else note(rp, `spec.retryOn: ${on} is not configurable on Linkerd (retry.linkerd.io/http lists response statuses only); it is not retried`);
  }
  codes.push(...(p.spec.statusCodes ?? []).map(String));
  return codes.length ? [...new Set(codes)].join(',') : undefined;
}

/** The Service's HTTPRoutes (from its split), or new ones to the Service itself, one per HTTP port. */
function routesFor(objects: KubeObject[], added: KubeObject[], svc: ServiceInfo): KubeObject[] {
  const parented = (o: KubeObject): boolean =>
    o.kind === HTTPROUTE.kind && ((o.spec as { parentRefs?: Array<{ name?: string }> }).parentRefs ?? []).some((r) => r.name === svc.name) && o.metadata.namespace === svc.namespace;
  const existing = [...objects, ...added].filter(parented);
  if (existing.length > 0) return existing;
  const ports = [...new Set(svc.ports.filter((p) => portKind(p) === 'http').map((p) => p.port))];
  const fresh = ports.map((port) => ({
    apiVersion: HTTPROUTE.apiVersion,
    kind: HTTPROUTE.kind,
    metadata: managedMetadata(nativeName('policy', svc.name, String(port)), svc.namespace, 'linkerd', []),
    spec: {
      parentRefs: [{ group: '', kind: 'Service', name: svc.name, port }],
      rules: [{ matches: [{ ...MATCH_ALL, path: { ...MATCH_ALL.path } }], backendRefs: [{ group: '', kind: 'Service', name: svc.name, port }] }],
    },
  }));
  added.push(...fresh);
  return fresh;
}

/** The rules a policy governs in one route; undefined (with a note) when it cannot be narrowed there. */
function governedRules(route: KubeObject, p: ResolvedPolicy, model: ResolvedModel, note: Note): Rule[] | undefined {
  const rules = (route.spec as { rules: Rule[] }).rules;
  if (p.matches.length === 0) return rules;
  const split = (model.splits ?? []).find((s) => s.namespace === p.namespace && s.root.name === p.service?.name);
  const same = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));
  if (split && split.matches.length > 0) {
    // The split's conditional rules are every rule but the catch-all; they are governed when the conditions are the same.
    if (same(split.matches.map((c) => c.origin), p.matches.map((c) => c.origin))) return rules.slice(0, -1);
    note(p, `spec.matches: the Service's HTTPRoute ${route.metadata.name} already routes by the matches of ${objectRef(split.split)}; a policy narrowed to other matches cannot be combined with them on Linkerd and is not applied`, 'Unsupported');
    return undefined;
  }
  if (rules.length !== 1) {
    note(p, `spec.matches: HTTPRoute ${route.metadata.name} has no rule for these matches; the policy is not applied`, 'Unsupported');
    return undefined;
  }
  // A route with one catch-all rule: add rules for the conditions before it, to the same backends.
  const catchAll = rules[0] as Rule;
  const inserted: Rule[] = [];
  for (const c of p.matches) {
    const m = conditionMatches(c);
    if (!m.ok) {
      note(p, `spec.matches: ${m.why}; the policy is not applied`, 'Unsupported');
      return undefined;
    }
    inserted.push({ matches: m.matches, backendRefs: structuredClone(catchAll.backendRefs) });
  }
  rules.unshift(...inserted);
  return inserted;
}

export function renderPolicies(objects: KubeObject[], model: ResolvedModel): { objects: KubeObject[]; notes: RenderNote[] } {
  const notes: RenderNote[] = [];
  const note: Note = (p, message, status) => notes.push(status ? { object: objectRef(p.policy), status, message } : { object: objectRef(p.policy), message });
  const added: KubeObject[] = [];
  // Retries before timeouts: the order annotations and rule fields are written in does not matter, messages read better.
  for (const p of model.policies ?? []) {
    if (p.policy.kind === 'RateLimitPolicy') continue; // ./ratelimit.ts
    const why = UNSUPPORTED[p.policy.kind];
    if (why) {
      note(p, `spec: ${why}`, 'Unsupported');
      continue;
    }
    const svc = p.service as ServiceInfo;
    const routes = routesFor(objects, added, svc);
    if (routes.length === 0) {
      note(p, `spec.targetRef: Service ${svc.namespace}/${svc.name} has no HTTP port Linkerd routes; nothing is applied`, 'Unsupported');
      continue;
    }
    const applied: string[] = [];
    for (const route of routes) {
      const rules = governedRules(route, p, model, note);
      if (!rules) continue;
      const pol = p.policy;
      const annotations = (route.metadata.annotations ??= {});
      if (pol.kind === 'TimeoutPolicy') {
        for (const r of rules) {
          const t: Record<string, string> = { ...r.timeouts };
          if (pol.spec.request) t.request = pol.spec.request;
          if (pol.spec.backendRequest) t.backendRequest = pol.spec.backendRequest;
          if (Object.keys(t).length) r.timeouts = t;
        }
        const idle = ms(pol.spec.idle);
        if (idle !== undefined) {
          if (p.matches.length === 0) annotations['timeout.linkerd.io/idle'] = goDuration(idle);
          else note(p, 'spec.idle: Linkerd sets the idle timeout per route (an annotation), not per match; not applied');
        }
        if (pol.spec.connect) note(p, 'spec.connect: Linkerd has no connect timeout setting; not applied', 'Unsupported');
      } else if (pol.kind === 'RetryPolicy') {
        if (rules.length !== ((route.spec as { rules: Rule[] }).rules.length)) {
          note(p, `spec.matches: Linkerd retries are HTTPRoute annotations covering every rule of ${route.metadata.name}; a RetryPolicy narrowed to matches is not applied`, 'Unsupported');
          continue;
        }
        annotations['retry.linkerd.io/limit'] = String(pol.spec.attempts);
        const http = statusCodes(pol, note, p);
        if (http) annotations['retry.linkerd.io/http'] = http;
        const perTry = ms(pol.spec.perTryTimeout);
        if (perTry) annotations['retry.linkerd.io/timeout'] = goDuration(perTry);
        if (pol.spec.backoff) note(p, 'spec.backoff: Linkerd has no back-off setting (it bounds retries with a budget instead); not applied');
      }
      if (Object.keys(annotations).length === 0) delete route.metadata.annotations;
      const uid = pol.metadata.uid;
      if (uid && !(route.metadata.ownerReferences ?? []).some((o) => o.uid === uid)) {
        (route.metadata.ownerReferences ??= []).push({ apiVersion: pol.apiVersion, kind: pol.kind, name: pol.metadata.name, uid });
      }
      if (!route.metadata.labels?.['smi-operator.io/source']) Object.assign(route.metadata.labels ?? {}, managedMetadata(route.metadata.name, svc.namespace, 'linkerd', [pol]).labels);
      applied.push(route.metadata.name);
    }
    if (applied.length) note(p, `governs HTTPRoute(s) ${applied.join(', ')}`);
  }
  return { objects: [...objects, ...added], notes };
}
