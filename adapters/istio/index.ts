// Placeholder renderer until the istio adapter lands; replace the whole file.
import type { MeshRenderer } from '../common/model.js';

export const renderer: MeshRenderer = {
  mesh: 'istio',
  nativeKinds: [],
  render: () => ({ objects: [], notes: [] }),
};
