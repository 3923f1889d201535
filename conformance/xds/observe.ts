// The xds level's observations: a scenario's questions asked of the Envoy configuration istiod generated for the
// fake sidecars. The client's sidecar routes the request (virtualOutbound, original destination = the Service's
// ClusterIP and port); each endpoint's sidecar accepts it (virtualInbound, original destination = pod IP and target
// port) over the transport the client's cluster picks for that endpoint. What is Istio's (how traffic reaches the
// two listeners, which identity the client's certificate carries, the ALPN its istio.alpn filter sets, which Service a
// cluster stands for) is here; what is Envoy's is in ../envoy/.

import type { ServicePort } from '../../adapters/types.js';
import { clusterSettings, findCluster, handle, Refusal, routeSettings, upstreamTransport, type ClusterSettings, type Connection, type EnvoyConfig, type Outcome, type Request } from '../envoy/index.js';
import { serviceSelects } from '../../adapters/common/label-match.js';
import type { Json } from '../envoy/refuse.js';
import { comparePolicy } from '../evaluate.js';
import type { AccessVerdict, Assertion, HttpRequest, NsMap, RoutePolicy } from '../types.js';
import { TLS_MODE_LABEL, type FakePod } from './workloads.js';

export interface XdsService {
  name: string;
  namespace: string;
  clusterIP: string;
  ports: ServicePort[];
  selector?: Record<string, string>;
}

export interface XdsWorld {
  services: XdsService[];
  pods: FakePod[];
  /** Envoy configuration per pod (`<ns>/<name>`). */
  configs: Map<string, EnvoyConfig>;
  /** istiod's mesh trust domain: the one in the workload certificates its CA issues. */
  trustDomain: string;
  clusterDomain: string;
}

export interface Observation {
  ok: boolean;
  detail: string;
}

const HTTP_APP_PROTOCOLS = ['http', 'http2', 'grpc', 'kubernetes.io/h2c'];

const fqdn = (w: XdsWorld, s: XdsService) => `${s.name}.${s.namespace}.svc.${w.clusterDomain}`;
const configOf = (w: XdsWorld, p: FakePod): EnvoyConfig => {
  const c = w.configs.get(`${p.namespace}/${p.name}`);
  if (!c) throw new Error(`xds level: no Envoy configuration fetched for ${p.namespace}/${p.name}`);
  return c;
};

function clientPod(w: XdsWorld, ns: string, sa: string): FakePod {
  const p = w.pods.find((x) => x.namespace === ns && x.serviceAccount === sa);
  if (!p) throw new Error(`xds level: no pod runs as ${ns}/${sa}`);
  return p;
}

const toRequest = (r: HttpRequest, authority: string): Request => ({ method: r.method, path: r.path, authority, headers: r.headers ?? {} });

/** The client sidecar's decision for a request to Service `svc` port `port` (no request: a connection). */
function outbound(w: XdsWorld, client: FakePod, svc: XdsService, port: ServicePort, request?: HttpRequest): { out: Outcome; req?: Request; authority: string; conn: Connection } {
  const authority = `${fqdn(w, svc)}:${port.port}`;
  const h2 = ['http2', 'grpc', 'kubernetes.io/h2c'].includes(port.appProtocol ?? '') || /^(http2|grpc)(-|$)/.test(port.name ?? '');
  const speaksHttp = request !== undefined || h2 || HTTP_APP_PROTOCOLS.includes(port.appProtocol ?? '') || /^http(-|$)/.test(port.name ?? '');
  // What the application sends: HTTP/2 without TLS (h2c) on gRPC and HTTP/2 ports, else HTTP/1.1.
  const conn: Connection = { destinationIp: svc.clusterIP, destinationPort: port.port, sourceIp: client.ip, ...(speaksHttp ? { plaintextHttp: h2 ? ('h2c' as const) : ('http/1.1' as const) } : {}) };
  const req = request ? toRequest(request, authority) : undefined;
  return { out: handle(configOf(w, client), 'virtualOutbound', conn, req, authority), ...(req ? { req } : {}), authority, conn };
}

