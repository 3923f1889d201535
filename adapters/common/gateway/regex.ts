// SMI regexes -> values for Gateway API RegularExpression matches, in the form
// Linkerd needs (the strictest GAMMA engine; RE2 engines read it the same).
//
// Linkerd (linkerd2-proxy http-route) accepts a regex match only when the
// leftmost match spans the whole value (start 0, end = length). SMI anchors
// pathRegex at the start only, so a path regex gets `(?s:.*)` appended: any
// request whose path R matches at position 0 then matches to the end. Header
// regexes are treated as full matches (the SMI examples write `.*Android.*`,
// and full match is the narrower reading), made explicit with `^(?:R)$`.
//
// Dialect: Rust `regex` and RE2 share their syntax except `\Q...\E` and `\C`
// (RE2 only). Their Unicode-aware classes differ only on non-ASCII input, and
// URI paths and header values Linkerd matches are ASCII.

import { ROUTE_LIMITS } from './kinds.js';

export type RegexValue = { ok: true; value: string } | { ok: false; why: string };

/** The first RE2-only escape (`\Q`, `\C`) in `re`, walking escapes from the start (linear; `\\Q` is a backslash, then Q). */
export function dialectProblem(re: string): string | undefined {
  for (let i = 0; i + 1 < re.length; i++) {
    if (re[i] !== '\\') continue;
    const n = re[i + 1];
    if (n === 'Q' || n === 'C') return `\\${n} is RE2-only syntax that Linkerd's regex engine rejects`;
    i++;
  }
  return undefined;
}

function checked(value: string, source: string, limit: number): RegexValue {
  const bad = dialectProblem(source);
  if (bad) return { ok: false, why: bad };
  if (value.length > limit) return { ok: false, why: `the HTTPRoute regex is ${value.length} characters, over the ${limit} the HTTPRoute schema allows` };
  return { ok: true, value };
}

/** HttpCondition.pathRegex (already start-anchored by resolve) -> HTTPRoute path RegularExpression value. */
export function pathRegexValue(pathRegex: string): RegexValue {
  return checked(`^(?:${pathRegex})(?s:.*)`, pathRegex, ROUTE_LIMITS.pathValue);
}

/** Header regex -> HTTPRoute header RegularExpression value (full match). */
export function headerRegexValue(regex: string): RegexValue {
  return checked(`^(?:${regex})$`, regex, ROUTE_LIMITS.headerValue);
}
