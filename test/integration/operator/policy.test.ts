// policy.smi-operator.io through the operator against the real API server: a
// TrafficSplit and a TimeoutPolicy on one Service share ONE VirtualService (Istio
// takes one per host), the policy's status names the routes it governs, a second
// policy of the same kind for the Service is Conflict, and deleting the policy takes
// its setting out of the shared object while the split keeps routing.

import { expect } from 'chai';
import type { RunningOperator } from '../../../operator/manager.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { applyApp, condition, eventually, newNamespace, runOperator, TestKube, trafficSplit, VS } from './helpers.js';

const POLICY = 'policy.smi-operator.io/v1alpha1';
type Http = { name?: string; timeout?: string; route: Array<{ destination: { host: string }; weight?: number }> };
type VirtualService = KubeObject & { spec: { hosts: string[]; http: Http[] } };

function timeoutPolicy(ns: string, name: string, service: string, request: string): KubeObject {
  return { apiVersion: POLICY, kind: 'TimeoutPolicy', metadata: { name, namespace: ns }, spec: { targetRef: { kind: 'Service', name: service }, request } } as KubeObject;
}

describe('operator: policies compose with TrafficSplits (real API server)', function () {
  this.timeout(120_000);
  let k: TestKube;
  let ns: string;
  let op: RunningOperator | undefined;

  before(async () => {
    k = new TestKube();
    ns = await newNamespace('op-policy');
    await applyApp(k, ns);
    op = await runOperator(ns);
  });

  after(async () => {
    await op?.stop();
  });

  const virtualServices = async (): Promise<VirtualService[]> => ((await k.list(VS.apiVersion, VS.kind, ns)) as VirtualService[]).filter((v) => v.spec.hosts[0]?.startsWith('web.'));

  it('one VirtualService carries the split and the timeout; the policy is Ready naming its route; a second policy is Conflict; deleting the policy removes the timeout', async () => {
    await k.apply(trafficSplit(ns, 'web', 'web', [['web-v1', 80], ['web-v2', 20]]));
    await k.apply(timeoutPolicy(ns, 'web-timeout', 'web', '7s'));

    const vs = await eventually('one VirtualService for web with the split weights and the timeout', async () => {
      const all = await virtualServices();
      return all.length === 1 && all[0]!.spec.http[0]?.timeout === '7s' ? all[0] : undefined;
    });
    expect(vs.metadata.name).to.equal('smi-split-web');
    expect(vs.spec.http[0]!.route.map((r) => r.weight)).to.deep.equal([80, 20]);
    expect((vs.metadata.ownerReferences ?? []).map((o) => o.kind)).to.include('TimeoutPolicy');

    const ready = await eventually('TimeoutPolicy Ready', async () => {
      const p = await k.get(POLICY, 'TimeoutPolicy', ns, 'web-timeout');
      return condition(p, 'Ready')?.status === 'True' ? p : undefined;
    });
    expect(condition(ready, 'Accepted')?.message).to.contain(`governs route(s) smi-split of VirtualService ${ns}/smi-split-web`);

    // A younger TimeoutPolicy for the same Service: Conflict naming the winner, and the winner's value stays.
    await k.apply(timeoutPolicy(ns, 'web-timeout-2', 'web', '1s'));
    const conflict = await eventually('second TimeoutPolicy Conflict', async () => {
      const c = condition(await k.get(POLICY, 'TimeoutPolicy', ns, 'web-timeout-2'), 'Accepted');
      return c?.reason === 'Conflict' ? c : undefined;
    });
    expect(conflict.status).to.equal('False');
    expect(conflict.message).to.contain(`TimeoutPolicy ${ns}/web-timeout`);
    expect((await virtualServices())[0]!.spec.http[0]!.timeout).to.equal('7s');
    await k.delete(POLICY, 'TimeoutPolicy', ns, 'web-timeout-2');

    // Deleting the policy: the same VirtualService stays with the split, without the timeout.
    await k.delete(POLICY, 'TimeoutPolicy', ns, 'web-timeout');
    const after = await eventually('VirtualService without the timeout', async () => {
      const all = await virtualServices();
      return all.length === 1 && all[0]!.spec.http[0] && all[0]!.spec.http[0].timeout === undefined ? all[0] : undefined;
    });
    expect(after.metadata.name).to.equal('smi-split-web');
    expect(after.spec.http[0]!.route.map((r) => r.weight)).to.deep.equal([80, 20]);
    expect((after.metadata.ownerReferences ?? []).map((o) => o.kind)).to.not.include('TimeoutPolicy');
  });
});
