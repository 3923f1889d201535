// Linkerd semantics: inbound, a Server (podSelector + pod port) governs a port;
// a request is authorized by the AuthorizationPolicies of the one HTTPRoute the
// proxy picks (most specific match; none matches: 404), or of the Server when
// no route is attached; otherwise the Server's accessPolicy decides. Outbound,
// the most specific rule of the HTTPRoutes attached to the Service port splits
// by backendRef weight.

import type { WorkloadInfo } from '../../adapters/types.js';
import type { KubeObject } from '../../schemas/hub.js';
import { accessByPods, addShare, natives, podPort, podsBehind, roundShares, spec, type AccessQuery, type MeshInterpreter, type SplitQuery, type Verdict, type World } from './common.js';
import { matchesLabelSelector, type LabelSelector } from '../../adapters/common/label-match.js';
import type { HttpRequest, RoutePolicy } from '../types.js';
import { meshDurationMs } from '../../schemas/duration.js';
import { pickRule, type RouteMatch } from './linkerd-routes.js';

type RouteRule = { matches?: RouteMatch[]; backendRefs?: Array<{ name: string; kind?: string; port?: number; weight?: number }> };
type ParentRef = { group?: string; kind?: string; name: string; port?: number; namespace?: string };

/** The route and rule the proxy picks among `routes` (name order stands in for age on ties). */
function pick(routes: KubeObject[], r: HttpRequest): { route: KubeObject; rule: RouteRule } | undefined {
  const rules = routes.flatMap((route) => ((spec(route).rules as RouteRule[] | undefined) ?? []).map((rule) => ({ ...rule, route, rule })));
  const hit = pickRule(rules, r);
  return hit && { route: hit.route, rule: hit.rule };
}

