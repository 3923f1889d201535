// The regex and header rules of HTTPRouteGroup matches (hub form), shared by admission
// (rules/specs.ts) and the adapters (adapters/common/http.ts), so that what the webhook
// admits is exactly what every mesh renderer is given. Each rule is here because some
// mesh cannot express what it rejects (docs/adapters/<mesh>.md says which and where).

import type { HTTPMatch } from '../hub.js';
import { compileRe2, MAX_COMPILE_MS_PER_GROUP, MAX_PROGRAM_PER_GROUP, regexLengthProblem } from '../regex.js';

type Found = Array<{ path: string; message: string }>;

/** Matches per HTTPRouteGroup: the most one Gateway API HTTPRoute (Linkerd) holds (CEL rule on all rules' matches). */
export const MAX_MATCHES = 128;
/** Headers per match: Gateway API HTTPRouteMatch.headers maxItems (Linkerd). */
export const MAX_HEADERS = 16;
/** Header name length: Gateway API HTTPHeaderName maxLength. */
export const MAX_HEADER_NAME = 256;

// RFC 7230 token characters besides letters and digits (the Gateway API HTTPHeaderName pattern).
const TOKEN_PUNCT = new Set("!#$%&'*+-.^_`|~");

function isToken(name: string): boolean {
  if (name.length === 0) return false;
  for (const c of name) {
    const alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && !TOKEN_PUNCT.has(c)) return false;
  }
  return true;
}

/**
 * Regex and header problems of the matches at `prefix` (`spec.matches`, or `matches` for
 * v1alpha1/2). Lengths are checked before anything is compiled, and compiling stops once the
 * group's regexes exceed MAX_PROGRAM_PER_GROUP, so the time spent on one object is bounded.
 * `unreadable(path)`: the field could not be read (see validate.ts); its rules are skipped.
 */
export function matchRegexRules(matches: readonly HTTPMatch[], prefix: string, unreadable: (path: string) => boolean = () => false): Found {
  const out: Found = [];
  if (matches.length > MAX_MATCHES) {
    out.push({ path: prefix, message: `has ${matches.length} matches; at most ${MAX_MATCHES} are allowed (the most one Gateway API HTTPRoute holds); split them over several HTTPRouteGroups` });
  }
  let program = 0;
  let cpuMs = 0;
  let overBudget = false;
  const checkRegex = (path: string, re: string): void => {
    const long = regexLengthProblem(re);
    if (long) {
      out.push({ path, message: long });
      return;
    }
    if (overBudget) return; // reported once; compiling more would only spend time
    const c = compileRe2(re);
    cpuMs += c.cpuMs;
    if (cpuMs > MAX_COMPILE_MS_PER_GROUP) {
      overBudget = true;
      out.push({
        path,
        message: `compiling the regexes of this HTTPRouteGroup, up to this one, takes more than the ${MAX_COMPILE_MS_PER_GROUP} ms of CPU allowed per HTTPRouteGroup (large Unicode classes such as \\pL and case-insensitive non-ASCII ranges are the usual cause); simplify them or split the group`,
      });
      return;
    }
    if (c.error !== undefined) {
      out.push({ path, message: `not a valid RE2 regex: ${c.error}` });
      return;
    }
    program += c.programSize;
    if (program > MAX_PROGRAM_PER_GROUP) {
      overBudget = true;
      out.push({
        path,
        message: `the regexes of this HTTPRouteGroup, up to this one, compile to ${program} RE2 instructions, over the ${MAX_PROGRAM_PER_GROUP} allowed per HTTPRouteGroup (large {n,m} repetitions are the usual cause); simplify them or split the group`,
      });
    }
  };
  matches.forEach((m, i) => {
    const at = `${prefix}[${i}]`;
    if (m === null || typeof m !== 'object' || unreadable(at)) return;
    // An empty pathRegex constrains nothing (it matches a prefix of every path): it stands for any path.
    if (m.pathRegex !== undefined && !unreadable(`${at}.pathRegex`)) {
      if (typeof m.pathRegex !== 'string') out.push({ path: `${at}.pathRegex`, message: 'must be a string (a regex)' });
      else if (m.pathRegex !== '') checkRegex(`${at}.pathRegex`, m.pathRegex);
    }
    if (unreadable(`${at}.headers`) || m.headers === null || typeof m.headers !== 'object') return;
    const headers = Object.entries(m.headers);
    if (headers.length > MAX_HEADERS) {
      out.push({ path: `${at}.headers`, message: `has ${headers.length} headers; at most ${MAX_HEADERS} per match are allowed (the Gateway API limit Linkerd inherits)` });
    }
    const byLowerName = new Map<string, string>();
    for (const [name, regex] of headers) {
      const path = `${at}.headers.${name}`;
      if (unreadable(path)) continue;
      if (typeof regex !== 'string') {
        out.push({ path, message: 'must be a string (a regex)' });
        continue;
      }
      if (!isToken(name) || name.length > MAX_HEADER_NAME) {
        out.push({ path, message: `header name ${JSON.stringify(name)} is not an HTTP header name (1-${MAX_HEADER_NAME} token characters: letters, digits and !#$%&'*+-.^_\`|~)` });
        continue;
      }
      // Header names are case-insensitive. Istio keys a match's headers by name and the
      // Gateway API (Linkerd) allows a name once per match, so two regexes on one header
      // cannot both apply there: keeping one would widen the match.
      const lower = name.toLowerCase();
      const first = byLowerName.get(lower);
      if (first !== undefined) {
        out.push({ path, message: `names the same header as ${first} (header names are case-insensitive); one match holds one regex per header, so combine them into one regex` });
        continue;
      }
      byLowerName.set(lower, name);
      if (regex === '') {
        // Istio rejects an empty regex and Consul rejects the whole ServiceIntentions for it.
        out.push({ path, message: 'is an empty regex, which would match only an empty value and which Istio and Consul reject; write .* to require the header with any value, or ^$ for an empty value' });
        continue;
      }
      checkRegex(path, regex);
    }
  });
  return out;
}