/** The Service an outbound cluster stands for, from the cluster's own `istio` metadata. */
function clusterService(w: XdsWorld, cfg: EnvoyConfig, name: string): { svc?: XdsService; port?: number; cluster?: Json; why?: string } {
  const cluster = findCluster(cfg.clusters, name);
  if (!cluster) return { why: `cluster ${name} does not exist (Envoy answers 503)` };
  const services = ((cluster.metadata as Json | undefined)?.filter_metadata as Json | undefined)?.istio as { services?: Array<{ name: string; namespace: string }> } | undefined;
  const ref = services?.services?.[0];
  if (!ref) return { cluster, why: `cluster ${name} is not a Service of the mesh` };
  const svc = w.services.find((s) => s.name === ref.name && s.namespace === ref.namespace);
  const port = /^outbound\|(\d+)\|/.exec(name)?.[1];
  return svc ? { svc, cluster, ...(port ? { port: Number(port) } : {}) } : { cluster, why: `cluster ${name} names Service ${ref.namespace}/${ref.name}, which the scenario does not have` };
}

/** ALPN the client offers upstream: istio.alpn's override for HTTP/1.1 when the request went through an HTTP chain, else the TLS context's. */
function upstreamAlpn(out: Outcome, tlsAlpn: string[], h2: boolean): string[] {
  const hcm = 'hcm' in out ? out.hcm : undefined;
  if (!hcm) return tlsAlpn;
  const f = ((hcm.http_filters as Json[] | undefined) ?? []).find((x) => String((x.typed_config as Json | undefined)?.['@type'] ?? '').endsWith('istio.envoy.config.filter.http.alpn.v2alpha1.FilterConfig'));
  const overrides = ((f?.typed_config as Json | undefined)?.alpn_override as Array<{ upstream_protocol?: string; alpn_override: string[] }> | undefined) ?? [];
  return overrides.find((o) => o.upstream_protocol === (h2 ? 'HTTP2' : 'HTTP11'))?.alpn_override ?? tlsAlpn;
}

function podTargetPort(pod: FakePod, port: ServicePort): number | undefined {
  const t = port.targetPort ?? port.port;
  return typeof t === 'number' ? t : pod.ports[t];
}

/** Per endpoint of the cluster: the server sidecar's decision. */
function inbound(w: XdsWorld, client: FakePod, o: ReturnType<typeof outbound>, svc: XdsService, servicePort: number, cluster: Json): Array<{ pod: FakePod; verdict: AccessVerdict; why: string }> {
  const sp = svc.ports.find((p) => p.port === servicePort);
  if (!sp) throw new Error(`xds level: Service ${svc.namespace}/${svc.name} has no port ${servicePort}`);
  const pods = w.pods.filter((p) => p.namespace === svc.namespace && serviceSelects(svc.selector, p.labels));
  return pods.map((pod) => {
    const target = podTargetPort(pod, sp);
    if (target === undefined) return { pod, verdict: 'deny' as const, why: `${pod.name} has no port ${String(sp.targetPort)}` };
    // Istio puts the pod's tlsMode label into the endpoint's envoy.transport_socket_match metadata ("disabled" without it).
    const up = upstreamTransport(cluster, { tlsMode: pod.labels[TLS_MODE_LABEL] ?? 'disabled' }, `cluster ${String(cluster.name)}`);
    const conn: Connection = {
      destinationIp: pod.ip,
      destinationPort: target,
      sourceIp: client.ip,
      ...(up.tls
        ? { tls: { ...(up.sni ? { serverName: up.sni } : {}), alpn: upstreamAlpn(o.out, up.alpn, o.conn.plaintextHttp === 'h2c'), ...(up.presentsCertificate ? { clientCertificate: { uriSans: [`spiffe://${w.trustDomain}/ns/${client.namespace}/sa/${client.serviceAccount}`] } } : {}) } }
        : o.conn.plaintextHttp ? { plaintextHttp: o.conn.plaintextHttp } : {}),
    };
    const r = handle(configOf(w, pod), 'virtualInbound', conn, o.req, o.authority);
    const tls = up.tls ? 'mTLS' : 'plaintext';
    if (r.kind === 'closed') return { pod, verdict: 'deny' as const, why: `${pod.name}: connection closed (${tls}): ${r.reason}` };
    if (r.kind === 'denied') return { pod, verdict: 'deny' as const, why: `${pod.name}: ${r.reason}` };
    if (r.kind !== 'forwarded') return { pod, verdict: 'deny' as const, why: `${pod.name}: ${r.kind}` };
    const enforcing = r.rbac.filter((s) => s.decision.effect !== 'no-rules');
    if (enforcing.length === 0) return { pod, verdict: 'default' as const, why: `${pod.name}: no RBAC filter (${tls})` };
    return { pod, verdict: 'allow' as const, why: `${pod.name}: ${enforcing.map((s) => `${s.filter} ${s.decision.action} ${s.decision.policies.join(',') || '(no policy denies)'}`).join('; ')} (${tls})` };
  });
}

