// Ready means in effect: the operator reads the status the mesh writes on the
// native objects it applied. Here the mesh's controller is played by the test,
// writing Gateway API HTTPRoute status.parents as Linkerd's policy controller would.

import { expect } from 'chai';
import type { RunningOperator } from '../../../operator/manager.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { applyApp, condition, eventually, newNamespace, runOperator, TestKube, trafficSplit } from './helpers.js';

const SPLIT = 'split.smi-spec.io/v1alpha4';
const ROUTES = (ns: string) => `/apis/gateway.networking.k8s.io/v1/namespaces/${ns}/httproutes`;

describe('operator: Ready folds the mesh\'s own status (Gateway API HTTPRoute parents, Linkerd)', function () {
  this.timeout(120_000);
  let k: TestKube;
  let ns: string;
  let op: RunningOperator | undefined;

  before(async () => {
    k = new TestKube();
    ns = await newNamespace('mesh-status');
    await applyApp(k, ns);
    op = await runOperator(ns, { defaultMesh: 'linkerd' });
  });
  after(async () => op?.stop());

  const parentStatus = (route: KubeObject, accepted: 'True' | 'False', message: string) => ({
    apiVersion: route.apiVersion,
    kind: route.kind,
    metadata: { name: route.metadata.name, namespace: ns },
    status: {
      parents: [{
        parentRef: { group: 'core', kind: 'Service', name: 'web', port: 80 },
        controllerName: 'linkerd.io/policy-controller',
        conditions: [{ type: 'Accepted', status: accepted, reason: accepted === 'True' ? 'Accepted' : 'NoMatchingParent', message, lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), observedGeneration: route.metadata.generation }],
      }],
    },
  });

  it('Ready=False MeshRejected with the mesh\'s message while Linkerd rejects the HTTPRoute; True again once it accepts', async () => {
    await k.apply(trafficSplit(ns, 'canary', 'web', [['web-v1', 90], ['web-v2', 10]]));
    await eventually('split Ready', async () => condition(await k.get(SPLIT, 'TrafficSplit', ns, 'canary'), 'Ready')?.status === 'True');
    const routes = await k.client.request<{ items: KubeObject[] }>('GET', ROUTES(ns));
    const route = routes.ok ? routes.body.items[0] : undefined;
    expect(route, 'the split\'s HTTPRoute').to.not.equal(undefined);
    const withKind = { ...route!, apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute' };

    const patch = async (accepted: 'True' | 'False', message: string) => {
      const r = await k.client.request('PATCH', `${ROUTES(ns)}/${route!.metadata.name}/status`, {
        query: { fieldManager: 'linkerd-policy-controller', force: true },
        body: parentStatus(withKind, accepted, message),
        contentType: 'application/apply-patch+yaml',
      });
      expect(r.ok, r.ok ? '' : r.error.message).to.equal(true);
    };

    await patch('False', 'parent Service web has no port 80 in this cluster');
    const rejected = await eventually('split Ready=False MeshRejected', async () => {
      const c = condition(await k.get(SPLIT, 'TrafficSplit', ns, 'canary'), 'Ready');
      return c?.reason === 'MeshRejected' ? c : undefined;
    });
    expect(rejected.status).to.equal('False');
    expect(rejected.message).to.contain('linkerd.io/policy-controller reports Accepted=False (NoMatchingParent): parent Service web has no port 80');

    await patch('True', 'Route was valid');
    await eventually('split Ready again', async () => condition(await k.get(SPLIT, 'TrafficSplit', ns, 'canary'), 'Ready')?.status === 'True');
  });
});

describe('operator: Ready folds Istio\'s status (analysis validationMessages, Reconciled)', function () {
  this.timeout(120_000);
  let k: TestKube;
  let ns: string;
  let op: RunningOperator | undefined;
  const VS_PATH = (n: string) => `/apis/networking.istio.io/v1/namespaces/${n}/virtualservices`;

  before(async () => {
    k = new TestKube();
    ns = await newNamespace('istio-status');
    await applyApp(k, ns);
    op = await runOperator(ns, { defaultMesh: 'istio' });
  });
  after(async () => op?.stop());

  const readyOf = async () => condition(await k.get(SPLIT, 'TrafficSplit', ns, 'canary'), 'Ready');

  it('an ERROR analysis message: MeshRejected naming the code; Reconciled=False: Propagating; neither (status not enabled): Applied', async () => {
    await k.apply(trafficSplit(ns, 'canary', 'web', [['web-v1', 90], ['web-v2', 10]]));
    await eventually('split Ready', async () => (await readyOf())?.status === 'True');
    const list = await k.client.request<{ items: KubeObject[] }>('GET', VS_PATH(ns));
    const vs = list.ok ? list.body.items[0] : undefined;
    expect(vs, 'the split\'s VirtualService').to.not.equal(undefined);

    // As istiod writes it (a status update; jsonpb: level by name, observedGeneration as a string).
    const writeStatus = async (status: Record<string, unknown>) => {
      const r = await k.client.request('PATCH', `${VS_PATH(ns)}/${vs!.metadata.name}/status`, {
        body: { status },
        contentType: 'application/merge-patch+json',
      });
      expect(r.ok, r.ok ? '' : r.error.message).to.equal(true);
    };

    await writeStatus({ validationMessages: [{ documentationUrl: 'https://istio.io/latest/docs/reference/config/analysis/ist0101/', level: 'ERROR', type: { code: 'IST0101' } }] });
    const rejected = await eventually('Ready=False MeshRejected', async () => {
      const c = await readyOf();
      return c?.reason === 'MeshRejected' ? c : undefined;
    });
    expect(rejected.status).to.equal('False');
    expect(rejected.message).to.contain(`VirtualService ${ns}/${vs!.metadata.name}`).and.contain('IST0101').and.contain('ist0101/');

    await writeStatus({ validationMessages: null, conditions: [{ type: 'Reconciled', status: 'False', message: '1/2 proxies up to date.' }], observedGeneration: String(vs!.metadata.generation) });
    const pending = await eventually('Ready=False Propagating', async () => {
      const c = await readyOf();
      return c?.reason === 'Propagating' ? c : undefined;
    });
    expect(pending.message).to.contain('1/2 proxies up to date');

    await writeStatus({ conditions: [{ type: 'Reconciled', status: 'True', message: '2/2 proxies up to date.' }] });
    await eventually('Ready=True Applied', async () => (await readyOf())?.reason === 'Applied');
    await writeStatus({ conditions: null, observedGeneration: null });
    // No status at all (Istio's status and analysis are off by default): Ready stays True.
    expect((await readyOf())?.status).to.equal('True');
  });
});
