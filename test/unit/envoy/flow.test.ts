// Listeners and filter chains modelled on Envoy's listener documentation: original-destination
// hand-off, FilterChainMatch in Envoy's order, downstream TLS, and the network and HTTP filters.

import { expect } from 'chai';
import { handle, type EnvoyConfig } from '../../../conformance/envoy/flow.js';
import type { Connection } from '../../../conformance/envoy/listener.js';
import { Refusal } from '../../../conformance/envoy/refuse.js';

const T = (t: string) => `type.googleapis.com/${t}`;
const tcp = (cluster: string) => ({ name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': T('envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy'), stat_prefix: cluster, cluster } });
const router = { name: 'envoy.filters.http.router', typed_config: { '@type': T('envoy.extensions.filters.http.router.v3.Router') } };
const hcm = (httpFilters: unknown[], route = 'r') => ({ name: 'envoy.filters.network.http_connection_manager', typed_config: { '@type': T('envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager'), stat_prefix: 'x', rds: { route_config_name: route }, http_filters: [...httpFilters, router] } });
const rbac = (typ: 'http' | 'network', principal: string) => ({
  name: `envoy.filters.${typ}.rbac`,
  typed_config: { '@type': T(`envoy.extensions.filters.${typ}.rbac.v3.RBAC`), ...(typ === 'network' ? { stat_prefix: 'tcp.' } : {}), rules: { policies: { p: { permissions: [{ any: true }], principals: [{ authenticated: { principal_name: { exact: principal } } }] } } } },
});
const tlsSocket = (sans: unknown[] = []) => ({
  name: 'envoy.transport_sockets.tls',
  typed_config: { '@type': T('envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext'), require_client_certificate: true, common_tls_context: { combined_validation_context: { default_validation_context: { match_subject_alt_names: sans } } } },
});
const inspectors = [
  { name: 'envoy.filters.listener.original_dst', typed_config: { '@type': T('envoy.extensions.filters.listener.original_dst.v3.OriginalDst') } },
  { name: 'envoy.filters.listener.tls_inspector', typed_config: { '@type': T('envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector') } },
  { name: 'envoy.filters.listener.http_inspector', typed_config: { '@type': T('envoy.extensions.filters.listener.http_inspector.v3.HttpInspector') } },
];
const A = 'spiffe://cluster.local/ns/shop/sa/a';

const cfg: EnvoyConfig = {
  listeners: [
    { name: 'capture', address: { socket_address: { address: '0.0.0.0', port_value: 15001 } }, use_original_dst: true, filter_chains: [{ filters: [tcp('passthrough')] }] },
    { name: '10.96.0.10_5432', address: { socket_address: { address: '10.96.0.10', port_value: 5432 } }, bind_to_port: false, filter_chains: [{ filters: [tcp('db')] }] },
    { name: '0.0.0.0_5432', address: { socket_address: { address: '0.0.0.0', port_value: 5432 } }, bind_to_port: false, filter_chains: [{ filters: [tcp('any-db')] }] },
    {
      name: 'inbound',
      address: { socket_address: { address: '0.0.0.0', port_value: 15006 } },
      listener_filters: inspectors,
      filter_chains: [
        { name: 'http-mtls', filter_chain_match: { destination_port: 8080, transport_protocol: 'tls' }, transport_socket: tlsSocket([{ prefix: 'spiffe://cluster.local/' }]), filters: [hcm([rbac('http', A)], 'inbound')] },
        { name: 'tcp-mtls', filter_chain_match: { destination_port: 9000, transport_protocol: 'tls', application_protocols: ['istio-peer-exchange'] }, transport_socket: tlsSocket(), filters: [rbac('network', A), tcp('inbound-9000')] },
        { name: 'plain-local', filter_chain_match: { destination_port: 9001, prefix_ranges: [{ address_prefix: '10.0.0.0', prefix_len: 8 }] }, filters: [tcp('wide')] },
        { name: 'plain-narrow', filter_chain_match: { destination_port: 9001, prefix_ranges: [{ address_prefix: '10.1.0.0', prefix_len: 16 }] }, filters: [tcp('narrow')] },
        { name: 'sni', filter_chain_match: { server_names: ['*.example.com'], transport_protocol: 'tls' }, filters: [tcp('sni-wildcard')] },
        { name: 'catch-all', filter_chain_match: {}, filters: [tcp('catch-all')] },
      ],
      default_filter_chain: { name: 'default', filters: [tcp('default')] },
    },
  ],
  routes: [{ name: 'inbound', virtual_hosts: [{ name: 'all', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'inbound-8080' } }] }] }],
  clusters: [],
};

const conn = (ip: string, port: number, extra: Partial<Connection> = {}): Connection => ({ destinationIp: ip, destinationPort: port, sourceIp: '10.1.2.3', ...extra });
const mtls = (uri: string, alpn: string[] = []) => ({ tls: { alpn, clientCertificate: { uriSans: [uri] } } });
const get = { method: 'GET', path: '/', authority: 'svc' };
const where = (o: ReturnType<typeof handle>) => (o.kind === 'forwarded' ? `${o.chain} -> ${o.clusters.map((c) => c.name).join(',')}` : `${o.kind}: ${'reason' in o ? o.reason : ''}`);

