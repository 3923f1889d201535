// Core loop against the real API server: SMI in → native objects out, updates
// followed, deletes pruned, hand edits reverted, statuses reported.

import { expect } from 'chai';
import type { RunningOperator } from '../../../operator/manager.js';
import { MANAGED_BY_LABEL } from '../../../adapters/types.js';
import { AP, applyApp, condition, eventually, newNamespace, routeGroup, runOperator, tcpRoute, TestKube, trafficSplit, trafficTarget, VS } from './helpers.js';

type VirtualService = { spec: { http?: Array<{ route: Array<{ destination: { host: string }; weight: number }> }> }; metadata: { labels?: Record<string, string> } };

const weights = (vs: VirtualService | undefined): number[] => (vs?.spec.http?.[0]?.route ?? []).map((r) => r.weight);

describe('operator core loop (real API server)', function () {
  let k: TestKube;
  let ns: string;
  let op: RunningOperator | undefined;

  before(async () => {
    k = new TestKube();
    ns = await newNamespace('op-core');
    await applyApp(k, ns);
    op = await runOperator(ns, { healthPort: 0 });
  });

  after(async () => {
    await op?.stop();
  });

  it('creates the VirtualService for a TrafficSplit, follows weight changes and prunes it on delete', async () => {
    await k.apply(trafficSplit(ns, 'web', 'web', [['web-v1', 90], ['web-v2', 10]]));
    const vs = await eventually('VirtualService smi-split-web', async () => (await k.get(VS.apiVersion, VS.kind, ns, 'smi-split-web')) as unknown as VirtualService | undefined);
    expect(vs.metadata.labels?.[MANAGED_BY_LABEL]).to.equal('smi-operator');
    expect(weights(vs)).to.deep.equal([90, 10]);

    await k.apply(trafficSplit(ns, 'web', 'web', [['web-v1', 50], ['web-v2', 50]]));
    await eventually('weights 50/50', async () => {
      const w = weights((await k.get(VS.apiVersion, VS.kind, ns, 'smi-split-web')) as unknown as VirtualService | undefined);
      return w.join() === '50,50';
    });

    const split = await eventually('TrafficSplit Ready', async () => {
      const s = await k.get('split.smi-spec.io/v1alpha4', 'TrafficSplit', ns, 'web');
      return condition(s, 'Ready')?.status === 'True' && s?.metadata.generation === (s as { status?: { observedGeneration?: number } }).status?.observedGeneration ? s : undefined;
    });
    expect(condition(split, 'Accepted')?.reason).to.equal('Accepted');

    await k.delete('split.smi-spec.io/v1alpha4', 'TrafficSplit', ns, 'web');
    await eventually('VirtualService pruned', async () => (await k.get(VS.apiVersion, VS.kind, ns, 'smi-split-web')) === undefined);
  });

  it('follows changes of split matches and of target rules', async () => {
    await k.apply(routeGroup(ns, 'beta-users', [{ name: 'cookie', headers: { cookie: '.*beta=1.*' } }]));
    await k.apply(trafficSplit(ns, 'm', 'api', [['web-v1', 100]]));
    await eventually('VirtualService without matches', async () => {
      const vs = await k.get(VS.apiVersion, VS.kind, ns, 'smi-split-m');
      return vs && !JSON.stringify(vs).includes('beta=1');
    });
    await k.apply(trafficSplit(ns, 'm', 'api', [['web-v1', 100]], ['beta-users']));
    await eventually('VirtualService gated by the header match', async () => JSON.stringify(await k.get(VS.apiVersion, VS.kind, ns, 'smi-split-m')).includes('beta=1'));
    await k.delete('split.smi-spec.io/v1alpha4', 'TrafficSplit', ns, 'm');

    await k.apply(routeGroup(ns, 'reads', [{ name: 'get', pathRegex: '/items', methods: ['GET'] }]));
    await k.apply(tcpRoute(ns, 'db', [5432]));
    await k.apply(trafficTarget(ns, 'to-web', 'web', ['client'], [{ kind: 'HTTPRouteGroup', name: 'reads', matches: ['get'] }]));
    await eventually('AuthorizationPolicy with the HTTP rule', async () => JSON.stringify(await k.get(AP.apiVersion, AP.kind, ns, 'smi-access-web')).includes('/items'));
    await k.apply(trafficTarget(ns, 'to-web', 'web', ['client'], [{ kind: 'TCPRoute', name: 'db' }]));
    await eventually('AuthorizationPolicy with the TCP rule only', async () => {
      const s = JSON.stringify(await k.get(AP.apiVersion, AP.kind, ns, 'smi-access-web'));
      return s.includes('5432') && !s.includes('/items');
    });
    await k.delete('access.smi-spec.io/v1alpha3', 'TrafficTarget', ns, 'to-web');
    await eventually('AuthorizationPolicy pruned', async () => (await k.get(AP.apiVersion, AP.kind, ns, 'smi-access-web')) === undefined);
  });

  it('serves /healthz, /readyz and /metrics', async () => {
    const base = `http://127.0.0.1:${op!.healthPort}`;
    expect((await fetch(`${base}/healthz`)).status).to.equal(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).to.equal(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    for (const name of ['smi_operator_reconciles_total', 'smi_operator_reconcile_duration_seconds', 'smi_operator_queue_depth', 'smi_operator_managed_objects', 'smi_operator_writes_skipped_total', 'smi_operator_config_reloads_total']) {
      expect(metrics).to.contain(name);
    }
    expect(metrics).to.match(/smi_operator_reconciles_total\{unit="split",result="success"\} [1-9]/);
  });

  it('reverts a hand edit of a generated object', async () => {
    await k.apply(trafficSplit(ns, 'edit', 'web', [['web-v1', 80], ['web-v2', 20]]));
    await eventually('VirtualService smi-split-edit', async () => k.get(VS.apiVersion, VS.kind, ns, 'smi-split-edit'));
    const vs = (await k.get(VS.apiVersion, VS.kind, ns, 'smi-split-edit')) as unknown as VirtualService;
    const http = JSON.parse(JSON.stringify(vs.spec.http)) as Array<{ route: Array<{ weight: number }> }>;
    http[0]!.route[0]!.weight = 1;
    http[0]!.route[1]!.weight = 99;
    await k.mergePatch(VS.apiVersion, VS.kind, ns, 'smi-split-edit', { spec: { http } });
    await eventually('weights restored to 80/20', async () => {
      const w = weights((await k.get(VS.apiVersion, VS.kind, ns, 'smi-split-edit')) as unknown as VirtualService | undefined);
      return w.join() === '80,20';
    });
    await k.delete('split.smi-spec.io/v1alpha4', 'TrafficSplit', ns, 'edit');
  });

  it('re-creates a generated object deleted by hand', async () => {
    await k.apply(trafficSplit(ns, 'gone', 'web', [['web-v1', 70], ['web-v2', 30]]));
    const first = await eventually('VirtualService smi-split-gone', async () => k.get(VS.apiVersion, VS.kind, ns, 'smi-split-gone'));
    await k.delete(VS.apiVersion, VS.kind, ns, 'smi-split-gone');
    const again = await eventually('VirtualService re-created', async () => {
      const o = await k.get(VS.apiVersion, VS.kind, ns, 'smi-split-gone');
      return o && o.metadata.uid !== first.metadata.uid ? o : undefined;
    });
    expect(weights(again as unknown as VirtualService)).to.deep.equal([70, 30]);
    await k.delete('split.smi-spec.io/v1alpha4', 'TrafficSplit', ns, 'gone');
  });
});
