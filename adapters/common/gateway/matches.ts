// HttpCondition -> Gateway API HTTPRouteMatch list. A match carries at most one
// method, so a condition with N methods becomes N matches, each repeating the
// path and headers: (m1 OR m2) AND p AND h == (m1 AND p AND h) OR (m2 AND p AND h).

import type { HttpCondition } from '../model.js';
import { headerRegexValue, pathRegexValue } from './regex.js';

export interface HTTPRouteMatch {
  path: { type: 'Exact' | 'PathPrefix' | 'RegularExpression'; value: string };
  method?: string;
  headers?: Array<{ type: 'RegularExpression'; name: string; value: string }>;
}

export type MatchResult = { ok: true; matches: HTTPRouteMatch[] } | { ok: false; why: string };

/** The match every request satisfies; written out because the API server would default an empty match to it. */
export const MATCH_ALL: HTTPRouteMatch = { path: { type: 'PathPrefix', value: '/' } };

export function conditionMatches(c: HttpCondition): MatchResult {
  let path: HTTPRouteMatch['path'] = MATCH_ALL.path;
  if (c.pathRegex !== undefined) {
    const v = pathRegexValue(c.pathRegex);
    if (!v.ok) return { ok: false, why: `${c.origin}: pathRegex ${JSON.stringify(c.pathRegex)}: ${v.why}` };
    path = { type: 'RegularExpression', value: v.value };
  }
  const headers: NonNullable<HTTPRouteMatch['headers']> = [];
  for (const h of c.headers) {
    // A Gateway API match keys headers by name, so it cannot AND two regexes on one header.
    if (headers.some((x) => x.name === h.name)) return { ok: false, why: `${c.origin}: header ${h.name} has two conditions, which one HTTPRoute match cannot express` };
    const v = headerRegexValue(h.regex);
    if (!v.ok) return { ok: false, why: `${c.origin}: header ${h.name} ${JSON.stringify(h.regex)}: ${v.why}` };
    headers.push({ type: 'RegularExpression', name: h.name, value: v.value });
  }
  const base = (): HTTPRouteMatch => {
    const m: HTTPRouteMatch = { path: { ...path } };
    if (headers.length > 0) m.headers = headers.map((h) => ({ ...h }));
    return m;
  };
  const methods = c.methods ?? [];
  if (methods.length === 0) return { ok: true, matches: [base()] };
  return { ok: true, matches: methods.map((method) => ({ ...base(), method })) };
}

/** True when the condition constrains nothing, i.e. it matches every request. */
export function matchesEverything(c: HttpCondition): boolean {
  return c.pathRegex === undefined && (c.methods ?? []).length === 0 && c.headers.length === 0;
}
