// RE2 pattern rewriting for Istio. The model pins two semantics (adapters/common/model.ts):
// pathRegex matches when it matches a PREFIX of the path (start-anchored, open end), and a
// header regex must match the WHOLE value. Envoy applies VirtualService `regex` matches as
// a full match, so header regexes pass unchanged and path regexes get an open end. This
// module also recognises the few regex shapes AuthorizationPolicy can express exactly
// (exact / prefix `x*` / suffix `*x` / presence `*`), and nothing else.

/** Split a pattern at its top-level `|` (outside groups, classes and escapes). */
export function splitTopLevel(re: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '\\') {
      i = skipEscape(re, i);
    } else if (c === '[') {
      i = skipClass(re, i);
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth--;
    } else if (c === '|' && depth === 0) {
      out.push(re.slice(start, i));
      start = i + 1;
    }
  }
  out.push(re.slice(start));
  return out;
}

/** Index of the last character of the escape starting at `i` (handles `\Q...\E`). */
function skipEscape(re: string, i: number): number {
  if (re[i + 1] === 'Q') {
    const end = re.indexOf('\\E', i + 2);
    return end < 0 ? re.length - 1 : end + 1;
  }
  return i + 1;
}

/** Index of the `]` closing the class opened at `i` (a leading `]` or `^]` is literal). */
function skipClass(re: string, i: number): number {
  let j = i + 1;
  if (re[j] === '^') j++;
  if (re[j] === ']') j++;
  for (; j < re.length; j++) {
    if (re[j] === '\\') j++;
    else if (re[j] === '[' && re[j + 1] === ':') {
      const end = re.indexOf(':]', j + 2);
      if (end >= 0) j = end + 1;
    } else if (re[j] === ']') return j;
  }
  return re.length - 1;
}

/** True when `re` ends with a `$` that is not escaped. */
function endsWithDollar(re: string): boolean {
  if (!re.endsWith('$')) return false;
  let slashes = 0;
  for (let i = re.length - 2; i >= 0 && re[i] === '\\'; i--) slashes++;
  return slashes % 2 === 0;
}

/** True when `re` ends inside an unterminated `\\Q` quote, which would swallow anything appended. */
function quoteOpen(re: string): boolean {
  return /(?:^|[^\\])(?:\\\\)*\\Q(?:(?!\\E)[\s\S])*$/.test(re);
}

/**
 * A pattern whose RE2 full match accepts exactly the paths a prefix of which `re`
 * matches (the model's pathRegex semantics): `(?:re).*`, written `re.*` when there is
 * no top-level `|` and `re` stays as it is when it ends with `$` (`$` without the `m`
 * flag only matches at the end of the text, so `.*` after it could only match "").
 * Paths never contain `\n`, so `.` not matching newlines does not matter.
 */
export function prefixToFullMatch(re: string): string {
  const body = quoteOpen(re) ? `${re}\\E` : re;
  if (splitTopLevel(re).length > 1) return `(?:${body}).*`;
  return endsWithDollar(body) ? body : `${body}.*`;
}

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
