// Envoy's matchers on hand-written configuration (envoy.type.matcher.v3.StringMatcher,
// envoy.config.route.v3.HeaderMatcher semantics as HeaderUtility::matchHeaders applies them).

import { expect } from 'chai';
import { headerMatcher, pathMatcher, stringMatcher, type Request } from '../../../conformance/envoy/matchers.js';
import { Refusal } from '../../../conformance/envoy/refuse.js';

const req = (headers: Record<string, string> = {}, path = '/api/v1?x=1'): Request => ({ method: 'GET', path, authority: 'web.shop:80', headers });

describe('envoy evaluator: matchers', () => {
  it('StringMatcher: exact, prefix, suffix, contains, ignore_case, and safe_regex as a full match', () => {
    expect(stringMatcher({ exact: 'abc' }, 'abc', 'm')).to.equal(true);
    expect(stringMatcher({ exact: 'abc' }, 'ABC', 'm')).to.equal(false);
    expect(stringMatcher({ exact: 'abc', ignore_case: true }, 'ABC', 'm')).to.equal(true);
    expect(stringMatcher({ prefix: '/api' }, '/api/v1', 'm')).to.equal(true);
    expect(stringMatcher({ suffix: '.json' }, '/a.json', 'm')).to.equal(true);
    expect(stringMatcher({ contains: 'droid' }, 'Android 14', 'm')).to.equal(true);
    // "The regex must match the entire string": a match of a substring is not enough.
    expect(stringMatcher({ safe_regex: { regex: 'v1' } }, 'v1', 'm')).to.equal(true);
    expect(stringMatcher({ safe_regex: { regex: 'v1' } }, 'xv1', 'm')).to.equal(false);
    expect(stringMatcher({ safe_regex: { regex: '' } }, '', 'm')).to.equal(true);
    expect(stringMatcher({ safe_regex: { regex: '' } }, 'a', 'm')).to.equal(false);
  });

  it('refuses what Envoy would reject or what is not implemented', () => {
    expect(() => stringMatcher({ safe_regex: { regex: '(' } }, 'x', 'm')).to.throw(Refusal, /RE2 rejects/);
    expect(() => stringMatcher({ custom: {} }, 'x', 'm')).to.throw(Refusal, /m\.custom: not implemented/);
    expect(() => stringMatcher({ exact: 'a', prefix: 'b' }, 'x', 'm')).to.throw(Refusal, /exactly one/);
  });

  it('HeaderMatcher: a missing header matches only present_match false (or, inverted, present_match true)', () => {
    const none = req();
    expect(headerMatcher({ name: 'x-canary', string_match: { exact: 'true' } }, none, 'h')).to.equal(false);
    // invert_match does not turn a missing header into a match for a value matcher.
    expect(headerMatcher({ name: 'x-canary', string_match: { exact: 'true' }, invert_match: true }, none, 'h')).to.equal(false);
    expect(headerMatcher({ name: 'x-canary', present_match: false }, none, 'h')).to.equal(true);
    expect(headerMatcher({ name: 'x-canary', present_match: true, invert_match: true }, none, 'h')).to.equal(true);
    expect(headerMatcher({ name: 'x-canary', present_match: true }, none, 'h')).to.equal(false);
    expect(headerMatcher({ name: 'x-canary', string_match: { exact: '' }, treat_missing_header_as_empty: true }, none, 'h')).to.equal(true);
  });

  it('HeaderMatcher: a present header is matched, then inverted', () => {
    const r = req({ 'x-canary': 'true' });
    expect(headerMatcher({ name: 'X-Canary', string_match: { exact: 'true' } }, r, 'h')).to.equal(true);
    expect(headerMatcher({ name: 'x-canary', string_match: { exact: 'true' }, invert_match: true }, r, 'h')).to.equal(false);
    expect(headerMatcher({ name: 'x-canary', safe_regex_match: { regex: 't.*' } }, r, 'h')).to.equal(true);
    expect(headerMatcher({ name: 'x-canary', present_match: true }, r, 'h')).to.equal(true);
    // Pseudo-headers come from the request line.
    expect(headerMatcher({ name: ':method', string_match: { exact: 'GET' } }, r, 'h')).to.equal(true);
    expect(headerMatcher({ name: ':authority', string_match: { prefix: 'web.' } }, r, 'h')).to.equal(true);
    expect(() => headerMatcher({ name: 'x-canary', range_match: { start: 1, end: 2 } }, r, 'h')).to.throw(Refusal, /range_match: not implemented/);
  });

  it('HeaderMatcher: without a request the answer is unknown', () => {
    expect(headerMatcher({ name: ':method', string_match: { exact: 'GET' } }, undefined, 'h')).to.equal('unknown');
  });

  it('PathMatcher (RBAC url_path) ignores the query string', () => {
    expect(pathMatcher({ path: { exact: '/api/v1' } }, req(), 'p')).to.equal(true);
    expect(pathMatcher({ path: { prefix: '/api/v2' } }, req(), 'p')).to.equal(false);
  });
});
