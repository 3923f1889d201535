// Size and complexity limits on HTTPRouteGroup regexes and headers, and bounded Quantity
// arithmetic (issues 11 items 8/9, 18 items 3/4/5/8). Each limit is asserted by what is
// rejected and by counting work, never by timing.

import { expect } from 'chai';
import { RE2JS } from 're2js';
import type { KubeObject } from '../../../schemas/hub.js';
import { formatProblem } from '../../../schemas/problem.js';
import { quantitiesToWeights } from '../../../schemas/quantity.js';
import { convert } from '../../../schemas/conversion.js';
import { MAX_COMPILE_MS_PER_GROUP, MAX_PROGRAM_PER_GROUP, MAX_REGEX_BYTES } from '../../../schemas/regex.js';
import { MAX_HEADERS, MAX_MATCHES } from '../../../schemas/rules/http-match.js';
import { validateSmiObject } from '../../../schemas/validate.js';
import { Lru } from '../../../schemas/lru.js';
import { countCompiles, unique } from './compiles.js';

const lines = (obj: KubeObject) => validateSmiObject(obj).problems.map(formatProblem);

const group = (matches: unknown[], name = 'routes'): KubeObject => ({
  apiVersion: 'specs.smi-spec.io/v1alpha4',
  kind: 'HTTPRouteGroup',
  metadata: { name, namespace: 'shop' },
  spec: { matches },
});

describe('HTTPRouteGroup header rules (the same for every mesh)', () => {
  it('rejects an empty header regex, naming the field and the fix (Istio and Consul reject regex: "")', () => {
    expect(lines(group([{ name: 'debug', headers: { 'x-debug': '' } }]))).to.deep.equal([
      'HTTPRouteGroup shop/routes: spec.matches[0].headers.x-debug: is an empty regex, which would match only an empty value and which Istio and Consul reject; write .* to require the header with any value, or ^$ for an empty value',
    ]);
    // In the list shape too; an empty pathRegex stays "any path".
    expect(lines(group([{ name: 'debug', pathRegex: '', headers: [{ 'x-debug': '' }] }]))).to.have.length(1);
    expect(lines(group([{ name: 'any', pathRegex: '', headers: { 'x-debug': '.*' } }]))).to.deep.equal([]);
  });

  it('rejects one header named twice in one match, whatever the case (Istio would keep only one regex)', () => {
    expect(lines(group([{ name: 'beta', headers: { 'X-Cohort': 'beta', 'x-cohort': 'beta|internal-.*' } }]))).to.deep.equal([
      'HTTPRouteGroup shop/routes: spec.matches[0].headers.x-cohort: names the same header as X-Cohort (header names are case-insensitive); one match holds one regex per header, so combine them into one regex',
    ]);
    // The list shape reaches the same rule; the same header in two matches is fine (matches are ORed).
    expect(lines(group([{ name: 'beta', headers: [{ 'X-Cohort': 'beta' }, { 'X-COHORT': 'x' }] }]))).to.have.length(1);
    expect(lines(group([{ name: 'a', headers: { 'X-Cohort': 'a' } }, { name: 'b', headers: { 'x-cohort': 'b' } }]))).to.deep.equal([]);
  });

  it('rejects header names that are not HTTP tokens', () => {
    expect(lines(group([{ name: 'a', headers: { 'x y': 'v', '': 'v', [`x${'a'.repeat(256)}`]: 'v' } }]))).to.have.length(3);
    expect(lines(group([{ name: 'a', headers: { "x-a!#$%&'*+-.^_`|~9": 'v' } }]))).to.deep.equal([]);
  });
});

