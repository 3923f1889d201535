// A route's status is the worst of what its referrers' translations said about it: RouteResults
// keeps, per route, each referrer's verdict, and says which routes' verdicts changed.

import { expect } from 'chai';
import type { ObjectResult } from '../../../adapters/types.js';
import { RouteResults } from '../../../operator/controller/route-results.js';

const result = (name: string, status: ObjectResult['status'] = 'Accepted', messages: string[] = [], kind = 'HTTPRouteGroup'): ObjectResult => ({ object: `${kind} shop/${name}`, kind, namespace: 'shop', name, status, messages });

describe('RouteResults', () => {
  it('keeps each referrer\'s verdict on a route and names the routes whose verdicts changed', () => {
    const r = new RouteResults();
    expect(r.record('access:shop/a', [result('reads'), result('api', 'Accepted', [], 'TrafficTarget')])).to.deep.equal(['HTTPRouteGroup/shop/reads']);
    expect(r.record('access:shop/b', [result('reads', 'Unsupported', ['spec.matches[0]: no'])])).to.deep.equal(['HTTPRouteGroup/shop/reads']);
    expect(r.of('HTTPRouteGroup/shop/reads')).to.deep.equal([{ status: 'Accepted', messages: [] }, { status: 'Unsupported', messages: ['spec.matches[0]: no'] }]);
    expect(r.of('TrafficTarget/shop/api'), 'only routes are kept').to.deep.equal([]);
    // The same verdict again: nothing changed.
    expect(r.record('access:shop/b', [result('reads', 'Unsupported', ['spec.matches[0]: no'])])).to.deep.equal([]);
    expect(r.record('access:shop/a', [result('reads')])).to.deep.equal([]);
    // A new message is a change; dropping the route is one too.
    expect(r.record('access:shop/a', [result('reads', 'Accepted', ['note'])])).to.deep.equal(['HTTPRouteGroup/shop/reads']);
    expect(r.record('access:shop/b', [])).to.deep.equal(['HTTPRouteGroup/shop/reads']);
    expect(r.of('HTTPRouteGroup/shop/reads')).to.deep.equal([{ status: 'Accepted', messages: ['note'] }]);
    expect(r.record('access:shop/a', [])).to.deep.equal(['HTTPRouteGroup/shop/reads']);
    expect(r.of('HTTPRouteGroup/shop/reads')).to.deep.equal([]);
  });

  it('a unit with several routes, and referrers coming and going in any order, give the same verdicts', () => {
    const r = new RouteResults();
    expect(r.record('split:shop/a', [result('x'), result('y')]).sort()).to.deep.equal(['HTTPRouteGroup/shop/x', 'HTTPRouteGroup/shop/y']);
    expect(r.record('split:shop/b', [result('x')])).to.deep.equal(['HTTPRouteGroup/shop/x']);
    expect(r.record('split:shop/c', [result('x', 'Unsupported', ['no'])])).to.deep.equal(['HTTPRouteGroup/shop/x']);
    expect(r.of('HTTPRouteGroup/shop/x')).to.deep.equal([{ status: 'Accepted', messages: [] }, { status: 'Accepted', messages: [] }, { status: 'Unsupported', messages: ['no'] }]);
    // The first referrer drops x and keeps y; then the others leave in turn.
    expect(r.record('split:shop/a', [result('y')])).to.deep.equal(['HTTPRouteGroup/shop/x']);
    expect(r.of('HTTPRouteGroup/shop/x')).to.deep.equal([{ status: 'Accepted', messages: [] }, { status: 'Unsupported', messages: ['no'] }]);
    expect(r.record('split:shop/b', [])).to.deep.equal(['HTTPRouteGroup/shop/x']);
    expect(r.of('HTTPRouteGroup/shop/x')).to.deep.equal([{ status: 'Unsupported', messages: ['no'] }]);
    expect(r.record('split:shop/c', [result('x')])).to.deep.equal(['HTTPRouteGroup/shop/x']);
    expect(r.of('HTTPRouteGroup/shop/x')).to.deep.equal([{ status: 'Accepted', messages: [] }]);
    expect(r.of('HTTPRouteGroup/shop/y')).to.deep.equal([{ status: 'Accepted', messages: [] }]);
    expect(r.record('split:shop/a', [result('y'), result('x')])).to.deep.equal(['HTTPRouteGroup/shop/x']);
    expect(r.record('split:shop/a', [result('x'), result('y')]), 'the same verdicts in another order').to.deep.equal([]);
    r.clear();
    expect(r.of('HTTPRouteGroup/shop/x')).to.deep.equal([]);
    expect(r.record('split:shop/a', [])).to.deep.equal([]);
  });

  it('keeps its own copy of the messages', () => {
    const r = new RouteResults();
    const res = result('reads', 'Unsupported', ['a']);
    r.record('access:shop/a', [res]);
    res.messages.push('b');
    expect(r.of('HTTPRouteGroup/shop/reads')).to.deep.equal([{ status: 'Unsupported', messages: ['a'] }]);
  });
});
