// Fail closed (issue 18.2) with the operator against a real API server: a failure
// of ours, or a pod anyone may create, must never remove a deny.
// - A look-alike Pod (labels of a governed workload, another ServiceAccount) used to
//   make the destination "not selectable" and the operator pruned its
//   AuthorizationPolicy and PeerAuthentication: default-deny and STRICT mTLS became
//   allow-all. Now the same objects are updated in place to deny-all / STRICT.
// - An update the API server refuses (here: over the CRD's 512-rule limit) used to
//   leave the previous, broader policy in force. Now its fail-closed form replaces it.

import { expect } from 'chai';
import type { RunningOperator } from '../../../operator/manager.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { AP, applyApp, condition, eventually, newNamespace, routeGroup, runOperator, tcpRoute, TestKube, trafficTarget } from './helpers.js';

const PA = { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication' };
const TT = 'access.smi-spec.io/v1alpha3';
const rulesOf = (o: KubeObject | undefined): unknown[] | undefined => (o?.spec as { rules?: unknown[] } | undefined)?.rules;

describe('operator fails closed (real API server)', function () {
  this.timeout(120_000);
  let k: TestKube;
  let ns: string;
  let op: RunningOperator | undefined;

  before(async () => {
    k = new TestKube();
    ns = await newNamespace('op-failclosed');
    await applyApp(k, ns);
    await k.apply(tcpRoute(ns, 'all'));
    op = await runOperator(ns);
  });

  after(async () => {
    await op?.stop();
  });

  it('a look-alike Pod of another ServiceAccount closes the destination instead of pruning its policy', async () => {
    await k.apply(trafficTarget(ns, 'client-to-api', 'api', ['client'], [{ kind: 'TCPRoute', name: 'all' }]));
    const exact = await eventually('the exact AuthorizationPolicy', async () => {
      const o = await k.get(AP.apiVersion, AP.kind, ns, 'smi-access-api');
      return rulesOf(o)?.length ? o : undefined;
    });
    const pa = await eventually('the PeerAuthentication', async () => k.get(PA.apiVersion, PA.kind, ns, 'smi-mtls-api'));

    // Anyone who may create pods here can do this: same labels as api's pods, another identity.
    await k.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'look-alike', namespace: ns, labels: { app: 'api' } },
      spec: { serviceAccountName: 'client', containers: [{ name: 'c', image: 'example/app:1' }] },
    } as KubeObject);
    const closed = await eventually('the AuthorizationPolicy turns deny-all', async () => {
      const o = await k.get(AP.apiVersion, AP.kind, ns, 'smi-access-api');
      return o && rulesOf(o) === undefined ? o : undefined;
    });
    // Updated in place, never deleted: the same object (uid) throughout.
    expect(closed.metadata.uid).to.equal(exact.metadata.uid);
    expect(closed.spec).to.deep.equal({ selector: { matchLabels: { app: 'api' } }, action: 'ALLOW' });
    const strict = await k.get(PA.apiVersion, PA.kind, ns, 'smi-mtls-api');
    expect(strict?.metadata.uid).to.equal(pa.metadata.uid);
    expect(strict?.spec).to.deep.equal({ selector: { matchLabels: { app: 'api' } }, mtls: { mode: 'STRICT' } });
    const tt = await eventually('the TrafficTarget names the look-alike', async () => {
      const o = await k.get(TT, 'TrafficTarget', ns, 'client-to-api');
      return condition(o, 'Accepted')?.message.includes('Pod/look-alike of ServiceAccount client') ? o : undefined;
    });
    expect(condition(tt, 'Accepted')?.reason).to.equal('Unsupported');

    // The look-alike gone, the exact policy comes back, still the same object.
    await k.delete('v1', 'Pod', ns, 'look-alike');
    const back = await eventually('the exact AuthorizationPolicy again', async () => {
      const o = await k.get(AP.apiVersion, AP.kind, ns, 'smi-access-api');
      return rulesOf(o)?.length ? o : undefined;
    });
    expect(back.metadata.uid).to.equal(exact.metadata.uid);
  });

  it('an update the API server refuses (over the CRD rule limit) replaces the broader previous policy with deny-all', async () => {
    // web first admits client on every port: one broad rule.
    await k.apply(trafficTarget(ns, 'client-to-web', 'web', ['client'], [{ kind: 'TCPRoute', name: 'all' }]));
    const broad = await eventually('the broad AuthorizationPolicy for web', async () => {
      const o = await k.get(AP.apiVersion, AP.kind, ns, 'smi-access-web');
      return rulesOf(o)?.length === 1 ? o : undefined;
    });
    // Narrowed to 540 exact paths: 540 ALLOW rules, over the CRD's maxItems of 512.
    const groups = Array.from({ length: 6 }, (_, g) => routeGroup(ns, `paths-${g}`, Array.from({ length: 90 }, (_, i) => ({ name: `m${i}`, pathRegex: `/g${g}/p${i}` }))));
    for (const g of groups) await k.apply(g);
    await k.apply(trafficTarget(ns, 'client-to-web', 'web', ['client'], groups.map((g) => ({ kind: 'HTTPRouteGroup', name: g.metadata.name }))));
    const closed = await eventually('the AuthorizationPolicy for web turns deny-all', async () => {
      const o = await k.get(AP.apiVersion, AP.kind, ns, 'smi-access-web');
      return o && rulesOf(o) === undefined ? o : undefined;
    });
    expect(closed.metadata.uid).to.equal(broad.metadata.uid);
    const ready = await eventually('Ready=False says the update was refused and closed', async () => {
      const c = condition(await k.get(TT, 'TrafficTarget', ns, 'client-to-web'), 'Ready');
      return c?.status === 'False' && c.message.includes('fail-closed') ? c : undefined;
    });
    expect(ready.message).to.include('512');
  });
});
