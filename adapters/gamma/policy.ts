// Policies -> Gateway API (standard channel v1.6) on the GAMMA routes of the target
// Service: TimeoutPolicy as rule `timeouts.request` / `timeouts.backendRequest`,
// MirrorPolicy as a RequestMirror filter with `percent`. HTTPRoute `retry` is
// experimental-channel only (a standard-channel CRD rejects it under strict validation),
// and Gateway API has no circuit breaking, fault injection, rate limiting or tracing:
// those are reported Unsupported. Facts and sources: docs/adapters/gamma.md.

import { objectRef, type KubeObject } from '../../schemas/hub.js';
import { GRPCROUTE } from '../common/gateway/kinds.js';
import { governedRules, ownRoute, parentedRoutes, policyRoutes, type PolicyNote } from '../common/gateway/policy-routes.js';
import type { RenderNote, ResolvedModel, ResolvedPolicy } from '../common/model.js';
import { portProtocol } from '../common/protocol.js';
import type { ServiceInfo, ServicePort } from '../types.js';

const UNSUPPORTED: Partial<Record<ResolvedPolicy['policy']['kind'], string>> = {
  RetryPolicy: 'HTTPRoute retry (attempts, backoff, codes) is in the Gateway API experimental channel only; the standard-channel CRD the gamma adapter targets has no such field, so nothing is applied',
  CircuitBreakerPolicy: 'Gateway API has no connection limits or outlier detection; nothing is applied',
  FaultInjectionPolicy: 'Gateway API has no fault injection; nothing is applied',
  RateLimitPolicy: 'Gateway API has no rate limiting; nothing is applied',
  TracingPolicy: 'Gateway API has no tracing configuration; nothing is applied',
};

/** Ports a GAMMA route carries HTTP on (undeclared ones included: the mesh detects HTTP). */
const NOT_HTTP_ROUTED = new Set(['tcp', 'tls', 'udp', 'sctp', 'grpc']);
const routed = (p: ServicePort): boolean => !NOT_HTTP_ROUTED.has(portProtocol(p).protocol ?? '');

function timeouts(p: Extract<ResolvedPolicy['policy'], { kind: 'TimeoutPolicy' }>, rp: ResolvedPolicy, note: PolicyNote): Record<string, string> {
  const t: Record<string, string> = {};
  const { request, backendRequest, idle, connect } = p.spec;
  if (request) t.request = request;
  // Validation already rejects a backendRequest longer than request, as Gateway API does.
  if (backendRequest) t.backendRequest = backendRequest;
  if (idle) note(rp, 'spec.idle: Gateway API has no idle timeout; not applied', 'Unsupported');
  if (connect) note(rp, 'spec.connect: Gateway API has no connect timeout; not applied', 'Unsupported');
  return t;
}

function mirrorFilter(p: Extract<ResolvedPolicy['policy'], { kind: 'MirrorPolicy' }>, rp: ResolvedPolicy, routePort: number, note: PolicyNote): Record<string, unknown> | undefined {
  const target = rp.mirror as ServiceInfo;
  // backendRef.port absent: the port the request used, i.e. the route's Service port, which the mirror Service must have.
  const port = p.spec.backendRef.port ?? routePort;
  if (!target.ports.some((x) => x.port === port)) {
    note(rp, `spec.backendRef.port: Service ${target.name} has no port ${port} (the port requests use on this route); nothing is mirrored from it`, 'Unsupported');
    return undefined;
  }
  const filter: Record<string, unknown> = { backendRef: { group: '', kind: 'Service', name: target.name, port } };
  if (p.spec.percentage !== undefined) filter.percent = p.spec.percentage;
  return { type: 'RequestMirror', requestMirror: filter };
}

export function renderPolicies(objects: KubeObject[], model: ResolvedModel): { objects: KubeObject[]; notes: RenderNote[] } {
  const notes: RenderNote[] = [];
  const note: PolicyNote = (p, message, status) => notes.push(status ? { object: objectRef(p.policy), status, message } : { object: objectRef(p.policy), message });
  const added: KubeObject[] = [];
  for (const p of model.policies ?? []) {
    const why = UNSUPPORTED[p.policy.kind];
    if (why) {
      note(p, `spec: ${why}`, 'Unsupported');
      continue;
    }
    const svc = p.service as ServiceInfo;
    const pol = p.policy;
    const t = pol.kind === 'TimeoutPolicy' ? timeouts(pol, p, note) : undefined;
    if (t && Object.keys(t).length === 0) continue; // only idle/connect: reported above, no route needed
    for (const g of parentedRoutes(objects, added, svc, GRPCROUTE.kind)) {
      note(p, `spec.targetRef: GRPCRoute ${g.metadata.name} (Service ${svc.name} port ${(g.spec as { parentRefs: Array<{ port?: number }> }).parentRefs[0]?.port}) has no timeouts in the Gateway API standard channel; not applied there`, 'Unsupported');
    }
    const routes = policyRoutes(objects, added, svc, 'gamma', routed);
    if (routes.length === 0) {
      note(p, `spec.targetRef: Service ${svc.namespace}/${svc.name} has no HTTP port a GAMMA HTTPRoute carries; nothing is applied`, 'Unsupported');
      continue;
    }
    const applied: string[] = [];
    for (const route of routes) {
      const rules = governedRules(route, p, model, note, true);
      if (!rules) continue;
      const port = (route.spec as { parentRefs: Array<{ port?: number }> }).parentRefs[0]?.port ?? 0;
      if (t) {
        for (const r of rules) r.timeouts = { ...r.timeouts, ...t };
      } else if (pol.kind === 'MirrorPolicy') {
        const f = mirrorFilter(pol, p, port, note);
        if (!f) continue;
        for (const r of rules) r.filters = [...(r.filters ?? []), structuredClone(f)];
      } else continue;
      ownRoute(route, p, 'gamma');
      applied.push(route.metadata.name);
    }
    if (applied.length) note(p, `governs HTTPRoute(s) ${[...new Set(applied)].join(', ')}`);
  }
  return { objects: [...objects, ...added], notes };
}
