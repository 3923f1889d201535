// Policies -> Istio. Route-level settings (timeout, retries, fault, mirror) go into
// the ONE VirtualService of the target host: the split's if there is one (Istio
// merges VirtualServices of one host only unreliably), else a new one that routes to
// the Service itself. Endpoint settings go into one DestinationRule per host,
// tracing into a Telemetry. Facts and sources: docs/adapters/istio.md.

import { objectRef, type KubeObject } from '../../schemas/hub.js';
import { durationMs, secondsText } from '../../schemas/duration.js';
import type { HttpCondition, RenderNote, ResolvedPolicy } from '../common/model.js';
import { addSourceAnnotation, managedMetadata, nativeName } from '../common/meta.js';
import type { MeshOptions, ServiceInfo } from '../types.js';
import { DESTINATION_RULE, serviceFqdn, TELEMETRY, VIRTUAL_SERVICE } from './kinds.js';
import { classifyPort } from './protocol.js';
import { httpMatchRequest } from './virtualservice.js';

type Route = Record<string, unknown> & { name?: string; match?: unknown[] };
type Note = (p: ResolvedPolicy, message: string, status?: RenderNote['status']) => void;

const ROUTE_KINDS = ['TimeoutPolicy', 'RetryPolicy', 'FaultInjectionPolicy', 'MirrorPolicy'] as const;
const ms = (d: string | undefined): number | undefined => (d === undefined ? undefined : durationMs(d));

const hasHttp = (s: ServiceInfo): boolean => s.ports.some((p) => ['http', 'sniffed'].includes(classifyPort(p)));

function addOwner(vs: KubeObject, p: ResolvedPolicy): void {
  addSourceAnnotation(vs.metadata, p.policy);
  const uid = p.policy.metadata.uid;
  if (!uid) return;
  const owners = (vs.metadata.ownerReferences ??= []);
  if (!owners.some((o) => o.uid === uid)) owners.push({ apiVersion: p.policy.apiVersion, kind: p.policy.kind, name: p.policy.metadata.name, uid });
}

/** The routes a policy governs; routes for its matches are added when the table has no matches of its own. */
function governedRoutes(http: Route[], p: ResolvedPolicy, note: Note): Route[] | undefined {
  if (p.matches.length === 0) return http;
  const out: Route[] = [];
  for (const c of p.matches) {
    const existing = http.filter((r) => r.name === c.origin || r.name?.startsWith(`${c.origin}#`));
    if (existing.length > 0) {
      out.push(...existing);
      continue;
    }
    if (http.some((r) => r.match !== undefined)) {
      note(p, `spec.matches: ${c.origin} is not one of the matches the Service's VirtualService already routes by (${http.filter((r) => r.match).map((r) => r.name).join(', ')}); Istio takes the first matching route, so the policy cannot be combined with them and is not applied`, 'Unsupported');
      return undefined;
    }
    out.push(insertRoute(http, c));
  }
  return out;
}

/** A copy of the catch-all route gated by the condition, placed before it: routing stays the same, only the settings differ. */
function insertRoute(http: Route[], c: HttpCondition): Route {
  const catchAll = http[http.length - 1] as Route;
  const r: Route = { ...structuredClone(catchAll), name: c.origin, match: [httpMatchRequest(c)] };
  const firstPlain = http.findIndex((x) => x.match === undefined);
  http.splice(firstPlain < 0 ? http.length : firstPlain, 0, r);
  return r;
}

