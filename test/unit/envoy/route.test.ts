// Route tables modelled on Envoy's route configuration documentation: virtual host
// selection by domain, first matching route, and its cluster or weighted clusters.

import { expect } from 'chai';
import { routeRequest, selectVirtualHost } from '../../../conformance/envoy/route.js';
import { Refusal } from '../../../conformance/envoy/refuse.js';
import type { Request } from '../../../conformance/envoy/matchers.js';

const r = (path: string, method = 'GET', headers: Record<string, string> = {}, authority = 'www.example.com'): Request => ({ path, method, authority, headers });

const rc = {
  name: 'local_route',
  virtual_hosts: [
    { name: 'exact', domains: ['www.example.com', 'www.example.com:8080'], routes: [
      { match: { prefix: '/static/' }, route: { cluster: 'static' } },
      { match: { path: '/login' }, route: { cluster: 'login' } },
      { match: { safe_regex: { regex: '/api/v[0-9]+/.*' }, headers: [{ name: ':method', string_match: { exact: 'POST' } }] }, route: { cluster: 'api-write' } },
      { match: { path_separated_prefix: '/docs' }, route: { cluster: 'docs' } },
      { match: { prefix: '/CaSe', case_sensitive: false }, route: { cluster: 'case' } },
      { match: { prefix: '/canary', headers: [{ name: 'x-canary', present_match: true }] }, route: { weighted_clusters: { clusters: [{ name: 'v1', weight: 999 }, { name: 'v2', weight: 1 }] } } },
      { match: { prefix: '/gone' }, direct_response: { status: 410 } },
      { match: { prefix: '/' }, route: { cluster: 'default' } },
    ] },
    { name: 'suffix-long', domains: ['*.api.example.com'], routes: [{ match: { prefix: '/' }, route: { cluster: 'suffix-long' } }] },
    { name: 'suffix-short', domains: ['*.example.com'], routes: [{ match: { prefix: '/' }, route: { cluster: 'suffix-short' } }] },
    { name: 'prefix', domains: ['foo.*'], routes: [{ match: { prefix: '/only' }, route: { cluster: 'prefix' } }] },
    { name: 'any', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'any' } }] },
  ],
};

const cluster = (req: Request) => {
  const t = routeRequest(rc, req, req.authority, 'rc');
  return t.kind === 'clusters' ? t.clusters.map((c) => `${c.name}:${c.weight}`).join(',') : t.kind === 'direct-response' ? `status ${t.status}` : t.kind;
};

describe('envoy evaluator: routes', () => {
  it('picks the virtual host: exact domain, longest suffix wildcard, longest prefix wildcard, then *', () => {
    const vh = (host: string) => selectVirtualHost(rc, host, 'rc')?.vhost.name;
    expect(vh('www.example.com')).to.equal('exact');
    expect(vh('WWW.Example.com')).to.equal('exact');
    expect(vh('a.api.example.com')).to.equal('suffix-long');
    expect(vh('a.example.com')).to.equal('suffix-short');
    // A wildcard matches at least one character.
    expect(vh('.example.com')).to.equal('any');
    expect(vh('foo.bar')).to.equal('prefix');
    expect(vh('other')).to.equal('any');
    // The port is part of the host unless ignore_port_in_host_matching is set.
    expect(vh('www.example.com:9090')).to.equal('any');
    expect(selectVirtualHost({ ...rc, ignore_port_in_host_matching: true }, 'www.example.com:9090', 'rc')?.vhost.name).to.equal('exact');
  });

  it('takes the first route that matches', () => {
    expect(cluster(r('/static/x.css'))).to.equal('static:1');
    expect(cluster(r('/login?next=/'))).to.equal('login:1');
    expect(cluster(r('/login/again'))).to.equal('default:1');
    expect(cluster(r('/api/v2/items', 'POST'))).to.equal('api-write:1');
    expect(cluster(r('/api/v2/items', 'GET'))).to.equal('default:1');
    // safe_regex is a full match on the path without its query string.
    expect(cluster(r('/api/v2/items?x=1', 'POST'))).to.equal('api-write:1');
    expect(cluster(r('/xapi/v2/items', 'POST'))).to.equal('default:1');
    expect(cluster(r('/docs'))).to.equal('docs:1');
    expect(cluster(r('/docs/a'))).to.equal('docs:1');
    expect(cluster(r('/docsx'))).to.equal('default:1');
    expect(cluster(r('/case/x'))).to.equal('case:1');
    expect(cluster(r('/canary', 'GET', { 'x-canary': '' }))).to.equal('v1:999,v2:1');
    expect(cluster(r('/canary'))).to.equal('default:1');
    expect(cluster(r('/gone'))).to.equal('status 410');
    expect(cluster(r('/only', 'GET', {}, 'foo.bar'))).to.equal('prefix:1');
    expect(cluster(r('/else', 'GET', {}, 'foo.bar'))).to.equal('no-route');
  });

  it('refuses what it does not implement and what Envoy would reject', () => {
    const one = (route: unknown) => ({ virtual_hosts: [{ name: 'v', domains: ['*'], routes: [route] }] });
    expect(() => routeRequest(one({ match: { prefix: '/', query_parameters: [{ name: 'a' }] }, route: { cluster: 'c' } }), r('/'), 'h', 'rc')).to.throw(Refusal, /query_parameters: not implemented/);
    expect(() => routeRequest(one({ match: { prefix: '/', runtime_fraction: {} }, route: { cluster: 'c' } }), r('/'), 'h', 'rc')).to.throw(Refusal, /runtime_fraction/);
    expect(() => routeRequest(one({ match: { prefix: '/' }, route: { cluster_header: 'x' } }), r('/'), 'h', 'rc')).to.throw(Refusal, /cluster_header/);
    expect(() => routeRequest(one({ match: { prefix: '/' }, route: { cluster: 'c', prefix_rewrite: '/x' } }), r('/'), 'h', 'rc')).to.throw(Refusal, /prefix_rewrite/);
    expect(() => routeRequest(one({ match: { prefix: '/' }, route: { weighted_clusters: { clusters: [{ name: 'a', weight: 1 }], total_weight: 100 } } }), r('/'), 'h', 'rc')).to.throw(Refusal, /total_weight/);
    expect(() => routeRequest(one({ match: { prefix: '/' }, redirect: { path_redirect: '/x' } }), r('/'), 'h', 'rc')).to.throw(Refusal, /redirect/);
    expect(() => routeRequest(one({ match: { prefix: '/' }, route: { cluster: 'c' }, typed_per_filter_config: { 'envoy.filters.http.rbac': {} } }), r('/'), 'h', 'rc')).to.throw(Refusal, /typed_per_filter_config/);
  });

  it('answers a connection-level question only when every request takes the same route', () => {
    const plain = { virtual_hosts: [{ name: 'v', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'c' } }] }] };
    expect(routeRequest(plain, undefined, 'h', 'rc').clusters).to.deep.equal([{ name: 'c', weight: 1 }]);
    expect(() => routeRequest(rc, undefined, 'www.example.com', 'rc')).to.throw(Refusal, /depends on the HTTP request/);
  });
});
