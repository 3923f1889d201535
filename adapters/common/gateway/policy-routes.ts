// Where a policy lands on GAMMA routes (Linkerd and gamma share it): the HTTPRoutes whose
// parentRef is the target Service (its split's), or new ones to the Service itself, one per
// routed port; and, on one route, the rules a policy narrowed to HTTPRouteGroup matches
// governs. Never wider: what cannot be narrowed exactly is reported and not applied.

import { objectRef, type KubeObject } from '../../../schemas/hub.js';
import type { MeshName, ServiceInfo, ServicePort } from '../../types.js';
import { addSourceAnnotation, managedMetadata, nativeName } from '../meta.js';
import type { RenderNote, ResolvedModel, ResolvedPolicy } from '../model.js';
import { HTTPROUTE } from './kinds.js';
import { conditionMatches, MATCH_ALL, type HTTPRouteMatch } from './matches.js';
import { regexPaths } from './split-routes.js';

export type PolicyRule = Record<string, unknown> & { matches?: HTTPRouteMatch[]; timeouts?: Record<string, string>; filters?: unknown[]; backendRefs?: unknown[] };
export type PolicyNote = (p: ResolvedPolicy, message: string, status?: RenderNote['status']) => void;

const parentedTo = (o: KubeObject, svc: ServiceInfo): boolean =>
  o.metadata.namespace === svc.namespace && ((o.spec as { parentRefs?: Array<{ kind?: string; group?: string; name?: string }> }).parentRefs ?? []).some((r) => r.kind === 'Service' && (r.group ?? '') === '' && r.name === svc.name);

/** Routes of `kind` with the Service as parent, among `objects` and those added before. */
export function parentedRoutes(objects: readonly KubeObject[], added: readonly KubeObject[], svc: ServiceInfo, kind: string = HTTPROUTE.kind): KubeObject[] {
  return [...objects, ...added].filter((o) => o.kind === kind && parentedTo(o, svc));
}

/** The Service's HTTPRoutes (from its split), or new ones to the Service itself, one per port `routed` accepts (pushed to `added`). */
export function policyRoutes(objects: readonly KubeObject[], added: KubeObject[], svc: ServiceInfo, mesh: MeshName, routed: (p: ServicePort) => boolean): KubeObject[] {
  const existing = parentedRoutes(objects, added, svc);
  if (existing.length > 0) return existing;
  const ports = [...new Set(svc.ports.filter(routed).map((p) => p.port))];
  const fresh = ports.map((port) => ({
    apiVersion: HTTPROUTE.apiVersion,
    kind: HTTPROUTE.kind,
    metadata: managedMetadata(nativeName('policy', svc.name, String(port)), svc.namespace, mesh, []),
    spec: {
      parentRefs: [{ group: '', kind: 'Service', name: svc.name, port }],
      rules: [{ matches: [{ ...MATCH_ALL, path: { ...MATCH_ALL.path } }], backendRefs: [{ group: '', kind: 'Service', name: svc.name, port }] }],
    },
  }));
  added.push(...fresh);
  return fresh;
}

/**
 * The rules a policy governs in one route; undefined (with a note) when it cannot be narrowed
 * there. `regexCatchAll`: as the split routes of that style (split-routes.ts), once a condition
 * uses a regex path the catch-all becomes the regex `.*` and path-less conditions get `.*`, so
 * that meshes ranking regexes below prefixes (Istio) still pick the condition.
 */
export function governedRules(route: KubeObject, p: ResolvedPolicy, model: ResolvedModel, note: PolicyNote, regexCatchAll = false): PolicyRule[] | undefined {
  const rules = (route.spec as { rules: PolicyRule[] }).rules;
  if (p.matches.length === 0) return rules;
  const split = (model.splits ?? []).find((s) => s.namespace === p.namespace && s.root.name === p.service?.name);
  const same = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));
  if (split && split.matches.length > 0) {
    // The split's conditional rules are every rule but the catch-all; they are governed when the conditions are the same.
    if (same(split.matches.map((c) => c.origin), p.matches.map((c) => c.origin))) return rules.slice(0, -1);
    note(p, `spec.matches: the Service's ${route.kind} ${route.metadata.name} already routes by the matches of ${objectRef(split.split)}; a policy narrowed to other matches cannot be combined with them and is not applied`, 'Unsupported');
    return undefined;
  }
  if (rules.length !== 1 || route.kind !== HTTPROUTE.kind) {
    note(p, `spec.matches: ${route.kind} ${route.metadata.name} has no rule for these matches; the policy is not applied`, 'Unsupported');
    return undefined;
  }
  // A route with one catch-all rule: add rules for the conditions before it, to the same backends.
  const catchAll = rules[0] as PolicyRule;
  const groups: HTTPRouteMatch[][] = [];
  for (const c of p.matches) {
    const m = conditionMatches(c);
    if (!m.ok) {
      note(p, `spec.matches: ${m.why}; the policy is not applied`, 'Unsupported');
      return undefined;
    }
    groups.push(m.matches);
  }
  const shaped = regexCatchAll ? regexPaths(groups) : { groups, catchAll: undefined };
  if (shaped.catchAll) catchAll.matches = [shaped.catchAll];
  const inserted: PolicyRule[] = shaped.groups.map((matches) => ({ matches, backendRefs: structuredClone(catchAll.backendRefs) }));
  rules.unshift(...inserted);
  return inserted;
}

/** Marks a route as carrying a policy: its sources annotation, its ownerReference (GC), and its source label when it had none. */
export function ownRoute(route: KubeObject, p: ResolvedPolicy, mesh: MeshName): void {
  const pol = p.policy;
  addSourceAnnotation(route.metadata, pol);
  const uid = pol.metadata.uid;
  if (uid && !(route.metadata.ownerReferences ?? []).some((o) => o.uid === uid)) {
    (route.metadata.ownerReferences ??= []).push({ apiVersion: pol.apiVersion, kind: pol.kind, name: pol.metadata.name, uid });
  }
  if (!route.metadata.labels?.['smi-operator.io/source']) Object.assign(route.metadata.labels ?? {}, managedMetadata(route.metadata.name, route.metadata.namespace ?? p.namespace, mesh, [pol]).labels);
}
