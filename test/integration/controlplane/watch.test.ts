// Watches stream real ADDED/MODIFIED/DELETED events from the API server.

import { expect } from 'chai';
import { CoreV1Api, Watch } from '@kubernetes/client-node';
import { createTestNamespace, sharedCluster } from '../../support/cluster.js';
import { until } from '../../../dev/world/kube.js';

describe('control plane: watch', () => {
  it('sees ADDED, MODIFIED and DELETED for a ConfigMap', async () => {
    const cluster = sharedCluster();
    const ns = await createTestNamespace(cluster, 'cp-watch');
    const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
    const events: { type: string; name: string; value?: string }[] = [];
    let watchError: unknown;
    let aborted = false;
    const abort = await new Watch(cluster.kubeConfig).watch(
      `/api/v1/namespaces/${ns}/configmaps`,
      {},
      (type, obj: { metadata: { name: string }; data?: { v?: string } }) => events.push({ type, name: obj.metadata.name, value: obj.data?.v }),
      // done() also fires with an AbortError when we stop the watch ourselves.
      (err) => {
        if (!aborted) watchError = err;
      },
    );
    try {
      await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'w' }, data: { v: '1' } } });
      await core.patchNamespacedConfigMap(
        { namespace: ns, name: 'w', body: [{ op: 'replace', path: '/data/v', value: '2' }] },
      );
      await core.deleteNamespacedConfigMap({ namespace: ns, name: 'w' });
      await until('three watch events', async () => (events.length >= 3 ? true : undefined), 10_000, 50);
    } finally {
      aborted = true;
      abort.abort();
    }
    expect(watchError ?? null).to.equal(null);
    expect(events.filter((e) => e.name === 'w')).to.deep.equal([
      { type: 'ADDED', name: 'w', value: '1' },
      { type: 'MODIFIED', name: 'w', value: '2' },
      { type: 'DELETED', name: 'w', value: '2' },
    ]);
  });
});
