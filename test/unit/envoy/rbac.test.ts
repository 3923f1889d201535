// RBAC filters modelled on Envoy's RBAC documentation (envoy.config.rbac.v3): policies
// match when a permission and a principal match; ALLOW, DENY and LOG actions.

import { expect } from 'chai';
import type { Request } from '../../../conformance/envoy/matchers.js';
import { rbacFilter, type PeerConnection } from '../../../conformance/envoy/rbac.js';
import { Refusal } from '../../../conformance/envoy/refuse.js';

const peer = (uri?: string, port = 8080): PeerConnection => ({ destinationIp: '10.0.0.5', destinationPort: port, sourceIp: '10.0.0.9', ...(uri ? { peerCertificate: { uriSans: [uri] } } : {}) });
const req = (method: string, path: string, headers: Record<string, string> = {}): Request => ({ method, path, authority: 'svc', headers });
const FRONT = 'spiffe://cluster.local/ns/shop/sa/frontend';

// "Allow service accounts to GET /products and anyone from 10.0.0.0/24 to POST": the documentation's shape.
const allow = {
  rules: {
    action: 'ALLOW',
    policies: {
      'read-products': {
        permissions: [{ and_rules: { rules: [{ header: { name: ':method', string_match: { exact: 'GET' } } }, { url_path: { path: { prefix: '/products' } } }, { or_rules: { rules: [{ destination_port: 8080 }, { destination_port_range: { start: 9000, end: 9010 } }] } }] } }],
        principals: [{ authenticated: { principal_name: { exact: FRONT } } }],
      },
      'local-writes': {
        permissions: [{ and_rules: { rules: [{ header: { name: ':method', string_match: { exact: 'POST' } } }, { not_rule: { url_path: { path: { prefix: '/admin' } } } }] } }],
        principals: [{ and_ids: { ids: [{ remote_ip: { address_prefix: '10.0.0.0', prefix_len: 24 } }, { header: { name: 'x-token', present_match: true } }] } }],
      },
    },
  },
  shadow_rules: { action: 'DENY', policies: { all: { permissions: [{ any: true }], principals: [{ any: true }] } } },
};

describe('envoy evaluator: RBAC', () => {
  it('ALLOW: allowed only when some policy matches; shadow rules change nothing', () => {
    expect(rbacFilter(allow, peer(FRONT), req('GET', '/products/1?q=x'), 'f')).to.deep.include({ effect: 'allow', policies: ['read-products'] });
    expect(rbacFilter(allow, peer(FRONT, 9009), req('GET', '/products'), 'f').effect).to.equal('allow');
    // destination_port_range's end is exclusive.
    expect(rbacFilter(allow, peer(FRONT, 9010), req('GET', '/products'), 'f').effect).to.equal('deny');
    expect(rbacFilter(allow, peer(FRONT), req('POST', '/products'), 'f').effect).to.equal('deny');
    expect(rbacFilter(allow, peer('spiffe://cluster.local/ns/shop/sa/other'), req('GET', '/products'), 'f').effect).to.equal('deny');
    // No client certificate: `authenticated` never matches.
    expect(rbacFilter(allow, peer(), req('GET', '/products'), 'f').effect).to.equal('deny');
    expect(rbacFilter(allow, peer(), req('POST', '/orders', { 'x-token': 'a' }), 'f').policies).to.deep.equal(['local-writes']);
    expect(rbacFilter(allow, peer(), req('POST', '/admin/x', { 'x-token': 'a' }), 'f').effect).to.equal('deny');
    expect(rbacFilter(allow, peer(), req('POST', '/orders'), 'f').effect).to.equal('deny');
  });

  it('DENY stops what matches, LOG stops nothing, no rules enforce nothing, ALLOW without policies denies all', () => {
    const deny = { rules: { action: 'DENY', policies: { p: { permissions: [{ url_path: { path: { exact: '/admin' } } }], principals: [{ any: true }] } } } };
    expect(rbacFilter(deny, peer(), req('GET', '/admin'), 'f').effect).to.equal('deny');
    expect(rbacFilter(deny, peer(), req('GET', '/other'), 'f').effect).to.equal('allow');
    expect(rbacFilter({ rules: { ...deny.rules, action: 'LOG' } }, peer(), req('GET', '/admin'), 'f').effect).to.equal('allow');
    expect(rbacFilter({ stat_prefix: 'x' }, peer(), req('GET', '/'), 'f').effect).to.equal('no-rules');
    expect(rbacFilter({ rules: {} }, peer(FRONT), req('GET', '/'), 'f').effect).to.equal('deny');
  });

  it('the network filter sees no HTTP attributes; an HTTP filter asked about a connection answers only when it can', () => {
    expect(rbacFilter(allow, peer(FRONT), 'none', 'f').effect).to.equal('deny');
    expect(rbacFilter(allow, peer(FRONT), undefined, 'f')).to.deep.include({ effect: 'unknown', policies: ['local-writes', 'read-products'] });
    const anyFront = { rules: { policies: { p: { permissions: [{ any: true }], principals: [{ authenticated: { principal_name: { exact: FRONT } } }] } } } };
    expect(rbacFilter(anyFront, peer(FRONT), undefined, 'f').effect).to.equal('allow');
    expect(rbacFilter(anyFront, peer('spiffe://x/ns/a/sa/b'), undefined, 'f').effect).to.equal('deny');
  });

  it('refuses matchers it does not implement', () => {
    const with_ = (permission: unknown) => ({ rules: { policies: { p: { permissions: [permission], principals: [{ any: true }] } } } });
    expect(() => rbacFilter(with_({ metadata: {} }), peer(), req('GET', '/'), 'f')).to.throw(Refusal, /metadata: not implemented/);
    expect(() => rbacFilter({ rules: { policies: { p: { permissions: [{ any: true }], principals: [{ any: true }], condition: {} } } } }, peer(), req('GET', '/'), 'f')).to.throw(Refusal, /condition/);
    expect(() => rbacFilter({ matcher: {} }, peer(), req('GET', '/'), 'f')).to.throw(Refusal, /matcher/);
  });
});
