// ResolvedSplit -> outbound Gateway API HTTPRoutes (parentRef: the root Service port).
// One HTTPRoute per split per root port. With matches: one rule per condition to the
// backends, then a catch-all rule to the root Service. Linkerd prefers the most
// specific match and, on a tie, the earlier rule, and no condition is less specific
// than the catch-all, so every request a condition matches is split.

import type { KubeObject } from '../../schemas/hub.js';
import { objectRef } from '../../schemas/hub.js';
import type { RenderNote, ResolvedSplit } from '../common/model.js';
import { managedMetadata, nativeName } from '../common/meta.js';
import type { ServicePort } from '../types.js';
import { HTTPROUTE, ROUTE_LIMITS } from './kinds.js';
import { conditionMatches, MATCH_ALL, matchesEverything, type HTTPRouteMatch } from './matches.js';
import { portKind } from './ports.js';
import { backendWeights } from './weights.js';

interface BackendRef {
  group: '';
  kind: 'Service';
  name: string;
  port: number;
  weight?: number;
}

interface Rule {
  matches: HTTPRouteMatch[];
  backendRefs: BackendRef[];
}

type Packed = { ok: true; groups: HTTPRouteMatch[][] } | { ok: false; why: string };

/**
 * The conditional match groups, one per condition when the schema limits allow it.
 * Otherwise matches are packed into fewer rules: all conditional rules share the same
 * backends, so which of them a request lands on makes no difference.
 */
function packConditions(perCondition: HTTPRouteMatch[][]): Packed {
  const total = perCondition.reduce((n, m) => n + m.length, 0);
  // One rule and one match are reserved for the catch-all.
  if (total > ROUTE_LIMITS.matchesPerRoute - 1) {
    return { ok: false, why: `the conditions expand to ${total} HTTPRoute matches (one per method), over the ${ROUTE_LIMITS.matchesPerRoute - 1} one HTTPRoute can hold next to the catch-all` };
  }
  const fits = perCondition.length <= ROUTE_LIMITS.rules - 1 && perCondition.every((m) => m.length <= ROUTE_LIMITS.matchesPerRule);
  if (fits) return { ok: true, groups: perCondition };
  const groups: HTTPRouteMatch[][] = [];
  for (const m of perCondition.flat()) {
    const last = groups[groups.length - 1];
    if (last && last.length < ROUTE_LIMITS.matchesPerRule) last.push(m);
    else groups.push([m]);
  }
  return { ok: true, groups };
}

function portNote(split: ResolvedSplit, p: ServicePort): string | undefined {
  const kind = portKind(p);
  const at = `spec.service: Service ${split.root.name} port ${p.port}`;
  if (kind === 'not-proxied') return `${at} is ${p.protocol}; the Linkerd proxy carries only TCP, so it is not split`;
  if (kind === 'opaque') {
    return `${at} declares appProtocol ${p.appProtocol}, which Linkerd does not route as HTTP; splitting it would need a TCPRoute, which Linkerd 2.20 reads only as gateway.networking.k8s.io/v1alpha2, a version Gateway API v1.6 (standard channel) no longer serves, so it is not split`;
  }
  return undefined;
}

export function renderSplit(split: ResolvedSplit): { objects: KubeObject[]; notes: RenderNote[] } {
  const ref = objectRef(split.split);
  const notes: RenderNote[] = [];
  if (split.backends.length > ROUTE_LIMITS.backendRefsPerRule) {
    notes.push({ object: ref, status: 'Unsupported', message: `spec.backends: ${split.backends.length} backends receive traffic, but a Gateway API HTTPRoute rule holds at most ${ROUTE_LIMITS.backendRefsPerRule} backendRefs; the split is not applied on Linkerd` });
    return { objects: [], notes };
  }
  const w = backendWeights(split.backends);
  if (!w) {
    notes.push({ object: ref, status: 'Invalid', message: 'spec.backends: no backend has a weight above 0; nothing to split' });
    return { objects: [], notes };
  }
  const { weights } = w;
  for (const message of w.notes) notes.push({ object: ref, message });
  const unconditional = split.matches.length === 0 || split.matches.some(matchesEverything);
  let packed: Packed = { ok: true, groups: [] };
  if (!unconditional) {
    const perCondition: HTTPRouteMatch[][] = [];
    for (const c of split.matches) {
      const r = conditionMatches(c);
      if (!r.ok) {
        packed = { ok: false, why: r.why };
        break;
      }
      perCondition.push(r.matches);
    }
    if (packed.ok) packed = packConditions(perCondition);
  }
  if (!packed.ok) {
    notes.push({ object: ref, status: 'Unsupported', message: `spec.matches: ${packed.why}; the split is not applied on Linkerd` });
    return { objects: [], notes };
  }
  if (split.root.ports.length === 0) {
    notes.push({ object: ref, status: 'Unsupported', message: `spec.service: Service ${split.root.name} has no port, and a Linkerd outbound HTTPRoute attaches to a Service port; the split is not applied` });
    return { objects: [], notes };
  }
  const objects: KubeObject[] = [];
  const skipped: string[] = [];
  // An HTTPRoute attaches to a Service port number; a number listed twice (TCP and UDP,
  // or twice in a file) is one parent, so it gets one route, not two of the same name.
  const routed = new Set<number>();
  for (const p of split.root.ports) {
    const why = portNote(split, p);
    if (why) {
      skipped.push(why);
      continue;
    }
    if (routed.has(p.port)) continue;
    routed.add(p.port);
    const backendRefs: BackendRef[] = split.backends.map((b, i) => ({ group: '', kind: 'Service', name: b.service.name, port: p.port, weight: weights[i]! }));
    const rootRef: BackendRef = { group: '', kind: 'Service', name: split.root.name, port: p.port };
    const rules: Rule[] = unconditional
      ? [{ matches: [{ ...MATCH_ALL, path: { ...MATCH_ALL.path } }], backendRefs }]
      : [
          ...packed.groups.map((matches) => ({ matches, backendRefs: backendRefs.map((b) => ({ ...b })) })),
          { matches: [{ ...MATCH_ALL, path: { ...MATCH_ALL.path } }], backendRefs: [rootRef] },
        ];
    const name = nativeName('ts', split.split.metadata.name, String(p.port));
    objects.push({
      apiVersion: HTTPROUTE.apiVersion,
      kind: HTTPROUTE.kind,
      metadata: managedMetadata(name, split.namespace, 'linkerd', [split.split]),
      spec: {
        parentRefs: [{ group: '', kind: 'Service', name: split.root.name, port: p.port }],
        rules,
      },
    });
  }
  const all = skipped.length === split.root.ports.length && skipped.length > 0;
  for (const m of skipped) notes.push(all ? { object: ref, status: 'Unsupported', message: m } : { object: ref, message: m });
  return { objects, notes };
}
