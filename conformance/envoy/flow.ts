// One connection (and the HTTP request on it, if any) through one Envoy: listener hand-off,
// filter chain, downstream TLS, then the network filters in order (RBAC, tcp_proxy, or the
// HTTP connection manager with its HTTP filters and route table). The answer says where the
// request goes (clusters and weights) or why it stops, and which RBAC filters decided.

import { handOff, listenerName, selectFilterChain, type Connection } from './listener.js';
import { pathOnly, stringMatcher, type Request } from './matchers.js';
import { rbacFilter, type PeerConnection, type RbacDecision, type RbacRequest } from './rbac.js';
import { Refusal, arr, known, num, obj, oneOf, str, type Json } from './refuse.js';
import { routeAction, routeRequest, type RouteTarget } from './route.js';

/** What an Envoy got over xDS: resources as protojson with proto field names. */
export interface EnvoyConfig {
  listeners: unknown[];
  routes: unknown[];
  clusters: unknown[];
}

export interface RbacStep {
  filter: string;
  path: string;
  decision: RbacDecision;
}

export type Outcome =
  | { kind: 'closed'; reason: string; listener: string; rbac: RbacStep[] }
  | { kind: 'denied'; reason: string; listener: string; chain: string; rbac: RbacStep[] }
  | { kind: 'forwarded'; listener: string; chain: string; clusters: Array<{ name: string; weight: number }>; route?: RouteTarget; rbac: RbacStep[]; hcm?: Json; chainConfig: Json; faultFilters?: string[] }
  | { kind: 'direct-response' | 'no-route'; listener: string; chain: string; route: RouteTarget; rbac: RbacStep[]; hcm?: Json; chainConfig: Json };

const typeOf = (tc: Json): string => {
  const t = String(tc['@type'] ?? '');
  const short = t.slice(t.lastIndexOf('/') + 1);
  if (short === 'udpa.type.v1.TypedStruct' || short === 'xds.type.v3.TypedStruct') {
    const inner = String(tc.type_url ?? '');
    return inner.slice(inner.lastIndexOf('/') + 1);
  }
  return short;
};

const NET_RBAC = 'envoy.extensions.filters.network.rbac.v3.RBAC';
const HTTP_RBAC = 'envoy.extensions.filters.http.rbac.v3.RBAC';
const TCP_PROXY = 'envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy';
const HCM = 'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager';
const ROUTER = 'envoy.extensions.filters.http.router.v3.Router';
/** Network filters that neither stop nor redirect a connection: Istio's peer metadata exchange. */
const INERT_NETWORK = ['envoy.tcp.metadataexchange.config.MetadataExchange'];
/** HTTP filters that neither stop nor reroute the requests asked about (statistics, ALPN, peer metadata). */
const INERT_HTTP = ['io.istio.http.peer_metadata.Config', 'envoy.extensions.filters.http.grpc_stats.v3.FilterConfig', 'istio.envoy.config.filter.http.alpn.v2alpha1.FilterConfig', 'stats.PluginConfig'];

const HCM_USED = ['rds', 'route_config', 'http_filters', 'normalize_path', 'merge_slashes', 'path_with_escaped_slashes_action', 'strip_any_host_port', 'strip_matching_host_port'];
const HCM_INERT = ['stat_prefix', 'tracing', 'server_name', 'stream_idle_timeout', 'use_remote_address', 'forward_client_cert_details', 'set_current_client_cert_details', 'proxy_100_continue', 'upgrade_configs', 'request_id_extension', 'access_log', 'generate_request_id', 'preserve_external_request_id', 'xff_num_trusted_hops', 'internal_address_config', 'common_http_protocol_options', 'http_protocol_options', 'http2_protocol_options', 'delayed_close_timeout', 'codec_type', 'request_timeout', 'drain_timeout', 'max_request_headers_kb', 'always_set_request_id_in_response', 'server_header_transformation', 'add_user_agent'];

function peer(c: Connection): PeerConnection {
  return {
    destinationIp: c.destinationIp,
    destinationPort: c.destinationPort,
    sourceIp: c.sourceIp,
    ...(c.tls?.serverName ? { serverName: c.tls.serverName } : {}),
    ...(c.tls?.clientCertificate ? { peerCertificate: c.tls.clientCertificate } : {}),
  };
}

