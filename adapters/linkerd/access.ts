// ResolvedDestination -> Linkerd inbound policy (accessMode enforce).
//
// Per destination pod port: a Server (accessPolicy deny) selecting the ServiceAccount's
// pods, so everything not authorized is denied. Sources allowed on the whole port get a
// MeshTLSAuthentication + AuthorizationPolicy on the Server. HTTP conditions become
// inbound HTTPRoutes (parentRef: the Server), each authorized for the sources whose
// rules contain the condition plus the whole-port sources. Linkerd picks one route
// per request (the most specific), so a request matching conditions of several
// different source sets is allowed for one of those sets only: narrower, never wider.

import type { KubeObject, TrafficTarget } from '../../schemas/hub.js';
import { objectRef } from '../../schemas/hub.js';
import type { RenderNote, ResolvedDestination, SourceIdentity } from '../common/model.js';
import { managedMetadata, nativeName } from '../common/meta.js';
import { coveringSelectors, destinationSelector, formatLabels } from '../common/selector.js';
import { AUTHORIZATION_POLICY, GATEWAY_GROUP, HTTPROUTE, MESH_TLS_AUTHENTICATION, POLICY_GROUP, ROUTE_LIMITS, SERVER } from './kinds.js';
import { conditionMatches, MATCH_ALL, type HTTPRouteMatch } from './matches.js';
import { podPorts, podPortsForServicePort, type PodPort } from './ports.js';

