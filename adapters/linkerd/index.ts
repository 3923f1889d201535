// Placeholder renderer until the linkerd adapter lands; replace the whole file.
import type { MeshRenderer } from '../common/model.js';

export const renderer: MeshRenderer = {
  mesh: 'linkerd',
  nativeKinds: [],
  render: () => ({ objects: [], notes: [] }),
};
