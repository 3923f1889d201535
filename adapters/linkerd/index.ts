// Linkerd 2.20 renderer: ResolvedModel -> Gateway API HTTPRoutes (splits, per-route
// authorization) and policy.linkerd.io Server / AuthorizationPolicy /
// MeshTLSAuthentication (access). See docs/adapters/linkerd.md for the mapping.

import type { KubeObject } from '../../schemas/hub.js';
import { compareObjects } from '../common/meta.js';
import type { MeshRenderer, RenderNote, ResolvedModel } from '../common/model.js';
import { compareStrings } from '../common/status.js';
import type { MeshOptions } from '../types.js';
import { renderDestination, type ServerSite } from './access.js';
import { LINKERD_KINDS } from './kinds.js';
import { modeNotes } from './notes.js';
import { renderSplit } from './splits.js';
import { closedForm } from './closed.js';
import { renderPolicies } from './policy.js';
import { renderRateLimits } from './ratelimit.js';

export function render(model: ResolvedModel, options: MeshOptions): { objects: KubeObject[]; notes: RenderNote[] } {
  const objects: KubeObject[] = [];
  const notes: RenderNote[] = [];
  for (const s of model.splits) {
    const r = renderSplit(s);
    objects.push(...r.objects);
    notes.push(...r.notes);
  }
  const sites: ServerSite[] = [];
  if (options.accessMode === 'enforce') {
    for (const d of model.destinations) {
      const r = renderDestination(d);
      objects.push(...r.objects);
      notes.push(...r.notes);
      sites.push(...r.servers);
    }
    // Another unit's destinations: only where their Servers are, for rate limits.
    for (const d of model.contextDestinations ?? []) sites.push(...renderDestination(d).servers);
  }
  notes.push(...modeNotes(model.destinations, options));
  const policies = renderPolicies(objects, model);
  notes.push(...policies.notes);
  const limits = renderRateLimits(model, options, sites, [...model.destinations, ...(model.contextDestinations ?? [])]);
  notes.push(...limits.notes);
  return { objects: [...policies.objects, ...limits.objects].sort(compareObjects), notes: notes.map((n, i) => ({ n, i })).sort((a, b) => compareStrings(a.n.object, b.n.object) || a.i - b.i).map(({ n }) => n) };
}

export const renderer: MeshRenderer = {
  mesh: 'linkerd',
  nativeKinds: LINKERD_KINDS.map((k) => ({ apiVersion: k.apiVersion, kind: k.kind, plural: k.plural })),
  render,
  closedForm,
};
export { capabilities } from './capabilities.js';