/** Sources with the TrafficTargets that granted them (for ownerReferences). */
class Grant {
  readonly sources = new Map<string, SourceIdentity>();
  readonly targets = new Set<TrafficTarget>();
  add(sources: readonly SourceIdentity[], target: TrafficTarget): void {
    for (const s of sources) this.sources.set(`${s.namespace}/${s.serviceAccount}`, s);
    this.targets.add(target);
  }
  merge(other: Grant): void {
    for (const [k, s] of other.sources) this.sources.set(k, s);
    for (const t of other.targets) this.targets.add(t);
  }
  key(): string {
    return [...this.sources.keys()].sort().join(',');
  }
  identities(): SourceIdentity[] {
    return [...this.sources.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
  }
}

interface PortPlan {
  pod: PodPort;
  /** Allowed on every connection to the port. */
  whole: Grant;
  /** HTTP conditions by the JSON of their matches (equal conditions merge). */
  conditions: Map<string, { matches: HTTPRouteMatch[]; grant: Grant }>;
}

const portLabel = (p: number | string): string => String(p);

function plan(d: ResolvedDestination, ports: PodPort[], note: (t: TrafficTarget, m: string) => void): PortPlan[] {
  const plans = ports.map((pod) => ({ pod, whole: new Grant(), conditions: new Map<string, { matches: HTTPRouteMatch[]; grant: Grant }>() }));
  const planOf = new Map(plans.map((p) => [p.pod, p]));
  for (const rule of d.rules) {
    let targets: PodPort[] = ports;
    if (rule.ports.length > 0) {
      targets = [];
      for (const sp of rule.ports) {
        const hit = podPortsForServicePort(ports, sp);
        if (hit.length === 0) note(rule.target, `${rule.path}: port ${sp} is not a TCP port of any Service selecting the pods of ServiceAccount ${d.serviceAccount}, so Linkerd has no Server to authorize it on; nothing is allowed on it`);
        for (const h of hit) if (!targets.includes(h)) targets.push(h);
      }
    }
    if (rule.http === undefined) {
      for (const t of targets) planOf.get(t)!.whole.add(rule.sources, rule.target);
      continue;
    }
    const expanded: HTTPRouteMatch[][] = [];
    for (const c of rule.http) {
      const r = conditionMatches(c);
      if (r.ok) expanded.push(r.matches);
      else note(rule.target, `${rule.path}: ${r.why}; that match allows nothing on Linkerd`);
    }
    for (const t of targets) {
      if (t.kind !== 'http') {
        note(rule.target, `${rule.path}: pod port ${portLabel(t.port)} is reached through a Service port that declares a non-HTTP appProtocol, so HTTP rules cannot apply there; nothing is allowed on it by this rule`);
        continue;
      }
      const conditions = planOf.get(t)!.conditions;
      for (const matches of expanded) {
        const k = JSON.stringify(matches);
        const entry = conditions.get(k) ?? { matches, grant: new Grant() };
        entry.grant.add(rule.sources, rule.target);
        conditions.set(k, entry);
      }
    }
  }
  return plans;
}

/** Key of the condition that matches every request (a TrafficTarget match with no constraint has the same key). */
const MATCH_ALL_KEY = JSON.stringify([MATCH_ALL]);

interface Emit {
  objects: KubeObject[];
  ns: string;
  order: TrafficTarget[];
}

function sourcesOf(e: Emit, g: Grant): TrafficTarget[] {
  return e.order.filter((t) => g.targets.has(t));
}

/** MeshTLSAuthentication + AuthorizationPolicy for `grant` on the target object, both named `name`. */
function authorize(e: Emit, name: string, targetRef: { group: string; kind: string; name: string }, grant: Grant): void {
  const owners = sourcesOf(e, grant);
  e.objects.push({
    apiVersion: MESH_TLS_AUTHENTICATION.apiVersion,
    kind: MESH_TLS_AUTHENTICATION.kind,
    metadata: managedMetadata(name, e.ns, 'linkerd', owners),
    spec: { identityRefs: grant.identities().map((s) => ({ kind: 'ServiceAccount', name: s.serviceAccount, namespace: s.namespace })) },
  });
  e.objects.push({
    apiVersion: AUTHORIZATION_POLICY.apiVersion,
    kind: AUTHORIZATION_POLICY.kind,
    metadata: managedMetadata(name, e.ns, 'linkerd', owners),
    spec: {
      targetRef,
      requiredAuthenticationRefs: [{ group: POLICY_GROUP, kind: MESH_TLS_AUTHENTICATION.kind, name }],
    },
  });
}

/** Splits one grant's conditions into HTTPRoutes within the schema limits (rules, total matches). */
function chunk(conds: HTTPRouteMatch[][]): HTTPRouteMatch[][][] {
  const routes: HTTPRouteMatch[][][] = [];
  let cur: HTTPRouteMatch[][] = [];
  let n = 0;
  for (const m of conds) {
    if (cur.length > 0 && (cur.length >= ROUTE_LIMITS.rules || n + m.length > ROUTE_LIMITS.matchesPerRoute)) {
      routes.push(cur);
      cur = [];
      n = 0;
    }
    cur.push(m);
    n += m.length;
  }
  if (cur.length > 0) routes.push(cur);
  return routes;
}

/** The exact policy of a destination on pods selected by `matchLabels` (only this ServiceAccount's); `suffix` tells the names of several selectors apart. */
function renderSelected(d: ResolvedDestination, matchLabels: Record<string, string>, ports: PodPort[], suffix: string[], notes: RenderNote[]): KubeObject[] {
  const who = `ServiceAccount ${d.namespace}/${d.serviceAccount}`;
  // Equal notes of several selectors are merged into one message per object.
  const plans = plan(d, ports, (t, message) => notes.push({ object: objectRef(t), message }));
  const e: Emit = { objects: [], ns: d.namespace, order: d.targets };
  for (const p of plans) {
    const label = portLabel(p.pod.port);
    const serverName = nativeName('tt', d.serviceAccount, label, ...suffix);
    e.objects.push(closedServer(d, serverName, matchLabels, p.pod.port));
    const serverRef = { group: POLICY_GROUP, kind: SERVER.kind, name: serverName };
    if (p.whole.sources.size > 0) authorize(e, serverName, serverRef, p.whole);
    if (p.conditions.size === 0) continue;
    // Sources allowed every HTTP request (whole-port sources, and HTTP rules whose match
    // constrains nothing) get a catch-all route, and are added to every other route: Linkerd
    // authorizes a request only by the one route it picks.
    const rest = new Grant();
    rest.merge(p.whole);
    const everything = p.conditions.get(MATCH_ALL_KEY);
    if (everything) rest.merge(everything.grant);
    const groups = new Map<string, { grant: Grant; conds: HTTPRouteMatch[][] }>();
    for (const [k, c] of [...p.conditions.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (k === MATCH_ALL_KEY) continue;
      c.grant.merge(rest);
      const gk = c.grant.key();
      const g = groups.get(gk) ?? { grant: new Grant(), conds: [] };
      g.grant.merge(c.grant);
      g.conds.push(c.matches);
      groups.set(gk, g);
    }
    if (groups.size > 1) {
      const owners = new Set([...groups.values()].flatMap((g) => [...g.grant.targets]));
      for (const t of d.targets) {
        if (!owners.has(t)) continue;
        notes.push({ object: objectRef(t), message: `pod port ${label} of ${who}: HTTP rules allow different sources on different matches; a request that matches several of them is allowed only for the sources of the one Linkerd finds most specific (narrower, never wider)` });
      }
    }
    const route = (name: string, grant: Grant, rules: Array<{ matches: HTTPRouteMatch[] }>): void => {
      e.objects.push({
        apiVersion: HTTPROUTE.apiVersion,
        kind: HTTPROUTE.kind,
        metadata: managedMetadata(name, d.namespace, 'linkerd', sourcesOf(e, grant)),
        spec: { parentRefs: [{ group: POLICY_GROUP, kind: SERVER.kind, name: serverName }], rules },
      });
      authorize(e, name, { group: GATEWAY_GROUP, kind: HTTPROUTE.kind, name }, grant);
    };
    let i = 0;
    for (const gk of [...groups.keys()].sort()) {
      const g = groups.get(gk)!;
      for (const conds of chunk(g.conds)) {
        i += 1;
        route(nativeName('tt', d.serviceAccount, label, ...suffix, 'match', String(i)), g.grant, conds.map((matches) => ({ matches })));
      }
    }
    // Named to sort after the match routes: on a specificity tie Linkerd prefers the older,
    // then the alphabetically first route, and the catch-all must lose such ties.
    if (rest.sources.size > 0) route(nativeName('tt', d.serviceAccount, label, ...suffix, 'rest'), rest, [{ matches: [{ path: { ...MATCH_ALL.path } }] }]);
  }
  return e.objects;
}

/** A Server with `accessPolicy: deny`: with no authorization on it, Linkerd denies all traffic to the port. */
function closedServer(d: ResolvedDestination, name: string, matchLabels: Record<string, string>, port: number | string): KubeObject {
  return {
    apiVersion: SERVER.apiVersion,
    kind: SERVER.kind,
    metadata: managedMetadata(name, d.namespace, 'linkerd', d.targets),
    spec: { podSelector: { matchLabels: { ...matchLabels } }, port, accessPolicy: 'deny' },
  };
}

export function renderDestination(d: ResolvedDestination): { objects: KubeObject[]; notes: RenderNote[] } {
  const notes: RenderNote[] = [];
  const noteAll = (message: string, status?: RenderNote['status']): void => {
    for (const t of d.targets) notes.push(status ? { object: objectRef(t), status, message } : { object: objectRef(t), message });
  };
  const who = `ServiceAccount ${d.namespace}/${d.serviceAccount}`;
  // Servers select pods by label: one selector that covers exactly this ServiceAccount's pods.
  const sel = destinationSelector(d);
  if (!sel.ok && sel.reason === 'no-workloads') {
    noteAll(`spec.destination: Linkerd Servers select pods by label, and ${sel.why}; no Linkerd policy is created, so access to it is not enforced`, 'Unsupported');
    return { objects: [], notes };
  }
  const ports = podPorts(d.services);
  if (ports.length === 0) {
    noteAll(`spec.destination: no Service exposes a TCP port of the pods of ${who}, and a Linkerd Server needs the port; no Linkerd policy is created, so access to it is not enforced`, 'Unsupported');
    return { objects: [], notes };
  }
  if (sel.ok) return { objects: renderSelected(d, sel.matchLabels, ports, [], notes), notes };
  // The pods exist but no one selector fits them (a look-alike pod of another ServiceAccount, or
  // no shared label). Emitting nothing would leave them open: each workload's own labels carry the
  // exact policy where they select only this ServiceAccount's pods, and close the ports otherwise
  // (a deny Server without authorization). Where a closed Server also selects a look-alike's port
  // that its own Server selects, Linkerd uses one of the two (policy-controller
  // `reindex_servers`: "Port already matched by another server"); either is narrower than or equal
  // to that identity's policy. The first set keeps the single selector's object names, so the
  // switch is an update, never a gap.
  const { selectors, uncovered } = coveringSelectors(d);
  const objects: KubeObject[] = [];
  selectors.forEach((c, i) => {
    const suffix = i === 0 ? [] : ['sel', String(i + 1)];
    if (c.conflicts.length === 0) objects.push(...renderSelected(d, c.matchLabels, ports, suffix, notes));
    else for (const p of ports) objects.push(closedServer(d, nativeName('tt', d.serviceAccount, portLabel(p.port), ...suffix), c.matchLabels, p.port));
  });
  const exact = selectors.filter((c) => c.conflicts.length === 0).map((c) => formatLabels(c.matchLabels));
  const closed = selectors.filter((c) => c.conflicts.length > 0);
  let message = `spec.destination: Linkerd Servers select pods by label, and ${sel.why}`;
  if (exact.length > 0) message += `; the policy is applied to each workload's pods by their own labels (${exact.join('; ')})`;
  if (closed.length > 0) {
    const also = closed.map((c) => `${formatLabels(c.matchLabels)} (also ${c.conflicts.map((w) => `${w.owner} of ServiceAccount ${w.serviceAccount}`).join(', ')})`).join('; ');
    message += `; pods labelled ${also} cannot be told apart, so they are closed instead: Servers that deny all traffic on pod ports ${ports.map((p) => portLabel(p.port)).join(', ')} (fail-closed, until they can be selected exactly)`;
  }
  if (uncovered.length > 0) message += `; ${uncovered.map((w) => w.owner).join(', ')} carry no stable label to select them by: not governed`;
  noteAll(message, closed.length > 0 || uncovered.length > 0 ? 'Unsupported' : undefined);
  return { objects, notes };
}
