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
import { ALL_NETWORKS, AUTHORIZATION_POLICY, GATEWAY_GROUP, HTTPROUTE, MESH_TLS_AUTHENTICATION, NETWORK_AUTHENTICATION, POLICY_GROUP, ROUTE_LIMITS, SERVER } from './kinds.js';
import { conditionMatches, MATCH_ALL, type HTTPRouteMatch } from '../common/gateway/matches.js';
import { destinationPorts, podPortsForRulePort, type PodPort } from './ports.js';
import { httpProbes, type Probe } from './probes.js';

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
        const hit = podPortsForRulePort(ports, sp);
        if (hit.length === 0) note(rule.target, `${rule.path}: pod port ${sp} is neither a TCP container port of the pods of ServiceAccount ${d.serviceAccount} nor a port a Service selecting them targets by number (rule ports are pod ports, not Service ports), so Linkerd has no Server to authorize it on; nothing is allowed on it`);
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
        note(rule.target, `${rule.path}: pod port ${portLabel(t.port)} is proxied opaquely (${t.opaqueBecause ?? 'not HTTP'}), so HTTP rules cannot apply there; nothing is allowed on it by this rule`);
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

/** The workloads' HTTP probes that land on this pod port (a named port: where the container calls its port that name). */
function probesOn(pod: PodPort, d: ResolvedDestination, probes: readonly Probe[]): Probe[] {
  if (typeof pod.port === 'number') return probes.filter((p) => p.port === pod.port);
  const name = pod.port;
  return probes.filter((p) => d.workloads.some((w) => w.owner === p.owner && (w.containers ?? []).some((c) => c.ports.some((cp) => cp.protocol === 'TCP' && cp.name === name && cp.containerPort === p.port))));
}

/** Characters and sequences the Gateway API allows in an Exact path (HTTPRoute CRD validation rules). */
const EXACT_PATH = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$/;
const exactPathOk = (p: string): boolean =>
  p.startsWith('/') && EXACT_PATH.test(p) && !/\/\/|\/\.\/|\/\.\.\/|%2f|#/i.test(p) && !p.endsWith('/..') && !p.endsWith('/.');

/**
 * The probe route Linkerd recommends once a Server has HTTPRoutes ("Configuring Per-Route
 * Authorization Policy"): GET on each probe path (an exact match, as Linkerd's own default
 * probe route), authorized for every network without identity, as the kubelet has none.
 */
function probeRoute(e: Emit, d: ResolvedDestination, serverName: string, label: string, name: string, paths: string[], noteAll: (m: string, s?: RenderNote['status']) => void): void {
  const matches: HTTPRouteMatch[][] = [];
  for (const path of paths) {
    if (path.length > ROUTE_LIMITS.pathValue) {
      noteAll(`spec.destination: the probe path ${JSON.stringify(path.slice(0, 64))}... on pod port ${label} is over ${ROUTE_LIMITS.pathValue} characters, which no HTTPRoute match holds; that probe is denied`, 'Accepted');
      continue;
    }
    // An Exact match the Gateway API forbids (e.g. `//`) is the same request set as a literal full-match regex.
    const m: HTTPRouteMatch = exactPathOk(path) ? { path: { type: 'Exact', value: path }, method: 'GET' } : { path: { type: 'RegularExpression', value: literalRegex(path) }, method: 'GET' };
    matches.push([m]);
  }
  const routes = chunk(matches);
  if (routes.length === 0) return;
  if (routes.length > 1) noteAll(`spec.destination: pod port ${label} has more probe paths than one HTTPRoute holds; only the first ${routes[0]!.flat().length} are kept reachable`, 'Accepted');
  const first = routes[0]!;
  e.objects.push({
    apiVersion: HTTPROUTE.apiVersion,
    kind: HTTPROUTE.kind,
    metadata: managedMetadata(name, d.namespace, 'linkerd', d.targets),
    spec: { parentRefs: [{ group: POLICY_GROUP, kind: SERVER.kind, name: serverName }], rules: first.map((ms) => ({ matches: ms })) },
  });
  e.objects.push({
    apiVersion: NETWORK_AUTHENTICATION.apiVersion,
    kind: NETWORK_AUTHENTICATION.kind,
    metadata: managedMetadata(name, d.namespace, 'linkerd', d.targets),
    spec: { networks: ALL_NETWORKS.map((cidr) => ({ cidr })) },
  });
  e.objects.push({
    apiVersion: AUTHORIZATION_POLICY.apiVersion,
    kind: AUTHORIZATION_POLICY.kind,
    metadata: managedMetadata(name, d.namespace, 'linkerd', d.targets),
    spec: {
      targetRef: { group: GATEWAY_GROUP, kind: HTTPROUTE.kind, name },
      requiredAuthenticationRefs: [{ group: POLICY_GROUP, kind: NETWORK_AUTHENTICATION.kind, name }],
    },
  });
}

