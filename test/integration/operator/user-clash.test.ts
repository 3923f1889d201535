// A user's own VirtualService for the same host (Istio uses one), or HTTPRoute on the
// same Service port (Linkerd/GAMMA use one): the SMI object says Conflict, naming it,
// and recovers when it goes.

import { expect } from 'chai';
import type { RunningOperator } from '../../../operator/manager.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { applyApp, condition, eventually, newNamespace, runOperator, TestKube, trafficSplit } from './helpers.js';

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
