// Faults of the operator process itself, on the shared control plane: kill -9
// in the middle of a bulk apply, two replicas with leader election, and a
// second writer fighting over a generated object. The operator runs as a child
// process (`smictl operator`, through dev/world/operator-proc.ts) so it can really be killed.

import { expect } from 'chai';
import { sharedCluster } from '../../support/cluster.js';
import { OperatorProc } from '../../../dev/world/operator-proc.js';
import { now, sleep } from '../../../dev/world/kube.js';
import { split } from '../../../dev/world/workload.js';
import { assertEndState, world, type World } from './support.js';

const VS = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' };
const weightsOf = (o: unknown): number[] => ((o as { spec?: { http?: Array<{ route: Array<{ weight: number }> }> } })?.spec?.http?.[0]?.route ?? []).map((r) => r.weight);

describe('faults: the operator process', function () {
  this.timeout(180_000);
  const worlds: World[] = [];
  const procs: OperatorProc[] = [];
  afterEach(async () => {
    for (const p of procs.splice(0)) await p.kill();
    for (const w of worlds.splice(0)) await w.stop();
  });

  it('kill -9 in the middle of a bulk apply, then restart: the end state is complete and correct, nothing lost or duplicated', async () => {
    const w = await world(sharedCluster(), 150);
    worlds.push(w);
    const first = await w.startOperator();
    const applying = w.k.applyAll(w.smiObjects, 4);
    const vs = w.native.get('VirtualService')!;
    await vs.until('a third of the VirtualServices', (m) => m.size >= w.apps.length / 3, 90_000);
    await first.kill();
    expect(w.nativeComplete(), 'the kill must land before the operator has finished').to.equal(false);
    await applying;
    await w.startOperator();
    await w.converged(120_000);
    await w.settle(2000);
    await assertEndState(w);
  });

  it('two replicas: only the leader writes; after kill -9 of the leader the standby takes over within the lease time and converges', async () => {
    const w = await world(sharedCluster(), 30);
    worlds.push(w);
    const leaseSeconds = 6;
    const opts = { kubeconfigPath: w.cluster.kubeconfigPath, namespace: w.ns, leaderElect: true, leaseSeconds, leaseRetryMs: 1000 };
    const a = await new OperatorProc({ ...opts, identity: 'replica-a' }).start();
    procs.push(a);
    const deadline = Date.now() + 30_000;
    while ((await a.metric('smi_operator_leader')) !== 1) {
      if (Date.now() > deadline) throw new Error('replica-a never became leader');
      await sleep(200);
    }
    const b = await new OperatorProc({ ...opts, identity: 'replica-b' }).start();
    procs.push(b);
    await w.k.applyAll(w.smiObjects, 8);
    await w.converged(60_000);
    expect(await b.metric('smi_operator_leader')).to.equal(0);
    expect(await b.metric('smi_operator_writes_total'), 'the standby wrote').to.equal(0);
    expect(await a.metric('smi_operator_writes_total')).to.be.greaterThan(0);

    await a.kill();
    const killedAt = now();
    const app = w.apps[0]!;
    app.split = split(w.ns, app.name, 60, 40);
    await w.k.apply(app.split);
    // Bounded by the lease: it expires leaseSeconds after the last renewal, plus a retry period and the reconcile.
    await vs(w).until('the standby applies the edit', (m) => weightsOf(m.get(`smi-split-${app.name}`)).join() === '60,40', (leaseSeconds + 15) * 1000);
    const tookMs = now() - killedAt;
    expect(await b.metric('smi_operator_leader')).to.equal(1);
    w.refreshExpected();
    await w.converged(30_000);
    await assertEndState(w);
    expect(tookMs, 'take-over time').to.be.lessThan((leaseSeconds + 15) * 1000);
  });

  it('a second writer fighting over a generated object: the operator backs off (bounded writes) and restores the object once the fight stops', async () => {
    const w = await world(sharedCluster(), 3);
    worlds.push(w);
    const op = await w.startOperator();
    await w.k.applyAll(w.smiObjects, 4);
    await w.converged(60_000);
    await w.settle(2000);
    const name = `smi-split-${w.apps[0]!.name}`;
    const objectWrites = (): Promise<number> => op.metric('smi_operator_writes_total', (l) => l.target === 'object');
    const before = await objectWrites();
    const vsObj = (await w.k.get(VS.apiVersion, VS.kind, w.ns, name)) as unknown as { spec: { http: Array<{ route: Array<{ weight: number }> }> } };
    const http = structuredClone(vsObj.spec.http);
    http[0]!.route[0]!.weight = 1;
    http[0]!.route[1]!.weight = 99;
    let fighterWrites = 0;
    const end = Date.now() + 10_000;
    while (Date.now() < end) {
      const r = await w.k.client.request('PATCH', `/apis/${VS.apiVersion}/namespaces/${w.ns}/virtualservices/${name}`, { body: { spec: { http } }, contentType: 'application/merge-patch+json' });
      if (r.ok) fighterWrites++;
      await sleep(200);
    }
    const duringFight = (await objectWrites()) - before;
    expect(fighterWrites).to.be.greaterThan(20);
    expect(duringFight, 'the operator answered the drift').to.be.greaterThan(0);
    expect(duringFight, `operator wrote ${duringFight} times against ${fighterWrites} fighter writes: a hot loop`).to.be.at.most(10);
    // Restored once the fight stops (after the operator's back-off window).
    await vs(w).until('restored to 90/10', (m) => weightsOf(m.get(name)).join() === '90,10', 120_000);
    await w.settle(3000);
    await assertEndState(w);
  });
});

function vs(w: World) {
  return w.native.get('VirtualService')!;
}
