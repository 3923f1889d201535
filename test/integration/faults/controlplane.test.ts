// Faults of the control plane under a running operator, on a dedicated
// cluster (these restart its processes): kube-apiserver restart, etcd restart,
// and a watch that resumes from a compacted resourceVersion (410 Gone).

import { expect } from 'chai';
import { startCluster, type TestCluster } from '../../support/cluster.js';
import { routeGroup, split } from '../../../dev/world/workload.js';
import { compactEtcd, converge, world, type World } from './support.js';

describe('faults: control plane restarts under a running operator (dedicated cluster)', function () {
  this.timeout(240_000);
  let cluster: TestCluster;
  const worlds: World[] = [];
  before(async function () {
    this.timeout(180_000);
    cluster = await startCluster({ controllerManager: false });
  });
  after(async function () {
    this.timeout(60_000);
    await cluster?.stop();
  });
  afterEach(async () => {
    for (const w of worlds.splice(0)) await w.stop();
  });

  /** Restart a component while the operator is half-way through a bulk apply; then one more edit must flow. */
  async function restartDuringReconcile(restart: () => Promise<void>): Promise<void> {
    const w = await world(cluster, 60);
    worlds.push(w);
    await w.startOperator('warn');
    const applying = w.k.applyAll(w.smiObjects, 4);
    await w.native.get('VirtualService')!.until('some VirtualServices', (m) => m.size >= 4, 60_000);
    await restart();
    await applying; // the bench client retries through the outage
    await converge(w, 120_000);
    // Watches are live again, not only the relist: an edit after the restart is followed.
    const a = w.apps[0]!;
    a.split = split(w.ns, a.name, 55, 45);
    await w.k.apply(a.split);
    w.refreshExpected();
    await converge(w, 60_000);
  }

  it('kube-apiserver restart: the operator reconnects and converges', async () => {
    await restartDuringReconcile(() => cluster.restartApiServer());
  });

  it('etcd restart: the operator reconnects and converges', async () => {
    await restartDuringReconcile(() => cluster.restartEtcd());
  });

  it('watch expiry: resuming from a compacted resourceVersion gets 410 Gone; the operator relists and misses no update', async () => {
    const w = await world(cluster, 9);
    worlds.push(w);
    const op = await w.startOperator('warn');
    await w.k.applyAll(w.smiObjects, 4);
    await w.converged(60_000);
    await w.settle(2000);
    const relists = await op.metric('smi_operator_watch_relists_total');

    // Frozen operator: its watches stay at old resourceVersions while the world moves on.
    process.kill(op.pid, 'SIGSTOP');
    try {
      const [a0, a2] = [w.apps[0]!, w.apps[2]!];
      a0.split = split(w.ns, a0.name, 25, 75);
      a2.routes = routeGroup(w.ns, `${a2.name}-routes`, '/moved');
      await w.k.apply(a0.split);
      await w.k.apply(a2.routes);
      // A fresh API server's watch cache starts now, and etcd forgets the history: old RVs are gone.
      await cluster.restartApiServer();
      await compactEtcd(cluster);
    } finally {
      process.kill(op.pid, 'SIGCONT');
    }
    w.refreshExpected();
    await converge(w, 90_000);
    expect(await op.metric('smi_operator_watch_relists_total'), 'no relist happened: the 410 path was not exercised').to.be.greaterThan(relists);
  });
});
