// Which listener and filter chain take a connection: original-destination hand-off
// (use_original_dst) and FilterChainMatch in Envoy's order (destination port, destination
// IP, server name, transport protocol, application protocols, direct source IP, source
// type, source IP, source port), most specific first and without backtracking, as
// FilterChainManagerImpl::findFilterChain does; no match: the default filter chain or close.

import { Refusal, arr, known, num, obj, oneOf, str, type Json } from './refuse.js';

export interface Connection {
  /** The original destination (after iptables redirection / original_dst). */
  destinationIp: string;
  destinationPort: number;
  sourceIp: string;
  sourcePort?: number;
  /** TLS from the client: the SNI and ALPN it offers, and its certificate if it presents one. */
  tls?: { serverName?: string; alpn: string[]; clientCertificate?: { uriSans: string[]; dnsSans?: string[] } };
  /** For plaintext: what http_inspector would detect ('http/1.1', 'h2c'), or nothing when the bytes are not HTTP. */
  plaintextHttp?: 'http/1.1' | 'h2c';
}

export interface SocketAddress {
  address: string;
  port: number;
}

const LISTENER_USED = ['name', 'address', 'filter_chains', 'default_filter_chain', 'listener_filters', 'use_original_dst'];
const LISTENER_INERT = ['bind_to_port', 'traffic_direction', 'listener_filters_timeout', 'continue_on_listener_filters_timeout', 'max_connections_to_accept_per_socket_event', 'access_log', 'stat_prefix', 'per_connection_buffer_limit_bytes', 'socket_options', 'connection_balance_config', 'metadata', 'transparent', 'freebind', 'tcp_backlog_size'];

export function listenerAddress(l: Json, path: string): SocketAddress {
  const a = obj(obj(l.address, `${path}.address`).socket_address, `${path}.address.socket_address`);
  known(a, `${path}.address.socket_address`, ['address', 'port_value'], ['protocol']);
  if (a.protocol !== undefined && a.protocol !== 'TCP') throw new Refusal(`${path}.address.socket_address.protocol`, `${String(a.protocol)} listeners not implemented`);
  return { address: str(a.address, `${path}.address.socket_address.address`), port: num(a.port_value ?? 0, `${path}.address.socket_address.port_value`) };
}

export const listenerName = (l: unknown, i: number): string => String((l as Json | null)?.name ?? `listeners[${i}]`);

/**
 * The listener that handles a connection accepted by `entry`: with use_original_dst, the listener whose address is
 * the original destination exactly, else one on 0.0.0.0 with its port, else `entry` itself.
 */
export function handOff(listeners: unknown[], entry: Json, c: Connection): Json {
  known(entry, `listener ${String(entry.name)}`, LISTENER_USED, LISTENER_INERT);
  if (entry.use_original_dst !== true) return entry;
  const addr = listeners.map((l, i) => ({ l: obj(l, listenerName(l, i)), a: listenerAddress(obj(l, listenerName(l, i)), `listener ${listenerName(l, i)}`) }));
  const exact = addr.find((x) => x.l !== entry && x.a.address === c.destinationIp && x.a.port === c.destinationPort);
  const wildcard = addr.find((x) => x.l !== entry && x.a.address === '0.0.0.0' && x.a.port === c.destinationPort);
  return (exact ?? wildcard)?.l ?? entry;
}

/** What the listener filters learn about the connection (tls_inspector: TLS, SNI, ALPN; http_inspector: HTTP). */
/** ListenerFilterChainMatchPredicate: when it holds, the listener filter is skipped. */
function predicate(p: unknown, c: Connection, path: string): boolean {
  const o = obj(p, path);
  const kind = oneOf(o, path, ['or_match', 'and_match', 'not_match', 'any_match', 'destination_port_range']);
  if (kind === 'any_match') return o.any_match === true;
  if (kind === 'not_match') return !predicate(o.not_match, c, `${path}.not_match`);
  if (kind === 'destination_port_range') {
    const r = obj(o.destination_port_range, `${path}.destination_port_range`);
    known(r, `${path}.destination_port_range`, ['start', 'end']);
    return c.destinationPort >= num(r.start ?? 0, `${path}.start`) && c.destinationPort < num(r.end ?? 0, `${path}.end`);
  }
  const set = obj(o[kind], `${path}.${kind}`);
  known(set, `${path}.${kind}`, ['rules']);
  const rs = arr(set.rules, `${path}.${kind}.rules`).map((x, i) => predicate(x, c, `${path}.${kind}.rules[${i}]`));
  return kind === 'or_match' ? rs.some(Boolean) : rs.every(Boolean);
}