/** May `from` reach Service `svc` on `port` with this request (none: a connection; udp: a datagram)? */
export function access(w: XdsWorld, from: { ns: string; sa: string }, svc: XdsService, port: ServicePort, request: HttpRequest | undefined, udp: boolean): { verdict: AccessVerdict; why: string } {
  const client = clientPod(w, from.ns, from.sa);
  if (udp) {
    const listens = configOf(w, client).listeners.some((l) => JSON.stringify((l as Json).address ?? {}).includes('"UDP"'));
    // Sidecar interception redirects TCP only: datagrams reach the pod with no proxy, hence no policy.
    return listens ? { verdict: 'deny', why: 'a UDP listener exists: not implemented' } : { verdict: 'default', why: 'no Envoy listener carries UDP: datagrams bypass the sidecars' };
  }
  const o = outbound(w, client, svc, port, request);
  const out = o.out;
  if (out.kind === 'closed' || out.kind === 'denied') return { verdict: 'deny', why: `client sidecar: ${out.reason}` };
  if (out.kind !== 'forwarded') return { verdict: 'deny', why: out.kind === 'no-route' ? 'client sidecar: no route (404)' : `client sidecar: direct response ${String(out.route.status)}` };
  if (out.route?.action && request) {
    const abort = routeSettings(out.route.action, out.route.vhostRetryPolicy, out.route.perFilterConfig, out.faultFilters ?? [], request.headers, 'client route').fault?.abort;
    // Some requests end at the client's fault filter, the others go on: not one verdict.
    if (abort && abort.percent > 0) throw new Refusal('client route fault', `${abort.percent}% of the requests are aborted with ${abort.httpStatus} by fault injection: access is not a yes/no answer`);
  }
  const results: Array<{ verdict: AccessVerdict; why: string }> = [];
  for (const c of out.clusters.filter((x) => x.weight > 0)) {
    const cs = clusterService(w, configOf(w, client), c.name);
    if (!cs.svc || !cs.cluster || cs.port === undefined) {
      results.push({ verdict: 'deny', why: `client sidecar: ${cs.why ?? `cluster ${c.name} has no port`}` });
      continue;
    }
    const rs = inbound(w, client, o, cs.svc, cs.port, cs.cluster);
    if (rs.length === 0) results.push({ verdict: 'default', why: `no endpoints behind ${cs.svc.name}` });
    results.push(...rs);
  }
  const first = results[0];
  if (!first) return { verdict: 'deny', why: 'the route has no cluster with a weight' };
  const why = results.map((r) => r.why).join('; ');
  return results.every((r) => r.verdict === first.verdict) ? { verdict: first.verdict, why } : { verdict: 'deny', why: `endpoints disagree: ${why}` };
}

/** The clusters (and weights) the client sidecar sends this request or connection to; none: 404 or a direct response. */
export function routeClusters(w: XdsWorld, from: { ns: string; sa: string }, svc: XdsService, port: ServicePort, request?: HttpRequest): Array<{ name: string; weight: number }> {
  const out = outbound(w, clientPod(w, from.ns, from.sa), svc, port, request).out;
  if (out.kind === 'closed' || out.kind === 'denied') throw new Error(`client sidecar: ${out.reason}`);
  return out.kind === 'forwarded' ? out.clusters : [];
}

