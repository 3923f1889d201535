// The upstream side of a cluster: which transport socket a connection to an endpoint uses
// (transport_socket_matches: the first whose `match` is contained in the endpoint's
// `envoy.transport_socket_match` metadata, else transport_socket, else plaintext), and the
// SNI, ALPN and client certificate of an UpstreamTlsContext.

import { Refusal, arr, known, obj, str, type Json } from './refuse.js';

export interface UpstreamTransport {
  tls: boolean;
  /** Which transport_socket_matches entry applied (by name), if any. */
  match?: string;
  sni?: string;
  alpn: string[];
  /** The upstream TLS context presents a certificate (the workload's own identity). */
  presentsCertificate: boolean;
}

function socket(ts: unknown, path: string): UpstreamTransport {
  const o = obj(ts, path);
  known(o, path, ['name', 'typed_config']);
  const tc = obj(o.typed_config, `${path}.typed_config`);
  const t = String(tc['@type'] ?? '');
  if (t.endsWith('/envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer')) return { tls: false, alpn: [], presentsCertificate: false };
  if (!t.endsWith('/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext')) throw new Refusal(`${path}.typed_config`, `transport socket ${t} not implemented`);
  known(tc, `${path}.typed_config`, ['common_tls_context', 'sni'], ['allow_renegotiation', 'max_session_keys', 'auto_host_sni', 'auto_sni_san_validation']);
  if (tc.auto_host_sni === true) throw new Refusal(`${path}.typed_config.auto_host_sni`, 'not implemented');
  const ctx = obj(tc.common_tls_context ?? {}, `${path}.typed_config.common_tls_context`);
  known(ctx, `${path}.typed_config.common_tls_context`, ['alpn_protocols', 'tls_certificate_sds_secret_configs', 'tls_certificates'], ['tls_params', 'combined_validation_context', 'validation_context', 'validation_context_sds_secret_config']);
  return {
    tls: true,
    ...(tc.sni !== undefined ? { sni: str(tc.sni, `${path}.typed_config.sni`) } : {}),
    alpn: arr(ctx.alpn_protocols, `${path}.alpn_protocols`).map(String),
    presentsCertificate: arr(ctx.tls_certificate_sds_secret_configs, `${path}.sds`).length + arr(ctx.tls_certificates, `${path}.certs`).length > 0,
  };
}

export function upstreamTransport(cluster: Json, endpointMatch: Record<string, string>, path: string): UpstreamTransport {
  const matches = arr(cluster.transport_socket_matches, `${path}.transport_socket_matches`);
  for (let i = 0; i < matches.length; i++) {
    const mp = `${path}.transport_socket_matches[${i}]`;
    const m = obj(matches[i], mp);
    known(m, mp, ['name', 'match', 'transport_socket']);
    const want = obj(m.match ?? {}, `${mp}.match`);
    if (Object.entries(want).every(([k, v]) => endpointMatch[k] === v)) return { ...socket(m.transport_socket, `${mp}.transport_socket`), match: String(m.name) };
  }
  if (cluster.transport_socket !== undefined) return socket(cluster.transport_socket, `${path}.transport_socket`);
  return { tls: false, alpn: [], presentsCertificate: false };
}

export function findCluster(clusters: unknown[], name: string): Json | undefined {
  const c = clusters.find((x) => (x as Json | null)?.name === name);
  return c === undefined ? undefined : obj(c, `cluster ${name}`);
}