export function detected(l: Json, c: Connection, path: string): { transport: string; serverName: string; alpn: string[] } {
  const filters = arr(l.listener_filters, `${path}.listener_filters`).flatMap((f, i) => {
    const o = obj(f, `${path}.listener_filters[${i}]`);
    known(o, `${path}.listener_filters[${i}]`, ['name', 'typed_config', 'filter_disabled']);
    if (o.filter_disabled !== undefined && predicate(o.filter_disabled, c, `${path}.listener_filters[${i}].filter_disabled`)) return [];
    const t = String(obj(o.typed_config ?? {}, `${path}.listener_filters[${i}].typed_config`)['@type'] ?? o.name);
    return [t.slice(t.lastIndexOf('/') + 1)];
  });
  for (const f of filters) {
    if (!['envoy.extensions.filters.listener.original_dst.v3.OriginalDst', 'envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector', 'envoy.extensions.filters.listener.http_inspector.v3.HttpInspector'].includes(f)) {
      throw new Refusal(`${path}.listener_filters`, `listener filter ${f} not implemented`);
    }
  }
  const tlsInspector = filters.some((f) => f.endsWith('TlsInspector'));
  const httpInspector = filters.some((f) => f.endsWith('HttpInspector'));
  if (c.tls && tlsInspector) return { transport: 'tls', serverName: (c.tls.serverName ?? '').toLowerCase(), alpn: c.tls.alpn };
  // Without tls_inspector nothing sets the transport protocol, and "raw_buffer" is what a chain matches then.
  return { transport: 'raw_buffer', serverName: '', alpn: !c.tls && httpInspector && c.plaintextHttp ? [c.plaintextHttp] : [] };
}

const MATCH_FIELDS = ['destination_port', 'prefix_ranges', 'server_names', 'transport_protocol', 'application_protocols', 'direct_source_prefix_ranges', 'source_type', 'source_prefix_ranges', 'source_ports'];

function v4(ip: string, path: string): number {
  const p = ip.split('.').map(Number);
  if (p.length !== 4 || !p.every((x) => Number.isInteger(x) && x >= 0 && x < 256)) throw new Refusal(path, `only IPv4 is implemented (${ip})`);
  return ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0;
}

/** The length of the longest of `ranges` containing `ip` (no ranges: the catch-all, length 0), or -1. */
function longestPrefix(ranges: unknown[], ip: string, path: string): number {
  if (ranges.length === 0) return 0;
  let best = -1;
  ranges.forEach((r, i) => {
    const o = obj(r, `${path}[${i}]`);
    known(o, `${path}[${i}]`, ['address_prefix', 'prefix_len']);
    const len = o.prefix_len === undefined ? 0 : num(o.prefix_len, `${path}[${i}].prefix_len`);
    const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    if ((v4(ip, path) & mask) === (v4(str(o.address_prefix, `${path}[${i}].address_prefix`), path) & mask) && len > best) best = len;
  });
  return best;
}

interface Candidate {
  chain: Json;
  match: Json;
  path: string;
}

export interface ChainChoice {
  chain?: Json;
  /** `default`: no chain matched and the listener's default_filter_chain took it. */
  how: 'match' | 'default' | 'none';
  path: string;
}

