// The integration tier's view of the local control plane: one shared cluster per
// mocha run (started by integration-hooks) and throwaway namespaces in it. The
// control plane itself lives in dev/controlplane/ (the demo and bench use it too).

import { CoreV1Api } from '@kubernetes/client-node';
import type { TestCluster } from '../../dev/controlplane/cluster.js';

export { startCluster, type StartOptions, type TestCluster } from '../../dev/controlplane/cluster.js';

let shared: TestCluster | undefined;

/** Set by integration-hooks; not for tests. */
export function setSharedCluster(c: TestCluster | undefined): void {
  shared = c;
}

export function sharedCluster(): TestCluster {
  if (!shared) {
    throw new Error(
      'sharedCluster(): no cluster is running. Run the tests with `--require dist/test/support/integration-hooks.js` ' +
        '(make test-integration does), which starts one control plane for the whole mocha run.',
    );
  }
  return shared;
}

/** A fresh namespace named <prefix>-<random>; namespaces are cheap and isolate tests from each other. */
export async function createTestNamespace(cluster: TestCluster, prefix: string): Promise<string> {
  const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  const ns = await core.createNamespace({ body: { metadata: { generateName: `${prefix.toLowerCase().slice(0, 40)}-`, labels: { 'smi-test/namespace': 'true' } } } });
  const name = ns.metadata?.name;
  if (!name) throw new Error(`createTestNamespace(${prefix}): server returned no name`);
  return name;
}
