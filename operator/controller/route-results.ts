// What the translations of the units using a route (HTTPRouteGroup, TCPRoute,
// UDPRoute) said about it: a route has no translation of its own, so its status
// is the worst of what its referrers' translations reported.

import type { ObjectResult } from '../../adapters/types.js';
import { inputKey } from './units.js';

const ROUTE_KINDS = new Set(['HTTPRouteGroup', 'TCPRoute', 'UDPRoute']);

/** What a route's status reads of a result. */
export type RouteVerdict = Pick<ObjectResult, 'status' | 'messages'>;

/** Most routes are simply accepted: one object for all of them (and no array: see Referrers). */
const ACCEPTED: RouteVerdict = Object.freeze({ status: 'Accepted', messages: Object.freeze([]) as unknown as string[] });
const verdictOf = (r: ObjectResult): RouteVerdict => (r.status === 'Accepted' && r.messages.length === 0 ? ACCEPTED : { status: r.status, messages: [...r.messages] });
const same = (a: RouteVerdict | undefined, b: RouteVerdict | undefined): boolean =>
  a === b || (!!a && !!b && a.status === b.status && a.messages.length === b.messages.length && a.messages.every((m, i) => m === b.messages[i]));

/**
 * Referrer unit, its verdict, referrer unit, its verdict… in an array of exactly that size; a lone
 * referrer whose verdict is a plain Accepted (almost every route) is just its unit key.
 */
type Referrers = string | ReadonlyArray<string | RouteVerdict>;
/** A unit's routes: one route key, or several. */
type Routes = string | readonly string[];

const pairs = (r: Referrers | undefined): ReadonlyArray<string | RouteVerdict> => (r === undefined ? [] : typeof r === 'string' ? [r, ACCEPTED] : r);
const packReferrers = (p: ReadonlyArray<string | RouteVerdict>): Referrers | undefined =>
  p.length === 0 ? undefined : p.length === 2 && p[1] === ACCEPTED ? (p[0] as string) : p.slice();
const listOf = (r: Routes | undefined): readonly string[] => (r === undefined ? [] : typeof r === 'string' ? [r] : r);

export class RouteResults {
  /** route input key → what its referrers said. */
  private readonly byRoute = new Map<string, Referrers>();
  private readonly routesOfUnit = new Map<string, Routes>();

  clear(): void {
    this.byRoute.clear();
    this.routesOfUnit.clear();
  }

  /** Keep a unit's results for the routes it uses; returns the route input keys (Kind/ns/name) whose results changed. */
  record(unit: string, results: readonly ObjectResult[]): string[] {
    const next = new Map<string, RouteVerdict>();
    for (const r of results) if (ROUTE_KINDS.has(r.kind)) next.set(inputKey(r.kind, r.namespace, r.name), verdictOf(r));
    const prev = listOf(this.routesOfUnit.get(unit));
    const changed: string[] = [];
    for (const k of new Set([...prev, ...next.keys()])) {
      const byUnit = [...pairs(this.byRoute.get(k))];
      const at = byUnit.indexOf(unit);
      const before = at >= 0 ? (byUnit[at + 1] as RouteVerdict) : undefined;
      const after = next.get(k);
      if (after && at >= 0) byUnit[at + 1] = after;
      else if (after) byUnit.push(unit, after);
      else if (at >= 0) byUnit.splice(at, 2);
      const packed = packReferrers(byUnit);
      if (packed !== undefined) this.byRoute.set(k, packed);
      else this.byRoute.delete(k);
      if (!same(before, after)) changed.push(k);
    }
    const keys = [...next.keys()];
    if (keys.length > 0) this.routesOfUnit.set(unit, keys.length === 1 ? keys[0]! : keys.slice());
    else this.routesOfUnit.delete(unit);
    return changed;
  }

  /** What every referrer's translation said about a route. */
  of(routeKey: string): RouteVerdict[] {
    const byUnit = pairs(this.byRoute.get(routeKey));
    const out: RouteVerdict[] = [];
    for (let i = 1; i < byUnit.length; i += 2) out.push(byUnit[i] as RouteVerdict);
    return out;
  }
}
