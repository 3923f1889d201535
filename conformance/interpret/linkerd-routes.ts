// Which HTTPRoute rule the Linkerd proxy picks for a request: the one emulation
// of linkerd2-proxy `http-route` (match.rs, match/path.rs, match/header.rs),
// used by the conformance interpreter and by the Linkerd adapter's property tests.
// - A path or header regex matches when its leftmost(-first) match spans the whole value (`a|ab` does not match `ab`).
// - PathPrefix matches whole segments, trailing slashes ignored; `/` matches everything (length 1).
// - The best match wins by (path match length, whatever its kind; header count; method); a tie keeps the first.

import { RE2JS } from 're2js';

export interface RouteMatch {
  path?: { type?: string; value?: string };
  method?: string;
  headers?: ReadonlyArray<{ type?: string; name: string; value: string }>;
}

export interface RouteRequest {
  path: string;
  method: string;
  /** Header values by name (looked up as given, then lower-cased). */
  headers?: Readonly<Record<string, string>>;
}

const compiled = new Map<string, RE2JS | undefined>();

/** Linkerd's regex check; an invalid regex matches nothing. */
export function linkerdRegexMatches(re: string, value: string): boolean {
  if (!compiled.has(re)) {
    try {
      compiled.set(re, RE2JS.compile(re));
    } catch {
      compiled.set(re, undefined);
    }
  }
  const m = compiled.get(re)?.matcher(value);
  return !!m && m.find() && m.start() === 0 && m.end() === value.length;
}

/** The path match length (path.rs `match_length`), or undefined when the path does not match. */
export function pathMatchLength(p: RouteMatch['path'], path: string): number | undefined {
  const type = p?.type ?? 'PathPrefix';
  const value = p?.value ?? '/';
  if (type === 'Exact') return path === value ? value.length : undefined;
  if (type === 'RegularExpression') return linkerdRegexMatches(value, path) ? path.length : undefined;
  if (value === '/') return 1;
  const prefix = value.replace(/\/+$/, '');
  const trimmed = path.replace(/\/+$/, '');
  if (!trimmed.startsWith(prefix)) return undefined;
  const rest = trimmed.slice(prefix.length);
  return rest === '' || rest.startsWith('/') ? prefix.length : undefined;
}

/** A match's rank for a request, compared left to right, or undefined when it does not match. */
export function matchRank(m: RouteMatch, r: RouteRequest): number[] | undefined {
  if (m.method !== undefined && m.method !== r.method) return undefined;
  const len = pathMatchLength(m.path, r.path);
  if (len === undefined) return undefined;
  for (const h of m.headers ?? []) {
    const v = r.headers?.[h.name] ?? r.headers?.[h.name.toLowerCase()];
    if (v === undefined) return undefined;
    if (h.type === 'RegularExpression' ? !linkerdRegexMatches(h.value, v) : v !== h.value) return undefined;
  }
  return [len, (m.headers ?? []).length, m.method !== undefined ? 1 : 0];
}

const better = (a: number[], b: number[]): boolean => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return false;
};

/** The rule the proxy picks among `rules` (in the proxy's order); a rule without matches matches everything. */
export function pickRule<R extends { matches?: readonly RouteMatch[] }>(rules: readonly R[], r: RouteRequest): R | undefined {
  let best: { rank: number[]; rule: R } | undefined;
  for (const rule of rules) {
    for (const m of rule.matches?.length ? rule.matches : [{}]) {
      const rank = matchRank(m, r);
      if (rank && (!best || better(rank, best.rank))) best = { rank, rule };
    }
  }
  return best?.rule;
}
