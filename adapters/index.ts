// The adapter registry: one MeshAdapter per mesh, each the shared resolve()
// pipeline around that mesh's renderer (adapters/<mesh>/index.ts `renderer`).

import { renderer as consul } from './consul/index.js';
import { renderer as istio } from './istio/index.js';
import { renderer as linkerd } from './linkerd/index.js';
import type { MeshRenderer } from './common/model.js';
import { translateWith } from './translate.js';
import { MESH_NAMES, type MeshAdapter, type MeshName } from './types.js';

const RENDERERS: Record<MeshName, MeshRenderer> = { istio, linkerd, consul };

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

export function isMeshName(s: string): s is MeshName {
  return (MESH_NAMES as readonly string[]).includes(s);
}
