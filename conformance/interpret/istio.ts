// Istio semantics, read from VirtualService, AuthorizationPolicy and
// PeerAuthentication as Envoy enforces them: DENY policies first, then if any
// ALLOW policy selects the workload the request must match one of its rules;
// the first matching VirtualService http/tcp route decides where traffic goes.

import type { ServicePort, WorkloadInfo } from '../../adapters/types.js';
import type { KubeObject } from '../../schemas/hub.js';
import { meshDurationMs } from '../../schemas/duration.js';
import type { RoutePolicy } from '../types.js';
import { accessByPods, addShare, fullMatch, natives, podPort, roundShares, serviceByHost, spec, type AccessQuery, type MeshInterpreter, type SplitQuery, type Verdict, type World } from './common.js';
import { matchesLabels } from '../../adapters/common/label-match.js';

type StringMatch = { exact?: string; prefix?: string; regex?: string };

/** Istio's authorization string match: exact, `prefix*`, `*suffix`, `*`. */
function glob(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return pattern === value;
}

const anyGlob = (patterns: string[] | undefined, value: string | undefined): boolean | undefined =>
  patterns === undefined ? undefined : value !== undefined && patterns.some((p) => glob(p, value));

interface Ctx {
  principal?: string;
  namespace: string;
  port: ServicePort;
  request?: AccessQuery['request'];
}

function sourceMatches(src: Record<string, string[] | undefined>, c: Ctx): boolean {
  const checks = [anyGlob(src.principals, c.principal), anyGlob(src.namespaces, c.principal ? c.namespace : undefined)];
  const negs = [anyGlob(src.notPrincipals, c.principal), anyGlob(src.notNamespaces, c.namespace)];
  return checks.every((x) => x !== false) && negs.every((x) => x !== true);
}

function operationMatches(op: Record<string, string[] | undefined>, c: Ctx): boolean {
  const http = op.methods || op.paths || op.notMethods || op.notPaths || op.hosts;
  // HTTP-only fields never match a TCP connection.
  if (http && !c.request) return false;
  const port = String(podPort(c.port));
  const checks = [anyGlob(op.ports, port), anyGlob(op.methods, c.request?.method), anyGlob(op.paths, c.request?.path)];
  const negs = [anyGlob(op.notPorts, port), anyGlob(op.notMethods, c.request?.method), anyGlob(op.notPaths, c.request?.path)];
  return checks.every((x) => x !== false) && negs.every((x) => x !== true);
}

function conditionMatches(w: { key: string; values?: string[]; notValues?: string[] }, c: Ctx): boolean {
  let value: string | undefined;
  const header = /^request\.headers\[(.+)\]$/.exec(w.key);
  if (header) {
    if (!c.request) return false;
    value = c.request.headers?.[header[1]!.toLowerCase()];
  } else if (w.key === 'source.principal') value = c.principal;
  else if (w.key === 'source.namespace') value = c.namespace;
  else if (w.key === 'destination.port') value = String(podPort(c.port));
  else return false; // a key this interpreter does not know: never widen
  if (w.values && anyGlob(w.values, value) !== true) return false;
  if (w.notValues && anyGlob(w.notValues, value) === true) return false;
  return true;
}

type Rule = { from?: Array<{ source?: Record<string, string[]> }>; to?: Array<{ operation?: Record<string, string[]> }>; when?: Array<{ key: string; values?: string[]; notValues?: string[] }> };

function ruleMatches(r: Rule, c: Ctx): boolean {
  if (r.from && !r.from.some((f) => sourceMatches(f.source ?? {}, c))) return false;
  if (r.to && !r.to.some((t) => operationMatches(t.operation ?? {}, c))) return false;
  return (r.when ?? []).every((w) => conditionMatches(w, c));
}

