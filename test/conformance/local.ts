// `make conformance`: the config level on a throwaway local control plane
// (kube-apiserver + etcd with every mesh's CRDs), for every mesh. Extra
// arguments go to `smictl conformance` (e.g. --output junit, --json file).
//
//   node dist/test/conformance/local.js [smictl conformance flags]

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startCluster } from '../support/cluster.js';
import { repoRoot } from '../../dev/controlplane/paths.js';

const cluster = await startCluster();
let code = 1;
try {
  code = await new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot(), 'dist/cli/smictl.js'), 'conformance', '--kubeconfig', cluster.kubeconfigPath, '--level', 'config', ...process.argv.slice(2)], { stdio: 'inherit' });
    child.on('exit', (c) => resolve(c ?? 1));
  });
} finally {
  await cluster.stop();
}
process.exit(code);
