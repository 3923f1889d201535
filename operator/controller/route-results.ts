// What the translations of the units using a route (HTTPRouteGroup, TCPRoute,
// UDPRoute) said about it: a route has no translation of its own, so its status
// is the worst of what its referrers' translations reported.

import type { ObjectResult } from '../../adapters/types.js';
import { canonicalJson } from './labels.js';
import { inputKey } from './units.js';

const ROUTE_KINDS = new Set(['HTTPRouteGroup', 'TCPRoute', 'UDPRoute']);

export class RouteResults {
  /** route input key → referrer unit → the adapter's result for that route in the unit's last translation. */
  private readonly byRoute = new Map<string, Map<string, ObjectResult>>();
  private readonly routesOfUnit = new Map<string, Set<string>>();

  clear(): void {
    this.byRoute.clear();
    this.routesOfUnit.clear();
  }

  /** Keep a unit's results for the routes it uses; returns the route input keys (Kind/ns/name) whose results changed. */
  record(unit: string, results: readonly ObjectResult[]): string[] {
    const next = new Map<string, ObjectResult>();
    for (const r of results) if (ROUTE_KINDS.has(r.kind)) next.set(inputKey(r.kind, r.namespace, r.name), r);
    const prev = this.routesOfUnit.get(unit) ?? new Set<string>();
    const changed: string[] = [];
    for (const k of new Set([...prev, ...next.keys()])) {
      const byUnit = this.byRoute.get(k) ?? new Map<string, ObjectResult>();
      const before = byUnit.get(unit);
      const after = next.get(k);
      if (after) byUnit.set(unit, after);
      else byUnit.delete(unit);
      if (byUnit.size > 0) this.byRoute.set(k, byUnit);
      else this.byRoute.delete(k);
      if (canonicalJson(before ?? null) !== canonicalJson(after ?? null)) changed.push(k);
    }
    if (next.size > 0) this.routesOfUnit.set(unit, new Set(next.keys()));
    else this.routesOfUnit.delete(unit);
    return changed;
  }

  /** What every referrer's translation said about a route. */
  of(routeKey: string): ObjectResult[] {
    return [...(this.byRoute.get(routeKey)?.values() ?? [])];
  }
}
