// A DELETE carries DeleteOptions in its body (the uid precondition the Writer
// relies on). The body must reach the API server framed, or the precondition is
// dropped and the unread JSON poisons the keep-alive socket for the next request.

import { expect } from 'chai';
import { HttpKubeClient, resourcePath } from '../../../kube/client.js';
import { Writer } from '../../../operator/writer.js';
import { Fence } from '../../../operator/leader/fence.js';
import { OperatorMetrics } from '../../../operator/metrics.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { sharedCluster } from '../../support/cluster.js';
import { newNamespace, TestKube } from './helpers.js';

describe('kube client: DELETE with DeleteOptions (real API server)', function () {
  this.timeout(60_000);
  let k: TestKube;
  let ns: string;

  before(async () => {
    k = new TestKube();
    ns = await newNamespace('delete-pre');
  });

  const configMap = async (name: string): Promise<KubeObject> => k.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { a: '1' } } as KubeObject);

  it('a wrong uid precondition fails with 409 and the next request on the same agent succeeds', async () => {
    const cm = await configMap('guarded');
    // A client of its own: one agent, sequential requests, so the second reuses the first's socket.
    const client = new HttpKubeClient(sharedCluster().kubeConfig);
    const path = resourcePath('v1', 'configmaps', ns, 'guarded');
    const del = await client.request('DELETE', path, { body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: '00000000-0000-0000-0000-000000000000' } } });
    const after: string[] = [];
    for (let i = 0; i < 3; i++) {
      const got = await client.request<KubeObject>('GET', path);
      after.push(got.ok ? `ok ${got.body.metadata.uid}` : `${got.error.status} ${got.error.message}`);
    }
    // Both facts at once: the old client failed each (delete succeeded, the next GET got 400).
    expect({ delete: del.ok ? del.status : del.error.status, after }).to.deep.equal({ delete: 409, after: [1, 2, 3].map(() => `ok ${cm.metadata.uid}`) });
  });

  it('Writer.delete of a replaced object (other uid) leaves the replacement in place', async () => {
    const first = await configMap('replaced');
    await k.delete('v1', 'ConfigMap', ns, 'replaced');
    const second = await configMap('replaced');
    expect(second.metadata.uid).to.not.equal(first.metadata.uid);
    const fence = new Fence();
    const term = fence.begin();
    const writer = new Writer(new HttpKubeClient(sharedCluster().kubeConfig), { plural: () => 'configmaps' }, new OperatorMetrics(false), fence);
    const r = await writer.delete(first, term);
    expect(r.ok, 'a precondition failure is "already gone" to the Writer').to.equal(true);
    const still = await k.get('v1', 'ConfigMap', ns, 'replaced');
    expect(still?.metadata.uid, 'the object that replaced ours survives').to.equal(second.metadata.uid);
    // And a delete with the right uid removes it.
    expect((await writer.delete(second, term)).ok).to.equal(true);
    expect(await k.get('v1', 'ConfigMap', ns, 'replaced')).to.equal(undefined);
  });
});
