// Single-object semantic rules for HTTPRouteGroup (hub form). TCPRoute/UDPRoute
// ports are fully covered by the structural schema (1..65535).
import type { HTTPRouteGroup } from '../hub.js';
import { matchRegexRules } from './http-match.js';

type Found = Array<{ path: string; message: string }>;

/** `unreadable(path)`: the field could not be read (see validate.ts); rules reading it are skipped. */
export function routeGroupRules(hrg: HTTPRouteGroup, version: string, unreadable: (path: string) => boolean = () => false): Found {
  const out: Found = [];
  const prefix = version === 'v1alpha1' || version === 'v1alpha2' ? 'matches' : 'spec.matches';
  if (unreadable(prefix)) return out;
  const firstIndex = new Map<string, number>();
  hrg.spec.matches.forEach((m, i) => {
    const at = `${prefix}[${i}]`;
    if (!unreadable(`${at}.name`)) {
      const seen = firstIndex.get(m.name);
      if (seen !== undefined) out.push({ path: `${at}.name`, message: `duplicate match name ${m.name} (also ${prefix}[${seen}])` });
      else firstIndex.set(m.name, i);
    }
  });
  out.push(...matchRegexRules(hrg.spec.matches, prefix, unreadable));
  // Match by match, as written (a stable sort keeps each match's problems in rule order).
  const matchIndex = (path: string): number => (path.startsWith(`${prefix}[`) ? parseInt(path.slice(prefix.length + 1), 10) : -1);
  return out.sort((a, b) => matchIndex(a.path) - matchIndex(b.path));
}