/** The downstream TLS handshake: a client certificate when required, and its SANs against match_subject_alt_names. */
function downstreamTls(ts: Json, c: Connection, path: string): string | undefined {
  known(ts, path, ['name', 'typed_config']);
  const tc = obj(ts.typed_config, `${path}.typed_config`);
  const t = typeOf(tc);
  if (t === 'envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer') return undefined;
  if (t !== 'envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext') throw new Refusal(`${path}.typed_config`, `transport socket ${t} not implemented`);
  if (!c.tls) return 'plaintext on a TLS filter chain: the handshake fails';
  known(tc, `${path}.typed_config`, ['common_tls_context', 'require_client_certificate'], ['session_timeout', 'disable_stateless_session_resumption', 'full_scan_certs_on_sni_mismatch', 'ocsp_staple_policy']);
  const ctx = obj(tc.common_tls_context ?? {}, `${path}.typed_config.common_tls_context`);
  // Certificates and trust come over SDS: the client's certificate is assumed to chain to the trusted CA.
  known(ctx, `${path}.typed_config.common_tls_context`, ['combined_validation_context', 'validation_context'], ['tls_params', 'tls_certificate_sds_secret_configs', 'tls_certificates', 'alpn_protocols', 'validation_context_sds_secret_config']);
  const cert = c.tls.clientCertificate;
  if (tc.require_client_certificate === true && !cert) return 'the chain requires a client certificate and the client presented none';
  const vc = ctx.combined_validation_context !== undefined ? obj(obj(ctx.combined_validation_context, `${path}.cvc`).default_validation_context ?? {}, `${path}.cvc.default_validation_context`) : obj(ctx.validation_context ?? {}, `${path}.validation_context`);
  const vp = `${path}.typed_config.common_tls_context.validation_context`;
  known(vc, vp, ['match_subject_alt_names', 'match_typed_subject_alt_names'], ['trusted_ca']);
  if (ctx.combined_validation_context !== undefined) known(obj(ctx.combined_validation_context, vp), vp, ['default_validation_context'], ['validation_context_sds_secret_config']);
  const sans = [...(cert?.uriSans ?? []), ...(cert?.dnsSans ?? [])];
  const legacy = arr(vc.match_subject_alt_names, `${vp}.match_subject_alt_names`);
  const typed = arr(vc.match_typed_subject_alt_names, `${vp}.match_typed_subject_alt_names`);
  if (cert && (legacy.length > 0 || typed.length > 0)) {
    const ok =
      legacy.some((m, i) => sans.some((s) => stringMatcher(m, s, `${vp}.match_subject_alt_names[${i}]`))) ||
      typed.some((m, i) => {
        const tp = `${vp}.match_typed_subject_alt_names[${i}]`;
        const o = obj(m, tp);
        known(o, tp, ['san_type', 'matcher']);
        const list = o.san_type === 'URI' ? (cert.uriSans ?? []) : o.san_type === 'DNS' ? (cert.dnsSans ?? []) : undefined;
        if (!list) throw new Refusal(`${tp}.san_type`, `${String(o.san_type)} not implemented`);
        return list.some((s) => stringMatcher(o.matcher, s, `${tp}.matcher`));
      });
    if (!ok) return `the client certificate (${sans.join(', ')}) matches none of the accepted subject alt names`;
  }
  return undefined;
}

/** Paths that HCM normalisation (normalize_path, merge_slashes, escaped slashes) could change: not implemented. */
function needsNormalisation(p: string): boolean {
  const path = pathOnly(p);
  return /\/\/|\/\.\.?(\/|$)|%|\\/.test(path) || !path.startsWith('/');
}

/**
 * Where a connection accepted by listener `entry` (by name) goes, with its HTTP request if it carries one. Without a
 * request on an HTTP filter chain the question is about every request the connection may carry: answered only when
 * the answer is the same for all of them; `authority` is then the Host those requests use.
 */
