import { expect } from 'chai';
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { httpMatch } from '../../../../adapters/consul/match.js';
import { prefixFullMatch } from '../../../../adapters/common/regex.js';
import { cond } from './fixtures.js';

// SMI: some prefix of the path matches the start-anchored regex (RE2 search from 0).
const smiMatches = (re: string, path: string): boolean => RE2JS.compile(re).matcher(path).lookingAt();
// Envoy (Consul pathRegex): the whole path must match.
const envoyMatches = (re: string, path: string): boolean => RE2JS.compile(re).matches(path);

describe('consul: HTTP matches', () => {
  it('turns a start-anchored SMI path regex into an equivalent whole-path regex (property)', () => {
    const regexes = ['^/api', '^/api$', '^(?:/a|/b)', '^/v[0-9]+/items', '^\\Q/a.b', '^\\Q/x\\E/y', '^/', '^(?i)/Admin'];
    const paths = fc.stringMatching(/^\/[a-zA-Z0-9./]{0,12}$/);
    fc.assert(
      fc.property(fc.constantFrom(...regexes), paths, (re, path) => {
        expect(envoyMatches(prefixFullMatch(re), path), `${re} on ${path}`).to.equal(smiMatches(re, path));
      }),
      { numRuns: 500 },
    );
    expect(envoyMatches(prefixFullMatch('^\\Q/a.b'), '/a.b/c')).to.equal(true);
    expect(envoyMatches(prefixFullMatch('^\\Q/a.b'), '/axb')).to.equal(false);
  });

  it('leaves out absent conditions and copies methods and headers', () => {
    expect(httpMatch(cond('g/m'))).to.deep.equal({});
    expect(httpMatch(cond('g/m', { methods: ['GET'], headers: [{ name: 'x-a', regex: 'b|c' }] }))).to.deep.equal({
      methods: ['GET'],
      header: [{ name: 'x-a', regex: 'b|c' }],
    });
  });
});
