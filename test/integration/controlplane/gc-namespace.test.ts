// kube-controller-manager runs: the garbage collector honours ownerReferences
// and namespace deletion finishes (neither happens with an API server alone).

import { expect } from 'chai';
import { CoreV1Api } from '@kubernetes/client-node';
import { createTestNamespace, sharedCluster } from '../../support/cluster.js';
import { apiStatus } from '../../support/api-errors.js';
import { until } from '../../../dev/world/kube.js';

async function gone(p: Promise<unknown>): Promise<true | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    if (apiStatus(err) === 404) return true;
    throw err;
  }
}

describe('control plane: garbage collection and namespaces', () => {
  it('deleting an owner deletes its dependents, and leaves unowned objects alone', async () => {
    const cluster = sharedCluster();
    const ns = await createTestNamespace(cluster, 'cp-gc');
    const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
    const owner = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'owner' } } });
    const ownerRef = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata!.uid! };
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'dependent', ownerReferences: [ownerRef] } } });
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'bystander' } } });

    await core.deleteNamespacedConfigMap({ namespace: ns, name: 'owner' });
    await until('the dependent to be collected', () => gone(core.readNamespacedConfigMap({ namespace: ns, name: 'dependent' })), 30_000);
    const bystander = await core.readNamespacedConfigMap({ namespace: ns, name: 'bystander' });
    expect(bystander.metadata?.name).to.equal('bystander');
  });

  it('deleting a namespace with content completes', async () => {
    const cluster = sharedCluster();
    const ns = await createTestNamespace(cluster, 'cp-nsdel');
    const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'content' } } });
    await core.deleteNamespace({ name: ns });
    const terminating = await core.readNamespace({ name: ns }).catch(() => undefined);
    if (terminating) expect(terminating.status?.phase).to.equal('Terminating');
    await until(`namespace ${ns} to disappear`, () => gone(core.readNamespace({ name: ns })), 60_000, 250);
  });
});