export function selectFilterChain(l: Json, c: Connection, path: string): ChainChoice {
  const d = detected(l, c, path);
  let cands: Candidate[] = arr(l.filter_chains, `${path}.filter_chains`).map((fc, i) => {
    const p = `${path}.filter_chains[${i}]`;
    const chain = obj(fc, p);
    const match = obj(chain.filter_chain_match ?? {}, `${p}.filter_chain_match`);
    known(match, `${p}.filter_chain_match`, MATCH_FIELDS);
    if (match.source_type !== undefined && match.source_type !== 'ANY') throw new Refusal(`${p}.filter_chain_match.source_type`, `${String(match.source_type)} not implemented`);
    return { chain, match, path: p };
  });
  if (l.filter_chain_matcher !== undefined) throw new Refusal(`${path}.filter_chain_matcher`, 'not implemented');
  const fallback = (): ChainChoice => (l.default_filter_chain !== undefined ? { chain: obj(l.default_filter_chain, `${path}.default_filter_chain`), how: 'default', path: `${path}.default_filter_chain` } : { how: 'none', path });

  // Destination port: a chain naming this port wins; if chains name it but none matches further, the default chain.
  const port = (x: Candidate) => (x.match.destination_port === undefined ? 0 : num(x.match.destination_port, `${x.path}.filter_chain_match.destination_port`));
  const byPort = cands.filter((x) => port(x) === c.destinationPort);
  cands = byPort.length > 0 ? byPort : cands.filter((x) => port(x) === 0);
  const keepLongest = (field: string, ip: string) => {
    const lens = cands.map((x) => longestPrefix(arr(x.match[field], `${x.path}.filter_chain_match.${field}`), ip, `${x.path}.filter_chain_match.${field}`));
    const best = Math.max(-1, ...lens);
    cands = best < 0 ? [] : cands.filter((_, i) => lens[i] === best);
  };
  keepLongest('prefix_ranges', c.destinationIp);
  // Server names: exact, then wildcards from the longest suffix, then chains without server names.
  const names = (x: Candidate) => arr(x.match.server_names, `${x.path}.filter_chain_match.server_names`).map((n) => String(n).toLowerCase());
  if (d.serverName && cands.some((x) => names(x).includes(d.serverName))) cands = cands.filter((x) => names(x).includes(d.serverName));
  else {
    let found = false;
    for (let pos = d.serverName.indexOf('.', 1); pos >= 0 && pos < d.serverName.length - 1; pos = d.serverName.indexOf('.', pos + 1)) {
      const wildcard = `*${d.serverName.slice(pos)}`;
      if (cands.some((x) => names(x).includes(wildcard))) {
        cands = cands.filter((x) => names(x).includes(wildcard));
        found = true;
        break;
      }
    }
    if (!found) cands = cands.filter((x) => names(x).length === 0);
  }
  const transport = (x: Candidate) => (x.match.transport_protocol === undefined ? '' : str(x.match.transport_protocol, `${x.path}.filter_chain_match.transport_protocol`));
  cands = cands.some((x) => transport(x) === d.transport) ? cands.filter((x) => transport(x) === d.transport) : cands.filter((x) => transport(x) === '');
  const alpn = (x: Candidate) => arr(x.match.application_protocols, `${x.path}.filter_chain_match.application_protocols`).map(String);
  const offered = d.alpn.find((p) => cands.some((x) => alpn(x).includes(p)));
  cands = offered !== undefined ? cands.filter((x) => alpn(x).includes(offered)) : cands.filter((x) => alpn(x).length === 0);
  keepLongest('direct_source_prefix_ranges', c.sourceIp);
  keepLongest('source_prefix_ranges', c.sourceIp);
  const ports = (x: Candidate) => arr(x.match.source_ports, `${x.path}.filter_chain_match.source_ports`).map((p) => num(p, `${x.path}.filter_chain_match.source_ports`));
  const sp = c.sourcePort ?? 0;
  cands = cands.some((x) => ports(x).includes(sp)) ? cands.filter((x) => ports(x).includes(sp)) : cands.filter((x) => ports(x).length === 0);

  if (cands.length > 1) throw new Refusal(path, `filter chains ${cands.map((x) => x.chain.name ?? x.path).join(', ')} overlap (Envoy rejects such a listener)`);
  return cands.length === 1 ? { chain: cands[0]!.chain, how: 'match', path: cands[0]!.path } : fallback();
}
