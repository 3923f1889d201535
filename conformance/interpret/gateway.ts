// A small evaluator of Gateway API route semantics for mesh (GAMMA) traffic: which rule
// of the routes attached to a Service port a request takes. Precedence per the Gateway
// API spec (apis/v1/httproute_types.go, HTTPRouteRule.Matches): across all rules of all
// applicable routes, the match with an Exact path, then the PathPrefix with the most
// characters, then a method match, then the most header matches, then the most query
// matches; remaining ties: the oldest route, then `{namespace}/{name}`, then the first
// matching rule in list order. RegularExpression precedence is implementation-specific,
// so two documented orders are modelled:
//   - `istio`: Exact > Prefix > Regex, regexes by pattern length
//     (pilot/pkg/config/kube/gateway/conversion.go getURIRank, sortHTTPRoutes);
//   - `linkerd`: the proxy's own ranking, from the one emulation of it (./linkerd-routes.ts:
//     path-match length whatever its kind, then headers, then method).
// GRPCRoutes without matches take every request to their port.

import type { KubeObject } from '../../schemas/hub.js';
import type { HttpRequest } from '../types.js';
import { fullMatch, spec } from './common.js';
import { matchRank } from './linkerd-routes.js';

export type RegexOrder = 'istio' | 'linkerd';

type PathMatch = { type?: string; value?: string };
export type RouteMatch = { path?: PathMatch; method?: string; headers?: Array<{ type?: string; name: string; value: string }> };
export type RouteRule = { matches?: RouteMatch[]; backendRefs?: Array<{ name: string; kind?: string; port?: number; weight?: number }> };
type ParentRef = { group?: string; kind?: string; name: string; port?: number; namespace?: string };

const isRoute = (o: KubeObject): boolean => (o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute') && o.apiVersion.startsWith('gateway.networking.k8s.io/');

/** Routes whose parentRef is Service `ns/name` (any port, or `port`), oldest first then by namespace/name. */
export function routesFor(objects: readonly KubeObject[], ns: string, name: string, port: number): KubeObject[] {
  return objects
    .filter((o) => isRoute(o) && ((spec(o).parentRefs as ParentRef[] | undefined) ?? []).some((p) => p.kind === 'Service' && (p.group ?? '') === '' && p.name === name && (p.namespace ?? o.metadata.namespace) === ns && (p.port === undefined || p.port === port)))
    .sort((a, b) => String(a.metadata.creationTimestamp ?? '').localeCompare(String(b.metadata.creationTimestamp ?? '')) || `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
}

/** Rank of a match for a request (higher wins, compared left to right); undefined: no match. */
function score(m: RouteMatch, r: HttpRequest, order: RegexOrder): number[] | undefined {
  if (order === 'linkerd') return matchRank(m, r);
  const p = m.path ?? { type: 'PathPrefix', value: '/' };
  const value = p.value ?? '/';
  let kind: number;
  let length: number;
  if (p.type === 'Exact') {
    if (r.path !== value) return undefined;
    [kind, length] = [3, value.length];
  } else if (p.type === 'RegularExpression') {
    if (!fullMatch(value, r.path)) return undefined;
    [kind, length] = [1, value.length];
  } else {
    // PathPrefix matches whole path elements; a trailing `/` is ignored.
    const prefix = value.replace(/\/+$/, '');
    if (!(prefix === '' || r.path === prefix || r.path.startsWith(`${prefix}/`))) return undefined;
    [kind, length] = [2, value.length];
  }
  if (m.method !== undefined && m.method !== r.method) return undefined;
  for (const h of m.headers ?? []) {
    const v = r.headers?.[h.name.toLowerCase()];
    if (v === undefined) return undefined;
    if (h.type === 'RegularExpression' ? !fullMatch(h.value, v) : v !== h.value) return undefined;
  }
  return [kind, length, m.method ? 1 : 0, (m.headers ?? []).length];
}

const better = (a: number[], b: number[]): boolean => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! > b[i]!;
  return false;
};

/** The rule a request takes among `routes` (already in tie order); undefined: none matches (404). */
export function pickRoute(routes: readonly KubeObject[], r: HttpRequest, order: RegexOrder): { route: KubeObject; rule: RouteRule } | undefined {
  let best: { route: KubeObject; rule: RouteRule; s: number[] } | undefined;
  for (const route of routes) {
    for (const rule of (spec(route).rules as RouteRule[] | undefined) ?? []) {
      // A GRPCRoute rule without matches takes every gRPC request; an HTTPRoute's defaults to PathPrefix /.
      const matches = rule.matches?.length ? rule.matches : [{}];
      for (const m of matches) {
        const s = score(m, r, order);
        if (s && (!best || better(s, best.s))) best = { route, rule, s };
      }
    }
  }
  return best;
}

/** Percent per backend Service for a request, or `{}` when no rule matches. Unattached: all to the Service. */
export function gammaShares(objects: readonly KubeObject[], ns: string, service: string, port: number, r: HttpRequest, order: RegexOrder): Record<string, number> {
  const routes = routesFor(objects, ns, service, port);
  if (routes.length === 0) return { [service]: 1 };
  const hit = pickRoute(routes, r, order);
  if (!hit) return {};
  const refs = hit.rule.backendRefs ?? [];
  const total = refs.reduce((n, b) => n + (b.weight ?? 1), 0);
  const out: Record<string, number> = {};
  for (const b of refs) if (total > 0) out[b.name] = (out[b.name] ?? 0) + (b.weight ?? 1) / total;
  return out;
}
