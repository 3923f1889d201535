// Scanning RE2 patterns as text, for renderers whose match engine needs a pattern
// rewritten to the model's semantics (adapters/common/model.ts): top-level branches,
// escapes, classes, and the full-match form of a start-anchored pathRegex.

// Every scanner here reads the pattern one character at a time (`re[i]`, `re.length`,
// `re.slice` for output) and moves forward only, so it is linear in the pattern whatever
// it contains; no JS RegExp or indexOf loop runs over user input (a backtracking one was
// quadratic on `x\Q` repeated). test/unit/adapters/common/regex-linear.test.ts counts reads.

/** Index of the first `\E` at or after `from`, or -1. */
function findQuoteEnd(re: string, from: number): number {
  for (let j = from; j + 1 < re.length; j++) if (re[j] === '\\' && re[j + 1] === 'E') return j;
  return -1;
}

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
    const end = findQuoteEnd(re, i + 2);
    return end < 0 ? re.length - 1 : end + 1;
  }
  return i + 1;
}

const isLetter = (c: string | undefined): boolean => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));

/**
 * Index of the `:]` closing a POSIX class `[:name:]` or `[:^name:]` opened at `j`, or -1.
 * Only letters may come between, so the look-ahead never passes another `[:` and each
 * character is looked at a bounded number of times. In a valid RE2 pattern, a `[:` that
 * does not open such a class has no `:]` after it at all (RE2 would reject the name).
 */
function posixClassEnd(re: string, j: number): number {
  let k = j + 2;
  if (re[k] === '^') k++;
  while (isLetter(re[k])) k++;
  return re[k] === ':' && re[k + 1] === ']' ? k + 1 : -1;
}

/** Index of the `]` closing the class opened at `i` (a leading `]` or `^]` is literal). */
export function skipClass(re: string, i: number): number {
  let j = i + 1;
  if (re[j] === '^') j++;
  if (re[j] === ']') j++;
  for (; j < re.length; j++) {
    if (re[j] === '\\') j++;
    else if (re[j] === '[' && re[j + 1] === ':') {
      const end = posixClassEnd(re, j);
      if (end >= 0) j = end;
    } else if (re[j] === ']') return j;
  }
  return re.length - 1;
}

/** True when `re` ends with a `$` that is not escaped. */
export function endsWithDollar(re: string): boolean {
  if (re.length === 0 || re[re.length - 1] !== '$') return false;
  let slashes = 0;
  for (let i = re.length - 2; i >= 0 && re[i] === '\\'; i--) slashes++;
  return slashes % 2 === 0;
}

/**
 * True when `re` ends inside an unterminated `\Q` quote, which would swallow anything
 * appended. Escapes are walked from the start, so `\\Q` (an escaped backslash, then Q)
 * opens nothing; a quote ends at the first `\E`, as in RE2. (`\Q` is not allowed inside
 * a class, and every other escape is two characters long in and out of one.)
 */
export function quoteOpen(re: string): boolean {
  for (let i = 0; i < re.length; i++) {
    if (re[i] !== '\\') continue;
    if (re[i + 1] !== 'Q') {
      i++;
      continue;
    }
    const end = findQuoteEnd(re, i + 2);
    if (end < 0) return true;
    i = end + 1;
  }
  return false;
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
