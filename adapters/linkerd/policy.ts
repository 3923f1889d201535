// Policies -> Linkerd 2.20. Timeouts go on the rules of the Service's outbound
// HTTPRoute (Gateway API `timeouts.request` / `backendRequest`, per rule); retries and
// the idle timeout are HTTPRoute annotations (`retry.linkerd.io/*`,
// `timeout.linkerd.io/idle`), which cover the whole route. The split's HTTPRoute is
// reused so that one route per Service port carries everything; without a split a
// route to the Service itself is emitted. Facts and sources: docs/adapters/linkerd.md.

import { objectRef, type KubeObject } from '../../schemas/hub.js';
import { durationMs, goDuration } from '../../schemas/duration.js';
import type { RenderNote, ResolvedModel, ResolvedPolicy } from '../common/model.js';
import type { ServiceInfo } from '../types.js';
import { governedRules, ownRoute, policyRoutes, type PolicyNote as Note, type PolicyRule as Rule } from '../common/gateway/policy-routes.js';
import { portKind } from './ports.js';

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
    const routes = policyRoutes(objects, added, svc, 'linkerd', (sp) => portKind(sp) === 'http');
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
      ownRoute(route, p, 'linkerd');
      applied.push(route.metadata.name);
    }
    if (applied.length) note(p, `governs HTTPRoute(s) ${applied.join(', ')}`);
  }
  return { objects: [...objects, ...added], notes };
}
