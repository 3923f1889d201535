// GAMMA semantics (Gateway API for mesh traffic): outbound, the rules of the HTTPRoutes
// and GRPCRoutes whose parentRef is the Service (and port) pick the backend by the
// Gateway API precedence (./gateway.ts). Gateway API has no
// authorization, so every access question is answered by the mesh default.

import { pickRoute, routesFor } from './gateway.js';
import { addShare, roundShares, type MeshInterpreter } from './common.js';

export const gamma: MeshInterpreter = {
  access() {
    return { verdict: 'default', why: 'Gateway API has no authorization: the mesh default applies' };
  },
  policy() {
    // The gamma adapter renders no resilience policy yet.
    return {};
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
