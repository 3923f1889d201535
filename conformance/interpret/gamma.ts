// GAMMA semantics (Gateway API for mesh traffic): outbound, the rules of the HTTPRoutes
// and GRPCRoutes whose parentRef is the Service (and port) pick the backend by the
// Gateway API precedence (./gateway.ts); the picked rule's `timeouts` (request, and
// backendRequest per attempt) and RequestMirror filters are what the mesh applies to the
// request. Gateway API has no authorization, so every access question is answered by the
// mesh default.

import { meshDurationMs } from '../../schemas/duration.js';
import type { RoutePolicy } from '../types.js';
import { pickRoute, routesFor } from './gateway.js';
import { addShare, roundShares, type MeshInterpreter } from './common.js';

type PolicyRule = {
  timeouts?: { request?: string; backendRequest?: string };
  filters?: Array<{ type?: string; requestMirror?: { backendRef?: { name?: string }; percent?: number; fraction?: { numerator: number; denominator?: number } } }>;
};

export const gamma: MeshInterpreter = {
  access() {
    return { verdict: 'default', why: 'Gateway API has no authorization: the mesh default applies' };
  },
  policy(world, q) {
    const out: RoutePolicy = {};
    const hit = q.request && pickRoute(routesFor(world.natives, q.ns, q.service.name, q.port.port), q.request, 'istio');
    if (!hit) return out;
    const rule = hit.rule as PolicyRule;
    // Gateway API: a zero duration disables the timeout.
    const request = rule.timeouts?.request ? meshDurationMs(rule.timeouts.request) : undefined;
    if (request) out.timeoutMs = request;
    const backend = rule.timeouts?.backendRequest ? meshDurationMs(rule.timeouts.backendRequest) : undefined;
    if (backend) out.perTryTimeoutMs = backend;
    const mirror = (rule.filters ?? []).find((f) => f.type === 'RequestMirror' && f.requestMirror?.backendRef?.name)?.requestMirror;
    if (mirror) {
      out.mirrorService = mirror.backendRef!.name!;
      out.mirrorPercent = mirror.percent ?? (mirror.fraction ? (mirror.fraction.numerator * 100) / (mirror.fraction.denominator ?? 100) : 100);
    }
    return out;
  },
  split(world, q) {
    const routes = routesFor(world.natives, q.ns, q.service.name, q.port.port);
    if (routes.length === 0 || !q.request) return { [q.service.name]: 100 };
    // Judged under Istio's regex ranking, the stricter of the two documented orders.
    const hit = pickRoute(routes, q.request, 'istio');
    if (!hit) return {};
    const refs = hit.rule.backendRefs ?? [];
    const total = refs.reduce((n, b) => n + (b.weight ?? 1), 0);
    const acc: Record<string, number> = {};
    for (const b of refs) addShare(acc, b.name, total === 0 ? 0 : ((b.weight ?? 1) * 100) / total);
    return roundShares(acc);
  },
};