function split(w: XdsWorld, from: { ns: string; sa: string }, svc: XdsService, port: ServicePort, request?: HttpRequest): Record<string, number> {
  const client = clientPod(w, from.ns, from.sa);
  const out = outbound(w, client, svc, port, request).out;
  if (out.kind === 'closed' || out.kind === 'denied') throw new Error(`client sidecar: ${out.reason}`);
  if (out.kind !== 'forwarded') return {};
  const total = out.clusters.reduce((s, c) => s + c.weight, 0);
  const shares: Record<string, number> = {};
  for (const c of out.clusters) {
    const cs = clusterService(w, configOf(w, client), c.name);
    const name = cs.svc?.name ?? c.name;
    shares[name] = (shares[name] ?? 0) + (c.weight * 100) / total;
  }
  for (const k of Object.keys(shares)) shares[k] = Math.round(shares[k]! * 1000) / 1000;
  return shares;
}

/** Istio's "no limit" (math.MaxUint32, cluster_traffic_policy.go getDefaultCircuitBreakerThresholds). */
const UNLIMITED = 4294967295;

/** What the client sidecar applies to this request: its route's settings and those of the clusters it picks. */
export function policyOf(w: XdsWorld, from: { ns: string; sa: string }, svc: XdsService, port: ServicePort, request: HttpRequest): RoutePolicy {
  const client = clientPod(w, from.ns, from.sa);
  const cfg = configOf(w, client);
  const out = outbound(w, client, svc, port, request).out;
  if (out.kind === 'closed' || out.kind === 'denied') throw new Error(`client sidecar: ${out.reason}`);
  if (out.kind !== 'forwarded' || !out.route?.action) return {};
  const rs = routeSettings(out.route.action, out.route.vhostRetryPolicy, out.route.perFilterConfig, out.faultFilters ?? [], request.headers, `route ${out.route.route ?? ''}`);
  const p: RoutePolicy = {};
  if (rs.timeoutMs !== undefined) p.timeoutMs = rs.timeoutMs;
  if (rs.retry) {
    p.retryAttempts = rs.retry.numRetries;
    if (rs.retry.perTryTimeoutMs !== undefined) p.perTryTimeoutMs = rs.retry.perTryTimeoutMs;
    p.retryOn = [...rs.retry.retryOn].sort().join(',');
    if (rs.retry.retriableStatusCodes.length) p.retryStatusCodes = [...rs.retry.retriableStatusCodes].sort((a, b) => a - b).join(',');
    p.retryBackoffBaseMs = rs.retry.backoffBaseMs;
    p.retryBackoffMaxMs = rs.retry.backoffMaxMs;
  }
  if (rs.fault?.delay) {
    p.faultDelayPercent = rs.fault.delay.percent;
    p.faultDelayMs = rs.fault.delay.fixedDelayMs;
  }
  if (rs.fault?.abort) {
    p.faultAbortPercent = rs.fault.abort.percent;
    p.faultAbortStatus = rs.fault.abort.httpStatus;
  }
  if (rs.mirrors.length > 1) throw new Error(`the route mirrors to ${rs.mirrors.length} clusters; one is modelled`);
  const m = rs.mirrors[0];
  if (m) {
    const cs = clusterService(w, cfg, m.cluster);
    if (!cs.svc) throw new Error(`mirror: ${cs.why ?? m.cluster}`);
    p.mirrorService = cs.svc.name;
    p.mirrorPercent = m.percent;
  }
  // The clusters the request may go to must agree (a split to backends with different limits has no one answer).
  const settings: Array<{ name: string; s: ClusterSettings }> = [];
  for (const c of out.clusters.filter((x) => x.weight > 0)) {
    const cluster = findCluster(cfg.clusters, c.name);
    if (!cluster) throw new Error(`cluster ${c.name} does not exist`);
    settings.push({ name: c.name, s: clusterSettings(cluster, `cluster ${c.name}`) });
  }
  const first = settings[0];
  if (!first) return p;
  const differ = settings.find((x) => JSON.stringify(x.s) !== JSON.stringify(first.s));
  if (differ) throw new Error(`clusters ${first.name} and ${differ.name} of the route have different limits or ejection settings`);
  const limit = (v: number) => (v === UNLIMITED ? undefined : v);
  const c = first.s;
  const set = (k: 'maxConnections' | 'maxPendingRequests' | 'maxRequests', v: number) => {
    const l = limit(v);
    if (l !== undefined) p[k] = l;
  };
  set('maxConnections', c.maxConnections);
  set('maxPendingRequests', c.maxPendingRequests);
  set('maxRequests', c.maxRequests);
  if (c.maxRequestsPerConnection !== undefined) p.maxRequestsPerConnection = c.maxRequestsPerConnection;
  if (c.outlier) {
    if (c.outlier.consecutive5xx !== undefined) p.ejectConsecutive5xx = c.outlier.consecutive5xx;
    if (c.outlier.consecutiveGatewayFailure !== undefined) p.ejectConsecutiveGatewayErrors = c.outlier.consecutiveGatewayFailure;
    p.ejectIntervalMs = c.outlier.intervalMs;
    p.ejectBaseMs = c.outlier.baseEjectionMs;
    p.ejectMaxPercent = c.outlier.maxEjectionPercent;
  }
  return p;
}