function appliesTo(o: KubeObject, pod: WorkloadInfo): boolean {
  const sel = (spec(o).selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels;
  return matchesLabels(sel, pod.podLabels);
}

function mtlsDisabled(world: World, pod: WorkloadInfo): boolean {
  return natives(world, 'PeerAuthentication', pod.namespace).some((p) => appliesTo(p, pod) && (spec(p).mtls as { mode?: string } | undefined)?.mode === 'DISABLE');
}

function podVerdict(world: World, pod: WorkloadInfo, q: AccessQuery): Verdict {
  if (q.udp) {
    // Sidecar interception redirects TCP only: datagrams reach the pod with no proxy and no policy (the xds level
    // finds no UDP listener), whatever AuthorizationPolicy selects the pods.
    return { verdict: 'default', why: 'Istio does not intercept UDP: datagrams bypass the sidecar, no policy applies' };
  }
  const c: Ctx = { namespace: q.from.ns, port: q.to.port, ...(q.request ? { request: q.request } : {}) };
  if (!mtlsDisabled(world, pod)) c.principal = `${world.trustDomain}/ns/${q.from.ns}/sa/${q.from.sa}`;
  const policies = natives(world, 'AuthorizationPolicy', pod.namespace, 'security.istio.io').filter((p) => appliesTo(p, pod));
  const action = (p: KubeObject) => (spec(p).action as string | undefined) ?? 'ALLOW';
  const rules = (p: KubeObject) => (spec(p).rules as Rule[] | undefined) ?? [];
  const deny = policies.find((p) => action(p) === 'DENY' && rules(p).some((r) => ruleMatches(r, c)));
  if (deny) return { verdict: 'deny', why: `DENY AuthorizationPolicy ${deny.metadata.name} matches` };
  const allows = policies.filter((p) => action(p) === 'ALLOW');
  if (allows.length === 0) return { verdict: 'default', why: 'no ALLOW AuthorizationPolicy selects the pods' };
  const hit = allows.find((p) => rules(p).some((r) => ruleMatches(r, c)));
  return hit ? { verdict: 'allow', why: `AuthorizationPolicy ${hit.metadata.name} allows` } : { verdict: 'deny', why: `no rule of ${allows.map((p) => p.metadata.name).join(', ')} matches` };
}

function stringMatch(m: StringMatch | undefined, v: string | undefined): boolean {
  if (!m) return true;
  if (v === undefined) return false;
  if (m.exact !== undefined) return v === m.exact;
  if (m.prefix !== undefined) return v.startsWith(m.prefix);
  if (m.regex !== undefined) return fullMatch(m.regex, v);
  return true;
}

type HttpMatch = { uri?: StringMatch; method?: StringMatch; headers?: Record<string, StringMatch>; withoutHeaders?: Record<string, StringMatch>; port?: number; sourceNamespace?: string };

function httpMatch(m: HttpMatch, q: SplitQuery): boolean {
  const r = q.request!;
  if (m.port !== undefined && m.port !== q.port.port) return false;
  if (m.sourceNamespace !== undefined && m.sourceNamespace !== q.from?.ns) return false;
  if (!stringMatch(m.uri, r.path) || !stringMatch(m.method, r.method)) return false;
  for (const [h, sm] of Object.entries(m.headers ?? {})) if (!stringMatch(sm, r.headers?.[h.toLowerCase()])) return false;
  for (const [h, sm] of Object.entries(m.withoutHeaders ?? {})) if (r.headers?.[h.toLowerCase()] !== undefined && stringMatch(sm, r.headers[h.toLowerCase()])) return false;
  return true;
}

type Route = { match?: Array<HttpMatch & { port?: number }>; route?: Array<{ destination: { host: string; port?: { number?: number } }; weight?: number }> };

type RoutePolicySettings = {
  timeout?: string;
  retries?: { attempts?: number; perTryTimeout?: string; retryOn?: string; backoff?: string };
  fault?: { delay?: { fixedDelay?: string; percentage?: { value?: number } }; abort?: { httpStatus?: number; percentage?: { value?: number } } };
  mirror?: { host?: string };
  mirrorPercentage?: { value?: number };
};
type TrafficPolicy = {
  connectionPool?: { tcp?: { maxConnections?: number }; http?: { http1MaxPendingRequests?: number; http2MaxRequests?: number; maxRequestsPerConnection?: number } };
  outlierDetection?: { consecutive5xxErrors?: number; consecutiveGatewayErrors?: number; interval?: string; baseEjectionTime?: string; maxEjectionPercent?: number };
};

// What istiod writes into the Envoy route and cluster (pilot/pkg/networking/core/route/route.go, route/retry/retry.go,
// cluster_traffic_policy.go) and Envoy's defaults for what it leaves unset; sources in docs/adapters/istio.md.
/** retry.go defaultRetryOn (meshConfig.defaultHttpRetryPolicy unset): used when a route sets no retries. */
const DEFAULT_RETRY_ON = 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes';
const DEFAULT_RETRIES = 2;

/** Istio's Percent -> Envoy FractionalPercent: uint32(value * 10000) per million (route.go translatePercentToFractionalPercent). */
const istioPercent = (v: number | undefined): number => Math.trunc((v ?? 0) * 10000) / 10000;

/** The codes Go's http.StatusText knows (parseRetryOn's test for a status code). */
const GO_STATUS_TEXT = new Set([100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307, 308, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511]);

/** retry.go ConvertPolicy: the default policy without retries, none for attempts <= 0, else attempts and the given fields. */
function retryPolicy(r: RoutePolicySettings['retries'], out: RoutePolicy): void {
  if (r && !(r.attempts && r.attempts > 0)) return;
  let on = DEFAULT_RETRY_ON.split(',');
  let codes: number[] = [];
  if (r?.retryOn) {
    // parseRetryOn: integers that are HTTP statuses become retriable status codes, which need their condition.
    const parts = r.retryOn.split(',').map((x) => x.trim()).filter((x) => x !== '');
    const isCode = (x: string) => /^\d+$/.test(x) && GO_STATUS_TEXT.has(Number(x));
    codes = parts.filter(isCode).map(Number);
    on = parts.filter((x) => !isCode(x));
    if (codes.length && !on.includes('retriable-status-codes')) on.push('retriable-status-codes');
  }
  if (on.length === 0) return; // Envoy retries on no condition
  out.retryAttempts = r?.attempts ?? DEFAULT_RETRIES;
  const perTry = r?.perTryTimeout ? meshDurationMs(r.perTryTimeout) : undefined;
  if (perTry) out.perTryTimeoutMs = perTry;
  out.retryOn = [...on].sort().join(',');
  if (codes.length) out.retryStatusCodes = [...codes].sort((a, b) => a - b).join(',');
  // Envoy: base interval 25 ms unless set, maximum 10 times the base (Istio sets only the base).
  const base = (r?.backoff ? meshDurationMs(r.backoff) : undefined) ?? 25;
  out.retryBackoffBaseMs = base;
  out.retryBackoffMaxMs = base * 10;
}

/** The DestinationRule settings of one host as Envoy gets them (cluster_traffic_policy.go applyConnectionPool, applyOutlierDetection). */
function endpointSettings(tp: TrafficPolicy): RoutePolicy {
  const out: RoutePolicy = {};
  // Unset or 0 keeps Istio's default threshold, math.MaxUint32: no limit.
  const cp = tp.connectionPool;
  if (cp?.tcp?.maxConnections) out.maxConnections = cp.tcp.maxConnections;
  if (cp?.http?.http1MaxPendingRequests) out.maxPendingRequests = cp.http.http1MaxPendingRequests;
  if (cp?.http?.http2MaxRequests) out.maxRequests = cp.http.http2MaxRequests;
  if (cp?.http?.maxRequestsPerConnection) out.maxRequestsPerConnection = cp.http.maxRequestsPerConnection;
  const od = tp.outlierDetection;
  if (od) {
    // Envoy: consecutive 5xx ejection is on (5) unless set, gateway-failure ejection off unless set; 0 disables.
    const c5 = od.consecutive5xxErrors ?? 5;
    if (c5 > 0) out.ejectConsecutive5xx = c5;
    if (od.consecutiveGatewayErrors) out.ejectConsecutiveGatewayErrors = od.consecutiveGatewayErrors;
    out.ejectIntervalMs = (od.interval ? meshDurationMs(od.interval) : undefined) ?? 10_000;
    out.ejectBaseMs = (od.baseEjectionTime ? meshDurationMs(od.baseEjectionTime) : undefined) ?? 30_000;
    out.ejectMaxPercent = od.maxEjectionPercent || 10;
  }
  return out;
}

/** The VirtualService Istio uses for the Service's host: the first by name (it merges several only unreliably). */
function hostVirtualService(world: World, q: SplitQuery): KubeObject | undefined {
  const fqdn = `${q.service.name}.${q.service.namespace}.svc.${world.clusterDomain}`;
  const hostOf = (vs: KubeObject, h: string) => (h.includes('.') ? h : `${h}.${vs.metadata.namespace}.svc.${world.clusterDomain}`);
  return world.natives
    .filter((o) => o.kind === 'VirtualService' && ((spec(o).hosts as string[] | undefined) ?? []).some((h) => hostOf(o, h) === fqdn || h === fqdn))
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))[0];
}

