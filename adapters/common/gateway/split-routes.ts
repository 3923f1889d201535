// ResolvedSplit -> GAMMA routes (Gateway API HTTPRoute / GRPCRoute whose parentRef is the
// root Service port). One route per split per root port. With matches: one rule per
// condition to the backends, then a catch-all rule to the root Service. The Linkerd and
// gamma renderers share this; each says which ports it routes and how the catch-all is
// written (GammaRouteStyle).
//
// Precedence (why the catch-all can be written two ways): the Gateway API spec orders
// matches by exact path, prefix length, method, header count, then rule order, and leaves
// RegularExpression paths implementation-specific. Linkerd ranks a regex above every
// prefix (ties: earlier rule). Istio ranks Exact > Prefix > Regex and regexes by pattern
// length (pilot/pkg/config/kube/gateway/conversion.go, getURIRank/sortHTTPRoutes), so a
// `PathPrefix /` catch-all would beat every regex condition there. With `regexCatchAll`,
// once any condition uses a regex every rule does: conditions without a path get `.*`,
// and the catch-all is `.*` — the shortest pattern, with no method and no header — so it
// ranks last under both orders (docs/adapters/gamma.md).

import type { KubeObject } from '../../../schemas/hub.js';
import { objectRef } from '../../../schemas/hub.js';
import type { MeshName, ServicePort } from '../../types.js';
import { managedMetadata, nativeName } from '../meta.js';
import type { RenderNote, ResolvedSplit } from '../model.js';
import { GRPCROUTE, HTTPROUTE, ROUTE_LIMITS } from './kinds.js';
import { conditionMatches, MATCH_ALL, matchesEverything, type HTTPRouteMatch } from './matches.js';
import { backendWeights } from './weights.js';

export interface BackendRef {
  group: '';
  kind: 'Service';
  name: string;
  port: number;
  weight?: number;
}

interface Rule {
  matches?: HTTPRouteMatch[];
  backendRefs: BackendRef[];
}

export interface GammaRouteStyle {
  /** The adapter name, for labels. */
  mesh: MeshName;
  /** How messages name the mesh: `Linkerd`, `a GAMMA mesh`. */
  label: string;
  /** Why a root port is not routed (not HTTP for this mesh); undefined: route it. */
  skipPort(split: ResolvedSplit, p: ServicePort): string | undefined;
  /** Write the catch-all as the regex `.*` when a condition uses a regex path (see above). */
  regexCatchAll: boolean;
  /** Unconditional splits of gRPC ports become GRPCRoutes. */
  grpcRoute(p: ServicePort): boolean;
}

/** The shortest full-match regex for every path: ranks below every other regex by length and by rule order. */
export const REGEX_ALL = '.*';

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

const copyMatch = (m: HTTPRouteMatch): HTTPRouteMatch => ({ ...m, path: { ...m.path }, ...(m.headers ? { headers: m.headers.map((h) => ({ ...h })) } : {}) });

/** When a regex catch-all is needed, every condition's path becomes a regex too (see the header). */
export function regexPaths(groups: HTTPRouteMatch[][]): { groups: HTTPRouteMatch[][]; catchAll: HTTPRouteMatch } {
  const anyRegex = groups.some((g) => g.some((m) => m.path.type === 'RegularExpression'));
  if (!anyRegex) return { groups, catchAll: copyMatch(MATCH_ALL) };
  const all = { type: 'RegularExpression' as const, value: REGEX_ALL };
  return {
    groups: groups.map((g) => g.map((m) => (m.path.type === 'RegularExpression' ? m : { ...m, path: { ...all } }))),
    catchAll: { path: { ...all } },
  };
}

export function renderSplitRoutes(split: ResolvedSplit, style: GammaRouteStyle): { objects: KubeObject[]; notes: RenderNote[] } {
  const ref = objectRef(split.split);
  const notes: RenderNote[] = [];
  if (split.backends.length > ROUTE_LIMITS.backendRefsPerRule) {
    notes.push({ object: ref, status: 'Unsupported', message: `spec.backends: ${split.backends.length} backends receive traffic, but a Gateway API HTTPRoute rule holds at most ${ROUTE_LIMITS.backendRefsPerRule} backendRefs; the split is not applied on ${style.label}` });
    return { objects: [], notes };
  }
  const w = backendWeights(split.backends, style.label);
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
    notes.push({ object: ref, status: 'Unsupported', message: `spec.matches: ${packed.why}; the split is not applied on ${style.label}` });
    return { objects: [], notes };
  }
  if (split.root.ports.length === 0) {
    notes.push({ object: ref, status: 'Unsupported', message: `spec.service: Service ${split.root.name} has no port, and a GAMMA route attaches to a Service port; the split is not applied` });
    return { objects: [], notes };
  }
  const shaped = style.regexCatchAll ? regexPaths(packed.groups) : { groups: packed.groups, catchAll: copyMatch(MATCH_ALL) };
  const objects: KubeObject[] = [];
  const skipped: string[] = [];
  // A route attaches to a Service port number; a number listed twice (TCP and UDP, or
  // twice in a file) is one parent, so it gets one route, not two of the same name.
  const routed = new Set<number>();
  for (const p of split.root.ports) {
    const why = style.skipPort(split, p);
    if (why) {
      skipped.push(why);
      continue;
    }
    if (routed.has(p.port)) continue;
    routed.add(p.port);
    const backendRefs: BackendRef[] = split.backends.map((b, i) => ({ group: '', kind: 'Service', name: b.service.name, port: p.port, weight: weights[i]! }));
    const rootRef: BackendRef = { group: '', kind: 'Service', name: split.root.name, port: p.port };
    const grpc = unconditional && style.grpcRoute(p);
    const rules: Rule[] = grpc
      ? [{ backendRefs }]
      : unconditional
        ? [{ matches: [copyMatch(MATCH_ALL)], backendRefs }]
        : [
            ...shaped.groups.map((matches) => ({ matches: matches.map(copyMatch), backendRefs: backendRefs.map((b) => ({ ...b })) })),
            { matches: [copyMatch(shaped.catchAll)], backendRefs: [rootRef] },
          ];
    if (!unconditional && style.grpcRoute(p)) {
      notes.push({ object: ref, message: `spec.matches: Service ${split.root.name} port ${p.port} carries gRPC; the matches are path, method and header matches a GRPCRoute cannot hold, so it gets an HTTPRoute (gRPC requests are HTTP/2 POSTs to /<service>/<method>, which HTTPRoute matches read as such)` });
    }
    const kind = grpc ? GRPCROUTE : HTTPROUTE;
    objects.push({
      apiVersion: kind.apiVersion,
      kind: kind.kind,
      metadata: managedMetadata(nativeName('ts', split.split.metadata.name, String(p.port)), split.namespace, style.mesh, [split.split]),
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
