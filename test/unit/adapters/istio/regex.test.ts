import { expect } from 'chai';
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { anchorStart } from '../../../../adapters/common/http.js';
import { policyString, toSimpleMatches, type RegexSemantics, type SimpleMatch } from '../../../../adapters/istio/regex.js';

// Ground truth, as adapters/common/model.ts pins it and RE2 (re2js) implements it: a
// pathRegex matches when it matches a prefix of the path (RE2 lookingAt); a header regex
// must match the whole value (RE2 matches). Envoy full-matches VirtualService regexes.
const prefix = (re: string, s: string): boolean => RE2JS.compile(re).matcher(s).lookingAt();
const full = (re: string, s: string): boolean => RE2JS.compile(re).matcher(s).matches();
const truth: Record<RegexSemantics, (re: string, s: string) => boolean> = { prefix, whole: full };

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
const joined = fc.array(branch, { minLength: 1, maxLength: 3 }).map((bs) => bs.join('|'));
// Also the forms resolve() produces for a pathRegex (`^(?:a|b)`) and a wrapped group.
const regex = fc.oneof(joined, joined.map(anchorStart), joined.map((r) => `(?:${r})`));
const input = fc.array(fc.constantFrom('a', 'b', 'A', '/', '.', 'x'), { maxLength: 6 }).map((xs) => xs.join(''));

describe('istio regex: header regexes in a VirtualService', () => {
  it('the model regex itself is the whole-value match Envoy applies', () => {
    // No rewriting: a search-style `.*Android.*` would make `Android` match "Mozilla (Android)" (wider).
    expect(full('Android', 'Mozilla (Android)')).to.equal(false);
    expect(full('.*Android.*', 'Mozilla (Android)')).to.equal(true);
  });
});

describe('istio regex: toSimpleMatches', () => {
  const strings = (re: string, sem: RegexSemantics) => toSimpleMatches(re, sem)?.map(policyString);
  it('paths (prefix semantics): literal shapes map to exact / prefix / suffix', () => {
    expect(strings('^/api', 'prefix')).to.deep.equal(['/api*']);
    expect(strings('^/api.*', 'prefix')).to.deep.equal(['/api*']);
    expect(strings('^/api$', 'prefix')).to.deep.equal(['/api']);
    expect(strings('^.*\\.json$', 'prefix')).to.deep.equal(['*.json']);
    expect(strings('^/(v1|v2)/items$', 'prefix')).to.deep.equal(['/v1/items', '/v2/items']);
    expect(strings('^(?:/a|/b)', 'prefix')).to.deep.equal(['/a*', '/b*']);
    expect(strings('^/a|^/b$', 'prefix')).to.deep.equal(['/a*', '/b']);
    // An unanchored branch is still pinned to the start of the path, never a suffix or "contains".
    expect(strings('^/a|\\.json$', 'prefix')).to.deep.equal(['/a*', '.json']);
    expect(strings('^/a|/b', 'prefix')).to.deep.equal(['/a*', '/b*']);
    expect(strings('^.*', 'prefix')).to.deep.equal(['*']);
    expect(strings('^(?:/a|/b$)', 'prefix')).to.deep.equal(['/a*', '/b']); // anchorStart('/a|/b$')
    expect(strings('^(?:/a)(?:/b)', 'prefix')).to.deep.equal(['/a/b*']);
  });
  it('headers (whole-value semantics): a bare literal is exact, .* opens a side', () => {
    expect(strings('Android', 'whole')).to.deep.equal(['Android']);
    expect(strings('^qa', 'whole')).to.deep.equal(['qa']);
    expect(strings('qa.*', 'whole')).to.deep.equal(['qa*']);
    expect(strings('.*-canary', 'whole')).to.deep.equal(['*-canary']);
    expect(strings('^(v1|v2)$', 'whole')).to.deep.equal(['v1', 'v2']);
    expect(strings('a|b.*', 'whole')).to.deep.equal(['a', 'b*']);
    expect(strings('.*', 'whole')).to.deep.equal(['*']);
  });
  it('refuses what has no exact form instead of approximating wider', () => {
    for (const sem of ['prefix', 'whole'] as const) {
      for (const re of ['^/users/[0-9]+', '.*Android.*', '^/a+', '^/ab?', '(?i)^/a', '^/a\\d', '^/a{2}', '^/a\\*', '^$', '^/a.b']) {
        expect(toSimpleMatches(re, sem), `${sem} ${re}`).to.equal(undefined);
      }
    }
    expect(toSimpleMatches('^', 'whole')).to.equal(undefined); // only the empty value
    expect(toSimpleMatches('^.*Android', 'prefix')).to.equal(undefined); // "contains"
    expect(strings('^.*Android', 'whole')).to.deep.equal(['*Android']);
  });
  for (const sem of ['prefix', 'whole'] as const) {
    it(`${sem}: accepts a value exactly when the regex matches it (presence aside: empty values)`, () => {
      fc.assert(
        fc.property(regex, input, (re, s) => {
          const m = toSimpleMatches(re, sem);
          if (!m) return true;
          const viaPolicy = m.some((x) => policyMatches(x, s));
          const want = truth[sem](re, s);
          // Istio's "*" needs a non-empty value: the only allowed difference, and it is narrower.
          return s === '' && m.some((x) => x.kind === 'presence') ? !viaPolicy || want : viaPolicy === want;
        }),
        { numRuns: 3000 },
      );
    });
  }
});