/** The first http (or tcp) route of that VirtualService matching the request; undefined when none does or there is none. */
function matchedRoute(world: World, q: SplitQuery): { vs: KubeObject; route: Route } | undefined {
  const vs = hostVirtualService(world, q);
  if (!vs) return undefined;
  const routes = ((q.request ? spec(vs).http : spec(vs).tcp) as Route[] | undefined) ?? [];
  const route = routes.find((r) => !r.match || r.match.length === 0 || r.match.some((m) => (q.request ? httpMatch(m, q) : m.port === undefined || m.port === q.port.port)));
  return route ? { vs, route } : undefined;
}

export const istio: MeshInterpreter = {
  access: (world, q) => accessByPods(world, q, podVerdict),
  policy(world, q) {
    const out: RoutePolicy = {};
    const hit = matchedRoute(world, q);
    // A VirtualService for the host that routes the request nowhere: Envoy answers 404, nothing applies.
    if (!hit && hostVirtualService(world, q)) return out;
    // Without a VirtualService, istiod's default route (BuildDefaultHTTPOutboundRoute): no timeout, default retries.
    const r = (hit?.route ?? {}) as RoutePolicySettings;
    const timeout = r.timeout ? meshDurationMs(r.timeout) : undefined;
    if (timeout) out.timeoutMs = timeout;
    retryPolicy(r.retries, out);
    // TranslateFault: a delay or abort without percentage gets 0 %.
    if (r.fault?.delay?.fixedDelay) {
      out.faultDelayPercent = istioPercent(r.fault.delay.percentage?.value);
      out.faultDelayMs = meshDurationMs(r.fault.delay.fixedDelay) ?? 0;
    }
    if (r.fault?.abort?.httpStatus !== undefined) {
      out.faultAbortPercent = istioPercent(r.fault.abort.percentage?.value);
      out.faultAbortStatus = r.fault.abort.httpStatus;
    }
    // MirrorPercent: 100 % unless given; 0 % mirrors nothing.
    const mirrorPercent = r.mirrorPercentage ? istioPercent(r.mirrorPercentage.value) : 100;
    if (r.mirror?.host && hit && mirrorPercent > 0) {
      const svc = serviceByHost(world, r.mirror.host, hit.vs.metadata.namespace!);
      out.mirrorService = svc ? svc.name : r.mirror.host;
      out.mirrorPercent = mirrorPercent;
    }
    // Endpoint settings: the DestinationRule (the first by name, as Istio merges none) of each host the route sends
    // to; they must agree, as a split to backends with different limits has no one answer.
    const hosts = hit ? [...new Set((hit.route.route ?? []).filter((d, _, all) => all.length === 1 || (d.weight ?? 0) > 0).map((d) => serviceByHost(world, d.destination.host, hit.vs.metadata.namespace!)))] : [q.service];
    const perHost = hosts.map((svc) => {
      if (!svc) return {};
      const fqdn = `${svc.name}.${svc.namespace}.svc.${world.clusterDomain}`;
      const dr = world.natives.filter((o) => o.kind === 'DestinationRule' && o.metadata.namespace === svc.namespace && (spec(o).host === fqdn || spec(o).host === svc.name)).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))[0];
      return endpointSettings(((dr && spec(dr).trafficPolicy) ?? {}) as TrafficPolicy);
    });
    const first = perHost[0] ?? {};
    if (perHost.some((x) => JSON.stringify(x) !== JSON.stringify(first))) throw new Error('the backends of the route have different limits or ejection settings');
    return { ...out, ...first };
  },
  split(world, q) {
    const hit = matchedRoute(world, q);
    if (!hit) return q.request && hostVirtualService(world, q) ? {} : { [q.service.name]: 100 }; // no HTTP route: Envoy answers 404
    const dests = hit.route.route ?? [];
    // Weights are relative (a destination gets weight/sum); a single destination gets
    // everything whatever its weight, and with several a weight of 0 gets nothing
    // (route.go applyHTTPRouteDestination).
    const weightOf = (d: (typeof dests)[number]): number => (dests.length === 1 ? 1 : (d.weight ?? 0));
    const total = dests.reduce((n, d) => n + weightOf(d), 0);
    const acc: Record<string, number> = {};
    for (const d of dests) {
      const svc = serviceByHost(world, d.destination.host, hit.vs.metadata.namespace!);
      addShare(acc, svc ? svc.name : d.destination.host, total === 0 ? 0 : (weightOf(d) * 100) / total);
    }
    return roundShares(acc);
  },
};
