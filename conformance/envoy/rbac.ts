// Envoy's RBAC engine (envoy.config.rbac.v3) as the HTTP filter (envoy.filters.http.rbac) and the network
// filter (envoy.filters.network.rbac) apply it: a policy matches when one of its permissions and one of its
// principals match; ALLOW lets through only what some policy matches, DENY stops what some policy matches,
// LOG changes nothing. Shadow rules only count statistics.

import { headerMatcher, pathMatcher, stringMatcher, type Request } from './matchers.js';
import { Refusal, arr, known, num, obj, oneOf, str, type Json } from './refuse.js';
import { and, not, or, type Tri } from './tri.js';

/** What the RBAC engine knows about a connection. */
export interface PeerConnection {
  /** The port (and address) the connection was made to, after original_dst. */
  destinationIp: string;
  destinationPort: number;
  /** The peer's address as seen by this Envoy (no PROXY protocol, no XFF trust). */
  sourceIp: string;
  /** SNI the client sent, if TLS. */
  serverName?: string;
  /** The client certificate, when the connection is TLS and the client presented one. */
  peerCertificate?: { uriSans: string[]; dnsSans?: string[]; subject?: string };
}

/**
 * `request`: the HTTP request (HTTP filter); 'none': the network filter, which sees no headers; undefined: an HTTP
 * filter asked about a whole connection, whatever request it carries (HTTP attributes unknown).
 */
export type RbacRequest = Request | 'none' | undefined;

const http = (r: RbacRequest): Request | undefined => (r === 'none' ? { method: '', path: '', authority: '', headers: {} } : r);

function ipInCidr(ip: string, cidr: unknown, path: string): boolean {
  const c = obj(cidr, path);
  known(c, path, ['address_prefix', 'prefix_len']);
  const prefix = str(c.address_prefix, `${path}.address_prefix`);
  const len = c.prefix_len === undefined ? 32 : num(c.prefix_len, `${path}.prefix_len`);
  const v4 = (s: string): number | undefined => {
    const p = s.split('.').map(Number);
    return p.length === 4 && p.every((x) => Number.isInteger(x) && x >= 0 && x < 256) ? ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0 : undefined;
  };
  const a = v4(ip);
  const b = v4(prefix);
  if (a === undefined || b === undefined) throw new Refusal(path, `only IPv4 is implemented (${ip} in ${prefix}/${len})`);
  if (len === 0) return true;
  const mask = len >= 32 ? 0xffffffff : (0xffffffff << (32 - len)) >>> 0;
  return (a & mask) === (b & mask);
}

export function permission(p: unknown, c: PeerConnection, r: RbacRequest, path: string): Tri {
  const o = obj(p, path);
  const kind = oneOf(o, path, ['and_rules', 'or_rules', 'any', 'header', 'url_path', 'destination_ip', 'destination_port', 'destination_port_range', 'not_rule', 'requested_server_name']);
  switch (kind) {
    case 'and_rules':
    case 'or_rules': {
      const set = obj(o[kind], `${path}.${kind}`);
      known(set, `${path}.${kind}`, ['rules']);
      const rs = arr(set.rules, `${path}.${kind}.rules`).map((x, i) => permission(x, c, r, `${path}.${kind}.rules[${i}]`));
      return kind === 'and_rules' ? and(rs) : or(rs);
    }
    case 'any':
      return o.any === true;
    case 'header':
      return headerMatcher(o.header, http(r), `${path}.header`);
    case 'url_path':
      return r === 'none' ? false : pathMatcher(o.url_path, r, `${path}.url_path`);
    case 'destination_ip':
      return ipInCidr(c.destinationIp, o.destination_ip, `${path}.destination_ip`);
    case 'destination_port':
      return c.destinationPort === num(o.destination_port, `${path}.destination_port`);
    case 'destination_port_range': {
      const rg = obj(o.destination_port_range, `${path}.destination_port_range`);
      known(rg, `${path}.destination_port_range`, ['start', 'end']);
      // Int32Range: start inclusive, end exclusive.
      return c.destinationPort >= num(rg.start ?? 0, `${path}.start`) && c.destinationPort < num(rg.end ?? 0, `${path}.end`);
    }
    case 'not_rule':
      return not(permission(o.not_rule, c, r, `${path}.not_rule`));
    case 'requested_server_name':
      return c.serverName !== undefined && stringMatcher(o.requested_server_name, c.serverName, `${path}.requested_server_name`);
    default:
      throw new Refusal(`${path}.${kind}`, 'not implemented');
  }
}

