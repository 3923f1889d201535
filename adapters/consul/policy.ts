// Policies -> Consul config entries. Route settings (request/idle timeout, retries)
// go on the routes of the service's ONE ServiceRouter: the split's routes and a
// final catch-all route to the service itself (which keeps its ServiceSplitter), so
// a split, an A/B match and a timeout end up in the same entry. The connect timeout
// is the ServiceResolver's; the local rate limit the ServiceDefaults'. Facts and
// sources: docs/adapters/consul.md.

import { objectRef, type KubeObject } from '../../schemas/hub.js';
import { durationMs, goDuration } from '../../schemas/duration.js';
import type { ResolvedModel, ResolvedPolicy } from '../common/model.js';
import type { ResultStatus, ServiceInfo } from '../types.js';
import type { ServiceDefaultsBook } from './defaults.js';
import { httpMatch, isEmptyMatch } from './match.js';
import { consulServiceName } from './names.js';
import { chainProtocol, L7_PROTOCOLS } from './protocol.js';
import { addSources, type RenderSink } from './sink.js';
import { addSourceAnnotation } from '../common/meta.js';

type Route = { match?: unknown; destination: Record<string, unknown> };

const UNSUPPORTED: Partial<Record<ResolvedPolicy['policy']['kind'], string>> = {
  FaultInjectionPolicy: 'Consul config entries have no fault injection',
  MirrorPolicy: 'Consul config entries have no traffic mirroring',
  CircuitBreakerPolicy:
    "Consul sets connection limits and passive health checks on the CALLER (ServiceDefaults upstreamConfig of each downstream service), which a policy on the target cannot name exhaustively; nothing is emitted",
  TracingPolicy:
    'Consul configures tracing in the mesh-wide ProxyDefaults "global" (envoy_tracing_json and a collector cluster), not per service or namespace; nothing is emitted',
};

const ms = (d: string | undefined): number | undefined => (d === undefined ? undefined : durationMs(d));
const UNIT_SECONDS = { second: 1, minute: 60, hour: 3600 } as const;

export function renderPolicies(model: ResolvedModel, defaults: ServiceDefaultsBook, sink: RenderSink): void {
  const note = (p: ResolvedPolicy, message: string, status?: ResultStatus): void => sink.note(p.policy, message, status);
  const byService = new Map<string, ResolvedPolicy[]>();
  for (const p of model.policies ?? []) {
    const why = UNSUPPORTED[p.policy.kind];
    if (why) {
      note(p, `spec: ${why}`, 'Unsupported');
      continue;
    }
    const k = `${p.namespace}/${p.service?.name}`;
    byService.set(k, [...(byService.get(k) ?? []), p]);
  }
  for (const ps of byService.values()) {
    const svc = ps[0]!.service as ServiceInfo;
    const chain = chainProtocol([svc]);
    if (!chain.ok || !L7_PROTOCOLS.has(chain.protocol)) {
      for (const p of ps) note(p, `spec.targetRef: ${chain.ok ? `Service ${svc.name} speaks ${chain.protocol}` : chain.reason}; Consul applies these settings only to HTTP services; nothing is emitted`, 'Unsupported');
      continue;
    }
    const name = consulServiceName(svc);
    const clash = defaults.clash(svc.namespace, name, chain.protocol);
    if (clash) {
      for (const p of ps) note(p, `spec.targetRef: Consul service ${name} carries protocol ${clash} for a split; nothing is emitted`, 'Conflict');
      continue;
    }
    renderRouter(ps, svc, name, model, defaults, sink, note);
    renderResolver(ps, svc, name, sink);
    for (const p of ps) {
      if (p.policy.kind !== 'RateLimitPolicy') continue;
      const l = p.policy.spec.local;
      const rps = Math.floor(l.requests / UNIT_SECONDS[l.unit]);
      if (rps < 1) {
        note(p, `spec.local: ${l.requests} per ${l.unit} is under 1 request per second, the smallest rate Consul takes; nothing is emitted`, 'Unsupported');
        continue;
      }
      if (l.unit !== 'second') note(p, `spec.local: Consul limits per second; ${l.requests} per ${l.unit} becomes ${rps} per second (rounded down)`);
      if (l.responseStatusCode !== undefined && l.responseStatusCode !== 429) note(p, `spec.local.responseStatusCode: Consul always rejects with 429, not ${l.responseStatusCode}`);
      note(p, 'spec.local: applied as ServiceDefaults rateLimits.instanceLevel, a Consul Enterprise feature (Consul CE ignores it)');
      defaults.setProtocol(svc.namespace, name, chain.protocol, p.policy);
      // Consul wants requestsMaxBurst >= requestsPerSecond. A smaller bucket is kept and the rate lowered to
      // it: raising the bucket instead would admit more at once than the policy does.
      const burst = l.burst ?? rps;
      if (burst < rps) note(p, `spec.local.burst: Consul needs a burst of at least the per-second rate; the rate is lowered to ${burst} per second so that no more than the policy's bucket is admitted`);
      defaults.setRateLimit(svc.namespace, name, { requestsPerSecond: Math.min(rps, burst), requestsMaxBurst: burst }, p.policy);
    }
  }
}

