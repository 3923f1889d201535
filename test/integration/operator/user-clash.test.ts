// A user's own VirtualService for the same host (Istio uses one), or HTTPRoute on the
// same Service port (Linkerd/GAMMA use one): the SMI object says Conflict, naming it,
// and recovers when it goes.

import { expect } from 'chai';
import type { RunningOperator } from '../../../operator/manager.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { applyApp, condition, eventually, newNamespace, runOperator, tcpRoute, TestKube, trafficSplit, trafficTarget } from './helpers.js';

const SPLIT = 'split.smi-spec.io/v1alpha4';

async function readyOf(k: TestKube, ns: string) {
  return condition(await k.get(SPLIT, 'TrafficSplit', ns, 'canary'), 'Ready');
}

for (const c of [
  {
    mesh: 'istio' as const,
    path: (ns: string) => `/apis/networking.istio.io/v1/namespaces/${ns}/virtualservices`,
    user: (ns: string): KubeObject => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'my-web', namespace: ns }, spec: { hosts: [`web.${ns}.svc.cluster.local`], http: [{ route: [{ destination: { host: 'web-v1' } }] }] } } as KubeObject),
    says: 'VirtualService',
  },
  {
    mesh: 'linkerd' as const,
    path: (ns: string) => `/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/httproutes`,
    user: (ns: string): KubeObject => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'my-web', namespace: ns }, spec: { parentRefs: [{ group: 'core', kind: 'Service', name: 'web', port: 80 }], rules: [{ backendRefs: [{ name: 'web-v1', port: 80 }] }] } } as KubeObject),
    says: 'HTTPRoute',
  },
]) {
  describe(`operator: a user's own ${c.says} competing with ours is a Conflict (${c.mesh})`, function () {
    this.timeout(120_000);
    let k: TestKube;
    let ns: string;
    let op: RunningOperator | undefined;
    before(async () => {
      k = new TestKube();
      ns = await newNamespace(`clash-${c.mesh}`);
      await applyApp(k, ns);
      op = await runOperator(ns, { defaultMesh: c.mesh });
    });
    after(async () => op?.stop());

    it('Ready=False Conflict naming the user object while it exists; Ready again when it is deleted', async () => {
      await k.apply(trafficSplit(ns, 'canary', 'web', [['web-v1', 90], ['web-v2', 10]]));
      await eventually('split Ready', async () => (await readyOf(k, ns))?.status === 'True');
      const created = await k.client.request('POST', c.path(ns), { body: c.user(ns) });
      expect(created.ok, created.ok ? '' : created.error.message).to.equal(true);
      const conflict = await eventually('Conflict', async () => {
        const r = await readyOf(k, ns);
        return r?.reason === 'Conflict' ? r : undefined;
      });
      expect(conflict.status).to.equal('False');
      expect(conflict.message).to.contain(`${c.says} ${ns}/my-web (not managed by smi-operator)`);
      const del = await k.client.request('DELETE', `${c.path(ns)}/my-web`);
      expect(del.ok).to.equal(true);
      await eventually('Ready again', async () => (await readyOf(k, ns))?.status === 'True');
    });
  });
}

describe('operator: a user\'s own Consul ServiceIntentions for the same destination is a Conflict (consul)', function () {
  // consul-k8s maps a ServiceIntentions to the config entry spec.destination.name (ConsulName()), so
  // one of another name for the same destination is the same entry. (An entry of the same kind and
  // name in another namespace is the same entry too, without Enterprise namespaces: unit-tested in
  // test/unit/operator/reconciler.test.ts, as this operator watches only its test namespace.)
  this.timeout(120_000);
  let k: TestKube;
  let ns: string;
  let op: RunningOperator | undefined;
  const TT = 'access.smi-spec.io/v1alpha3';
  const INTENTIONS = (n: string) => `/apis/consul.hashicorp.com/v1alpha1/namespaces/${n}/serviceintentions`;
  before(async () => {
    k = new TestKube();
    ns = await newNamespace('clash-consul');
    await applyApp(k, ns);
    op = await runOperator(ns, { defaultMesh: 'consul' });
  });
  after(async () => op?.stop());

  it('Ready=False Conflict naming it (re-checked when it appears); Ready again when it is deleted; it is never touched', async () => {
    await k.apply(tcpRoute(ns, 'all'));
    await k.apply(trafficTarget(ns, 'client-to-api', 'api', ['client'], [{ kind: 'TCPRoute', name: 'all' }]));
    const readyTT = async () => condition(await k.get(TT, 'TrafficTarget', ns, 'client-to-api'), 'Ready');
    await eventually('target Ready', async () => (await readyTT())?.status === 'True');
    const theirs = { apiVersion: 'consul.hashicorp.com/v1alpha1', kind: 'ServiceIntentions', metadata: { name: 'api-by-hand', namespace: ns }, spec: { destination: { name: 'api' }, sources: [{ name: '*', action: 'allow' }] } };
    const created = await k.client.request<KubeObject>('POST', INTENTIONS(ns), { body: theirs });
    expect(created.ok, created.ok ? '' : created.error.message).to.equal(true);
    // Well within the 30 s conflict re-check: the user watch triggers it.
    const conflict = await eventually('Conflict', async () => {
      const r = await readyTT();
      return r?.reason === 'Conflict' ? r : undefined;
    }, 10_000);
    expect(conflict.status).to.equal('False');
    expect(conflict.message).to.contain(`ServiceIntentions ${ns}/api-by-hand (not managed by smi-operator) is the Consul ServiceIntentions config entry for service api too`);
    const still = await k.client.request<KubeObject>('GET', `${INTENTIONS(ns)}/api-by-hand`);
    expect(still.ok && still.body.metadata.resourceVersion, 'the user object is untouched').to.equal(created.ok && created.body.metadata.resourceVersion);
    const del = await k.client.request('DELETE', `${INTENTIONS(ns)}/api-by-hand`);
    expect(del.ok).to.equal(true);
    await eventually('Ready again', async () => (await readyTT())?.status === 'True', 10_000);
  });
});
