// Property: the authorization Linkerd would apply to the emitted objects is never wider
// than SMI's, and exact when every rule has the same sources. Linkerd's decision is
// emulated from its source: a Server per port, one inbound route picked per request
// (longest path match, then method, then header count; first on ties, routes by name).
import { expect } from 'chai';
import fc from 'fast-check';
import type { HttpCondition } from '../../../../adapters/common/model.js';
import { renderDestination } from '../../../../adapters/linkerd/access.js';
import type { KubeObject } from '../../../../schemas/hub.js';
import { cond, destination, rule, service, src, ttObject } from './fixtures.js';
import { RE2JS } from 're2js';
import { pickRule as pick, type RouteMatch as Match } from '../../../../conformance/interpret/linkerd-routes.js';

type HttpReq = { path: string; method: string; headers: Record<string, string> };
const re2 = (re: string): RE2JS => RE2JS.compile(re);

interface Req {
  source: string;
  port: number;
  http?: { path: string; method: string; x?: string };
}

function linkerdAllows(objects: KubeObject[], req: Req): boolean {
  const server = objects.find((o) => o.kind === 'Server' && (o.spec as { port: number }).port === req.port);
  if (!server) throw new Error(`no Server for ${req.port}`);
  const ids = (name: string): string[] => {
    const a = objects.find((o) => o.kind === 'MeshTLSAuthentication' && o.metadata.name === name);
    return a ? (a.spec as { identityRefs: Array<{ name: string }> }).identityRefs.map((i) => i.name) : [];
  };
  const authorizedOn = (kind: string, name: string): boolean =>
    objects.some((o) => o.kind === 'AuthorizationPolicy' && (o.spec as { targetRef: { kind: string; name: string } }).targetRef.kind === kind && (o.spec as { targetRef: { name: string } }).targetRef.name === name && ids(o.metadata.name).includes(req.source));
  const routes = objects
    .filter((o) => o.kind === 'HTTPRoute' && (o.spec as { parentRefs: Array<{ name: string }> }).parentRefs[0]!.name === server.metadata.name)
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  if (!req.http || routes.length === 0) return authorizedOn('Server', server.metadata.name);
  const h: HttpReq = { path: req.http.path, method: req.http.method, headers: req.http.x === undefined ? {} : { x: req.http.x } };
  // Routes in name order (same creation time), each route's rules in order.
  const rules = routes.flatMap((route) => (route.spec as { rules: Array<{ matches: Match[] }> }).rules.map((r) => ({ ...r, route: route.metadata.name })));
  const chosen = pick(rules, h);
  return chosen ? authorizedOn('HTTPRoute', chosen.route) : false; // no route matches: 404
}

interface GenRule {
  sources: string[];
  ports: number[];
  http?: HttpCondition[];
}

function smiAllows(rules: GenRule[], req: Req): boolean {
  return rules.some((r) => {
    if (!r.sources.includes(req.source)) return false;
    if (r.ports.length > 0 && !r.ports.includes(req.port)) return false;
    if (!r.http) return true;
    const h = req.http;
    if (!h) return false;
    return r.http.some(
      (c) =>
        (c.pathRegex === undefined || re2(c.pathRegex).matcher(h.path).lookingAt()) &&
        (c.methods === undefined || c.methods.includes(h.method)) &&
        c.headers.every((x) => h.x !== undefined && re2(x.regex).matcher(h.x).matches()),
    );
  });
}

const condition = fc
  .record({
    pathRegex: fc.option(fc.constantFrom('^/a', '^/a/b', '^/b', '^/a$', '^/'), { nil: undefined }),
    methods: fc.option(fc.subarray(['GET', 'POST'], { minLength: 1 }), { nil: undefined }),
    header: fc.option(fc.constantFrom('v1', 'v.*', 'v|v1'), { nil: undefined }),
  })
  .map(({ pathRegex, methods, header }, ) => cond('g/m', { ...(pathRegex ? { pathRegex } : {}), ...(methods ? { methods } : {}), headers: header ? [{ name: 'x', regex: header }] : [] }));

const genRule = (sources: fc.Arbitrary<string[]>) =>
  fc.record({
    sources,
    ports: fc.subarray([80, 90]),
    http: fc.option(fc.array(condition, { minLength: 1, maxLength: 3 }), { nil: undefined }),
  });

const requests: Req[] = [];
for (const source of ['a', 'b', 'c']) {
  for (const port of [80, 90]) {
    requests.push({ source, port });
    for (const path of ['/', '/a', '/a/b', '/b', '/ab']) {
      for (const method of ['GET', 'POST']) {
        for (const x of [undefined, 'v1', 'v2']) requests.push({ source, port, http: { path, method, ...(x ? { x } : {}) } });
      }
    }
  }
}

function render(rules: GenRule[]): KubeObject[] {
  const tt = ttObject('t');
  const d = destination('web', {
    targets: [tt],
    services: [service('web', [80, 90])],
    rules: rules.map((r, i) => rule(tt, r.sources.map((s) => src(s)), { ports: r.ports, ...(r.http ? { http: r.http } : {}), path: `spec.rules[${i}]` })),
  });
  return renderDestination(d).objects;
}

describe('linkerd access (property)', function () {
  this.timeout(60_000);
  it('never allows a request SMI denies', () => {
    const sources = fc.subarray(['a', 'b', 'c'], { minLength: 1 });
    fc.assert(
      fc.property(fc.array(genRule(sources), { maxLength: 4 }), (rules) => {
        const objects = render(rules);
        for (const req of requests) {
          if (linkerdAllows(objects, req)) expect(smiAllows(rules, req), JSON.stringify(req)).to.equal(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('is exact when every rule allows the same sources', () => {
    fc.assert(
      fc.property(fc.array(genRule(fc.constant(['a', 'b'])), { maxLength: 4 }), (rules) => {
        const objects = render(rules);
        for (const req of requests) expect(linkerdAllows(objects, req), JSON.stringify(req)).to.equal(smiAllows(rules, req));
      }),
      { numRuns: 100 },
    );
  });
});
