// A workload edit that changes only what its pods are made of (here an HTTPS readiness probe on a port
// a Linkerd Server denies) must reach the translation: the kubelet has no mesh identity, so the Server
// would fail the probe and take the pods out of their Services. The operator used to compare only a
// workload's labels and service account, and kept the Server until some unrelated change.

import { expect } from 'chai';
import type { RunningOperator } from '../../../operator/manager.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { applyApp, deployment, eventually, newNamespace, runOperator, tcpRoute, TestKube, trafficTarget } from './helpers.js';

describe('operator: a workload\'s pod template reaches the translation (real API server)', function () {
  this.timeout(120_000);
  let k: TestKube;
  let ns: string;
  let op: RunningOperator | undefined;
  const SERVER = { apiVersion: 'policy.linkerd.io/v1beta3', kind: 'Server' };

  before(async () => {
    k = new TestKube();
    ns = await newNamespace('op-workload');
    await applyApp(k, ns);
    op = await runOperator(ns, { defaultMesh: 'linkerd' });
  });

  after(async () => {
    await op?.stop();
  });

  const servers = async () => (await k.list(SERVER.apiVersion, SERVER.kind, ns)).map((s) => s.metadata.name);

  it('an HTTPS probe added to the destination\'s Deployment takes its deny Server away; removing it brings the Server back', async () => {
    await k.apply(tcpRoute(ns, 'any'));
    await k.apply(trafficTarget(ns, 'api-from-client', 'api', ['client'], [{ kind: 'TCPRoute', name: 'any' }]));
    await eventually('the api Server', async () => (await servers()).includes('tt-api-8080'));

    const api = deployment(ns, 'api', 'api', { app: 'api' });
    const withProbe = structuredClone(api) as KubeObject & { spec: { template: { spec: { containers: Array<Record<string, unknown>> } } } };
    withProbe.spec.template.spec.containers[0]!.readinessProbe = { httpGet: { path: '/ready', port: 8080, scheme: 'HTTPS' } };
    await k.apply(withProbe);
    await eventually('the Server is gone (the port is left on the cluster default policy)', async () => !(await servers()).includes('tt-api-8080'));
    // The status is written after the prune, so it is waited on, not read once.
    const status = async () => JSON.stringify((await k.get('access.smi-spec.io/v1alpha3', 'TrafficTarget', ns, 'api-from-client') as { status?: unknown }).status);
    await eventually('the TrafficTarget status names the HTTPS probe', async () => (await status()).includes('HTTPS probe'));
    expect(await status()).to.contain('HTTPS probe');

    await k.apply(api);
    await eventually('the Server is back', async () => (await servers()).includes('tt-api-8080'));
  });
});