function renderRouter(ps: ResolvedPolicy[], svc: ServiceInfo, name: string, model: ResolvedModel, defaults: ServiceDefaultsBook, sink: RenderSink, note: (p: ResolvedPolicy, m: string, s?: ResultStatus) => void): void {
  const routeLevel = ps.filter((p) => p.policy.kind === 'RetryPolicy' || (p.policy.kind === 'TimeoutPolicy' && (p.policy.spec.request || p.policy.spec.backendRequest || p.policy.spec.idle)));
  if (routeLevel.length === 0) return;
  const existing = sink.emitted.find((e) => e.entry.kind === 'ServiceRouter' && e.entry.name === name && e.object.metadata.namespace === svc.namespace);
  const split = (model.splits ?? []).find((s) => s.namespace === svc.namespace && s.root.name === svc.name && s.matches.length > 0);
  const routes: Route[] = existing ? ((existing.object.spec as { routes: Route[] }).routes ?? []) : [];
  const splitRoutes = routes.length;
  // The final catch-all keeps Consul's default (the service's own splitter/instances) and carries the settings.
  const catchAll: Route = { destination: { service: name } };
  const policyRoutes: Route[] = [];
  const governed = new Map<ResolvedPolicy, Route[]>();
  for (const p of routeLevel) {
    if (p.matches.length === 0) {
      governed.set(p, [...routes.slice(0, splitRoutes), catchAll, ...policyRoutes]);
      continue;
    }
    if (split) {
      const same = split.matches.length === p.matches.length && split.matches.every((c) => p.matches.some((x) => x.origin === c.origin));
      if (same) governed.set(p, routes.slice(0, splitRoutes));
      else note(p, `spec.matches: ServiceRouter ${name} already routes by the matches of ${objectRef(split.split)}; Consul takes the first matching route, so a policy narrowed to other matches is not applied`, 'Unsupported');
      continue;
    }
    const mine = p.matches.map((c) => {
      const http = httpMatch(c);
      return isEmptyMatch(http) ? { destination: { service: name } } : { match: { http }, destination: { service: name } };
    });
    policyRoutes.push(...mine);
    governed.set(p, mine);
  }
  // Policies without matches also govern routes added for narrowed ones.
  for (const [p, rs] of governed) if (p.matches.length === 0) for (const r of policyRoutes) if (!rs.includes(r)) rs.push(r);
  const retried = new Set<Route>();
  for (const p of [...governed.keys()].sort((a, b) => (a.policy.kind === 'RetryPolicy' ? -1 : 0) - (b.policy.kind === 'RetryPolicy' ? -1 : 0))) {
    for (const r of governed.get(p) ?? []) {
      applyRoute(r.destination, p, retried.has(r), note);
      if (p.policy.kind === 'RetryPolicy') retried.add(r);
    }
  }
  const usesCatchAll = [...governed.values()].some((rs) => rs.includes(catchAll));
  const all = [...routes, ...policyRoutes, ...(usesCatchAll ? [catchAll] : [])];
  if (!governed.size) return;
  const sources = [...governed.keys()].map((p) => p.policy);
  if (existing) {
    (existing.object.spec as { routes: Route[] }).routes = all;
    addSources(existing.sources, ...sources);
    for (const s of sources) {
      addSourceAnnotation(existing.object.metadata, s);
      const uid = s.metadata.uid;
      if (uid) (existing.object.metadata.ownerReferences ??= []).push({ apiVersion: s.apiVersion, kind: s.kind, name: s.metadata.name, uid });
    }
  } else {
    defaults.setProtocol(svc.namespace, name, 'http', sources[0] as KubeObject);
    sink.emit('ServiceRouter', name, svc.namespace, name, { routes: all }, sources);
  }
  for (const p of governed.keys()) note(p, `governs ${governed.get(p)?.length} route(s) of ServiceRouter ${svc.namespace}/${name}`);
}

