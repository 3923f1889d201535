// The one emulation of Linkerd's route choice (conformance/interpret/linkerd-routes.ts),
// case by case against linkerd2-proxy http-route (match/path.rs tests, match.rs ordering).

import { expect } from 'chai';
import { linkerdRegexMatches, pathMatchLength, pickRule, type RouteMatch } from '../../../conformance/interpret/linkerd-routes.js';

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
});
