// Placeholder renderer until the consul adapter lands; replace the whole file.
import type { MeshRenderer } from '../common/model.js';

export const renderer: MeshRenderer = {
  mesh: 'consul',
  nativeKinds: [],
  render: () => ({ objects: [], notes: [] }),
};
