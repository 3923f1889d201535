import { expect } from 'chai';
import fc from 'fast-check';
import { RE2JS } from 're2js';
import { anchorStart, resolveRouteGroup } from '../../../../adapters/common/http.js';
import { hrg } from './fixtures.js';

describe('anchorStart', () => {
  it('anchors the whole pattern, alternation included, and keeps an existing anchor', () => {
    expect(anchorStart('/api')).to.equal('^/api');
    expect(anchorStart('/a|/b')).to.equal('^(?:/a|/b)');
    expect(anchorStart('^/x|/y')).to.equal('^/x|/y');
  });

  it('matches a path exactly when the pattern matches a prefix of it', () => {
    const seg = fc.constantFrom('/a', '/b', '/ab', 'x', '/');
    fc.assert(
      fc.property(fc.array(seg, { minLength: 1, maxLength: 3 }), fc.array(seg, { maxLength: 3 }), fc.string({ maxLength: 6 }), (alts, pathParts, tail) => {
        const pattern = alts.map((a) => a.replace(/[/]/g, '\\/')).join('|');
        const path = pathParts.join('') + tail;
        const prefixMatch = alts.some((a) => path.startsWith(a));
        expect(RE2JS.compile(anchorStart(pattern)).matcher(path).lookingAt()).to.equal(prefixMatch);
      }),
    );
  });
});

describe('resolveRouteGroup', () => {
  it('reports an empty group, duplicate names and unknown methods, naming the field', () => {
    expect(resolveRouteGroup(hrg('g', [])).errors).to.deep.equal(['spec.matches: has no matches, so it can match no request']);
    const r = resolveRouteGroup(hrg('g', [{ name: 'a' }, { name: 'a', methods: ['FETCH' as never] }]));
    expect(r.errors).to.deep.equal([
      'spec.matches[1].name: duplicate match name "a" (names are the key rules refer to)',
      'spec.matches[1].methods[0]: unknown HTTP method "FETCH"',
    ]);
    expect([...r.conditions.keys()]).to.deep.equal(['a']);
  });

  it('treats an empty pathRegex as any path and an empty method list as any method', () => {
    const r = resolveRouteGroup(hrg('g', [{ name: 'a', pathRegex: '', methods: [] }]));
    expect(r.conditions.get('a')).to.deep.equal({ origin: 'g/a', headers: [] });
  });
});
