// HTTPRouteGroup -> normalised HttpConditions, validated once per group. Both
// TrafficSplit `matches` and TrafficTarget HTTP rules use the result.

import type { HTTPRouteGroup } from '../../schemas/hub.js';
import { within } from '../../schemas/conversion.js';
import { matchRegexRules } from '../../schemas/rules/http-match.js';
import type { HttpCondition } from './model.js';
import { compareStrings } from './status.js';

const METHODS = new Set(['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

export interface ResolvedRouteGroup {
  group: HTTPRouteGroup;
  /** Valid matches by name, in spec order. */
  conditions: Map<string, HttpCondition>;
  /** `field: message` lines; any makes the group Invalid. */
  errors: string[];
}

/**
 * SMI anchors pathRegex at the start only. A leading `^` is kept as is; otherwise
 * the pattern is wrapped so a top-level alternation (`a|b`) is anchored as a whole.
 */
export function anchorStart(re: string): string {
  if (re.startsWith('^')) return re;
  return re.includes('|') ? `^(?:${re})` : `^${re}`;
}

export function resolveRouteGroup(group: HTTPRouteGroup): ResolvedRouteGroup {
  const conditions = new Map<string, HttpCondition>();
  const errors: string[] = [];
  const matches = Array.isArray(group.spec?.matches) ? group.spec.matches : [];
  if (matches.length === 0) errors.push('spec.matches: has no matches, so it can match no request');
  // The regex and header rules admission applies (and their compiled-regex cache): the
  // operator also reads objects stored before a rule existed or with the webhook off.
  const regexFound = matchRegexRules(matches, 'spec.matches');
  errors.push(...regexFound.map((f) => `${f.path}: ${f.message}`));
  const bad = regexFound.map((f) => f.path);
  matches.forEach((m, i) => {
    const at = `spec.matches[${i}]`;
    const before = errors.length;
    if (typeof m?.name !== 'string' || m.name === '') {
      errors.push(`${at}.name: is required`);
      return;
    }
    if (conditions.has(m.name)) errors.push(`${at}.name: duplicate match name "${m.name}" (names are the key rules refer to)`);
    const cond: HttpCondition = { origin: `${group.metadata.name}/${m.name}`, headers: [] };
    if (m.pathRegex !== undefined && m.pathRegex !== '' && !within(`${at}.pathRegex`, bad)) cond.pathRegex = anchorStart(m.pathRegex);
    const methods = Array.isArray(m.methods) ? m.methods.map((x) => String(x).toUpperCase()) : [];
    methods.forEach((x, j) => {
      if (x !== '*' && !METHODS.has(x)) errors.push(`${at}.methods[${j}]: unknown HTTP method ${JSON.stringify(x)}`);
    });
    // `*` anywhere means any method; so does an absent or empty list.
    if (methods.length > 0 && !methods.includes('*')) cond.methods = [...new Set(methods)].sort(compareStrings);
    for (const [name, regex] of Object.entries(m.headers ?? {})) {
      if (!within(`${at}.headers.${name}`, bad)) cond.headers.push({ name: name.toLowerCase(), regex: String(regex) });
    }
    cond.headers.sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.regex, b.regex));
    const clean = errors.length === before && !bad.some((p) => within(p, [at]));
    if (clean && !conditions.has(m.name)) conditions.set(m.name, cond);
  });
  return { group, conditions, errors };
}
