// Query templates per mesh, chosen by the same mesh name as the adapters.

import type { MetricsMesh } from '../../adapters/types.js';
import { consulQueries } from './consul.js';
import { istioQueries } from './istio.js';
import { linkerdQueries } from './linkerd.js';
import type { MeshQueries } from './types.js';

export const MESH_QUERIES: Record<MetricsMesh, MeshQueries> = {
  istio: istioQueries,
  linkerd: linkerdQueries,
  consul: consulQueries,
};

export { renderQueries } from './render.js';
export type * from './types.js';
