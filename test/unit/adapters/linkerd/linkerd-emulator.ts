// Linkerd's HTTP route choice, emulated from linkerd2-proxy `http-route` (match.rs, path.rs,
// header.rs, lib.rs): a regex matches when its leftmost match spans the whole value; the
// best match wins by (path match length, method, header count); ties go to the first.
import { RE2JS } from 're2js';

export interface Match {
  path: { type: string; value: string };
  method?: string;
  headers?: Array<{ name: string; value: string }>;
}

export interface HttpReq {
  path: string;
  method: string;
  headers: Record<string, string>;
}

const compiled = new Map<string, RE2JS>();
export const re2 = (re: string): RE2JS => {
  let c = compiled.get(re);
  if (!c) compiled.set(re, (c = RE2JS.compile(re)));
  return c;
};

const whole = (re: string, v: string): boolean => {
  const m = re2(re).matcher(v);
  return m.find() && m.start() === 0 && m.end() === v.length;
};

/** Linkerd's RequestMatch summary as a comparable tuple, or undefined when the match fails. */
export function summary(m: Match, r: HttpReq): number[] | undefined {
  if (m.method && m.method !== r.method) return undefined;
  let len = 1;
  if (m.path.type === 'RegularExpression') {
    if (!whole(m.path.value, r.path)) return undefined;
    len = r.path.length;
  } else if (m.path.type === 'Exact') {
    // path.rs: an exact match counts its length, like a regex match of the whole path.
    if (m.path.value !== r.path) return undefined;
    len = r.path.length;
  } else if (m.path.value !== '/') throw new Error('the emulator only knows PathPrefix /');
  for (const h of m.headers ?? []) {
    const v = r.headers[h.name];
    if (v === undefined || !whole(h.value, v)) return undefined;
  }
  return [len, m.method ? 1 : 0, (m.headers ?? []).length];
}

const better = (a: number[], b: number[]): boolean => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return false;
};

/** Index of the rule Linkerd picks among `rules` (in order), or undefined when none matches. */
export function pick<R extends { matches: Match[] }>(rules: R[], req: HttpReq): R | undefined {
  let best: { s: number[]; r: R } | undefined;
  for (const r of rules) {
    for (const m of r.matches) {
      const s = summary(m, req);
      if (s && (!best || better(s, best.s))) best = { s, r };
    }
  }
  return best?.r;
}
