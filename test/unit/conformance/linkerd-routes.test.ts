// The one emulation of Linkerd's route choice (conformance/interpret/linkerd-routes.ts),
// case by case against linkerd2-proxy http-route (match/path.rs tests, match.rs ordering).

import { expect } from 'chai';
import { gammaShares } from '../../../conformance/interpret/gateway.js';
import { linkerdRegexMatches, pathMatchLength, pickRule, type RouteMatch } from '../../../conformance/interpret/linkerd-routes.js';
import type { KubeObject } from '../../../schemas/hub.js';

const req = (path: string, method = 'GET', headers: Record<string, string> = {}) => ({ path, method, headers });
const rule = (name: string, ...matches: RouteMatch[]) => ({ name, matches });

describe('conformance: Linkerd route choice', () => {
  it('PathPrefix matches whole segments, ignoring trailing slashes (path.rs path_prefix)', () => {
    for (const [pfx, len] of [['/', 1], ['/foo', 4], ['/foo/', 4]] as const) {
      for (const p of ['/foo', '/foo/', '/foo/bar', '/foo/bar/qux']) expect(pathMatchLength({ type: 'PathPrefix', value: pfx }, p), `${pfx} ~ ${p}`).to.equal(len);
      expect(pathMatchLength({ type: 'PathPrefix', value: pfx }, '/foobar')).to.equal(len === 1 ? 1 : undefined);
    }
  });

  it('Exact and regex paths; a regex must match the whole path leftmost-first (path.rs path_regex)', () => {
    expect(pathMatchLength({ type: 'Exact', value: '/foo/bar' }, '/foo/bar')).to.equal(8);
    expect(pathMatchLength({ type: 'Exact', value: '/foo/bar' }, '/foo/bar/qux')).to.equal(undefined);
    expect(pathMatchLength({ type: 'RegularExpression', value: '/foo/\\d+' }, '/foo/4321')).to.equal(9);
    expect(pathMatchLength({ type: 'RegularExpression', value: '/foo/\\d+' }, '/foo/4abc')).to.equal(undefined);
    expect(linkerdRegexMatches('a|ab', 'ab')).to.equal(false);
    expect(linkerdRegexMatches('ab|a', 'ab')).to.equal(true);
    expect(linkerdRegexMatches('(', 'x'), 'an invalid regex matches nothing').to.equal(false);
  });

  it('ranks by path match length whatever its kind, then header count, then method; a tie keeps the first rule', () => {
    // A longer prefix beats a shorter exact match: PathMatch orders by length only.
    expect(pickRule([rule('exact', { path: { type: 'Exact', value: '/a' } }), rule('prefix', { path: { type: 'PathPrefix', value: '/a' } })], req('/a'))?.name).to.equal('exact');
    expect(pickRule([rule('exact', { path: { type: 'Exact', value: '/ab' } }), rule('prefix', { path: { type: 'PathPrefix', value: '/ab/c' } })], req('/ab/c'))?.name).to.equal('prefix');
    // Headers outrank the method (match.rs: path, headers, query params, method).
    const byMethod = rule('method', { method: 'GET' });
    const byHeader = rule('header', { headers: [{ name: 'x', value: '1' }] });
    expect(pickRule([byMethod, byHeader], req('/', 'GET', { x: '1' }))?.name).to.equal('header');
    expect(pickRule([byHeader, byMethod], req('/', 'GET', { x: '2' }))?.name).to.equal('method');
    expect(pickRule([rule('first'), rule('second')], req('/x'))?.name).to.equal('first');
    expect(pickRule([rule('api', { path: { type: 'PathPrefix', value: '/api' } })], req('/web'))).to.equal(undefined);
  });

  it('the Gateway API evaluator\'s `linkerd` order is this emulation, not a second model of it', () => {
    // Two routes on web:80, the older one first. A PathPrefix and a regex that match `/api/v1` with the same
    // length tie, so the first rule (the older route's) wins; so does a prefix over an exact match of equal length.
    const route = (name: string, created: string, path: RouteMatch['path'], backend: string): KubeObject => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name, namespace: 'ns', creationTimestamp: created },
      spec: { parentRefs: [{ group: '', kind: 'Service', name: 'web', port: 80 }], rules: [{ matches: [{ path }], backendRefs: [{ name: backend, port: 80 }] }] },
    }) as KubeObject;
    const older = route('a', '2026-01-01T00:00:00Z', { type: 'PathPrefix', value: '/api/v1' }, 'by-prefix');
    const regex = route('b', '2026-01-02T00:00:00Z', { type: 'RegularExpression', value: '/api/.*' }, 'by-regex');
    const exact = route('c', '2026-01-02T00:00:00Z', { type: 'Exact', value: '/api/v1' }, 'by-exact');
    const get = (path: string) => ({ path, method: 'GET', headers: {} });
    expect(gammaShares([older, regex], 'ns', 'web', 80, get('/api/v1'), 'linkerd')).to.deep.equal({ 'by-prefix': 1 });
    expect(gammaShares([older, exact], 'ns', 'web', 80, get('/api/v1'), 'linkerd')).to.deep.equal({ 'by-prefix': 1 });
    // A longer match wins whatever its kind: the regex spans the whole path.
    expect(gammaShares([older, regex], 'ns', 'web', 80, get('/api/v1/x'), 'linkerd')).to.deep.equal({ 'by-regex': 1 });
    // Istio's order stays Gateway API's: Exact first, then the prefix over the regex.
    expect(gammaShares([older, exact], 'ns', 'web', 80, get('/api/v1'), 'istio')).to.deep.equal({ 'by-exact': 1 });
    expect(gammaShares([older, regex], 'ns', 'web', 80, get('/api/v1/x'), 'istio')).to.deep.equal({ 'by-prefix': 1 });
  });
});
