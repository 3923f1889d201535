// HttpCondition -> the HTTP match block shared by ServiceRouter routes
// (spec.routes[].match.http) and ServiceIntentions permissions (spec.sources[].permissions[].http).

import type { HttpCondition } from '../common/model.js';

export interface ConsulHttpMatch {
  pathRegex?: string;
  methods?: string[];
  header?: Array<{ name: string; regex: string }>;
}

/** Matches every request path (Envoy matches the whole path, query string excluded). */
export const ANY_PATH = '.*';

/**
 * SMI pathRegex is anchored at the start only (a prefix of the path must match), while
 * Envoy, which enforces Consul's pathRegex, needs the regex to match the whole path.
 * "some prefix matches R" is exactly "the whole path matches (?:R).*".
 */
export function fullPathRegex(startAnchored: string): string {
  // An unterminated RE2 \Q quote would swallow the closing `).*`: end it first.
  const quoteOpen = /\\Q(?:(?!\\E)[\s\S])*$/.test(startAnchored);
  return `(?:${startAnchored}${quoteOpen ? '\\E' : ''})${ANY_PATH}`;
}

/** Conditions inside one HttpCondition are ANDed, as are the fields of one Consul match. */
export function httpMatch(cond: HttpCondition): ConsulHttpMatch {
  const m: ConsulHttpMatch = {};
  if (cond.pathRegex !== undefined) m.pathRegex = fullPathRegex(cond.pathRegex);
  if (cond.methods !== undefined && cond.methods.length > 0) m.methods = [...cond.methods];
  // Header regexes are passed unchanged: Envoy matches them against the whole header value.
  if (cond.headers.length > 0) m.header = cond.headers.map((h) => ({ name: h.name, regex: h.regex }));
  return m;
}

/** True when the condition accepts every request. */
export function isEmptyMatch(m: ConsulHttpMatch): boolean {
  return m.pathRegex === undefined && m.methods === undefined && m.header === undefined;
}