export function handle(cfg: EnvoyConfig, entry: string, c: Connection, request?: Request, authority?: string): Outcome {
  const idx = cfg.listeners.findIndex((l, i) => listenerName(l, i) === entry);
  if (idx < 0) throw new Refusal(`listener ${entry}`, 'no such listener in the configuration');
  const l = handOff(cfg.listeners, obj(cfg.listeners[idx], `listener ${entry}`), c);
  const lname = String(l.name);
  const lpath = `listener ${lname}`;
  const choice = selectFilterChain(l, c, lpath);
  const rbac: RbacStep[] = [];
  if (!choice.chain) return { kind: 'closed', reason: 'no filter chain matches and there is no default filter chain', listener: lname, rbac };
  const chain = choice.chain;
  const cp = choice.path;
  const cname = String(chain.name ?? cp);
  known(chain, cp, ['filter_chain_match', 'filters', 'transport_socket'], ['name', 'transport_socket_connect_timeout', 'metadata']);
  // A TLS client on a chain without a TLS transport socket is passed through undecrypted: no client certificate here.
  const passthrough = c.tls !== undefined && (chain.transport_socket === undefined || String(((chain.transport_socket as Json).typed_config as Json | undefined)?.['@type'] ?? '').endsWith('RawBuffer'));
  const tlsProblem = chain.transport_socket !== undefined && !passthrough ? downstreamTls(obj(chain.transport_socket, `${cp}.transport_socket`), c, `${cp}.transport_socket`) : undefined;
  if (tlsProblem) return { kind: 'closed', reason: `${cname}: ${tlsProblem}`, listener: lname, rbac };
  const p = peer(passthrough ? { ...c, tls: { alpn: c.tls!.alpn, ...(c.tls!.serverName ? { serverName: c.tls!.serverName } : {}) } } : c);
  const filters = arr(chain.filters, `${cp}.filters`);
  for (let i = 0; i < filters.length; i++) {
    const fp = `${cp}.filters[${i}]`;
    const f = obj(filters[i], fp);
    known(f, fp, ['name', 'typed_config']);
    const tc = obj(f.typed_config, `${fp}.typed_config`);
    const t = typeOf(tc);
    const fname = String(f.name ?? t);
    if (INERT_NETWORK.includes(t)) continue;
    if (t === NET_RBAC) {
      const d = rbacFilter(tc, p, 'none', `${fp}.typed_config`);
      rbac.push({ filter: fname, path: fp, decision: d });
      if (d.effect === 'deny') return { kind: 'denied', reason: `${fname} (${d.action}) ${d.policies.length ? `policy ${d.policies.join(', ')}` : 'no policy matches'}`, listener: lname, chain: cname, rbac };
      continue;
    }
    if (t === TCP_PROXY) {
      known(tc, `${fp}.typed_config`, ['cluster', 'weighted_clusters'], ['stat_prefix', 'access_log', 'idle_timeout', 'max_connect_attempts', 'hash_policy', 'access_log_options']);
      const kind = oneOf(tc, `${fp}.typed_config`, ['cluster', 'weighted_clusters'], ['stat_prefix', 'access_log', 'idle_timeout', 'max_connect_attempts', 'hash_policy', 'access_log_options']);
      const clusters = kind === 'cluster' ? [{ name: str(tc.cluster, `${fp}.typed_config.cluster`), weight: 1 }] : weighted(tc.weighted_clusters, `${fp}.typed_config.weighted_clusters`);
      return { kind: 'forwarded', listener: lname, chain: cname, clusters, rbac, chainConfig: chain };
    }
    if (t === HCM) {
      if (passthrough) throw new Refusal(fp, 'HTTP on a TLS connection the chain does not terminate: not implemented');
      return http(cfg, tc, c, p, request, request?.authority ?? authority, { lname, cname, fp, chain, rbac });
    }
    throw new Refusal(`${fp}`, `network filter ${t} not implemented`);
  }
  throw new Refusal(cp, 'the filter chain ends without a terminal filter');
}

function weighted(w: unknown, path: string): Array<{ name: string; weight: number }> {
  const o = obj(w, path);
  known(o, path, ['clusters']);
  return arr(o.clusters, `${path}.clusters`).map((c, i) => {
    const co = obj(c, `${path}.clusters[${i}]`);
    known(co, `${path}.clusters[${i}]`, ['name', 'weight']);
    return { name: str(co.name, `${path}.clusters[${i}].name`), weight: num(co.weight ?? 0, `${path}.clusters[${i}].weight`) };
  });
}

