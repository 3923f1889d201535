// SMI regexes -> values for Linkerd's RegularExpression matches.
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

function dialectProblem(re: string): string | undefined {
  // Count preceding backslashes so an escaped backslash (`\\Q`) is not flagged.
  const m = /(?:^|[^\\])(?:\\\\)*\\([QC])/.exec(re);
  return m ? `\\${m[1]} is RE2-only syntax that Linkerd's regex engine rejects` : undefined;
}

function checked(value: string, source: string, limit: number): RegexValue {
  const bad = dialectProblem(source);
  if (bad) return { ok: false, why: bad };
  if (value.length > limit) return { ok: false, why: `the Linkerd regex is ${value.length} characters, over the ${limit} the HTTPRoute schema allows` };
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
