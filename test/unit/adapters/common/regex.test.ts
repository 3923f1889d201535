import { expect } from 'chai';
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { anchorStart } from '../../../../adapters/common/http.js';
import { prefixFullMatch, splitTopLevel } from '../../../../adapters/common/regex.js';

// Ground truth, as adapters/common/model.ts pins it: a pathRegex matches when it matches a
// prefix of the path (RE2 lookingAt); Envoy full-matches (RE2 matches) the rewritten form.
const prefix = (re: string, s: string): boolean => RE2JS.compile(re).matcher(s).lookingAt();
const full = (re: string, s: string): boolean => RE2JS.compile(re).matcher(s).matches();

// Small regexes over a tiny alphabet so random inputs hit the interesting cases.
const atom = fc.constantFrom('a', 'b', '/', '.', '\\.', '[ab]', '(a|b)', '(?:/|a)', 'a*', 'b?', '.*', '(?i)a');
const branch = fc.tuple(fc.boolean(), fc.array(atom, { maxLength: 4 }), fc.boolean()).map(([s, xs, e]) => `${s ? '^' : ''}${xs.join('')}${e ? '$' : ''}`);
const joined = fc.array(branch, { minLength: 1, maxLength: 3 }).map((bs) => bs.join('|'));
// Also the forms resolve() produces for a pathRegex (`^(?:a|b)`) and a wrapped group.
const regex = fc.oneof(joined, joined.map(anchorStart), joined.map((r) => `(?:${r})`));
const input = fc.array(fc.constantFrom('a', 'b', 'A', '/', '.', 'x'), { maxLength: 6 }).map((xs) => xs.join(''));

describe('regex: splitTopLevel', () => {
  it('splits only at top-level bars', () => {
    expect(splitTopLevel('^/a|(b|c)|[|]|\\|')).to.deep.equal(['^/a', '(b|c)', '[|]', '\\|']);
    expect(splitTopLevel('[]|]x|y')).to.deep.equal(['[]|]x', 'y']);
    expect(splitTopLevel('\\Qa|b\\E|c')).to.deep.equal(['\\Qa|b\\E', 'c']);
  });
});

describe('regex: prefixFullMatch (Envoy full match of a model pathRegex)', () => {
  it('keeps "anchored at start" exact: ^/api matches /api/v1 as a full match', () => {
    expect(prefixFullMatch('^/api')).to.equal('^/api.*');
    expect(full(prefixFullMatch('^/api'), '/api/v1')).to.equal(true);
    expect(full(prefixFullMatch('^/api'), '/v2/api')).to.equal(false);
  });
  it('does not add .* after $, anchors every branch of an alternation at the start', () => {
    expect(prefixFullMatch('^/api$')).to.equal('^/api$');
    expect(prefixFullMatch('^/x\\$')).to.equal('^/x\\$.*'); // escaped $ is a literal
    expect(prefixFullMatch('^/a|/b')).to.equal('(?:^/a|/b).*');
    expect(full(prefixFullMatch('^/a|/b'), '/x/b')).to.equal(false); // search would say true: wider
    expect(full(prefixFullMatch('^/a|/b'), '/b/x')).to.equal(true);
  });
  it('closes an unterminated \\Q quote so the appended .* stays a pattern', () => {
    expect(prefixFullMatch('^/a\\Q.b')).to.equal('^/a\\Q.b\\E.*');
    expect(full(prefixFullMatch('^/a\\Q.b'), '/a.b/c')).to.equal(true);
    expect(full(prefixFullMatch('^/a\\Q.b'), '/axb')).to.equal(false);
  });
  it('full-matches exactly the paths a prefix of which the SMI regex matches', () => {
    fc.assert(
      fc.property(regex, input, (re, s) => full(prefixFullMatch(re), s) === prefix(re, s)),
      { numRuns: 3000 },
    );
  });
});

