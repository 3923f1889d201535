// Envoy's matchers: StringMatcher (envoy.type.matcher.v3), RegexMatcher (RE2, whole value), HeaderMatcher
// (envoy.config.route.v3, as Envoy's HeaderUtility::matchHeaders applies it, also in RBAC), PathMatcher.

import { RE2JS } from 're2js';
import { Refusal, known, obj, oneOf, str, type Json } from './refuse.js';
import type { Tri } from './tri.js';

/** An HTTP request as the filter chain sees it. Header names lower-case. */
export interface Request {
  method: string;
  /** The :path header, with query string if any. */
  path: string;
  /** The :authority (Host) header. */
  authority: string;
  headers?: Record<string, string>;
}

const compiled = new Map<string, RE2JS>();

/** RE2 against the whole value ("the regex must match the entire string"); an invalid regex would be NACKed by Envoy. */
export function re2Full(regex: string, value: string, path: string): boolean {
  let re = compiled.get(regex);
  if (!re) {
    try {
      re = RE2JS.compile(regex);
    } catch (e) {
      throw new Refusal(path, `RE2 rejects ${JSON.stringify(regex)} (Envoy would reject the configuration): ${(e as Error).message}`);
    }
    compiled.set(regex, re);
  }
  return re.matcher(value).matches();
}

export function regexMatcher(m: unknown, value: string, path: string): boolean {
  const r = obj(m, path);
  // google_re2 is the only engine (and the default); its max_program_size is deprecated.
  known(r, path, ['regex', 'google_re2']);
  return re2Full(str(r.regex, `${path}.regex`), value, path);
}

export function stringMatcher(m: unknown, value: string, path: string): boolean {
  const s = obj(m, path);
  const kind = oneOf(s, path, ['exact', 'prefix', 'suffix', 'contains', 'safe_regex'], ['ignore_case']);
  if (kind === 'safe_regex') {
    if (s.ignore_case) throw new Refusal(`${path}.ignore_case`, 'has no effect on safe_regex in Envoy; refusing an ambiguous matcher');
    return regexMatcher(s.safe_regex, value, `${path}.safe_regex`);
  }
  const fold = s.ignore_case === true;
  const want = fold ? str(s[kind], `${path}.${kind}`).toLowerCase() : str(s[kind], `${path}.${kind}`);
  const v = fold ? value.toLowerCase() : value;
  if (kind === 'exact') return v === want;
  if (kind === 'prefix') return v.startsWith(want);
  if (kind === 'suffix') return v.endsWith(want);
  return v.includes(want);
}

/** A request header's value; pseudo-headers come from the request line. */
export function headerValue(r: Request, name: string): string | undefined {
  const n = name.toLowerCase();
  if (n === ':method') return r.method;
  if (n === ':path') return r.path;
  if (n === ':authority' || n === 'host') return r.authority;
  if (n === ':scheme') return 'http';
  return r.headers?.[n];
}

/**
 * HeaderMatcher. A missing header (treat_missing_header_as_empty unset) matches only `present_match: false`,
 * or with invert_match only `present_match: true`; otherwise the value matcher's result XOR invert_match.
 * Without a request (a question about a whole connection) the answer is unknown.
 */
export function headerMatcher(m: unknown, r: Request | undefined, path: string): Tri {
  const h = obj(m, path);
  const kind = oneOf(h, path, ['exact_match', 'safe_regex_match', 'range_match', 'present_match', 'prefix_match', 'suffix_match', 'contains_match', 'string_match'], ['name', 'invert_match', 'treat_missing_header_as_empty']);
  const name = str(h.name, `${path}.name`);
  if (!r) return 'unknown';
  const invert = h.invert_match === true;
  const raw = headerValue(r, name);
  if (raw === undefined && h.treat_missing_header_as_empty !== true) {
    return kind === 'present_match' && (invert ? h.present_match === true : h.present_match === false);
  }
  const value = raw ?? '';
  let match: boolean;
  switch (kind) {
    case 'exact_match':
      match = h.exact_match === '' || value === h.exact_match;
      break;
    case 'safe_regex_match':
      match = regexMatcher(h.safe_regex_match, value, `${path}.safe_regex_match`);
      break;
    case 'present_match':
      match = h.present_match === true;
      break;
    case 'prefix_match':
      match = value.startsWith(str(h.prefix_match, `${path}.prefix_match`));
      break;
    case 'suffix_match':
      match = value.endsWith(str(h.suffix_match, `${path}.suffix_match`));
      break;
    case 'contains_match':
      match = value.includes(str(h.contains_match, `${path}.contains_match`));
      break;
    case 'string_match':
      match = stringMatcher(h.string_match, value, `${path}.string_match`);
      break;
    default:
      throw new Refusal(`${path}.${kind}`, 'not implemented');
  }
  return match !== invert;
}

/** The path without query string and fragment, as RBAC's url_path and Envoy's path/regex route matches use it. */
export function pathOnly(p: string): string {
  const q = p.search(/[?#]/);
  return q < 0 ? p : p.slice(0, q);
}

/** PathMatcher (RBAC url_path): a StringMatcher on the path without query. */
export function pathMatcher(m: unknown, r: Request | undefined, path: string): Tri {
  const p = obj(m, path);
  known(p, path, ['path']);
  if (!r) return 'unknown';
  return stringMatcher(p.path, pathOnly(r.path), `${path}.path`);
}

export type { Json };
