// Scanning RE2 patterns as text, for renderers whose match engine needs a pattern
// rewritten to the model's semantics (adapters/common/model.ts): top-level branches,
// escapes, classes, and the full-match form of a start-anchored pathRegex.

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
export function skipEscape(re: string, i: number): number {
  if (re[i + 1] === 'Q') {
    const end = re.indexOf('\\E', i + 2);
    return end < 0 ? re.length - 1 : end + 1;
  }
  return i + 1;
}

/** Index of the `]` closing the class opened at `i` (a leading `]` or `^]` is literal). */
export function skipClass(re: string, i: number): number {
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
export function endsWithDollar(re: string): boolean {
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
export function prefixFullMatch(re: string): string {
  const body = quoteOpen(re) ? `${re}\\E` : re;
  if (splitTopLevel(re).length > 1) return `(?:${body}).*`;
  return endsWithDollar(body) ? body : `${body}.*`;
}
