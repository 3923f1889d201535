// policy.smi-operator.io through the operator against the real API server: a
// TrafficSplit and a TimeoutPolicy on one Service share ONE VirtualService (Istio
// takes one per host), the policy's status names the routes it governs, a second
// policy of the same kind for the Service is Conflict, and deleting the policy takes
// its setting out of the shared object while the split keeps routing.

import { expect } from 'chai';
import type { RunningOperator } from '../../../operator/manager.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { applyApp, condition, eventually, newNamespace, runOperator, tcpRoute, TestKube, trafficSplit, trafficTarget, VS } from './helpers.js';

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

// Linkerd rate limits attach to the Servers of the access unit behind the Service, while the policy is
// translated in its Service's split unit: a TrafficTarget appearing or going away must re-translate it.
describe('operator: a Linkerd RateLimitPolicy follows the Servers of the TrafficTargets behind its Service (real API server)', function () {
  this.timeout(120_000);
  let k: TestKube;
  let ns: string;
  let op: RunningOperator | undefined;
  const RL = { apiVersion: 'policy.linkerd.io/v1alpha1', kind: 'HTTPLocalRateLimitPolicy' };

  before(async () => {
    k = new TestKube();
    ns = await newNamespace('op-ratelimit');
    await applyApp(k, ns);
    op = await runOperator(ns, { defaultMesh: 'linkerd' });
  });

  after(async () => {
    await op?.stop();
  });

  const limits = async () => (await k.list(RL.apiVersion, RL.kind, ns)) as Array<KubeObject & { spec: { targetRef: { name: string }; total: { requestsPerSecond: number } } }>;
  const reasonOf = async (): Promise<string | undefined> => condition(await k.get(POLICY, 'RateLimitPolicy', ns, 'api-rate'), 'Accepted')?.reason;

  it('applied on the destination Server (strict apply with the real CRD); gone and Unsupported without the TrafficTarget; back with it', async () => {
    await k.apply(tcpRoute(ns, 'any'));
    await k.apply({ apiVersion: POLICY, kind: 'RateLimitPolicy', metadata: { name: 'api-rate', namespace: ns }, spec: { targetRef: { kind: 'Service', name: 'api' }, local: { requests: 20, unit: 'second' } } } as KubeObject);
    await eventually('RateLimitPolicy Unsupported while no TrafficTarget governs the pods', async () => (await reasonOf()) === 'Unsupported');
    expect(await limits()).to.have.length(0);

    await k.apply(trafficTarget(ns, 'api-from-client', 'api', ['client'], [{ kind: 'TCPRoute', name: 'any' }]));
    const [rl] = await eventually('an HTTPLocalRateLimitPolicy on the api Server', async () => {
      const all = await limits();
      return all.length === 1 ? all : undefined;
    });
    expect(rl!.spec.targetRef.name).to.equal('tt-api-8080');
    expect(rl!.spec.total.requestsPerSecond).to.equal(20);
    // The Server is the access unit's own object, applied by its own reconcile.
    await eventually('the Server the limit names', async () => k.get('policy.linkerd.io/v1beta3', 'Server', ns, 'tt-api-8080'));
    const ready = await eventually('RateLimitPolicy Ready', async () => {
      const p = await k.get(POLICY, 'RateLimitPolicy', ns, 'api-rate');
      return condition(p, 'Ready')?.status === 'True' ? p : undefined;
    });
    expect(condition(ready, 'Accepted')?.message).to.contain('tt-api-8080');

    await k.delete('access.smi-spec.io/v1alpha3', 'TrafficTarget', ns, 'api-from-client');
    await eventually('the limit is pruned with the Server', async () => (await limits()).length === 0 && (await reasonOf()) === 'Unsupported');

    await k.apply(trafficTarget(ns, 'api-from-client', 'api', ['client'], [{ kind: 'TCPRoute', name: 'any' }]));
    await eventually('the limit is back', async () => (await limits()).length === 1 && (await reasonOf()) === 'Accepted');
  });
});
