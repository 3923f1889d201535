// HTTP routing (envoy.config.route.v3): the virtual host by :authority (exact domain,
// then the longest suffix wildcard, the longest prefix wildcard, then "*"), the first
// route whose match holds, and its action's clusters and weights.

import { headerMatcher, pathOnly, re2Full, type Request } from './matchers.js';
import { Refusal, arr, known, num, obj, oneOf, str, type Json } from './refuse.js';
import { and, type Tri } from './tri.js';

const ROUTE_CONFIG_USED = ['name', 'virtual_hosts', 'ignore_port_in_host_matching'];
const ROUTE_CONFIG_INERT = ['validate_clusters', 'max_direct_response_body_size_bytes', 'request_headers_to_add', 'request_headers_to_remove', 'response_headers_to_add', 'response_headers_to_remove', 'internal_only_headers', 'most_specific_header_mutations_wins'];
// retry_policy is read by policy.ts (the route's own one takes precedence).
const VHOST_USED = ['name', 'domains', 'routes', 'require_tls', 'retry_policy'];
const VHOST_INERT = ['include_request_attempt_count', 'include_attempt_count_in_response', 'virtual_clusters', 'request_headers_to_add', 'request_headers_to_remove', 'response_headers_to_add', 'response_headers_to_remove', 'hedge_policy', 'metadata', 'per_request_buffer_limit_bytes'];
const ROUTE_USED = ['match', 'route', 'direct_response', 'typed_per_filter_config'];
const ROUTE_INERT = ['name', 'metadata', 'decorator', 'request_headers_to_add', 'request_headers_to_remove', 'response_headers_to_add', 'response_headers_to_remove', 'tracing', 'per_request_buffer_limit_bytes', 'stat_prefix'];
const MATCH_USED = ['prefix', 'path', 'safe_regex', 'path_separated_prefix', 'case_sensitive', 'headers'];
const ACTION_USED = ['cluster', 'weighted_clusters'];
// Where a request goes does not depend on these; the timeout, retry, mirror and stream-duration settings are read by policy.ts.
const ACTION_INERT = ['timeout', 'idle_timeout', 'retry_policy', 'max_grpc_timeout', 'grpc_timeout_offset', 'max_stream_duration', 'request_mirror_policies', 'hash_policy', 'upgrade_configs', 'host_rewrite_literal', 'auto_host_rewrite', 'priority', 'rate_limits', 'cors', 'hedge_policy', 'internal_redirect_policy', 'cluster_not_found_response_code', 'append_x_forwarded_host'];

/** Virtual host matching on the Host header (lower-cased; the port dropped when the configuration says so). */
export function selectVirtualHost(rc: Json, authority: string, path: string): { vhost: Json; path: string } | undefined {
  known(rc, path, ROUTE_CONFIG_USED, ROUTE_CONFIG_INERT);
  let host = authority.toLowerCase();
  if (rc.ignore_port_in_host_matching === true) host = host.replace(/:\d+$/, '');
  const vhosts = arr(rc.virtual_hosts, `${path}.virtual_hosts`).map((v, i) => ({ v: obj(v, `${path}.virtual_hosts[${i}]`), p: `${path}.virtual_hosts[${i}]` }));
  const domains = (x: { v: Json; p: string }) => arr(x.v.domains, `${x.p}.domains`).map((d) => str(d, `${x.p}.domains`).toLowerCase());
  const exact = vhosts.find((x) => domains(x).includes(host));
  if (exact) return { vhost: exact.v, path: exact.p };
  // Wildcards must match at least one character ("*.foo.com" does not match ".foo.com").
  let best: { x: { v: Json; p: string }; len: number } | undefined;
  for (const x of vhosts) {
    for (const d of domains(x)) {
      if (d.length > 1 && d.startsWith('*') && host.length > d.length - 1 && host.endsWith(d.slice(1)) && (!best || d.length > best.len)) best = { x, len: d.length };
    }
  }
  if (best) return { vhost: best.x.v, path: best.x.p };
  for (const x of vhosts) {
    for (const d of domains(x)) {
      if (d.length > 1 && d.endsWith('*') && host.length > d.length - 1 && host.startsWith(d.slice(0, -1)) && (!best || d.length > best.len)) best = { x, len: d.length };
    }
  }
  if (best) return { vhost: best.x.v, path: best.x.p };
  const star = vhosts.find((x) => domains(x).includes('*'));
  return star ? { vhost: star.v, path: star.p } : undefined;
}

export function routeMatches(m: unknown, r: Request | undefined, path: string): Tri {
  const o = obj(m, path);
  const kind = oneOf(o, path, ['prefix', 'path', 'safe_regex', 'path_separated_prefix'], MATCH_USED.filter((k) => !['prefix', 'path', 'safe_regex', 'path_separated_prefix'].includes(k)));
  const caseSensitive = o.case_sensitive === undefined || o.case_sensitive === true;
  const headers = and(arr(o.headers, `${path}.headers`).map((h, i) => headerMatcher(h, r, `${path}.headers[${i}]`)));
  if (!r) {
    // A connection-level question: only an unconditional match is known to hold.
    if (headers === false) return false;
    // Every request path starts with "/".
    return kind === 'prefix' && (o.prefix === '' || o.prefix === '/') ? headers : 'unknown';
  }
  const fold = (s: string) => (caseSensitive ? s : s.toLowerCase());
  let pathOk: boolean;
  if (kind === 'prefix') pathOk = fold(r.path).startsWith(fold(str(o.prefix, `${path}.prefix`)));
  else if (kind === 'path') pathOk = fold(pathOnly(r.path)) === fold(str(o.path, `${path}.path`));
  else if (kind === 'path_separated_prefix') {
    const p = fold(pathOnly(r.path));
    const want = fold(str(o.path_separated_prefix, `${path}.path_separated_prefix`));
    pathOk = p === want || p.startsWith(`${want}/`);
  } else {
    const rx = obj(o.safe_regex, `${path}.safe_regex`);
    known(rx, `${path}.safe_regex`, ['regex', 'google_re2']);
    // case_sensitive does not apply to safe_regex.
    pathOk = re2Full(str(rx.regex, `${path}.safe_regex.regex`), pathOnly(r.path), `${path}.safe_regex`);
  }
  return pathOk ? headers : false;
}