/** HTTPRoutes attached to the queried Service port, in name order. */
function attachedRoutes(world: World, q: SplitQuery): KubeObject[] {
  return world.natives
    .filter((o) => isRoute(o) && ((spec(o).parentRefs as ParentRef[] | undefined) ?? []).some((p) => (p.kind ?? 'Gateway') === 'Service' && (p.group ?? '') === '' && p.name === q.service.name && (p.namespace ?? o.metadata.namespace) === q.ns && (p.port === undefined || p.port === q.port.port)))
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

const isRoute = (o: KubeObject) => o.kind === 'HTTPRoute' && (o.apiVersion.startsWith('gateway.networking.k8s.io/') || o.apiVersion.startsWith('policy.linkerd.io/'));

function authenticated(world: World, ns: string, ref: { kind?: string; name: string; namespace?: string }, from: AccessQuery['from']): boolean {
  if (ref.kind === 'ServiceAccount') return ref.name === from.sa && (ref.namespace ?? ns) === from.ns;
  if (ref.kind !== 'MeshTLSAuthentication') return false; // NetworkAuthentication: not an identity; never widen
  const mtls = natives(world, 'MeshTLSAuthentication', ref.namespace ?? ns).find((o) => o.metadata.name === ref.name);
  if (!mtls) return false;
  const s = spec(mtls) as { identityRefs?: Array<{ kind: string; name: string; namespace?: string }>; identities?: string[] };
  const id = `${from.sa}.${from.ns}.serviceaccount.identity.linkerd.${world.trustDomain}`;
  if ((s.identities ?? []).some((i) => i === '*' || i === id)) return true;
  return (s.identityRefs ?? []).some((r) =>
    r.kind === 'ServiceAccount' ? r.name === from.sa && (r.namespace ?? mtls.metadata.namespace) === from.ns : r.kind === 'Namespace' ? r.name === from.ns : false,
  );
}

function authorizedBy(world: World, ns: string, target: { group: string; kind: string; name: string }, from: AccessQuery['from']): KubeObject | undefined {
  return natives(world, 'AuthorizationPolicy', ns, 'policy.linkerd.io').find((ap) => {
    const s = spec(ap) as { targetRef?: { group?: string; kind: string; name: string }; requiredAuthenticationRefs?: Array<{ kind?: string; name: string; namespace?: string }> };
    if (s.targetRef?.kind !== target.kind || s.targetRef.name !== target.name || (s.targetRef.group ?? '') !== target.group) return false;
    const refs = s.requiredAuthenticationRefs ?? [];
    return refs.length > 0 && refs.every((r) => authenticated(world, ns, r, from));
  });
}

/** The Server the proxy of `pod` uses for a pod port (the first by name when several select it). */
function serverOf(world: World, pod: WorkloadInfo, port: number | string): KubeObject | undefined {
  return natives(world, 'Server', pod.namespace, 'policy.linkerd.io').find((s) => {
    const sp = spec(s) as { podSelector?: LabelSelector; port?: number | string };
    return sp.podSelector !== undefined && matchesLabelSelector(sp.podSelector, pod.podLabels) && sp.port === port;
  });
}

/**
 * Requests per second each pod behind the Service admits on the port (HTTPLocalRateLimitPolicy
 * total on the pod's Server; Linkerd takes one per Server): the loosest pod's, and none unless every pod has one.
 */
function rateLimit(world: World, q: SplitQuery): number | undefined {
  const pods = podsBehind(world, q.service);
  const limits = pods.map((pod) => {
    const server = serverOf(world, pod, podPort(q.port));
    if (!server) return undefined;
    const rl = natives(world, 'HTTPLocalRateLimitPolicy', pod.namespace, 'policy.linkerd.io').find((o) => {
      const t = (spec(o).targetRef ?? {}) as { group?: string; kind?: string; name?: string };
      return t.kind === 'Server' && t.name === server.metadata.name && (t.group ?? 'policy.linkerd.io') === 'policy.linkerd.io';
    });
    const rps = (spec(rl ?? ({} as KubeObject)).total as { requestsPerSecond?: number } | undefined)?.requestsPerSecond;
    return rps && rps > 0 ? rps : undefined;
  });
  if (limits.length === 0 || limits.some((l) => l === undefined)) return undefined;
  return Math.max(...(limits as number[]));
}

function podVerdict(world: World, pod: WorkloadInfo, q: AccessQuery): Verdict {
  const port = podPort(q.to.port);
  const server = serverOf(world, pod, port);
  if (!server) return { verdict: 'default', why: `no Server for pod port ${port}` };
  if (q.udp) return { verdict: 'default', why: 'the Linkerd proxy carries no UDP: the datagram bypasses policy' };
  const deny = (why: string): Verdict => {
    const policy = (spec(server).accessPolicy as string | undefined) ?? 'deny';
    return policy === 'deny' ? { verdict: 'deny', why } : { verdict: 'allow', why: `${why}; Server accessPolicy ${policy}` };
  };
  const routes = world.natives.filter(
    (o) => isRoute(o) && o.metadata.namespace === pod.namespace && ((spec(o).parentRefs as ParentRef[] | undefined) ?? []).some((p) => p.kind === 'Server' && p.name === server.metadata.name),
  ).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  if (q.request && routes.length > 0) {
    const hit = pick(routes, q.request);
    if (!hit) return { verdict: 'deny', why: `no HTTPRoute of Server ${server.metadata.name} matches (404)` };
    const ap = authorizedBy(world, pod.namespace, { group: hit.route.apiVersion.split('/')[0]!, kind: 'HTTPRoute', name: hit.route.metadata.name }, q.from);
    return ap ? { verdict: 'allow', why: `route ${hit.route.metadata.name}, AuthorizationPolicy ${ap.metadata.name}` } : deny(`route ${hit.route.metadata.name} authorizes no matching identity`);
  }
  const ap = authorizedBy(world, pod.namespace, { group: 'policy.linkerd.io', kind: 'Server', name: server.metadata.name }, q.from);
  return ap ? { verdict: 'allow', why: `Server ${server.metadata.name}, AuthorizationPolicy ${ap.metadata.name}` } : deny(`Server ${server.metadata.name} authorizes no matching identity`);
}

export const linkerd: MeshInterpreter = {
  access: (world, q) => accessByPods(world, q, podVerdict),
  policy(world, q) {
    // Gateway API rule timeouts (backendRequest is per attempt) and the route's retry.linkerd.io annotations.
    const out: RoutePolicy = {};
    const rps = rateLimit(world, q);
    if (rps !== undefined) out.rateLimitPerSecond = rps;
    const hit = pick(attachedRoutes(world, q), q.request!);
    if (!hit) return out;
    const t = (hit.rule as { timeouts?: { request?: string; backendRequest?: string } }).timeouts ?? {};
    const request = t.request ? meshDurationMs(t.request) : undefined;
    if (request) out.timeoutMs = request;
    const a = hit.route.metadata.annotations ?? {};
    const limit = Number(a['retry.linkerd.io/limit'] ?? 0);
    if (limit > 0 && (a['retry.linkerd.io/http'] || a['retry.linkerd.io/grpc'])) out.retryAttempts = limit;
    const perTry = a['retry.linkerd.io/timeout'] ? meshDurationMs(a['retry.linkerd.io/timeout']) : t.backendRequest ? meshDurationMs(t.backendRequest) : undefined;
    if (perTry) out.perTryTimeoutMs = perTry;
    return out;
  },
  split(world, q) {
    const routes = attachedRoutes(world, q);
    // The proxy routes only HTTP on HTTPRoutes; other traffic (and a Service without routes) goes to the Service itself.
    if (routes.length === 0 || !q.request) return { [q.service.name]: 100 };
    const hit = pick(routes, q.request);
    if (!hit) return {}; // attached routes, none matches: 404
    const refs = hit.rule.backendRefs ?? [];
    const total = refs.reduce((n, b) => n + (b.weight ?? 1), 0);
    const acc: Record<string, number> = {};
    for (const b of refs) addShare(acc, b.name, total === 0 ? 0 : ((b.weight ?? 1) * 100) / total);
    return roundShares(acc);
  },
};