function applyToRoute(route: Route, p: ResolvedPolicy, retried: boolean, domain: string, note: Note): void {
  const pol = p.policy;
  switch (pol.kind) {
    case 'TimeoutPolicy': {
      const req = ms(pol.spec.request);
      const backend = ms(pol.spec.backendRequest);
      // backendRequest is a per-try timeout when a RetryPolicy governs the route (set there). Otherwise the route
      // keeps Istio's default retries, which take no per-try timeout without being replaced: the shorter of the two
      // bounds the whole request, hence every attempt (never longer).
      const whole = retried || backend === undefined ? req : req === undefined || req === 0 ? backend : Math.min(req, backend);
      if (whole !== undefined) route.timeout = secondsText(whole);
      if (retried && backend) route.retries = { ...(route.retries as object), perTryTimeout: (route.retries as { perTryTimeout?: string } | undefined)?.perTryTimeout ?? secondsText(backend) };
      break;
    }
    case 'RetryPolicy': {
      const s = pol.spec;
      const retries: Record<string, unknown> = { ...(route.retries as object), attempts: s.attempts };
      const on = [...(s.retryOn ?? []), ...(s.statusCodes ?? []).map(String)];
      if (on.length) retries.retryOn = on.join(',');
      const perTry = ms(s.perTryTimeout);
      if (perTry) retries.perTryTimeout = secondsText(perTry);
      const base = ms(s.backoff?.baseInterval);
      if (base) retries.backoff = secondsText(base);
      if (s.backoff?.maxInterval !== undefined) note(p, 'spec.backoff.maxInterval: Istio sets only the base interval; Envoy caps the back-off at 10 times it', undefined);
      route.retries = retries;
      break;
    }
    case 'FaultInjectionPolicy': {
      const fault: Record<string, unknown> = {};
      if (pol.spec.delay) fault.delay = { fixedDelay: secondsText(ms(pol.spec.delay.fixedDelay) ?? 0), percentage: { value: pol.spec.delay.percentage } };
      if (pol.spec.abort) fault.abort = { httpStatus: pol.spec.abort.httpStatus, percentage: { value: pol.spec.abort.percentage } };
      route.fault = fault;
      break;
    }
    case 'MirrorPolicy': {
      const m = p.mirror as ServiceInfo;
      const mirror: Record<string, unknown> = { host: serviceFqdn(m.name, m.namespace, domain) };
      if (pol.spec.backendRef.port !== undefined) mirror.port = { number: pol.spec.backendRef.port };
      route.mirror = mirror;
      route.mirrorPercentage = { value: pol.spec.percentage ?? 100 };
      break;
    }
    default:
      break;
  }
}

function destinationRuleSpec(ps: ResolvedPolicy[], note: Note): Record<string, unknown> | undefined {
  const tcp: Record<string, unknown> = {};
  const http: Record<string, unknown> = {};
  let outlier: Record<string, unknown> | undefined;
  for (const p of ps) {
    const pol = p.policy;
    if (pol.kind === 'TimeoutPolicy') {
      const connect = ms(pol.spec.connect);
      const idle = ms(pol.spec.idle);
      if (connect) tcp.connectTimeout = secondsText(connect);
      if (idle) http.idleTimeout = secondsText(idle);
      if (pol.spec.connect === '0s' || pol.spec.idle === '0s') note(p, 'spec: a 0s connect or idle timeout keeps Istio\'s default (Istio rejects 0)');
    } else if (pol.kind === 'CircuitBreakerPolicy') {
      const cp = pol.spec.connectionPool;
      if (cp?.maxConnections !== undefined) tcp.maxConnections = cp.maxConnections;
      if (cp?.maxPendingRequests !== undefined) http.http1MaxPendingRequests = cp.maxPendingRequests;
      if (cp?.maxRequestsPerConnection !== undefined) http.maxRequestsPerConnection = cp.maxRequestsPerConnection;
      if (cp?.maxConcurrentRequests !== undefined) http.http2MaxRequests = cp.maxConcurrentRequests;
      const od = pol.spec.outlierDetection;
      if (od) {
        outlier = {};
        if (od.consecutive5xxErrors !== undefined) outlier.consecutive5xxErrors = od.consecutive5xxErrors;
        // Istio leaves Envoy's consecutive_5xx unset when consecutive5xxErrors is, and Envoy then ejects after 5
        // consecutive 5xx: naming only gateway errors must not turn 5xx ejection on as well.
        else if (od.consecutiveGatewayErrors !== undefined) outlier.consecutive5xxErrors = 0;
        if (od.consecutiveGatewayErrors !== undefined) outlier.consecutiveGatewayErrors = od.consecutiveGatewayErrors;
        const interval = ms(od.interval);
        const base = ms(od.baseEjectionTime);
        if (interval) outlier.interval = secondsText(interval);
        if (base) outlier.baseEjectionTime = secondsText(base);
        if (od.maxEjectionPercent !== undefined) outlier.maxEjectionPercent = od.maxEjectionPercent;
      }
    }
  }
  const pool: Record<string, unknown> = {};
  if (Object.keys(tcp).length) pool.tcp = tcp;
  if (Object.keys(http).length) pool.http = http;
  const tp: Record<string, unknown> = {};
  if (Object.keys(pool).length) tp.connectionPool = pool;
  if (outlier) tp.outlierDetection = outlier;
  return Object.keys(tp).length ? { trafficPolicy: tp } : undefined;
}

