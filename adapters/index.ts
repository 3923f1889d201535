// The adapter registry: one MeshAdapter per mesh, each the shared resolve()
// pipeline around that mesh's renderer (adapters/<mesh>/index.ts `renderer`).

import { renderer as consul } from './consul/index.js';
import { renderer as gamma } from './gamma/index.js';
import { renderer as istio } from './istio/index.js';
import { renderer as linkerd } from './linkerd/index.js';
import type { MeshRenderer } from './common/model.js';
import { translateWith } from './translate.js';
import { MESH_NAMES, type MeshAdapter, type MeshName } from './types.js';

const RENDERERS: Record<MeshName, MeshRenderer> = { istio, linkerd, consul, gamma };

export function getRenderer(mesh: MeshName): MeshRenderer {
  return RENDERERS[mesh];
}

export function getAdapter(mesh: MeshName): MeshAdapter {
  const renderer = RENDERERS[mesh];
  return {
    mesh,
    nativeKinds: renderer.nativeKinds,
    translate: (snapshot, options) => translateWith(renderer, snapshot, options),
    closedForm: (o) => renderer.closedForm(o),
  };
}

export { isMeshName } from './types.js';

/** Every native kind any adapter may emit (once per group and kind); all are namespaced. */
export function allNativeKinds(adapter: (m: MeshName) => MeshAdapter = getAdapter): Array<{ apiVersion: string; kind: string; plural: string; namespaced: true }> {
  const seen = new Map<string, { apiVersion: string; kind: string; plural: string; namespaced: true }>();
  for (const m of MESH_NAMES) {
    for (const k of adapter(m).nativeKinds) {
      const key = `${k.apiVersion.includes('/') ? k.apiVersion.split('/')[0] : ''}/${k.kind}`;
      if (!seen.has(key)) seen.set(key, { apiVersion: k.apiVersion, kind: k.kind, plural: k.plural, namespaced: true });
    }
  }
  return [...seen.values()];
}