const sameShares = (a: Record<string, number>, b: Record<string, number>): boolean => [...new Set([...Object.keys(a), ...Object.keys(b)])].every((k) => Math.abs((a[k] ?? 0) - (b[k] ?? 0)) < 0.5);
const fmtShares = (s: Record<string, number>): string =>
  Object.keys(s).length === 0 ? 'no route (404)' : Object.entries(s).sort(([x], [y]) => x.localeCompare(y)).map(([k, v]) => `${k} ${v}%`).join(', ');

/** One access or split assertion, observed in the Envoy configuration. */
export function observeXds(w: XdsWorld, a: Assertion, ns: NsMap): Observation {
  try {
    if (a.kind === 'access') {
      const svc = w.services.find((s) => s.name === a.to.service && s.namespace === ns(a.to.ns ?? 'app'));
      const port = svc?.ports.find((p) => p.port === a.to.port);
      if (!svc || !port) return { ok: false, detail: `scenario error: no Service ${a.to.service}:${a.to.port}` };
      const v = access(w, { ns: ns(a.from.ns ?? 'app'), sa: a.from.sa }, svc, port, a.request, a.udp === true);
      return { ok: v.verdict === a.expect, detail: `${v.verdict} (${v.why})${v.verdict === a.expect ? '' : `; expected ${a.expect}`}` };
    }
    if (a.kind === 'split') {
      const svc = w.services.find((s) => s.name === a.service && s.namespace === ns(a.ns ?? 'app'));
      const port = svc?.ports.find((p) => p.port === a.port);
      if (!svc || !port) return { ok: false, detail: `scenario error: no Service ${a.service}:${a.port}` };
      if (!a.from) return { ok: false, detail: 'scenario error: the xds level needs the client (from) of a split assertion' };
      const got = split(w, { ns: ns(a.from.ns ?? 'app'), sa: a.from.sa }, svc, port, a.request);
      const ok = sameShares(got, a.expect);
      return { ok, detail: `${fmtShares(got)}${ok ? '' : `; expected ${fmtShares(a.expect)}`}` };
    }
    if (a.kind === 'policy') {
      const svc = w.services.find((s) => s.name === a.service && s.namespace === ns(a.ns ?? 'app'));
      const port = svc?.ports.find((p) => p.port === a.port);
      if (!svc || !port) return { ok: false, detail: `scenario error: no Service ${a.service}:${a.port}` };
      if (!a.from) return { ok: false, detail: 'scenario error: the xds level needs the client (from) of a policy assertion' };
      return comparePolicy(policyOf(w, { ns: ns(a.from.ns ?? 'app'), sa: a.from.sa }, svc, port, a.request), a.expect);
    }
    return { ok: false, detail: `${a.kind} assertions are observed through the API` };
  } catch (e) {
    return { ok: false, detail: e instanceof Refusal ? `not evaluated: ${e.message}` : `xds level error: ${(e as Error).message}` };
  }
}
