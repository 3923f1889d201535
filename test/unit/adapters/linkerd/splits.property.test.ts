// Property: with the emitted outbound HTTPRoute, Linkerd sends a request to the split
// backends exactly when it matches one of the split's conditions (SMI semantics), and
// to the root Service otherwise.
import { expect } from 'chai';
import fc from 'fast-check';
import type { HttpCondition } from '../../../../adapters/common/model.js';
import { renderSplit } from '../../../../adapters/linkerd/splits.js';
import { cond, resolvedSplit, service } from './fixtures.js';
import { RE2JS } from 're2js';
import { pickRule as pick, type RouteMatch as Match } from '../../../../conformance/interpret/linkerd-routes.js';

type HttpReq = { path: string; method: string; headers: Record<string, string> };
const re2 = (re: string): RE2JS => RE2JS.compile(re);

const condition = fc
  .record({
    pathRegex: fc.option(fc.constantFrom('^/a', '^/a/b', '^/b', '^/a$', '^/', '^(?:/a|/ab)'), { nil: undefined }),
    methods: fc.option(fc.subarray(['GET', 'POST', 'PUT'], { minLength: 1 }), { nil: undefined }),
    headers: fc.subarray([
      { name: 'x', regex: 'v1' },
      { name: 'x-env', regex: 'a|ab' },
    ]),
  })
  .map(({ pathRegex, methods, headers }) => cond('g/m', { ...(pathRegex ? { pathRegex } : {}), ...(methods ? { methods } : {}), headers }));

function smiSplits(conds: HttpCondition[], r: HttpReq): boolean {
  if (conds.length === 0) return true;
  return conds.some(
    (c) =>
      (c.pathRegex === undefined || re2(c.pathRegex).matcher(r.path).lookingAt()) &&
      (c.methods === undefined || c.methods.includes(r.method)) &&
      c.headers.every((h) => r.headers[h.name] !== undefined && re2(h.regex).matcher(r.headers[h.name]!).matches()),
  );
}

const requests: HttpReq[] = [];
for (const path of ['/', '/a', '/a/b', '/ab', '/b', '/c']) {
  for (const method of ['GET', 'POST', 'PUT']) {
    for (const headers of [{}, { x: 'v1' }, { x: 'v2', 'x-env': 'ab' }, { x: 'v1', 'x-env': 'a' }] as Array<Record<string, string>>) requests.push({ path, method, headers });
  }
}

describe('linkerd splits (property)', function () {
  this.timeout(60_000);
  it('splits exactly the requests SMI matches; the rest reach the root Service', () => {
    fc.assert(
      fc.property(fc.array(condition, { maxLength: 5 }), (conds) => {
        const { objects, notes } = renderSplit(resolvedSplit(service('web'), [[service('v2'), 1]], conds));
        expect(notes).to.deep.equal([]);
        const rules = (objects[0]!.spec as { rules: Array<{ matches: Match[]; backendRefs: Array<{ name: string }> }> }).rules;
        for (const r of requests) {
          const chosen = pick(rules, r);
          expect(chosen, JSON.stringify(r)).to.not.equal(undefined); // never a 404
          expect(chosen!.backendRefs[0]!.name === 'v2', JSON.stringify(r)).to.equal(smiSplits(conds, r));
        }
      }),
      { numRuns: 200 },
    );
  });
});