function http(cfg: EnvoyConfig, hcm: Json, c: Connection, p: PeerConnection, request: Request | undefined, host: string | undefined, at: { lname: string; cname: string; fp: string; chain: Json; rbac: RbacStep[] }): Outcome {
  const hp = `${at.fp}.typed_config`;
  known(hcm, hp, HCM_USED, HCM_INERT);
  if (request && (hcm.normalize_path === true || hcm.merge_slashes === true || (hcm.path_with_escaped_slashes_action ?? 'KEEP_UNCHANGED') !== 'KEEP_UNCHANGED') && needsNormalisation(request.path)) {
    throw new Refusal(`${hp}.normalize_path`, `path normalisation of ${JSON.stringify(request.path)} not implemented`);
  }
  if (request?.headers?.origin !== undefined) throw new Refusal(hp, 'CORS requests (an Origin header) are not implemented');
  const base = { listener: at.lname, chain: at.cname, rbac: at.rbac, hcm, chainConfig: at.chain };
  const filters = arr(hcm.http_filters, `${hp}.http_filters`);
  // Fault filters before the router, by name: a route's typed_per_filter_config entry under that name configures them.
  const faultFilters: string[] = [];
  for (let i = 0; i < filters.length; i++) {
    const fp = `${hp}.http_filters[${i}]`;
    const f = obj(filters[i], fp);
    known(f, fp, ['name', 'typed_config'], ['is_optional']);
    const tc = obj(f.typed_config, `${fp}.typed_config`);
    const t = typeOf(tc);
    const fname = String(f.name ?? t);
    if (INERT_HTTP.includes(t)) continue;
    if (t === 'envoy.extensions.filters.http.fault.v3.HTTPFault' || t === 'envoy.extensions.filters.http.cors.v3.Cors') {
      // Empty fault/CORS filters act only through per-route configuration: the fault filter's is read by policy.ts,
      // CORS's is refused by route.ts.
      known(tc, `${fp}.typed_config`, []);
      if (t === 'envoy.extensions.filters.http.fault.v3.HTTPFault') faultFilters.push(fname);
      continue;
    }
    if (t === HTTP_RBAC) {
      const r: RbacRequest = request;
      const d = rbacFilter(tc, p, r, `${fp}.typed_config`);
      at.rbac.push({ filter: fname, path: fp, decision: d });
      if (d.effect === 'unknown') throw new Refusal(fp, `the decision depends on the HTTP request (policies ${d.policies.join(', ')}), and the question is about a whole connection`);
      if (d.effect === 'deny') return { kind: 'denied', reason: `${fname} (${d.action}) ${d.policies.length ? `policy ${d.policies.join(', ')}` : 'no policy matches'}`, listener: at.lname, chain: at.cname, rbac: at.rbac };
      continue;
    }
    if (t === ROUTER) break;
    throw new Refusal(fp, `HTTP filter ${t} not implemented`);
  }
  let rc: Json;
  if (hcm.rds !== undefined) {
    const name = str(obj(hcm.rds, `${hp}.rds`).route_config_name, `${hp}.rds.route_config_name`);
    const found = cfg.routes.find((r) => (r as Json | null)?.name === name);
    if (!found) throw new Refusal(`${hp}.rds`, `route configuration ${name} was not received`);
    rc = obj(found, `route ${name}`);
  } else rc = obj(hcm.route_config, `${hp}.route_config`);
  if (host === undefined) throw new Refusal(hp, 'a question about a whole HTTP connection needs the Host its requests use');
  let authority = host;
  if (hcm.strip_any_host_port === true || (hcm.strip_matching_host_port === true && authority.endsWith(`:${c.destinationPort}`))) authority = authority.replace(/:\d+$/, '');
  const target = routeRequest(rc, request, authority, `route ${String(rc.name ?? '(inline)')}`, faultFilters);
  if (target.kind === 'clusters') return { kind: 'forwarded', ...base, clusters: target.clusters, route: target, faultFilters };
  return { kind: target.kind, ...base, route: target };
}

export { routeAction };