/** A regex matching exactly `s` (RE2 and Rust regex share this escaping). */
const literalRegex = (s: string): string => `^${s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&')}$`;

/** Names of one selector's objects: the single selector's plain shapes, or `…by` shapes with the selector's index. */
interface Names {
  server(label: string): string;
  probe(label: string): string;
  route(label: string, i: number): string;
  routeAll(label: string): string;
}

const namesFor = (sa: string, sel: number | undefined): Names =>
  sel === undefined
    ? { server: (l) => nativeName('tt', sa, l), probe: (l) => nativeName('ttprobe', sa, l), route: (l, i) => nativeName('ttroute', sa, l, i), routeAll: (l) => nativeName('ttrouteall', sa, l) }
    : {
        server: (l) => nativeName('ttby', sa, l, sel),
        probe: (l) => nativeName('ttprobeby', sa, l, sel),
        route: (l, i) => nativeName('ttrouteby', sa, l, sel, i),
        routeAll: (l) => nativeName('ttrouteallby', sa, l, sel),
      };

interface Target {
  matchLabels: Record<string, string>;
  names: Names;
  /** The labels also select another identity's pods: only closed Servers (deny, no authorization) may go there. */
  closed: boolean;
}

/** A Server the destination's policy emits: where a Linkerd HTTPLocalRateLimitPolicy can attach. */
export interface ServerSite {
  name: string;
  namespace: string;
  serviceAccount: string;
  pod: PodPort;
  matchLabels: Record<string, string>;
  /** Denies everything (pods that cannot be told apart from another identity's). */
  closed: boolean;
}

export function renderDestination(d: ResolvedDestination): { objects: KubeObject[]; notes: RenderNote[]; servers: ServerSite[] } {
  const notes: RenderNote[] = [];
  const noteAll = (message: string, status: RenderNote['status'] = 'Unsupported'): void => {
    for (const t of d.targets) notes.push({ object: objectRef(t), status, message });
  };
  const who = `ServiceAccount ${d.namespace}/${d.serviceAccount}`;
  // Servers select pods by label: one selector that covers exactly this ServiceAccount's pods.
  const sel = destinationSelector(d);
  if (!sel.ok && sel.reason === 'no-workloads') {
    noteAll(`spec.destination: Linkerd Servers select pods by label, and ${sel.why}; no Linkerd policy is created, so access to it is not enforced`);
    return { objects: [], notes, servers: [] };
  }
  const { ports, open } = destinationPorts(d);
  for (const o of open) noteAll(`spec.destination: ${o} is left on the cluster default inbound policy`);
  if (ports.length === 0) {
    noteAll(`spec.destination: neither a Service nor a container of the pods of ${who} declares a TCP port, and a Linkerd Server needs the port; no Linkerd policy is created, so access to it is not enforced`);
    return { objects: [], notes, servers: [] };
  }
  let targets: Target[];
  if (sel.ok) targets = [{ matchLabels: sel.matchLabels, names: namesFor(d.serviceAccount, undefined), closed: false }];
  else {
    // The pods exist but no one selector fits them (a look-alike pod of another ServiceAccount, or
    // no shared label). Creating nothing would leave them on the default inbound policy, i.e. open:
    // each workload's own labels carry the exact policy where they select only this ServiceAccount's
    // pods, and close the ports otherwise (a deny Server without authorization). Where a closed
    // Server and the other identity's own Server select one pod port, Linkerd uses one of them
    // (policy-controller `Pod::reindex_servers`: "Port already matched by another server"); either
    // is narrower than or equal to that identity's policy. The first set keeps the single
    // selector's names, so the switch is an update of the same Servers, never a prune.
    const { selectors, uncovered } = coveringSelectors(d);
    targets = selectors.map((c, i) => ({ matchLabels: c.matchLabels, names: namesFor(d.serviceAccount, i === 0 ? undefined : i + 1), closed: c.conflicts.length > 0 }));
    const exact = selectors.filter((c) => c.conflicts.length === 0).map((c) => formatLabels(c.matchLabels));
    const closed = selectors.filter((c) => c.conflicts.length > 0);
    let message = `spec.destination: Linkerd Servers select pods by label, and ${sel.why}`;
    if (exact.length > 0) message += `; the policy is applied to each workload's pods by their own labels (${exact.join('; ')})`;
    if (closed.length > 0) {
      const also = closed.map((c) => `${formatLabels(c.matchLabels)} (also ${c.conflicts.map((w) => `${w.owner} of ServiceAccount ${w.serviceAccount}`).join(', ')})`).join('; ');
      message += `; pods labelled ${also} cannot be told apart, so they are closed instead: Servers that deny all traffic on their pod ports (fail-closed, until they can be selected exactly)`;
    }
    if (uncovered.length > 0) message += `; ${uncovered.map((w) => w.owner).join(', ')} carry no stable label to select them by: not governed`;
    if (closed.length > 0 || uncovered.length > 0) noteAll(message);
    else for (const t of d.targets) notes.push({ object: objectRef(t), message });
  }
  const objects: KubeObject[] = [];
  const servers: ServerSite[] = [];
  for (const t of targets) objects.push(...renderSelected(d, t, ports, notes, noteAll, servers));
  return { objects, notes, servers };
}

