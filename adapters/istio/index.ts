// The Istio 1.30 renderer: ResolvedModel -> VirtualServices (splits),
// AuthorizationPolicies (access, enforce mode) and PeerAuthentications (mTLS).
// The mapping and the Istio facts it relies on: docs/adapters/istio.md.

import { objectRef, type KubeObject } from '../../schemas/hub.js';
import type { MeshRenderer, RenderNote, RenderOutput, ResolvedDestination, ResolvedModel } from '../common/model.js';
import { compareObjects } from '../common/meta.js';
import { destinationSelector } from '../common/selector.js';
import type { MeshOptions } from '../types.js';
import { renderAuthorizationPolicy } from './authorization.js';
import { NATIVE_KINDS } from './kinds.js';
import { renderPeerAuthentication } from './peerauthentication.js';
import { renderSplit } from './virtualservice.js';
import { renderPolicies } from './policy.js';

function renderDestination(d: ResolvedDestination, options: MeshOptions): RenderOutput {
  const notes: RenderNote[] = [];
  const toTargets = (message: string, status?: RenderNote['status']): void => {
    for (const t of d.targets) notes.push(status ? { object: objectRef(t), status, message } : { object: objectRef(t), message });
  };
  // Istio selects pods by label: the selector covers exactly this ServiceAccount's pods or is refused.
  const sel = destinationSelector(d);
  if (!sel.ok) {
    // No pods: nothing to protect yet. Unselectable pods under enforce: access is not enforced.
    const unenforced = options.accessMode === 'enforce' && sel.reason !== 'no-workloads';
    toTargets(`spec.destination: ${sel.why}; no AuthorizationPolicy or PeerAuthentication is emitted for it`, unenforced ? 'Unsupported' : undefined);
    return { objects: [], notes };
  }
  const objects: KubeObject[] = [renderPeerAuthentication(d, sel.matchLabels, options.mtlsMode)];
  if (options.accessMode === 'permissive') {
    toTargets('access mode is permissive: no AuthorizationPolicy is emitted, so traffic is not restricted');
    return { objects, notes };
  }
  const ap = renderAuthorizationPolicy(d, sel.matchLabels, options);
  objects.push(ap.policy);
  notes.push(...ap.notes);
  if (options.mtlsMode === 'disabled' && d.rules.length > 0) {
    toTargets('mTLS is disabled, so requests carry no source principal and no source can be allowed: all traffic to the destination is denied', 'Unsupported');
  }
  return { objects, notes };
}

export function render(model: ResolvedModel, options: MeshOptions): RenderOutput {
  const objects: KubeObject[] = [];
  const notes: RenderNote[] = [];
  for (const s of model.splits) {
    const r = renderSplit(s, options);
    objects.push(...r.objects);
    notes.push(...r.notes);
  }
  for (const d of model.destinations) {
    const r = renderDestination(d, options);
    objects.push(...r.objects);
    notes.push(...r.notes);
  }
  const policies = renderPolicies(objects, model.policies ?? [], options);
  notes.push(...policies.notes);
  return { objects: policies.objects.sort(compareObjects), notes };
}

export const renderer: MeshRenderer = {
  mesh: 'istio',
  nativeKinds: NATIVE_KINDS,
  render,
};