function applyRoute(d: Record<string, unknown>, p: ResolvedPolicy, retried: boolean, note: (p: ResolvedPolicy, m: string, s?: ResultStatus) => void): void {
  const pol = p.policy;
  if (pol.kind === 'TimeoutPolicy') {
    const req = ms(pol.spec.request);
    const backend = ms(pol.spec.backendRequest);
    // Consul has no per-try timeout: without retries one attempt is the request, so the shorter bounds it.
    let whole = req;
    if (backend !== undefined && !retried) whole = req === undefined || req === 0 ? backend : Math.min(req, backend);
    else if (backend !== undefined) note(p, 'spec.backendRequest: Consul has no per-try timeout; with retries only spec.request bounds the request');
    if (whole !== undefined && whole > 0) d.requestTimeout = goDuration(whole);
    const idle = ms(pol.spec.idle);
    if (idle !== undefined && idle > 0) d.idleTimeout = goDuration(idle);
  } else if (pol.kind === 'RetryPolicy') {
    d.numRetries = pol.spec.attempts;
    const on = pol.spec.retryOn ?? [];
    if (on.includes('connect-failure')) d.retryOnConnectFailure = true;
    const rest = on.filter((x) => x !== 'connect-failure');
    if (rest.length) d.retryOn = rest;
    if (pol.spec.statusCodes?.length) d.retryOnStatusCodes = pol.spec.statusCodes;
    if (pol.spec.perTryTimeout) note(p, 'spec.perTryTimeout: Consul has no per-try timeout; not applied (attempts are bounded by the request timeout only)');
    if (pol.spec.backoff) note(p, 'spec.backoff: Consul uses Envoy\'s default back-off (25 ms base); not applied');
  }
}

function renderResolver(ps: ResolvedPolicy[], svc: ServiceInfo, name: string, sink: RenderSink): void {
  const timeout = ps.find((p) => p.policy.kind === 'TimeoutPolicy' && p.policy.spec.connect);
  if (!timeout || timeout.policy.kind !== 'TimeoutPolicy') return;
  const connect = ms(timeout.policy.spec.connect);
  if (!connect) return;
  const existing = sink.emitted.find((e) => e.entry.kind === 'ServiceResolver' && e.entry.name === name && e.object.metadata.namespace === svc.namespace);
  if (existing) {
    (existing.object.spec as Record<string, unknown>).connectTimeout = goDuration(connect);
    addSources(existing.sources, timeout.policy);
  } else {
    sink.emit('ServiceResolver', name, svc.namespace, name, { connectTimeout: goDuration(connect) }, [timeout.policy]);
  }
  sink.note(timeout.policy, `spec.connect: applied as ServiceResolver ${svc.namespace}/${name} connectTimeout`);
}
