import { expect } from 'chai';
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { headerRegexValue, pathRegexValue } from '../../../../adapters/common/gateway/regex.js';

/** Linkerd's check (linkerd2-proxy http-route): the leftmost match must span the whole value. */
function linkerdMatches(re: string, value: string): boolean {
  const m = RE2JS.compile(re).matcher(value);
  return m.find() && m.start() === 0 && m.end() === value.length;
}

function value(r: ReturnType<typeof pathRegexValue>): string {
  if (!r.ok) throw new Error(r.why);
  return r.value;
}

describe('linkerd regex values', () => {
  it('path: a start-anchored SMI regex matches as a prefix regex, not only whole paths', () => {
    const v = value(pathRegexValue('^/api'));
    expect(linkerdMatches(v, '/api')).to.equal(true);
    expect(linkerdMatches(v, '/api/v1/items')).to.equal(true);
    expect(linkerdMatches(v, '/apix')).to.equal(true); // regex prefix, not a path-segment prefix
    expect(linkerdMatches(v, '/v1/api')).to.equal(false);
    // The raw regex would fail Linkerd's whole-value check on longer paths.
    expect(linkerdMatches('^/api', '/api/v1')).to.equal(false);
  });

  it('path: an explicit end anchor still limits the match', () => {
    const v = value(pathRegexValue('^/api$'));
    expect(linkerdMatches(v, '/api')).to.equal(true);
    expect(linkerdMatches(v, '/api/x')).to.equal(false);
  });

  it('path: alternation stays anchored as a whole, and leftmost-first does not cut the match short', () => {
    const v = value(pathRegexValue('^(?:/a|/ab)'));
    expect(linkerdMatches(v, '/ab/c')).to.equal(true);
    expect(linkerdMatches(v, '/x/ab')).to.equal(false);
  });

  it('path: equals RE2 start-anchored matching for generated regexes and paths', () => {
    const atom = fc.constantFrom('/', 'a', 'b', '[ab]', '.', 'a*', '(?:a|b)', 'b+', '\\d', '[0-9]', '$', '(?:/a|/ab)');
    const regex = fc.array(atom, { minLength: 1, maxLength: 5 }).map((xs) => `^${xs.join('')}`);
    const path = fc.array(fc.constantFrom('/', 'a', 'b', '1', 'c'), { maxLength: 8 }).map((xs) => `/${xs.join('')}`);
    fc.assert(
      fc.property(regex, path, (re, p) => {
        const smi = RE2JS.compile(re).matcher(p).lookingAt();
        expect(linkerdMatches(value(pathRegexValue(re)), p), `${re} on ${p}`).to.equal(smi);
      }),
      { numRuns: 500 },
    );
  });

  it('header: full match of the SMI regex, whatever alternation order', () => {
    const v = value(headerRegexValue('a|ab'));
    expect(linkerdMatches(v, 'ab')).to.equal(true);
    expect(linkerdMatches(v, 'a')).to.equal(true);
    expect(linkerdMatches(v, 'abc')).to.equal(false);
    expect(linkerdMatches(value(headerRegexValue('.*Android.*')), 'Mozilla (Linux; Android 14)')).to.equal(true);
    // Linkerd's own check would reject the raw `a|ab` on `ab` (leftmost-first stops at `a`).
    expect(linkerdMatches('a|ab', 'ab')).to.equal(false);
  });

  it('header: equals RE2 full matching for generated regexes and values', () => {
    const atom = fc.constantFrom('a', 'b', 'a|ab', '[ab]*', '.', 'b?', '(?:ab)+');
    const regex = fc.array(atom, { minLength: 1, maxLength: 4 }).map((xs) => xs.map((x) => `(?:${x})`).join(''));
    const text = fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 6 }).map((xs) => xs.join(''));
    fc.assert(
      fc.property(regex, text, (re, t) => {
        expect(linkerdMatches(value(headerRegexValue(re)), t), `${re} on ${t}`).to.equal(RE2JS.compile(re).matcher(t).matches());
      }),
      { numRuns: 500 },
    );
  });

  it('refuses RE2-only syntax and over-long values, but not an escaped backslash', () => {
    const q = pathRegexValue('^/\\Qa.b\\E');
    expect(q.ok).to.equal(false);
    expect(headerRegexValue('x\\Cy').ok).to.equal(false);
    expect(pathRegexValue('^/a\\\\Q').ok).to.equal(true);
    expect(pathRegexValue(`^/${'a'.repeat(1020)}`).ok).to.equal(false);
    expect(pathRegexValue(`^/${'a'.repeat(900)}`).ok).to.equal(true);
  });
});
