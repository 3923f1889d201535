// Mocha root hooks (--require): one control plane for the whole test run.

import type { Context } from 'mocha';
import { setSharedCluster, startCluster, type TestCluster } from './cluster.js';

let cluster: TestCluster | undefined;

export const mochaHooks = {
  async beforeAll(this: Context): Promise<void> {
    // Without SMI_CONTROLPLANE_BIN this may run a cold Go build (~10 min).
    this.timeout(process.env.SMI_CONTROLPLANE_BIN ? 180_000 : 30 * 60_000);
    const t0 = Date.now();
    cluster = await startCluster();
    setSharedCluster(cluster);
    if (process.env.SMI_TEST_VERBOSE) console.error(`control plane up at ${cluster.server} in ${Date.now() - t0} ms (run dir ${cluster.runDir})`);
  },
  async afterAll(this: Context): Promise<void> {
    this.timeout(60_000);
    setSharedCluster(undefined);
    await cluster?.stop();
    cluster = undefined;
  },
};