/** `authenticated.principal_name`: the URI SANs, then the DNS SANs, then the subject of the peer certificate. */
function authenticated(a: unknown, c: PeerConnection, path: string): boolean {
  const o = obj(a, path);
  known(o, path, ['principal_name']);
  const cert = c.peerCertificate;
  if (!cert) return false;
  if (o.principal_name === undefined) return true;
  const m = (v: string) => stringMatcher(o.principal_name, v, `${path}.principal_name`);
  if (cert.uriSans.some(m)) return true;
  if ((cert.dnsSans ?? []).some(m)) return true;
  return cert.uriSans.length === 0 && (cert.dnsSans ?? []).length === 0 && cert.subject !== undefined && m(cert.subject);
}

export function principal(p: unknown, c: PeerConnection, r: RbacRequest, path: string): Tri {
  const o = obj(p, path);
  const kind = oneOf(o, path, ['and_ids', 'or_ids', 'any', 'authenticated', 'direct_remote_ip', 'remote_ip', 'header', 'url_path', 'not_id']);
  switch (kind) {
    case 'and_ids':
    case 'or_ids': {
      const set = obj(o[kind], `${path}.${kind}`);
      known(set, `${path}.${kind}`, ['ids']);
      const ids = arr(set.ids, `${path}.${kind}.ids`).map((x, i) => principal(x, c, r, `${path}.${kind}.ids[${i}]`));
      return kind === 'and_ids' ? and(ids) : or(ids);
    }
    case 'any':
      return o.any === true;
    case 'authenticated':
      return authenticated(o.authenticated, c, `${path}.authenticated`);
    case 'direct_remote_ip':
    case 'remote_ip':
      // Without PROXY protocol or trusted XFF hops both are the peer address.
      return ipInCidr(c.sourceIp, o[kind], `${path}.${kind}`);
    case 'header':
      return headerMatcher(o.header, http(r), `${path}.header`);
    case 'url_path':
      return r === 'none' ? false : pathMatcher(o.url_path, r, `${path}.url_path`);
    case 'not_id':
      return not(principal(o.not_id, c, r, `${path}.not_id`));
    default:
      throw new Refusal(`${path}.${kind}`, 'not implemented');
  }
}

export interface RbacDecision {
  /** `no-rules`: the filter has no `rules` and enforces nothing. */
  effect: 'allow' | 'deny' | 'no-rules' | 'unknown';
  action?: string;
  /** The policies that matched (or, for unknown, might match). */
  policies: string[];
}

/** One RBAC filter's decision (the typed_config of envoy.filters.http.rbac or envoy.filters.network.rbac). */
export function rbacFilter(config: Json, c: PeerConnection, r: RbacRequest, path: string): RbacDecision {
  known(config, path, ['rules'], ['shadow_rules', 'shadow_rules_stat_prefix', 'rules_stat_prefix', 'stat_prefix', 'track_per_rule_stats', 'enforcement_type', 'delay_deny']);
  if (config.rules === undefined) return { effect: 'no-rules', policies: [] };
  const rules = obj(config.rules, `${path}.rules`);
  known(rules, `${path}.rules`, ['action', 'policies'], ['audit_logging_options']);
  const action = rules.action === undefined ? 'ALLOW' : str(rules.action, `${path}.rules.action`);
  const matched: string[] = [];
  const maybe: string[] = [];
  for (const [name, pol] of Object.entries(obj(rules.policies ?? {}, `${path}.rules.policies`)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const pp = `${path}.rules.policies[${name}]`;
    const po = obj(pol, pp);
    known(po, pp, ['permissions', 'principals']);
    const m = and([or(arr(po.permissions, `${pp}.permissions`).map((x, i) => permission(x, c, r, `${pp}.permissions[${i}]`))), or(arr(po.principals, `${pp}.principals`).map((x, i) => principal(x, c, r, `${pp}.principals[${i}]`)))]);
    if (m === true) matched.push(name);
    else if (m === 'unknown') maybe.push(name);
  }
  if (action === 'LOG') return { effect: 'allow', action, policies: matched };
  if (action !== 'ALLOW' && action !== 'DENY') throw new Refusal(`${path}.rules.action`, `action ${action} not implemented`);
  if (matched.length > 0) return { effect: action === 'ALLOW' ? 'allow' : 'deny', action, policies: matched };
  if (maybe.length > 0) return { effect: 'unknown', action, policies: maybe };
  return { effect: action === 'ALLOW' ? 'deny' : 'allow', action, policies: [] };
}