describe('HTTPRouteGroup regex limits', () => {
  it(`rejects a regex over ${MAX_REGEX_BYTES} UTF-8 bytes (Istio's limit), counting bytes, not characters`, () => {
    const ok = `/${'a'.repeat(MAX_REGEX_BYTES - 1)}`;
    const multibyte = `/${'é'.repeat(600)}`; // 601 characters, 1,201 bytes
    expect(lines(group([{ name: 'a', pathRegex: ok }]))).to.deep.equal([]);
    expect(lines(group([{ name: 'a', pathRegex: multibyte }, { name: 'b', headers: { 'x-a': `${ok}b` } }]))).to.deep.equal([
      'HTTPRouteGroup shop/routes: spec.matches[0].pathRegex: is 1201 bytes long; a regex may be at most 1024 bytes (UTF-8), the most Istio accepts',
      'HTTPRouteGroup shop/routes: spec.matches[1].headers.x-a: is 1025 bytes long; a regex may be at most 1024 bytes (UTF-8), the most Istio accepts',
    ]);
  });

  it('rejects the pathological `x\\Q...\\E` regex by its size, without compiling it', () => {
    const hostile = `${'x\\Q'.repeat(16_000)}\\E`; // 48 KB of valid RE2
    let found: string[] = [];
    expect(countCompiles(() => (found = lines(group([{ name: 'a', pathRegex: hostile }]))))).to.equal(0);
    expect(found).to.deep.equal(['HTTPRouteGroup shop/routes: spec.matches[0].pathRegex: is 48002 bytes long; a regex may be at most 1024 bytes (UTF-8), the most Istio accepts']);
  });

  it(`stops compiling once a group's regexes pass ${MAX_PROGRAM_PER_GROUP} RE2 instructions, and says where`, () => {
    // Each `a{1000}` compiles to ~1,000 instructions; all of these are the same size.
    const stem = unique('/a{1000}');
    const matches = Array.from({ length: 60 }, (_, i) => ({ name: `m${i}`, pathRegex: `${stem}/${String(i).padStart(2, '0')}` }));
    const per = RE2JS.compile(matches[0]!.pathRegex).programSize();
    const crossing = Math.floor(MAX_PROGRAM_PER_GROUP / per); // 0-based index of the regex that crosses
    let found: string[] = [];
    const compiles = countCompiles(() => (found = lines(group(matches))));
    expect(compiles).to.equal(crossing + 1);
    expect(found).to.deep.equal([
      `HTTPRouteGroup shop/routes: spec.matches[${crossing}].pathRegex: the regexes of this HTTPRouteGroup, up to this one, compile to ${(crossing + 1) * per} RE2 instructions, over the 32768 allowed per HTTPRouteGroup (large {n,m} repetitions are the usual cause); simplify them or split the group`,
    ]);
  });

  it(`stops compiling once a group's regexes took ${MAX_COMPILE_MS_PER_GROUP} ms of CPU (few instructions, slow to parse), and the verdict holds on retry`, function () {
    this.timeout(60_000);
    // One case-folded class of huge ranges: ~6 RE2 instructions but ~100+ ms to parse (re2js
    // folds every range). 40 of them passed every other limit and took over ten seconds before.
    const slow = (i: number): string => `/(?i)[${'\\x{100}-\\x{10FFFF}'.repeat(40)}]${unique('')}-${i}`;
    const matches = Array.from({ length: 40 }, (_, i) => ({ name: `m${i}`, pathRegex: slow(i) }));
    let found: string[] = [];
    const compiles = countCompiles(() => (found = lines(group(matches))));
    // Where it stops depends on the machine; that it stops well before the end, and says where, does not.
    expect(compiles, 'compiled every regex').to.be.below(matches.length);
    expect(found).to.have.length(1);
    expect(found[0]).to.match(new RegExp(`^HTTPRouteGroup shop/routes: spec\\.matches\\[${compiles - 1}\\]\\.pathRegex: compiling the regexes of this HTTPRouteGroup, up to this one, takes more than the ${MAX_COMPILE_MS_PER_GROUP} ms of CPU allowed per HTTPRouteGroup`));
    // A retry compiles nothing (the costs are remembered) and is refused at the same regex.
    let again: string[] = [];
    expect(countCompiles(() => (again = lines(group(matches))))).to.equal(0);
    expect(again).to.deep.equal(found);
  });

  it(`limits matches per group (${MAX_MATCHES}) and headers per match (${MAX_HEADERS}), in the schema and the rules`, () => {
    const many = Array.from({ length: MAX_MATCHES + 1 }, (_, i) => ({ name: `m${i}` }));
    expect(lines(group(many))).to.deep.equal([
      'HTTPRouteGroup shop/routes: spec.matches: has 129 matches; at most 128 are allowed (the most one Gateway API HTTPRoute holds); split them over several HTTPRouteGroups',
    ]);
    const headers = Object.fromEntries(Array.from({ length: MAX_HEADERS + 1 }, (_, i) => [`x-h${i}`, 'v']));
    expect(lines(group([{ name: 'a', headers }]))).to.deep.equal([
      'HTTPRouteGroup shop/routes: spec.matches[0].headers: has 17 headers; at most 16 per match are allowed (the Gateway API limit Linkerd inherits)',
    ]);
  });

  it('objects stored before the limits existed still convert (the conversion webhook stops only on shape problems)', () => {
    const stored = group([...Array.from({ length: MAX_MATCHES + 1 }, (_, i) => ({ name: `m${i}` })), { name: 'long', pathRegex: `/${'a'.repeat(2000)}`, headers: { 'x-debug': '' } }]);
    const c = convert(stored, 'specs.smi-spec.io/v1alpha2');
    expect(c.problems).to.deep.equal([]);
    expect((c.object as unknown as { matches: unknown[] }).matches).to.have.length(MAX_MATCHES + 2);
  });

  it('compiles a regex once, however many objects, units or resyncs validate it', () => {
    const re = unique('/shared/.*');
    const compiles = countCompiles(() => {
      for (let i = 0; i < 8; i++) expect(lines(group([{ name: 'a', pathRegex: re, headers: { 'x-a': re } }], `g${i}`))).to.deep.equal([]);
    });
    expect(compiles).to.equal(1);
  });
});

