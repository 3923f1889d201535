// HttpCondition -> the HTTP match block shared by ServiceRouter routes
// (spec.routes[].match.http) and ServiceIntentions permissions (spec.sources[].permissions[].http).

import type { HttpCondition } from '../common/model.js';
import { prefixFullMatch } from '../common/regex.js';

export interface ConsulHttpMatch {
  pathRegex?: string;
  methods?: string[];
  header?: Array<{ name: string; regex: string }>;
}

/** Matches every request path (Envoy matches the whole path, query string excluded). */
export const ANY_PATH = '.*';

/** Conditions inside one HttpCondition are ANDed, as are the fields of one Consul match. */
export function httpMatch(cond: HttpCondition): ConsulHttpMatch {
  const m: ConsulHttpMatch = {};
  // Envoy needs the regex to match the whole path; the model's pathRegex matches a prefix.
  if (cond.pathRegex !== undefined) m.pathRegex = prefixFullMatch(cond.pathRegex);
  if (cond.methods !== undefined && cond.methods.length > 0) m.methods = [...cond.methods];
  // Header regexes are passed unchanged: Envoy matches them against the whole header value.
  if (cond.headers.length > 0) m.header = cond.headers.map((h) => ({ name: h.name, regex: h.regex }));
  return m;
}

/** True when the condition accepts every request. */
export function isEmptyMatch(m: ConsulHttpMatch): boolean {
  return m.pathRegex === undefined && m.methods === undefined && m.header === undefined;
}