export interface RouteTarget {
  kind: 'clusters' | 'direct-response' | 'no-route';
  /** Cluster name -> weight (the share is weight / sum of weights). */
  clusters: Array<{ name: string; weight: number }>;
  status?: number;
  /** Which virtual host and route decided (names, or their paths in the configuration). */
  virtualHost?: string;
  route?: string;
  /** The route's action (timeout, retries, mirrors: see policy.ts), the virtual host's retry policy, and the route's per-filter configuration. */
  action?: Json;
  vhostRetryPolicy?: unknown;
  perFilterConfig?: Json;
}

export function routeAction(a: unknown, path: string): Array<{ name: string; weight: number }> {
  const o = obj(a, path);
  const kind = oneOf(o, path, ACTION_USED, ACTION_INERT);
  if (kind === 'cluster') return [{ name: str(o.cluster, `${path}.cluster`), weight: 1 }];
  const wc = obj(o.weighted_clusters, `${path}.weighted_clusters`);
  known(wc, `${path}.weighted_clusters`, ['clusters', 'total_weight']);
  const clusters = arr(wc.clusters, `${path}.weighted_clusters.clusters`).map((c, i) => {
    const cp = `${path}.weighted_clusters.clusters[${i}]`;
    const co = obj(c, cp);
    known(co, cp, ['name', 'weight'], ['request_headers_to_add', 'request_headers_to_remove', 'response_headers_to_add', 'response_headers_to_remove', 'host_rewrite_literal']);
    return { name: str(co.name, `${cp}.name`), weight: co.weight === undefined ? 0 : num(co.weight, `${cp}.weight`) };
  });
  const sum = clusters.reduce((s, c) => s + c.weight, 0);
  if (wc.total_weight !== undefined && num(wc.total_weight, `${path}.weighted_clusters.total_weight`) !== sum) {
    throw new Refusal(`${path}.weighted_clusters.total_weight`, `is ${String(wc.total_weight)} but the weights sum to ${sum} (Envoy rejects this)`);
  }
  if (sum === 0) throw new Refusal(`${path}.weighted_clusters`, 'weights sum to 0 (Envoy rejects this)');
  return clusters;
}

/**
 * The route an HTTP request takes in a route configuration (undefined request: a connection-level question).
 * `perRouteFilters`: the HTTP filters of the chain whose per-route configuration is implemented (any other is refused).
 */
export function routeRequest(rc: Json, r: Request | undefined, authority: string, path: string, perRouteFilters: readonly string[] = []): RouteTarget {
  const vh = selectVirtualHost(rc, authority, path);
  if (!vh) return { kind: 'no-route', clusters: [] };
  known(vh.vhost, vh.path, VHOST_USED, VHOST_INERT);
  if (vh.vhost.require_tls !== undefined && vh.vhost.require_tls !== 'NONE') throw new Refusal(`${vh.path}.require_tls`, 'not implemented');
  const vname = String(vh.vhost.name ?? vh.path);
  const routes = arr(vh.vhost.routes, `${vh.path}.routes`);
  for (let i = 0; i < routes.length; i++) {
    const rp = `${vh.path}.routes[${i}]`;
    const route = obj(routes[i], rp);
    known(route, rp, ROUTE_USED, ROUTE_INERT);
    const perFilter = route.typed_per_filter_config === undefined ? undefined : obj(route.typed_per_filter_config, `${rp}.typed_per_filter_config`);
    for (const k of Object.keys(perFilter ?? {})) if (!perRouteFilters.includes(k)) throw new Refusal(`${rp}.typed_per_filter_config.${k}`, 'not implemented');
    const m = routeMatches(route.match, r, `${rp}.match`);
    if (m === 'unknown') throw new Refusal(`${rp}.match`, 'the route depends on the HTTP request, and the question is about a whole connection');
    if (!m) continue;
    const name = String(route.name ?? (route.decorator as Json | undefined)?.operation ?? rp);
    if (route.direct_response !== undefined) {
      const dr = obj(route.direct_response, `${rp}.direct_response`);
      known(dr, `${rp}.direct_response`, ['status'], ['body']);
      return { kind: 'direct-response', clusters: [], status: num(dr.status, `${rp}.direct_response.status`), virtualHost: vname, route: name };
    }
    if (route.route === undefined) throw new Refusal(rp, 'a route without route or direct_response (redirect, filter_action, ...) is not implemented');
    return {
      kind: 'clusters',
      clusters: routeAction(route.route, `${rp}.route`),
      virtualHost: vname,
      route: name,
      action: obj(route.route, `${rp}.route`),
      ...(vh.vhost.retry_policy !== undefined ? { vhostRetryPolicy: vh.vhost.retry_policy } : {}),
      ...(perFilter ? { perFilterConfig: perFilter } : {}),
    };
  }
  return { kind: 'no-route', clusters: [], virtualHost: vname };
}
