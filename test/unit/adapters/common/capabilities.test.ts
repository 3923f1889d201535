// docs/capabilities.md is generated from each renderer's capabilities table; this
// test fails when a renderer leaves an SMI feature undeclared or the doc is stale.
// UPDATE_GOLDEN=1 rewrites the doc.

import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { capabilitiesDoc, POLICY_FEATURES, SMI_FEATURES, type Capability } from '../../../../adapters/common/capabilities.js';
import { MESH_NAMES, type MeshName } from '../../../../adapters/types.js';
import { updateGolden } from '../../../support/golden.js';

const ROOT = resolvePath(fileURLToPath(new URL('.', import.meta.url)), '../../../../..');
const DOC = join(ROOT, 'docs/capabilities.md');
const SHAPE = /^(exact|exact: .+|approximated: .+|unsupported: .+)$/s;

type Table = Partial<Record<string, Capability>>;

async function tableOf(mesh: MeshName): Promise<Table> {
  try {
    const mod = (await import(`../../../../adapters/${mesh}/capabilities.js`)) as { capabilities?: Table };
    return mod.capabilities ?? {};
  } catch {
    return {}; // not written yet: every feature shows as missing
  }
}

describe('capabilities', () => {
  let tables: Record<MeshName, Table>;
  before(async () => {
    tables = Object.fromEntries(await Promise.all(MESH_NAMES.map(async (m) => [m, await tableOf(m)] as const))) as Record<MeshName, Table>;
  });

  for (const mesh of MESH_NAMES) {
    it(`${mesh} declares every SMI feature as exact/approximated/unsupported`, () => {
      const t = tables[mesh];
      expect(SMI_FEATURES.filter((f) => t[f] === undefined), `undeclared in adapters/${mesh}/capabilities.ts`).to.deep.equal([]);
      expect(POLICY_FEATURES.filter((f) => t[f] === undefined), `policy fields undeclared in adapters/${mesh}/capabilities.ts`).to.deep.equal([]);
      for (const [f, c] of Object.entries(t)) expect(c, f).to.match(SHAPE);
    });
  }

  it('docs/capabilities.md is generated from the tables', () => {
    const doc = capabilitiesDoc(tables);
    if (updateGolden()) writeFileSync(DOC, doc);
    expect(readFileSync(DOC, 'utf8')).to.equal(doc);
  });
});
