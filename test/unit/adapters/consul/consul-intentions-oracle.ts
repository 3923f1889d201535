// Test oracle: Consul's documented intention evaluation for one destination.
// - A source with the caller's exact name outranks the `*` source (precedence 9 vs 8).
// - An L4 source decides by its action.
// - An L7 source tries its permissions top to bottom; the first match decides; if none
//   matches, the cluster's default (ACL default policy) decides.
// - No matching source: the default decides.
// Envoy matches pathRegex and header regex against the whole value.

import type { Spec } from './fixtures.js';

export interface Request {
  path: string;
  method: string;
  headers: Record<string, string>;
}

export type Decision = 'allow' | 'deny';

const whole = (re: string, s: string): boolean => new RegExp(`^(?:${re})$`).test(s);

function httpMatches(http: Spec, req: Request): boolean {
  if (http.pathExact !== undefined && req.path !== http.pathExact) return false;
  if (http.pathPrefix !== undefined && !req.path.startsWith(http.pathPrefix)) return false;
  if (http.pathRegex !== undefined && !whole(http.pathRegex, req.path)) return false;
  if (http.methods !== undefined && !http.methods.includes(req.method)) return false;
  for (const h of (http.header ?? []) as Spec[]) {
    const v = req.headers[h.name];
    if (v === undefined || !whole(h.regex, v)) return false;
  }
  return true;
}

export function decide(intentions: Spec, source: string, req: Request, defaultPolicy: Decision): Decision {
  const sources = intentions.sources as Spec[];
  const chosen = sources.find((s) => s.name === source) ?? sources.find((s) => s.name === '*');
  if (!chosen) return defaultPolicy;
  if (chosen.permissions === undefined) return chosen.action as Decision;
  for (const p of chosen.permissions as Spec[]) if (httpMatches(p.http, req)) return p.action as Decision;
  return defaultPolicy;
}