describe('envoy evaluator: listeners, filter chains and filters', () => {
  it('use_original_dst hands the connection to the listener of the exact destination, then the wildcard address, else keeps it', () => {
    expect(where(handle(cfg, 'capture', conn('10.96.0.10', 5432)))).to.equal('10.96.0.10_5432.filter_chains[0] -> db'.replace('10.96.0.10_5432.filter_chains[0]', 'listener 10.96.0.10_5432.filter_chains[0]'));
    expect(where(handle(cfg, 'capture', conn('10.96.0.11', 5432)))).to.match(/-> any-db$/);
    expect(where(handle(cfg, 'capture', conn('10.96.0.11', 80)))).to.match(/-> passthrough$/);
  });

  it('matches filter chains by port, then the longest destination prefix, server name, transport and ALPN', () => {
    expect(where(handle(cfg, 'inbound', conn('10.1.0.5', 8080, mtls(A)), get))).to.equal('http-mtls -> inbound-8080');
    expect(where(handle(cfg, 'inbound', conn('10.1.0.5', 9001)))).to.equal('plain-narrow -> narrow');
    expect(where(handle(cfg, 'inbound', conn('10.2.0.5', 9001)))).to.equal('plain-local -> wide');
    expect(where(handle(cfg, 'inbound', conn('10.2.0.5', 7000, { tls: { serverName: 'a.example.com', alpn: [] } })))).to.equal('sni -> sni-wildcard');
    expect(where(handle(cfg, 'inbound', conn('10.2.0.5', 7000)))).to.equal('catch-all -> catch-all');
    // Chains name port 8080 but none matches plaintext: the default chain, not the catch-all (no backtracking).
    expect(where(handle(cfg, 'inbound', conn('10.2.0.5', 8080, { plaintextHttp: 'http/1.1' }), get))).to.equal('default -> default');
    // Port 9000 chains require ALPN istio-peer-exchange.
    expect(where(handle(cfg, 'inbound', conn('10.2.0.5', 9000, mtls(A, ['h2']))))).to.equal('default -> default');
  });

  it('applies downstream TLS: a client certificate is required and its SAN must be accepted', () => {
    const noCert = handle(cfg, 'inbound', conn('10.1.0.5', 8080, { tls: { alpn: [] } }), get);
    expect(noCert.kind).to.equal('closed');
    const foreign = handle(cfg, 'inbound', conn('10.1.0.5', 8080, mtls('spiffe://evil.local/ns/shop/sa/a')), get);
    expect(where(foreign)).to.match(/^closed: .*matches none of the accepted subject alt names/);
  });

  it('runs RBAC filters before the router and tcp_proxy', () => {
    expect(handle(cfg, 'inbound', conn('10.1.0.5', 8080, mtls('spiffe://cluster.local/ns/shop/sa/b')), get).kind).to.equal('denied');
    const tcpOk = handle(cfg, 'inbound', conn('10.1.0.5', 9000, mtls(A, ['istio-peer-exchange', 'istio'])));
    expect(where(tcpOk)).to.equal('tcp-mtls -> inbound-9000');
    expect(tcpOk.rbac.map((s) => s.decision.effect)).to.deep.equal(['allow']);
    expect(handle(cfg, 'inbound', conn('10.1.0.5', 9000, mtls('spiffe://cluster.local/ns/shop/sa/b', ['istio-peer-exchange']))).kind).to.equal('denied');
  });

  it('refuses filters, listener filters and paths it does not implement', () => {
    const extAuthz = structuredClone(cfg);
    const chain = (extAuthz.listeners[3] as { filter_chains: Array<{ filters: Array<{ typed_config: { http_filters: unknown[] } }> }> }).filter_chains[0]!;
    chain.filters[0]!.typed_config.http_filters.unshift({ name: 'envoy.filters.http.ext_authz', typed_config: { '@type': T('envoy.extensions.filters.http.ext_authz.v3.ExtAuthz') } });
    expect(() => handle(extAuthz, 'inbound', conn('10.1.0.5', 8080, mtls(A)), get)).to.throw(Refusal, /ext_authz.v3.ExtAuthz not implemented/);
    const normalising = structuredClone(cfg);
    (normalising.listeners[3] as { filter_chains: Array<{ filters: Array<{ typed_config: Record<string, unknown> }> }> }).filter_chains[0]!.filters[0]!.typed_config.normalize_path = true;
    expect(() => handle(normalising, 'inbound', conn('10.1.0.5', 8080, mtls(A)), { ...get, path: '/a/../admin' })).to.throw(Refusal, /normalisation/);
    expect(() => handle(cfg, 'nope', conn('10.1.0.5', 8080))).to.throw(Refusal, /no such listener/);
    const overlap = structuredClone(cfg);
    (overlap.listeners[3] as { filter_chains: unknown[] }).filter_chains.push({ name: 'twin', filter_chain_match: {}, filters: [tcp('twin')] });
    expect(() => handle(overlap, 'inbound', conn('10.2.0.5', 7000))).to.throw(Refusal, /overlap/);
  });
});
