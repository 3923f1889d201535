// Linkerd 2.20 renderer: ResolvedModel -> Gateway API HTTPRoutes (splits, per-route
// authorization) and policy.linkerd.io Server / AuthorizationPolicy /
// MeshTLSAuthentication (access). See docs/adapters/linkerd.md for the mapping.

import type { KubeObject } from '../../schemas/hub.js';
import type { MeshRenderer, RenderNote, ResolvedModel } from '../common/model.js';
import type { MeshOptions } from '../types.js';
import { renderDestination } from './access.js';
import { LINKERD_KINDS } from './kinds.js';
import { modeNotes } from './notes.js';
import { renderSplit } from './splits.js';

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function sortObjects(objects: KubeObject[]): KubeObject[] {
  return [...objects].sort(
    (a, b) =>
      cmp(a.apiVersion, b.apiVersion) ||
      cmp(a.kind, b.kind) ||
      cmp(a.metadata.namespace ?? '', b.metadata.namespace ?? '') ||
      cmp(a.metadata.name, b.metadata.name),
  );
}

export function render(model: ResolvedModel, options: MeshOptions): { objects: KubeObject[]; notes: RenderNote[] } {
  const objects: KubeObject[] = [];
  const notes: RenderNote[] = [];
  for (const s of model.splits) {
    const r = renderSplit(s);
    objects.push(...r.objects);
    notes.push(...r.notes);
  }
  if (options.accessMode === 'enforce') {
    for (const d of model.destinations) {
      const r = renderDestination(d);
      objects.push(...r.objects);
      notes.push(...r.notes);
    }
  }
  notes.push(...modeNotes(model.destinations, options));
  return { objects: sortObjects(objects), notes: notes.map((n, i) => ({ n, i })).sort((a, b) => cmp(a.n.object, b.n.object) || a.i - b.i).map(({ n }) => n) };
}

export const renderer: MeshRenderer = {
  mesh: 'linkerd',
  nativeKinds: LINKERD_KINDS.map((k) => ({ apiVersion: k.apiVersion, kind: k.kind, plural: k.plural })),
  render,
};
export { capabilities } from './capabilities.js';
