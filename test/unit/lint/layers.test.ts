// The import-direction rule (eslint/layers.js) really fires: small files are
// linted through ESLint's Node API with the project's own eslint.config.js, at
// paths inside each top-level folder.

import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';
import { repoRoot } from '../../../dev/controlplane/paths.js';

const root = repoRoot();
const eslint = new ESLint({ cwd: root });

async function layerErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) });
  return result!.messages.filter((m) => m.ruleId === 'smi/layers').map((m) => m.message);
}

describe('lint: import direction between the top-level folders', function () {
  // The first lint loads the TypeScript parser: seconds on a busy 2-core machine.
  this.timeout(60_000);
  it('refuses an adapter importing the operator, and I/O in adapters/ and schemas/', async () => {
    expect(await layerErrors('adapters/istio/zz.ts', "import { startOperator } from '../../operator/manager.js';\nexport const x = startOperator;\n"))
      .to.deep.equal(["adapters/ may not import operator/ ('../../operator/manager.js'): adapters/ may import schemas, adapters"]);
    expect(await layerErrors('schemas/zz.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).to.have.length(1);
    expect(await layerErrors('adapters/common/zz.ts', "import { KubeConfig } from '@kubernetes/client-node';\nexport const x = KubeConfig;\n")).to.have.length(1);
    expect(await layerErrors('schemas/zz.ts', "import { kubeConfig } from '../kube/credentials.js';\nexport const x = kubeConfig;\n")).to.have.length(1);
  });

  it('refuses a program importing test/, bench/ or dev/ (static and dynamic imports, re-exports)', async () => {
    expect(await layerErrors('operator/zz.ts', "import { startCluster } from '../test/support/cluster.js';\nexport const x = startCluster;\n")).to.have.length(1);
    expect(await layerErrors('cli/run/zz.ts', "export const x = await import('../../dev/demo.js');\n")).to.have.length(1);
    expect(await layerErrors('metrics-api/zz.ts', "export * from '../bench/lib/table.js';\n")).to.have.length(1);
    expect(await layerErrors('dev/zz.ts', "export { sharedCluster } from '../test/support/cluster.js';\n")).to.have.length(1);
  });

  it('refuses sibling programs importing each other, and lower layers importing higher ones', async () => {
    expect(await layerErrors('metrics-api/zz.ts', "import { startOperator } from '../operator/manager.js';\nexport const x = startOperator;\n")).to.have.length(1);
    expect(await layerErrors('operator/zz.ts', "import { SMI_CRDS } from '../release/names.js';\nexport const x = SMI_CRDS;\n")).to.have.length(1);
    expect(await layerErrors('kube/zz.ts', "import { getAdapter } from '../adapters/index.js';\nexport const x = getAdapter;\n")).to.have.length(1);
    expect(await layerErrors('operator/zz.ts', "import { run } from '../cli/smictl.js';\nexport const x = run;\n")).to.have.length(1);
  });

  it('refuses a static import of @kubernetes/client-node in a program, not a type-only or on-demand one', async () => {
    expect(await layerErrors('metrics-api/zz.ts', "import { KubeConfig } from '@kubernetes/client-node';\nexport const x = KubeConfig;\n")).to.have.length(1);
    expect(await layerErrors('cli/run/zz.ts', "import type { KubeConfig } from '@kubernetes/client-node';\nexport type X = KubeConfig;\n")).to.deep.equal([]);
    expect(await layerErrors('kube/zz.ts', "export const load = async () => (await import('@kubernetes/client-node')).KubeConfig;\n")).to.deep.equal([]);
    // A static re-export loads the module as surely as an import does; a type-only one does not.
    expect(await layerErrors('operator/zz.ts', "export { KubeConfig } from '@kubernetes/client-node';\n")).to.have.length(1);
    expect(await layerErrors('cli/zz.ts', "export * from '@kubernetes/client-node';\n")).to.have.length(1);
    expect(await layerErrors('kube/zz.ts', "export type { KubeConfig } from '@kubernetes/client-node';\n")).to.deep.equal([]);
  });

  it('allows the intended direction', async () => {
    const ok = "import { getAdapter } from '../adapters/index.js';\nimport { HttpKubeClient } from '../kube/client.js';\nimport { createLogger } from '../log/log.js';\nexport const x = [getAdapter, HttpKubeClient, createLogger];\n";
    expect(await layerErrors('operator/zz.ts', ok)).to.deep.equal([]);
    expect(await layerErrors('conformance/zz.ts', "import { startOperator } from '../operator/manager.js';\nexport const x = startOperator;\n")).to.deep.equal([]);
    expect(await layerErrors('cli/zz.ts', "import { runConformance } from '../conformance/runner.js';\nexport const x = runConformance;\n")).to.deep.equal([]);
    expect(await layerErrors('test/unit/zz.ts', "import { startCluster } from '../../dev/controlplane/cluster.js';\nexport const x = startCluster;\n")).to.deep.equal([]);
    expect(await layerErrors('schemas/generate.ts', "import { writeFileSync } from 'node:fs';\nexport const x = writeFileSync;\n")).to.deep.equal([]);
  });

  it('the README layout table lists every top-level folder, and every folder the rule knows', async () => {
    const { LAYERS } = (await import(pathToFileURL(join(root, 'eslint/layers.js')).href)) as { LAYERS: Record<string, string[]> };
    // The tracked folders (what a clone has), not whatever a run left in this checkout.
    const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 }).split('\n');
    const folders = [...new Set(tracked.filter((f) => f.includes('/') && !f.startsWith('.')).map((f) => f.slice(0, f.indexOf('/'))))].sort();
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const layout = readme.slice(readme.indexOf('## Layout'), readme.indexOf('\n## ', readme.indexOf('## Layout') + 1));
    const listed = [...layout.matchAll(/^\| `([^`/]+)\/` \|/gm)].map((m) => m[1]!).sort();
    expect(listed).to.deep.equal(folders);
    for (const f of Object.keys(LAYERS)) expect(folders, f).to.include(f);
  });
});