export interface PolicyRender {
  objects: KubeObject[];
  notes: RenderNote[];
}

/** Applies the policies to the rendered objects (VirtualServices are edited in place) and adds DestinationRules and Telemetries. */
export function renderPolicies(objects: KubeObject[], policies: readonly ResolvedPolicy[], options: MeshOptions): PolicyRender {
  const notes: RenderNote[] = [];
  const note: Note = (p, message, status) => notes.push(status ? { object: objectRef(p.policy), status, message } : { object: objectRef(p.policy), message });
  const added: KubeObject[] = [];
  const byService = new Map<string, ResolvedPolicy[]>();
  for (const p of policies) {
    if (!p.service) continue;
    const k = `${p.namespace}/${p.service.name}`;
    byService.set(k, [...(byService.get(k) ?? []), p]);
  }
  for (const ps of byService.values()) {
    const svc = ps[0]!.service as ServiceInfo;
    const host = serviceFqdn(svc.name, svc.namespace, options.clusterDomain);
    const routeLevel = ps.filter((p) => (ROUTE_KINDS as readonly string[]).includes(p.policy.kind) && !(p.policy.kind === 'TimeoutPolicy' && !p.policy.spec.request && !p.policy.spec.backendRequest));
    if (routeLevel.length > 0) renderRouteLevel(objects, added, routeLevel, svc, host, options, note);
    const dr = destinationRuleSpec(ps, note);
    if (dr) {
      const sources = ps.filter((p) => p.policy.kind === 'CircuitBreakerPolicy' || p.policy.kind === 'TimeoutPolicy').map((p) => p.policy);
      added.push({ apiVersion: DESTINATION_RULE.apiVersion, kind: DESTINATION_RULE.kind, metadata: managedMetadata(nativeName('smi-policy', svc.name), svc.namespace, 'istio', sources), spec: { host, ...dr } });
      for (const p of ps.filter((x) => x.policy.kind === 'CircuitBreakerPolicy')) {
        note(p, `applied as DestinationRule ${svc.namespace}/${nativeName('smi-policy', svc.name)} (host ${host}); traffic a TrafficSplit sends to other backend Services uses their own settings`);
      }
    }
    for (const p of ps.filter((x) => x.policy.kind === 'RateLimitPolicy')) {
      note(p, 'spec.local: Istio has no rate-limit API besides EnvoyFilter, which depends on Envoy internals and breaks across upgrades; nothing is emitted', 'Unsupported');
    }
  }
  for (const p of policies.filter((x) => x.policy.kind === 'TracingPolicy')) {
    const t = renderTelemetry(p, note);
    if (t) added.push(t);
  }
  return { objects: [...objects, ...added], notes };
}

