// URL -> what is asked for. Pure, so the routing table is unit-tested on its own.

import { fail, ok, type Result } from './errors.js';
import { BASE_PATH, GROUP } from './discovery.js';
import { kindByPlural, type KindInfo } from './kinds.js';

export type Route =
  | { type: 'health' }
  | { type: 'discovery'; doc: 'groupList' | 'group' | 'resourceList' | 'openapiV2' | 'openapiV3' }
  /** List (name undefined) or get of a kind; namespace undefined = all namespaces (or cluster-scoped). */
  | { type: 'metrics'; kind: KindInfo; namespace?: string; name?: string; edges: boolean };

const seg = (s: string): string => decodeURIComponent(s);

/** `s` without trailing slashes. A loop, not `/\/+$/`: that RegExp is quadratic on a run of slashes not at the end. */
export function trimTrailingSlashes(s: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === '/') end--;
  return s.slice(0, end);
}

export function route(pathname: string): Result<Route> {
  const path = trimTrailingSlashes(pathname) || '/';
  if (path === '/healthz' || path === '/readyz' || path === '/livez') return ok({ type: 'health' });
  if (path === '/apis') return ok({ type: 'discovery', doc: 'groupList' });
  if (path === `/apis/${GROUP}`) return ok({ type: 'discovery', doc: 'group' });
  if (path === BASE_PATH) return ok({ type: 'discovery', doc: 'resourceList' });
  if (path === '/openapi/v2') return ok({ type: 'discovery', doc: 'openapiV2' });
  if (path === '/openapi/v3' || path.startsWith('/openapi/v3/')) return ok({ type: 'discovery', doc: 'openapiV3' });
  if (!path.startsWith(`${BASE_PATH}/`)) return fail('NotFound', `the server could not find the requested resource: ${pathname}`);
  const parts = path.slice(BASE_PATH.length + 1).split('/').map(seg);
  const kind = (plural: string | undefined): Result<KindInfo> => {
    const k = plural === undefined ? undefined : kindByPlural(plural);
    return k ? ok(k) : fail('NotFound', `the server could not find the requested resource: unknown kind "${plural ?? ''}" in ${GROUP}`);
  };
  const [a, b, c, d, e, ...rest] = parts;
  if (rest.length > 0) return fail('NotFound', `the server could not find the requested resource: ${pathname}`);
  if (a !== 'namespaces') {
    // /{plural}: a kind across all namespaces.
    if (b !== undefined) return fail('NotFound', `the server could not find the requested resource: ${pathname}`);
    const k = kind(a);
    return k.ok ? ok({ type: 'metrics', kind: k.value, edges: false }) : k;
  }
  const namespaces = kind('namespaces');
  if (!namespaces.ok) return namespaces;
  if (b === undefined) return ok({ type: 'metrics', kind: namespaces.value, edges: false });
  if (c === undefined) return ok({ type: 'metrics', kind: namespaces.value, name: b, edges: false });
  if (c === 'edges' && d === undefined) return ok({ type: 'metrics', kind: namespaces.value, name: b, edges: true });
  const k = kind(c);
  if (!k.ok) return k;
  if (!k.value.namespaced) return fail('NotFound', `the server could not find the requested resource: ${c} is not namespaced`);
  if (d === undefined) return ok({ type: 'metrics', kind: k.value, namespace: b, edges: false });
  if (e === undefined) return ok({ type: 'metrics', kind: k.value, namespace: b, name: d, edges: false });
  if (e === 'edges') return ok({ type: 'metrics', kind: k.value, namespace: b, name: d, edges: true });
  return fail('NotFound', `the server could not find the requested resource: unknown subresource "${e}"`);
}
