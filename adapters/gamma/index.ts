// GAMMA renderer: ResolvedModel -> Gateway API HTTPRoutes / GRPCRoutes with a Service
// parentRef, for any mesh that implements Gateway API for mesh traffic (Istio, Linkerd,
// Cilium, Kuma, ...). Gateway API has no authorization standard, so TrafficTargets are
// reported Unsupported. See docs/adapters/gamma.md.

import { objectRef } from '../../schemas/hub.js';
import type { KubeObject } from '../../schemas/hub.js';
import { GRPCROUTE, HTTPROUTE } from '../common/gateway/kinds.js';
import { renderSplitRoutes, type GammaRouteStyle } from '../common/gateway/split-routes.js';
import { compareObjects } from '../common/meta.js';
import type { MeshRenderer, RenderNote, ResolvedModel } from '../common/model.js';
import { compareStrings } from '../common/status.js';
import type { MeshOptions } from '../types.js';
import { isGrpc, skipPort } from './ports.js';
import { renderPolicies } from './policy.js';

export const GAMMA_KINDS = [HTTPROUTE, GRPCROUTE] as const;

const STYLE: GammaRouteStyle = { mesh: 'gamma', label: 'a GAMMA mesh', skipPort, regexCatchAll: true, grpcRoute: isGrpc };

export const ACCESS_UNSUPPORTED =
  'Gateway API has no standard for authorization (GAMMA covers routing only), so this TrafficTarget is not enforced on the gamma adapter: no request is allowed or denied by it; use the mesh\'s own adapter (istio, linkerd, consul) or `smictl migrate --mesh` for its authorization objects';

function accessNotes(model: ResolvedModel, options: MeshOptions): RenderNote[] {
  const targets = new Set(model.destinations.flatMap((d) => d.targets.map((t) => objectRef(t))));
  for (const r of model.results) if (r.kind === 'TrafficTarget') targets.add(r.object);
  return [...targets].map((object) =>
    options.accessMode === 'enforce' ? { object, status: 'Unsupported' as const, message: ACCESS_UNSUPPORTED } : { object, message: 'access mode permissive: not enforced (and Gateway API has no authorization standard to enforce it with)' },
  );
}

export function render(model: ResolvedModel, options: MeshOptions): { objects: KubeObject[]; notes: RenderNote[] } {
  const objects: KubeObject[] = [];
  const notes: RenderNote[] = [];
  for (const s of model.splits) {
    const r = renderSplitRoutes(s, STYLE);
    objects.push(...r.objects);
    notes.push(...r.notes);
  }
  const policies = renderPolicies(objects, model);
  notes.push(...accessNotes(model, options), ...policies.notes);
  return { objects: policies.objects.sort(compareObjects), notes: notes.map((n, i) => ({ n, i })).sort((a, b) => compareStrings(a.n.object, b.n.object) || a.i - b.i).map(({ n }) => n) };
}

export const renderer: MeshRenderer = {
  mesh: 'gamma',
  nativeKinds: GAMMA_KINDS.map((k) => ({ apiVersion: k.apiVersion, kind: k.kind, plural: k.plural })),
  render,
  // Routes only, no authorization: a refused route grants no access, so there is nothing to close.
  closedForm: () => undefined,
};
export { capabilities } from './capabilities.js';