describe('Lru', () => {
  it('keeps at most its capacity, evicting the least recently used', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).to.equal(1); // a is now the most recent
    lru.set('c', 3);
    expect([lru.size, lru.get('b'), lru.get('a'), lru.get('c')]).to.deep.equal([2, undefined, 1, 3]);
    let computed = 0;
    expect(lru.getOrCompute('a', () => ++computed)).to.equal(1);
    expect(lru.getOrCompute('d', () => ++computed)).to.equal(1);
    expect([computed, lru.size]).to.deep.equal([1, 2]);
  });
});

describe('Quantity weights: absurd values are rejected without big arithmetic', () => {
  it('rejects a weight that cannot be scaled next to the others, instead of computing 10^999999999', () => {
    const r = quantitiesToWeights(['1e999999999', '1']);
    expect(r).to.deep.equal([{ error: '"1e999999999" is too large once all weights are scaled to a common unit (10^0)' }, { weight: 1 }]);
  });

  it('rejects an exponent outside int32 (what a Kubernetes quantity holds) instead of crashing', () => {
    expect(quantitiesToWeights(['1e99999999999', '1'])[0]).to.deep.equal({
      error: '"1e99999999999" has an exponent outside the int32 range Kubernetes quantities hold (-2147483648..2147483647)',
    });
    expect(quantitiesToWeights([`1e${'9'.repeat(400)}`])[0]).to.have.property('error');
  });

  it('rejects more significant digits than a safe integer has, before building a BigInt', () => {
    expect(quantitiesToWeights([`${'9'.repeat(100_000)}`])[0]).to.deep.equal({ error: `${JSON.stringify('9'.repeat(100_000))} has more significant digits than a weight can hold (16)` });
    // Leading zeros carry no value.
    expect(quantitiesToWeights([`${'0'.repeat(100)}5`, '0.5'])).to.deep.equal([{ weight: 50 }, { weight: 5 }]);
  });

  it('keeps extreme but consistent scales exact, and a zero weight does not set the unit', () => {
    expect(quantitiesToWeights(['1e-999999999', '3e-999999999'])).to.deep.equal([{ weight: 1 }, { weight: 3 }]);
    expect(quantitiesToWeights(['0e-999999999', '1'])).to.deep.equal([{ weight: 0 }, { weight: 1 }]);
    expect(quantitiesToWeights(['1', '500m'])).to.deep.equal([{ weight: 1000 }, { weight: 500 }]);
  });

  it('names the field in validation', () => {
    const ts: KubeObject = {
      apiVersion: 'split.smi-spec.io/v1alpha1',
      kind: 'TrafficSplit',
      metadata: { name: 'canary', namespace: 'shop' },
      spec: { service: 'web', backends: [{ service: 'web-v1', weight: '1e999999999' }, { service: 'web-v2', weight: '1' }] },
    };
    expect(lines(ts)).to.deep.equal(['TrafficSplit shop/canary: spec.backends[0].weight: "1e999999999" is too large once all weights are scaled to a common unit (10^0)']);
  });
});
