// Two units wanting the same native object (Consul ServiceDefaults named after a
// service that is both a split root and an access destination): one writer,
// merged ownerReferences, no write fights, clean hand-over, silent restarts.

import { expect } from 'chai';
import type { RunningOperator } from '../../../operator/manager.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { applyApp, condition, eventually, newNamespace, routeGroup, runOperator, service, settled, TestKube, trafficSplit, trafficTarget } from './helpers.js';

const SD = { apiVersion: 'consul.hashicorp.com/v1alpha1', kind: 'ServiceDefaults' };
const unitOf = (o: KubeObject | undefined): string | undefined => o?.metadata.annotations?.['smi-operator.io/unit'];
const owners = (o: KubeObject | undefined): string[] => (o?.metadata.ownerReferences ?? []).map((r) => `${r.kind}/${r.name}`).sort();

describe('operator shared native objects (real API server, consul)', function () {
  let k: TestKube;
  let ns: string;
  let op: RunningOperator | undefined;

  before(async () => {
    k = new TestKube();
    ns = await newNamespace('op-shared');
    await applyApp(k, ns);
    // Consul names a source by the Service selecting its pods: the client needs one to be allowed.
    await k.apply(service(ns, 'client', { app: 'client' }));
    await k.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'smi-operator-config', namespace: ns }, data: { mesh: 'consul' } } as KubeObject);
    await k.apply(routeGroup(ns, 'pages', [{ name: 'all', pathRegex: '/.*', methods: ['GET'] }]));
    await k.apply(trafficSplit(ns, 'web', 'web', [['web-v1', 80], ['web-v2', 20]]));
    await k.apply(trafficTarget(ns, 'web', 'web', ['client'], [{ kind: 'HTTPRouteGroup', name: 'pages', matches: ['all'] }]));
    op = await runOperator(ns);
  });

  after(async () => {
    await op?.stop();
  });

  it('writes a shared object once, owned by the smallest unit, with every source as owner', async () => {
    const sd = await eventually('ServiceDefaults web with both owners', async () => {
      const o = await k.get(SD.apiVersion, SD.kind, ns, 'web');
      return owners(o).length === 2 ? o : undefined;
    });
    expect(unitOf(sd)).to.equal(`access:${ns}/web`);
    expect(owners(sd)).to.deep.equal(['TrafficSplit/web', 'TrafficTarget/web']);
    for (const [av, kind] of [['split.smi-spec.io/v1alpha4', 'TrafficSplit'], ['access.smi-spec.io/v1alpha3', 'TrafficTarget']] as const) {
      await eventually(`${kind} web Ready`, async () => condition(await k.get(av, kind, ns, 'web'), 'Ready')?.status === 'True');
    }
    await settled(op!, k, ns);
    const writes = await op!.metrics.writeCount();
    // Settled twice: a fight would have answered the echo of the last write with another write.
    await settled(op!, k, ns);
    expect(await op!.metrics.writeCount(), 'no write fights').to.equal(writes);
  });

  it('a restart writes nothing, shared objects included', async () => {
    await op!.stop();
    op = await runOperator(ns);
    await eventually('first pass done', async () => op!.reconcileCounts().size > 0);
    await settled(op!, k, ns);
    expect(await op!.metrics.writeCount()).to.equal(0);
  });

  it('hands the object over when its owner unit stops wanting it', async () => {
    // A canary dependent of the TrafficTarget: once the garbage collector has removed it, GC has acted on the deletion.
    const tt = await k.get('access.smi-spec.io/v1alpha3', 'TrafficTarget', ns, 'web');
    await k.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gc-canary', namespace: ns, ownerReferences: [{ apiVersion: tt!.apiVersion, kind: 'TrafficTarget', name: 'web', uid: tt!.metadata.uid! }] } } as KubeObject);
    await k.delete('access.smi-spec.io/v1alpha3', 'TrafficTarget', ns, 'web');
    const sd = await eventually('ServiceDefaults web re-owned by the split unit', async () => {
      const o = await k.get(SD.apiVersion, SD.kind, ns, 'web');
      return unitOf(o) === `split:${ns}/web` && owners(o).join() === 'TrafficSplit/web' ? o : undefined;
    });
    expect(sd.metadata.labels?.['app.kubernetes.io/managed-by']).to.equal('smi-operator');
    // And it stays: the garbage collector, having processed the deleted TrafficTarget, did not take it.
    await eventually('GC removed the TrafficTarget\'s canary dependent', async () => (await k.get('v1', 'ConfigMap', ns, 'gc-canary')) === undefined);
    expect((await k.get(SD.apiVersion, SD.kind, ns, 'web'))?.metadata.uid).to.equal(sd.metadata.uid);
  });
});
