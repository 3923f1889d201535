// The harness itself: restarts keep data, stop removes processes and files, and
// the admin kubeconfig file works with kubectl.

import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { CoreV1Api } from '@kubernetes/client-node';
import { sharedCluster, startCluster, type TestCluster } from '../../support/cluster.js';
import { httpGet } from '../../support/http.js';

const run = promisify(execFile);

describe('control plane: harness', () => {
  it('kubectl works with the admin kubeconfig file', async function () {
    if (!existsSync('/usr/bin/kubectl')) this.skip();
    const { stdout } = await run('/usr/bin/kubectl', ['--kubeconfig', sharedCluster().kubeconfigPath, 'get', 'crds', '-o', 'name']);
    expect(stdout).to.include('customresourcedefinition.apiextensions.k8s.io/virtualservices.networking.istio.io');
    const who = await run('/usr/bin/kubectl', ['--kubeconfig', sharedCluster().kubeconfigPath, 'auth', 'whoami', '-o', 'json']);
    const status = JSON.parse(who.stdout) as { status: { userInfo: { username: string; groups: string[] } } };
    expect(status.status.userInfo.username).to.equal('admin');
    expect(status.status.userInfo.groups).to.include('system:masters');
  });

  describe('a private cluster', function () {
    this.timeout(120_000);
    let cluster: TestCluster | undefined;

    after(async () => {
      await cluster?.stop();
    });

    it('keeps data across etcd and API server restarts, and stop() cleans up', async () => {
      cluster = await startCluster({ installCrds: false, controllerManager: false });
      const c = cluster;
      expect(c.server).to.not.equal(sharedCluster().server);
      const core = () => c.kubeConfig.makeApiClient(CoreV1Api);
      await core().createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'persist' }, data: { k: 'v' } } });

      await c.restartEtcd();
      expect((await core().readNamespacedConfigMap({ namespace: 'default', name: 'persist' })).data?.k).to.equal('v');

      await c.restartApiServer();
      expect((await core().readNamespacedConfigMap({ namespace: 'default', name: 'persist' })).data?.k).to.equal('v');

      await c.stop();
      cluster = undefined;
      expect(existsSync(c.runDir)).to.equal(false);
      const after = await httpGet(`${c.server}/readyz`, { insecure: true }, 2_000).then(
        (r) => `answered ${r.status}`,
        (err: Error) => err.message,
      );
      expect(after).to.match(/ECONNREFUSED/);
    });
  });
});
