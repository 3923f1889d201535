// Ready means in effect: the operator reads the status the mesh writes on the
// native objects it applied. Here the mesh's controller is played by the test,
// writing Gateway API HTTPRoute status.parents and HTTPLocalRateLimitPolicy status as
// Linkerd's policy controller would, and IstioStatus as istiod would.

import { expect } from 'chai';
import type { RunningOperator } from '../../../operator/manager.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { applyApp, condition, eventually, newNamespace, runOperator, tcpRoute, TestKube, trafficSplit, trafficTarget } from './helpers.js';

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

    // istiod writes the messages with the generation it analysed; we change the object (the split's
    // weights): the error is about the old generation until istiod analyses the new one.
    const gen = vs!.metadata.generation!;
    await writeStatus({ validationMessages: [{ level: 'ERROR', type: { code: 'IST0101' } }], observedGeneration: String(gen) });
    await k.apply(trafficSplit(ns, 'canary', 'web', [['web-v1', 80], ['web-v2', 20]]));
    const stale = await eventually('Ready=False Propagating: not re-analysed', async () => {
      const c = await readyOf();
      return c?.reason === 'Propagating' ? c : undefined;
    });
    const now = (await k.get('networking.istio.io/v1', 'VirtualService', ns, vs!.metadata.name))!.metadata.generation!;
    expect(now).to.be.greaterThan(gen);
    expect(stale.message).to.contain(`Istio has not re-analysed generation ${now} yet`).and.contain(`generation ${gen} reported error IST0101`);
    // The next analysis finds the error in the new generation too: rejected again.
    await writeStatus({ validationMessages: [{ level: 'ERROR', type: { code: 'IST0101' } }], observedGeneration: String(now) });
    await eventually('Ready=False MeshRejected for the current generation', async () => (await readyOf())?.reason === 'MeshRejected');

    await writeStatus({ validationMessages: null, conditions: [{ type: 'Reconciled', status: 'False', message: '1/2 proxies up to date.' }], observedGeneration: String(now) });
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

describe('operator: Ready folds Linkerd\'s HTTPLocalRateLimitPolicy status (RateLimitPolicy)', function () {
  this.timeout(120_000);
  let k: TestKube;
  let ns: string;
  let op: RunningOperator | undefined;
  const POLICY = 'policy.smi-operator.io/v1alpha1';
  const RL_PATH = (n: string) => `/apis/policy.linkerd.io/v1alpha1/namespaces/${n}/httplocalratelimitpolicies`;

  before(async () => {
    k = new TestKube();
    ns = await newNamespace('rl-status');
    await applyApp(k, ns);
    op = await runOperator(ns, { defaultMesh: 'linkerd' });
  });
  after(async () => op?.stop());

  const readyOf = async () => condition(await k.get(POLICY, 'RateLimitPolicy', ns, 'api-rate'), 'Ready');

  it('Accepted=False (another policy holds the Server): MeshRejected in Linkerd\'s words; about another Server: ignored; NoMatchingTarget for a Server we have: Propagating; True again once accepted', async () => {
    await k.apply(tcpRoute(ns, 'any'));
    await k.apply(trafficTarget(ns, 'api-from-client', 'api', ['client'], [{ kind: 'TCPRoute', name: 'any' }]));
    await k.apply({ apiVersion: POLICY, kind: 'RateLimitPolicy', metadata: { name: 'api-rate', namespace: ns }, spec: { targetRef: { kind: 'Service', name: 'api' }, local: { requests: 20, unit: 'second' } } } as KubeObject);
    await eventually('RateLimitPolicy Ready', async () => (await readyOf())?.status === 'True');
    const list = await k.client.request<{ items: Array<KubeObject & { spec: { targetRef: { name: string } } }> }>('GET', RL_PATH(ns));
    const rl = list.ok ? list.body.items[0] : undefined;
    expect(rl, 'the policy\'s HTTPLocalRateLimitPolicy').to.not.equal(undefined);
    const server = rl!.spec.targetRef.name;

    // As the policy controller writes it: server-side apply of the status, its field manager, no observedGeneration.
    const writeStatus = async (accepted: 'True' | 'False', reason: string, target: string) => {
      const r = await k.client.request('PATCH', `${RL_PATH(ns)}/${rl!.metadata.name}/status`, {
        query: { fieldManager: 'policy.linkerd.io', force: true },
        body: {
          apiVersion: 'policy.linkerd.io/v1alpha1',
          kind: 'HTTPLocalRateLimitPolicy',
          metadata: { name: rl!.metadata.name, namespace: ns },
          status: {
            conditions: [{ type: 'Accepted', status: accepted, reason, message: '', lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }],
            targetRef: { group: 'policy.linkerd.io', kind: 'Server', name: target },
          },
        },
        contentType: 'application/apply-patch+yaml',
      });
      expect(r.ok, r.ok ? '' : r.error.message).to.equal(true);
    };

    await writeStatus('False', 'RateLimitReasonAlreadyExists', server);
    const rejected = await eventually('Ready=False MeshRejected', async () => {
      const c = await readyOf();
      return c?.reason === 'MeshRejected' ? c : undefined;
    });
    expect(rejected.status).to.equal('False');
    expect(rejected.message).to.contain(`HTTPLocalRateLimitPolicy ${ns}/${rl!.metadata.name}: Linkerd's policy controller reports Accepted=False (RateLimitReasonAlreadyExists)`);

    // Decided for a Server the spec no longer names: says nothing about what is applied.
    await writeStatus('False', 'NoMatchingTarget', `${server}-old`);
    await eventually('Ready again: the verdict is about another Server', async () => (await readyOf())?.status === 'True');

    // No such Server, says Linkerd, while it exists (the TrafficTarget's reconcile applied it): Linkerd is behind.
    await writeStatus('False', 'NoMatchingTarget', server);
    const behind = await eventually('Ready=False Propagating (NoMatchingTarget, Server present)', async () => {
      const c = await readyOf();
      return c?.reason === 'Propagating' ? c : undefined;
    });
    expect(behind.message).to.contain(`has not seen Server ${ns}/${server} yet`).and.contain('NoMatchingTarget');
    await writeStatus('True', 'Accepted', server);
    await eventually('Ready=True Applied', async () => (await readyOf())?.reason === 'Applied');
  });
});
