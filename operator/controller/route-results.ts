// What the translations of the units using a route (HTTPRouteGroup, TCPRoute,
// UDPRoute) said about it: a route has no translation of its own, so its status
// is the worst of what its referrers' translations reported.

import type { ObjectResult } from '../../adapters/types.js';
import { inputKey } from './units.js';

const ROUTE_KINDS = new Set(['HTTPRouteGroup', 'TCPRoute', 'UDPRoute']);

/** What a route's status reads of a result. */
export type RouteVerdict = Pick<ObjectResult, 'status' | 'messages'>;

/** Most routes are simply accepted: one object for all of them. */
const ACCEPTED: RouteVerdict = Object.freeze({ status: 'Accepted', messages: Object.freeze([]) as unknown as string[] });
const verdictOf = (r: ObjectResult): RouteVerdict => (r.status === 'Accepted' && r.messages.length === 0 ? ACCEPTED : { status: r.status, messages: [...r.messages] });
const same = (a: RouteVerdict | undefined, b: RouteVerdict | undefined): boolean =>
  a === b || (!!a && !!b && a.status === b.status && a.messages.length === b.messages.length && a.messages.every((m, i) => m === b.messages[i]));

export class RouteResults {
  /** route input key → referrer unit, its verdict, referrer unit, its verdict… (a route has one or a few referrers). */
  private readonly byRoute = new Map<string, Array<string | RouteVerdict>>();
  private readonly routesOfUnit = new Map<string, string[]>();

  clear(): void {
    this.byRoute.clear();
    this.routesOfUnit.clear();
  }

  /** Keep a unit's results for the routes it uses; returns the route input keys (Kind/ns/name) whose results changed. */
  record(unit: string, results: readonly ObjectResult[]): string[] {
    const next = new Map<string, RouteVerdict>();
    for (const r of results) if (ROUTE_KINDS.has(r.kind)) next.set(inputKey(r.kind, r.namespace, r.name), verdictOf(r));
    const prev = this.routesOfUnit.get(unit) ?? [];
    const changed: string[] = [];
    for (const k of new Set([...prev, ...next.keys()])) {
      const byUnit = this.byRoute.get(k) ?? [];
      const at = byUnit.indexOf(unit);
      const before = at >= 0 ? (byUnit[at + 1] as RouteVerdict) : undefined;
      const after = next.get(k);
      if (after && at >= 0) byUnit[at + 1] = after;
      else if (after) byUnit.push(unit, after);
      else if (at >= 0) byUnit.splice(at, 2);
      if (byUnit.length > 0) this.byRoute.set(k, byUnit);
      else this.byRoute.delete(k);
      if (!same(before, after)) changed.push(k);
    }
    if (next.size > 0) this.routesOfUnit.set(unit, [...next.keys()]);
    else this.routesOfUnit.delete(unit);
    return changed;
  }

  /** What every referrer's translation said about a route. */
  of(routeKey: string): RouteVerdict[] {
    const byUnit = this.byRoute.get(routeKey) ?? [];
    const out: RouteVerdict[] = [];
    for (let i = 1; i < byUnit.length; i += 2) out.push(byUnit[i] as RouteVerdict);
    return out;
  }
}