function renderRouteLevel(objects: KubeObject[], added: KubeObject[], ps: ResolvedPolicy[], svc: ServiceInfo, host: string, options: MeshOptions, note: Note): void {
  let vs = objects.find((o) => o.kind === VIRTUAL_SERVICE.kind && (o.spec as { hosts?: string[] }).hosts?.[0] === host);
  if (!vs) {
    if (!hasHttp(svc)) {
      for (const p of ps) note(p, `spec.targetRef: Service ${svc.namespace}/${svc.name} has no HTTP port Istio routes; nothing is applied`, 'Unsupported');
      return;
    }
    vs = {
      apiVersion: VIRTUAL_SERVICE.apiVersion,
      kind: VIRTUAL_SERVICE.kind,
      metadata: managedMetadata(nativeName('smi-policy', svc.name), svc.namespace, 'istio', []),
      spec: { hosts: [host], http: [{ name: 'smi-default', route: [{ destination: { host } }] }] },
    };
    added.push(vs);
  }
  const http = (vs.spec as { http?: Route[] }).http;
  if (!http?.length) {
    for (const p of ps) note(p, `spec.targetRef: VirtualService ${vs.metadata.namespace}/${vs.metadata.name} of Service ${svc.name} routes no HTTP (its split has no HTTP port); nothing is applied`, 'Unsupported');
    return;
  }
  // Retries first: a TimeoutPolicy's backendRequest becomes their per-try timeout.
  const order = [...ps].sort((a, b) => ROUTE_KINDS.indexOf(a.policy.kind as never) - ROUTE_KINDS.indexOf(b.policy.kind as never));
  const retriedRoutes = new Set<Route>();
  for (const p of [...order.filter((x) => x.policy.kind === 'RetryPolicy'), ...order.filter((x) => x.policy.kind !== 'RetryPolicy')]) {
    const routes = governedRoutes(http, p, note);
    if (!routes) continue;
    for (const r of routes) {
      applyToRoute(r, p, retriedRoutes.has(r), options.clusterDomain, note);
      if (p.policy.kind === 'RetryPolicy') retriedRoutes.add(r);
    }
    addOwner(vs, p);
    note(p, `governs route(s) ${routes.map((r) => r.name).join(', ')} of VirtualService ${vs.metadata.namespace}/${vs.metadata.name}`);
  }
  // A TimeoutPolicy with backendRequest on a route without retries: say how it was applied.
  for (const p of order.filter((x) => x.policy.kind === 'TimeoutPolicy')) {
    const pol = p.policy as Extract<ResolvedPolicy['policy'], { kind: 'TimeoutPolicy' }>;
    if (pol.spec.backendRequest && !order.some((x) => x.policy.kind === 'RetryPolicy')) {
      note(p, 'spec.backendRequest: without a RetryPolicy the route keeps Istio\'s default retries (2, on connect failures, refused streams and unavailable/cancelled gRPC), which take no per-try timeout; the route timeout is the shorter of request and backendRequest, so it bounds every attempt');
    }
  }
  if (!vs.metadata.labels?.['smi-operator.io/source'] && vs.metadata.labels) {
    const first = order[0]!.policy;
    Object.assign(vs.metadata, managedMetadata(vs.metadata.name, vs.metadata.namespace as string, 'istio', [first]), { ownerReferences: vs.metadata.ownerReferences });
    if (!vs.metadata.ownerReferences) delete vs.metadata.ownerReferences;
    for (const x of order) addSourceAnnotation(vs.metadata, x.policy);
  }
}

function renderTelemetry(p: ResolvedPolicy, note: Note): KubeObject | undefined {
  const pol = p.policy as Extract<ResolvedPolicy['policy'], { kind: 'TracingPolicy' }>;
  const tracing: Record<string, unknown> = { randomSamplingPercentage: pol.spec.samplingPercentage };
  if (pol.spec.provider) tracing.providers = [{ name: pol.spec.provider }];
  const spec: Record<string, unknown> = { tracing: [tracing] };
  if (p.service) {
    if (!p.service.selector) {
      note(p, `spec.targetRef: Service ${p.namespace}/${p.service.name} has no selector, so no workload can be selected; nothing is emitted`, 'Unsupported');
      return undefined;
    }
    spec.selector = { matchLabels: p.service.selector };
    note(p, 'spec.targetRef: Telemetry selects the pods behind the Service by its selector; it applies to all their traffic, including through other Services');
  }
  note(p, pol.spec.provider ? `spec.provider: ${pol.spec.provider} must be defined in meshConfig.extensionProviders; Istio ignores an unknown provider` : 'spec.provider: absent, so the mesh default tracing provider (meshConfig.defaultProviders.tracing) is used');
  const name = nativeName('smi-tracing', p.service?.name ?? 'namespace');
  return { apiVersion: TELEMETRY.apiVersion, kind: TELEMETRY.kind, metadata: managedMetadata(name, p.namespace, 'istio', [pol]), spec };
}
