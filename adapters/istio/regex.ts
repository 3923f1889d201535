// The few regex shapes an Istio AuthorizationPolicy can express exactly (exact /
// prefix `x*` / suffix `*x` / presence `*`), under the semantics the model pins
// (adapters/common/model.ts): pathRegex matches a PREFIX of the path, a header
// regex the WHOLE value. VirtualService regexes need no such shapes: Envoy full-
// matches them (adapters/common/regex.ts prefixFullMatch for paths).

import { skipClass, skipEscape, splitTopLevel } from '../common/regex.js';

/** One AuthorizationPolicy string match. */
export interface SimpleMatch {
  kind: 'exact' | 'prefix' | 'suffix' | 'presence';
  value: string;
}

/** AuthorizationPolicy spelling of a SimpleMatch. */
export function policyString(m: SimpleMatch): string {
  switch (m.kind) {
    case 'exact':
      return m.value;
    case 'prefix':
      return `${m.value}*`;
    case 'suffix':
      return `*${m.value}`;
    case 'presence':
      return '*';
  }
}

const MAX_EXPANSION = 32;
const META = new Set(['\\', '.', '+', '*', '?', '(', ')', '|', '[', ']', '{', '}', '^', '$']);

/**
 * Parse a run of literals and groups of literal alternatives (`(a|b)`, `(?:a|b)`)
 * from `re[i..]`, stopping at the first character that is neither. Returns the
 * finite set of strings it denotes and where it stopped; undefined when a
 * construct inside cannot be expanded into literals.
 */
function literals(re: string, i: number, inGroup: boolean): { set: string[]; end: number } | undefined {
  let set = [''];
  while (i < re.length) {
    const c = re[i] as string;
    if (c === '\\') {
      const n = re[i + 1];
      // Escaped punctuation is literal; `\d`, `\w`, `\b`, `\Q`... are classes or assertions.
      if (n === undefined || /[A-Za-z0-9]/.test(n)) return undefined;
      set = set.map((s) => s + n);
      i += 2;
    } else if (c === '(') {
      const body = re.startsWith('(?:', i) ? i + 3 : re[i + 1] === '?' ? -1 : i + 1;
      if (body < 0) return undefined; // flags or named groups
      const alts: string[] = [];
      let j = body;
      for (;;) {
        const part = literals(re, j, true);
        if (!part) return undefined;
        alts.push(...part.set);
        j = part.end;
        if (re[j] === '|') j++;
        else if (re[j] === ')') break;
        else return undefined;
      }
      set = set.flatMap((s) => alts.map((a) => s + a));
      if (set.length > MAX_EXPANSION) return undefined;
      i = j + 1;
    } else if (c === '|' || (c === ')' && inGroup)) {
      return { set, end: i };
    } else if (META.has(c)) {
      return { set, end: i };
    } else {
      set = set.map((s) => s + c);
      i++;
    }
    // A quantifier right after a literal or group changes its meaning: give up.
    if (i < re.length && '*+?{'.includes(re[i] as string)) return undefined;
  }
  return { set, end: i };
}

/**
 * BODY when `re` is `(?:BODY)` or `^(?:BODY)` as a whole, the form resolve() gives a
 * pathRegex with a top-level `|` (adapters/common/http.ts anchorStart).
 */
function wholeGroup(re: string): string | undefined {
  const open = re.startsWith('^') ? 1 : 0;
  if (!re.startsWith('(?:', open)) return undefined;
  let depth = 0;
  for (let i = open; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') i = skipEscape(re, i);
    else if (c === '[') i = skipClass(re, i);
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i === re.length - 1 ? re.slice(open + 3, i) : undefined;
  }
  return undefined;
}

/** How a regex is applied: to a prefix of the value (pathRegex) or to the whole value (headers). */
export type RegexSemantics = 'prefix' | 'whole';

/**
 * The AuthorizationPolicy matches accepting exactly the values `re` matches under
 * `semantics`, or undefined when no finite set of exact/prefix/suffix/presence
 * matches is equivalent. Under both semantics every top-level branch is pinned to
 * the start of the value (a leading `^` changes nothing) unless it opens with `.*`;
 * its end is pinned by `$`, and under `whole` also by the end of the branch, while
 * under `prefix` it is open unless `$` closes it. Values containing `*`, `{` or `}`
 * are refused: Istio would read them as wildcards or path templates. `presence`
 * (`*`) stands for "any value"; Istio's presence match also requires the value to be
 * non-empty, which callers must treat as a (safe) narrowing.
 */
export function toSimpleMatches(re: string, semantics: RegexSemantics): SimpleMatch[] | undefined {
  // Its branches are pinned at the start either way, and the group ends where the pattern does.
  const inner = wholeGroup(re);
  if (inner !== undefined) return toSimpleMatches(inner, semantics);
  const out: SimpleMatch[] = [];
  for (const branch of splitTopLevel(re)) {
    let i = branch.startsWith('^') ? 1 : 0;
    const openStart = branch.startsWith('.*', i);
    if (openStart) i += 2;
    const lit = literals(branch, i, false);
    if (!lit) return undefined;
    const rest = branch.slice(lit.end);
    let openEnd: boolean;
    if (rest === '$') openEnd = false;
    else if (rest === '') openEnd = semantics === 'prefix';
    else if (rest === '.*' || rest === '.*$') openEnd = true;
    else return undefined;
    for (const value of lit.set) {
      if (/[*{}]/.test(value)) return undefined;
      if (value === '') {
        if (!openStart && !openEnd) return undefined; // only the empty string
        out.push({ kind: 'presence', value });
      } else if (!openStart) out.push({ kind: openEnd ? 'prefix' : 'exact', value });
      else if (!openEnd) out.push({ kind: 'suffix', value });
      else return undefined; // "contains" has no AuthorizationPolicy form
    }
  }
  return out;
}