/** The policy of a destination on the pods `t` selects: exact, or only the closed Servers. */
function renderSelected(d: ResolvedDestination, t: Target, ports: PodPort[], notes: RenderNote[], noteAll: (message: string, status?: RenderNote['status']) => void, servers: ServerSite[]): KubeObject[] {
  const who = `ServiceAccount ${d.namespace}/${d.serviceAccount}`;
  // Equal notes of several selectors are merged into one message per object.
  const plans = plan(d, ports, (target, message) => notes.push({ object: objectRef(target), message }));
  const probes = httpProbes(d.workloads);
  const e: Emit = { objects: [], ns: d.namespace, order: d.targets };
  for (const p of plans) {
    const label = portLabel(p.pod.port);
    const portProbes = probesOn(p.pod, d, probes);
    // The kubelet has no mesh identity, and Linkerd lets it through a Server only by HTTP path: a TLS probe, or any
    // probe on an opaque port, would fail under a deny Server and take the pods down. Such a port is left alone.
    const blind = portProbes.find((x) => x.https || p.pod.kind === 'opaque');
    if (blind) {
      const what = blind.https ? 'HTTPS probe (TLS, which the proxy cannot read)' : `probe (the port is proxied opaquely: ${p.pod.opaqueBecause ?? 'not HTTP'})`;
      noteAll(`spec.destination: pod port ${label}: the kubelet's ${what} ${blind.path} of ${blind.owner} has no mesh identity and cannot be authorized by HTTP path, so a Linkerd Server would fail it; the port is left on the cluster default inbound policy`);
      continue;
    }
    const serverName = t.names.server(label);
    const server: Record<string, unknown> = { podSelector: { matchLabels: { ...t.matchLabels } }, port: p.pod.port, accessPolicy: 'deny' };
    // A Server's proxyProtocol supersedes the opaque-ports annotation: left out, an opaque port would go through detection.
    if (p.pod.kind === 'opaque') server.proxyProtocol = 'opaque';
    e.objects.push({
      apiVersion: SERVER.apiVersion,
      kind: SERVER.kind,
      metadata: managedMetadata(serverName, d.namespace, 'linkerd', d.targets),
      spec: server,
    });
    servers.push({ name: serverName, namespace: d.namespace, serviceAccount: d.serviceAccount, pod: p.pod, matchLabels: { ...t.matchLabels }, closed: t.closed });
    // Closed: no authorization and no route, so Linkerd denies all but its own probe route.
    if (t.closed) continue;
    const serverRef = { group: POLICY_GROUP, kind: SERVER.kind, name: serverName };
    if (p.whole.sources.size > 0) authorize(e, serverName, serverRef, p.whole);
    if (p.conditions.size === 0) continue; // no route: Linkerd authorizes the probes itself
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
    // Linkerd drops its default probe route once any HTTPRoute is attached to the Server.
    const plain = [...new Set(portProbes.filter((x) => !x.https).map((x) => x.path))].sort();
    if (plain.length > 0) probeRoute(e, d, serverName, label, t.names.probe(label), plain, noteAll);
    let i = 0;
    for (const gk of [...groups.keys()].sort()) {
      const g = groups.get(gk)!;
      for (const conds of chunk(g.conds)) {
        i += 1;
        route(t.names.route(label, i), g.grant, conds.map((matches) => ({ matches })));
      }
    }
    // Named to sort after the match routes: on a specificity tie Linkerd prefers the older,
    // then the alphabetically first route, and the catch-all must lose such ties.
    if (rest.sources.size > 0) route(t.names.routeAll(label), rest, [{ matches: [{ path: { ...MATCH_ALL.path } }] }]);
  }
  return e.objects;
}
