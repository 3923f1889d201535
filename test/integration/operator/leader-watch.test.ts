// Leader election with two in-process operators and a short Lease, and the
// informer's recovery from an expired watch (410 Gone) against the real server.

import { expect } from 'chai';
import { Informer } from '../../../operator/cache/informer.js';
import { CONFIG_MAP } from '../../../operator/controller/kinds.js';
import { silentLogger } from '../../../log/log.js';
import type { RunningOperator } from '../../../operator/manager.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { sharedCluster } from '../../support/cluster.js';
import { HttpKubeClient } from '../../../kube/client.js';
import { RecordingClient } from '../../support/recording-client.js';
import { applyApp, eventually, newNamespace, runOperator, TestKube, trafficSplit, VS } from './helpers.js';

describe('operator leader election (real API server)', function () {
  let k: TestKube;
  let ns: string;
  const ops: RunningOperator[] = [];

  before(async () => {
    k = new TestKube();
    ns = await newNamespace('op-leader');
    await applyApp(k, ns);
  });

  after(async () => {
    for (const o of ops) await o.stop().catch(() => {});
  });

  it('only the leader writes; a standby takes over when the leader dies', async () => {
    const lease = { leaderElect: true, leaseDurationSeconds: 2, leaseRetryMs: 300 };
    const a = await runOperator(ns, { ...lease, identity: 'op-a' });
    ops.push(a);
    await eventually('op-a leads', async () => a.isLeader());
    // The standby's requests are recorded: its lease attempts are facts to wait on.
    const bClient = new RecordingClient(new HttpKubeClient(sharedCluster().kubeConfig));
    const b = await runOperator(ns, { ...lease, identity: 'op-b', client: bClient });
    ops.push(b);

    await k.apply(trafficSplit(ns, 'one', 'web', [['web-v1', 50], ['web-v2', 50]]));
    await eventually('VirtualService from the leader', async () => k.get(VS.apiVersion, VS.kind, ns, 'smi-split-one'));
    // The standby has seen the split, and has tried the Lease three more times since, all while op-a holds it.
    await eventually('op-b cached the split', async () => b.cache.get('TrafficSplit', ns, 'one'));
    const leaseCalls = () => bClient.calls.filter((c) => c.path.endsWith('/leases/smi-operator-leader')).length;
    const mark = leaseCalls();
    await eventually('three more standby lease attempts', async () => leaseCalls() >= mark + 3, 15_000, 50);
    await b.idle();
    expect(b.isLeader()).to.equal(false);
    expect(await b.metrics.writeCount()).to.equal(0);
    const held = (await k.get('coordination.k8s.io/v1', 'Lease', ns, 'smi-operator-leader')) as unknown as { spec: { holderIdentity: string } };
    expect(held.spec.holderIdentity).to.equal('op-a');

    // Crash: no release; b must wait out the lease and then take over.
    await a.stop({ releaseLease: false });
    await eventually('op-b leads', async () => b.isLeader(), 15_000);
    const now = (await k.get('coordination.k8s.io/v1', 'Lease', ns, 'smi-operator-leader')) as unknown as { spec: { holderIdentity: string; leaseTransitions: number } };
    expect(now.spec.holderIdentity).to.equal('op-b');
    expect(now.spec.leaseTransitions).to.be.greaterThan(0);

    await k.apply(trafficSplit(ns, 'one', 'web', [['web-v1', 10], ['web-v2', 90]]));
    await eventually('new leader follows changes', async () => JSON.stringify(await k.get(VS.apiVersion, VS.kind, ns, 'smi-split-one')).includes('"weight":90'));

    // A graceful stop releases the lease at once.
    await b.stop();
    const released = (await k.get('coordination.k8s.io/v1', 'Lease', ns, 'smi-operator-leader')) as unknown as { spec: { holderIdentity?: string } };
    expect(released.spec.holderIdentity ?? '').to.equal('');
  });
});

describe('informer watch expiry (real API server)', function () {
  it('relists after 410 Gone and loses no update', async function () {
    this.timeout(180_000);
    const k = new TestKube();
    const ns = await newNamespace('op-watch');
    const cm = (name: string, v: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { v } }) as KubeObject;
    const inf = new Informer(k.client, CONFIG_MAP, { namespace: ns, retryMs: 200 }, silentLogger());
    inf.start();
    try {
      await inf.synced;
      await k.apply(cm('a', '1'));
      await eventually('a cached', async () => inf.get(ns, 'a'));
      const rv0 = inf.resourceVersion;
      const relists = inf.relists;
      // The informer falls behind; meanwhile the world changes, and a restarted
      // API server's watch cache starts after rv0, so rv0 is too old (410 Gone).
      inf.pause();
      await k.apply(cm('a', '2'));
      await k.apply(cm('b', '1'));
      await sharedCluster().restartApiServer();
      inf.resumeFrom(rv0);
      await eventually('relisted', async () => inf.relists > relists, 30_000);
      await eventually('a updated and b present', async () => (inf.get(ns, 'a') as { data?: { v?: string } } | undefined)?.data?.v === '2' && inf.get(ns, 'b'));
      expect(inf.get(ns, 'a')?.metadata).to.not.have.property('managedFields');
      // And it keeps watching after the relist.
      await k.apply(cm('c', '1'));
      await eventually('c seen through the new watch', async () => inf.get(ns, 'c'));
    } finally {
      inf.stop();
    }
  });
});
