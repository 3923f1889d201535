import { expect } from 'chai';
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { policyString, searchToFullMatch, splitTopLevel, toSimpleMatches, type SimpleMatch } from '../../../../adapters/istio/regex.js';

// Ground truth: SMI regexes are searched (RE2 find); Envoy full-matches VirtualService regexes.
const search = (re: string, s: string): boolean => RE2JS.compile(re).matcher(s).find();
const full = (re: string, s: string): boolean => RE2JS.compile(re).matcher(s).matches();

/** Istio AuthorizationPolicy string matching: exact, `x*`, `*x`, and `*` = non-empty. */
function policyMatches(m: SimpleMatch, s: string): boolean {
  const p = policyString(m);
  if (p === '*') return s !== '';
  if (p.endsWith('*')) return s.startsWith(p.slice(0, -1));
  if (p.startsWith('*')) return s.endsWith(p.slice(1));
  return s === p;
}

// Small regexes over a tiny alphabet so random inputs hit the interesting cases.
const atom = fc.constantFrom('a', 'b', '/', '.', '\\.', '[ab]', '(a|b)', '(?:/|a)', 'a*', 'b?', '.*', '(?i)a');
const branch = fc.tuple(fc.boolean(), fc.array(atom, { maxLength: 4 }), fc.boolean()).map(([s, xs, e]) => `${s ? '^' : ''}${xs.join('')}${e ? '$' : ''}`);
const regex = fc.array(branch, { minLength: 1, maxLength: 3 }).map((bs) => bs.join('|'));
const input = fc.array(fc.constantFrom('a', 'b', 'A', '/', '.', 'x'), { maxLength: 6 }).map((xs) => xs.join(''));

describe('istio regex: splitTopLevel', () => {
  it('splits only at top-level bars', () => {
    expect(splitTopLevel('^/a|(b|c)|[|]|\\|')).to.deep.equal(['^/a', '(b|c)', '[|]', '\\|']);
    expect(splitTopLevel('[]|]x|y')).to.deep.equal(['[]|]x', 'y']);
    expect(splitTopLevel('\\Qa|b\\E|c')).to.deep.equal(['\\Qa|b\\E', 'c']);
  });
});

describe('istio regex: searchToFullMatch', () => {
  it('keeps "anchored at start" exact: ^/api matches /api/v1 as a full match', () => {
    expect(searchToFullMatch('^/api')).to.equal('^/api.*');
    expect(full(searchToFullMatch('^/api'), '/api/v1')).to.equal(true);
    expect(full(searchToFullMatch('^/api'), '/v2/api')).to.equal(false);
  });
  it('does not add .* where ^ or $ already pins the end', () => {
    expect(searchToFullMatch('^/api$')).to.equal('^/api$');
    expect(searchToFullMatch('Android')).to.equal('.*Android.*');
    expect(searchToFullMatch('x\\$')).to.equal('.*x\\$.*'); // escaped $ is a literal
    expect(searchToFullMatch('^a|b')).to.equal('.*(?:^a|b).*');
  });
  it('full-matches exactly the strings the SMI regex finds a match in', () => {
    fc.assert(
      fc.property(regex, input, (re, s) => full(searchToFullMatch(re), s) === search(re, s)),
      { numRuns: 3000 },
    );
  });
});

describe('istio regex: toSimpleMatches', () => {
  const strings = (re: string) => toSimpleMatches(re)?.map(policyString);
  it('maps literal shapes to exact / prefix / suffix', () => {
    expect(strings('^/api')).to.deep.equal(['/api*']);
    expect(strings('^/api.*')).to.deep.equal(['/api*']);
    expect(strings('^/api$')).to.deep.equal(['/api']);
    expect(strings('\\.json$')).to.deep.equal(['*.json']);
    expect(strings('^/(v1|v2)/items$')).to.deep.equal(['/v1/items', '/v2/items']);
    expect(strings('^(?:/a|/b)')).to.deep.equal(['/a*', '/b*']);
    expect(strings('^/a|^/b$')).to.deep.equal(['/a*', '/b']);
    expect(strings('.*')).to.deep.equal(['*']);
  });
  it('refuses what has no exact form instead of approximating wider', () => {
    for (const re of ['^/users/[0-9]+', 'Android', '.*Android.*', '^/a+', '^/ab?', '(?i)^/a', '^/a\\d', '^/a{2}', '^/a\\*', '^$', '^/a.b']) {
      expect(toSimpleMatches(re), re).to.equal(undefined);
    }
  });
  it('accepts a string exactly when the regex finds a match in it (presence aside: empty strings)', () => {
    fc.assert(
      fc.property(regex, input, (re, s) => {
        const m = toSimpleMatches(re);
        if (!m) return true;
        const viaPolicy = m.some((x) => policyMatches(x, s));
        // Istio's "*" needs a non-empty value: the only allowed difference, and it is narrower.
        return s === '' && m.some((x) => x.kind === 'presence') ? !viaPolicy || search(re, s) : viaPolicy === search(re, s);
      }),
      { numRuns: 3000 },
    );
  });
});
