// The Istio 1.30 renderer: ResolvedModel -> VirtualServices (splits),
// AuthorizationPolicies (access, enforce mode) and PeerAuthentications (mTLS).
// The mapping and the Istio facts it relies on: docs/adapters/istio.md.

import { objectRef, type KubeObject } from '../../schemas/hub.js';
import type { MeshRenderer, RenderNote, RenderOutput, ResolvedDestination, ResolvedModel } from '../common/model.js';
import { compareObjects, nativeName } from '../common/meta.js';
import { coveringSelectors, destinationSelector, formatLabels } from '../common/selector.js';
import type { MeshOptions } from '../types.js';
import { denyAllPolicy, renderAuthorizationPolicy } from './authorization.js';
import { NATIVE_KINDS } from './kinds.js';
import { renderPeerAuthentication } from './peerauthentication.js';
import { renderSplit } from './virtualservice.js';
import { closedForm } from './closed.js';
import { renderPolicies } from './policy.js';

/** The exact objects of a destination on pods selected by `matchLabels` (only this ServiceAccount's). */
/**
 * Object names for one selector: the plain shapes for the single (or first) selector, the `…by`
 * shapes with the selector's index for the others (names.ts: one fixed token count per shape).
 */
const names = (sa: string, sel: number | undefined): { mtls: string; access: string } =>
  sel === undefined ? { mtls: nativeName('smi-mtls', sa), access: nativeName('smi-access', sa) } : { mtls: nativeName('smi-mtlsby', sa, sel), access: nativeName('smi-accessby', sa, sel) };

function renderExact(d: ResolvedDestination, matchLabels: Record<string, string>, options: MeshOptions, sel: number | undefined, notes: RenderNote[]): KubeObject[] {
  const n = names(d.serviceAccount, sel);
  const objects: KubeObject[] = [renderPeerAuthentication(d, matchLabels, options.mtlsMode, n.mtls)];
  if (options.accessMode === 'permissive') return objects;
  const ap = renderAuthorizationPolicy(d, matchLabels, options, n.access);
  objects.push(ap.policy);
  notes.push(...ap.notes); // equal notes of several selectors are merged into one message
  return objects;
}

/**
 * Closed objects on pods selected by `matchLabels`, which also selects pods of other identities:
 * an AuthorizationPolicy that allows nothing (enforce) and STRICT mTLS (strict). Both are narrower
 * on every pod they land on; ALLOW policies add up, so an empty one adds nothing to another
 * identity's own policy.
 */
function renderClosed(d: ResolvedDestination, matchLabels: Record<string, string>, options: MeshOptions, sel: number | undefined): KubeObject[] {
  const n = names(d.serviceAccount, sel);
  const objects: KubeObject[] = [];
  if (options.mtlsMode === 'strict') objects.push(renderPeerAuthentication(d, matchLabels, 'strict', n.mtls));
  if (options.accessMode === 'enforce') objects.push(denyAllPolicy(d, matchLabels, n.access));
  return objects;
}

function renderDestination(d: ResolvedDestination, options: MeshOptions): RenderOutput {
  const notes: RenderNote[] = [];
  const toTargets = (message: string, status?: RenderNote['status']): void => {
    for (const t of d.targets) notes.push(status ? { object: objectRef(t), status, message } : { object: objectRef(t), message });
  };
  const mtlsDisabled = (): void => {
    if (options.accessMode === 'enforce' && options.mtlsMode === 'disabled' && d.rules.length > 0) {
      toTargets('mTLS is disabled, so requests carry no source principal and no source can be allowed: all traffic to the destination is denied', 'Unsupported');
    }
  };
  const permissive = (): void => {
    if (options.accessMode === 'permissive') toTargets('access mode is permissive: no AuthorizationPolicy is emitted, so traffic is not restricted');
  };
  // Istio selects pods by label: one selector that covers exactly this ServiceAccount's pods.
  const sel = destinationSelector(d);
  if (sel.ok) {
    const objects = renderExact(d, sel.matchLabels, options, undefined, notes);
    permissive();
    mtlsDisabled();
    return { objects, notes };
  }
  if (sel.reason === 'no-workloads') {
    toTargets(`spec.destination: ${sel.why}; no AuthorizationPolicy or PeerAuthentication is emitted for it`);
    return { objects: [], notes };
  }
  // The pods exist but no one selector fits them (a look-alike pod of another ServiceAccount, or
  // no shared label). Emitting nothing would leave them open: each workload's own labels carry the
  // exact policy where they select only this ServiceAccount's pods, and close the pods otherwise.
  // The first set keeps the single selector's object names, so the switch is an update, never a gap.
  const { selectors, uncovered } = coveringSelectors(d);
  const objects: KubeObject[] = [];
  selectors.forEach((c, i) => {
    const index = i === 0 ? undefined : i + 1;
    objects.push(...(c.conflicts.length === 0 ? renderExact(d, c.matchLabels, options, index, notes) : renderClosed(d, c.matchLabels, options, index)));
  });
  const exact = selectors.filter((c) => c.conflicts.length === 0).map((c) => formatLabels(c.matchLabels));
  const closed = selectors.filter((c) => c.conflicts.length > 0);
  let message = `spec.destination: ${sel.why}`;
  if (exact.length > 0) message += `; the policy is applied to each workload's pods by their own labels (${exact.join('; ')})`;
  if (closed.length > 0) {
    const what = [options.accessMode === 'enforce' ? 'an AuthorizationPolicy that allows nothing' : '', options.mtlsMode === 'strict' ? 'STRICT mTLS' : ''].filter(Boolean).join(' and ');
    const also = closed.map((c) => `${formatLabels(c.matchLabels)} (also ${c.conflicts.map((w) => `${w.owner} of ServiceAccount ${w.serviceAccount}`).join(', ')})`).join('; ');
    message += what ? `; pods labelled ${also} cannot be told apart, so they are closed instead: ${what} (fail-closed, until they can be selected exactly)` : `; pods labelled ${also} cannot be told apart and get no policy`;
  }
  if (uncovered.length > 0) message += `; ${uncovered.map((w) => w.owner).join(', ')} carry no stable label to select them by: not governed`;
  // Under enforce anything but the exact policy on every pod is a shortfall.
  toTargets(message, options.accessMode === 'enforce' && (closed.length > 0 || uncovered.length > 0) ? 'Unsupported' : undefined);
  permissive();
  mtlsDisabled();
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
  closedForm,
};
