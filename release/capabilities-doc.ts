// `make generate` (with the schemas): docs/capabilities.md from every adapter's
// capabilities table. A unit test fails when the committed file is stale.

import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { capabilitiesDoc } from '../adapters/common/capabilities.js';
import { capabilities as consul } from '../adapters/consul/capabilities.js';
import { capabilities as gamma } from '../adapters/gamma/capabilities.js';
import { capabilities as istio } from '../adapters/istio/capabilities.js';
import { capabilities as linkerd } from '../adapters/linkerd/capabilities.js';
import type { MeshName } from '../adapters/types.js';

export const CAPABILITY_TABLES: Readonly<Record<MeshName, typeof istio>> = { istio, linkerd, consul, gamma };

export const CAPABILITIES_DOC = 'docs/capabilities.md';

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // dist/release/capabilities-doc.js -> repository root
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  writeFileSync(join(root, CAPABILITIES_DOC), capabilitiesDoc(CAPABILITY_TABLES));
  process.stdout.write(`wrote ${CAPABILITIES_DOC}\n`);
}
