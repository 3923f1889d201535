// The Consul (consul-k8s) renderer: ResolvedModel -> consul.hashicorp.com/v1alpha1
// config-entry CRDs. Mapping and rationale: docs/adapters/consul.md.

import { compareObjects } from '../common/meta.js';
import type { MeshRenderer, ResolvedModel, RenderOutput } from '../common/model.js';
import type { MeshOptions } from '../types.js';
import { noteNamespaceCollisions } from './collisions.js';
import { ServiceDefaultsBook } from './defaults.js';
import { renderIntentions } from './intentions.js';
import { NATIVE_KINDS } from './kinds.js';
import { renderMtls } from './mtls.js';
import { RenderSink } from './sink.js';
import { renderSplits } from './split.js';
import { closedForm } from './closed.js';
import { renderPolicies } from './policy.js';

export const PERMISSIVE_ACCESS_NOTE =
  'accessMode permissive: SMI access is not enforced, no ServiceIntentions are emitted (Consul then applies its ACL default policy and any intentions of your own)';

export function render(model: ResolvedModel, options: MeshOptions): RenderOutput {
  const sink = new RenderSink();
  const defaults = new ServiceDefaultsBook();
  renderSplits(model.splits, defaults, sink);
  if (options.accessMode === 'enforce') {
    renderIntentions(model.destinations, defaults, sink);
  } else {
    for (const dest of model.destinations) for (const t of dest.targets) sink.note(t, PERMISSIVE_ACCESS_NOTE);
  }
  renderMtls(model.destinations, options.mtlsMode, options.accessMode, defaults, sink);
  renderPolicies(model, defaults, sink);
  defaults.emitAll(sink);
  noteNamespaceCollisions(sink);
  return { objects: sink.emitted.map((e) => e.object).sort(compareObjects), notes: sink.notes };
}

export const renderer: MeshRenderer = {
  mesh: 'consul',
  nativeKinds: NATIVE_KINDS,
  render,
  closedForm,
};

export { capabilities } from './capabilities.js';
