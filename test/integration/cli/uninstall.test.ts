// `smictl uninstall` on a control plane of its own (it deletes the SMI CRDs), with
// the garbage collector running: without --keep-native the generated policies go
// with the CRDs; with it they stay, detached, so the mesh keeps enforcing them.

import { expect } from 'chai';
import { startCluster, type TestCluster } from '../../support/cluster.js';
import { HttpKubeClient } from '../../../kube/client.js';
import { startOperator, type RunningOperator } from '../../../operator/manager.js';
import { silentLogger } from '../../../log/log.js';
import { collectCrds, installCrds } from '../../../dev/controlplane/crds.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { applyApp, condition, eventually, TestKube, tcpRoute, trafficTarget } from '../operator/helpers.js';
import { runSmictl } from './smictl.js';

const AP_PATH = (ns: string) => `/apis/security.istio.io/v1/namespaces/${ns}/authorizationpolicies`;
const TT_CRD = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/traffictargets.access.smi-spec.io';

describe('smictl uninstall (own control plane with garbage collection)', function () {
  this.timeout(240_000);
  let cluster: TestCluster;
  let client: HttpKubeClient;
  let k: TestKube;

  before(async () => {
    cluster = await startCluster();
    client = new HttpKubeClient(cluster.kubeConfig);
    k = new TestKube(cluster);
  });
  after(async () => cluster?.stop());

  /** Operator namespace + app namespace with one TrafficTarget; returns the generated AuthorizationPolicies once Ready. */
  async function setUp(opNs: string, appNs: string): Promise<KubeObject[]> {
    for (const n of [opNs, appNs]) await client.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } } });
    await applyApp(k, appNs);
    const op: RunningOperator = await startOperator({ kubeConfig: cluster.kubeConfig, namespace: opNs, defaultMesh: 'istio', logger: silentLogger() });
    try {
      await k.apply(tcpRoute(appNs, 'tcp'));
      await k.apply(trafficTarget(appNs, 'web-to-api', 'api', ['web'], [{ kind: 'TCPRoute', name: 'tcp' }]));
      await eventually('TrafficTarget Ready', async () => condition(await k.get('access.smi-spec.io/v1alpha3', 'TrafficTarget', appNs, 'web-to-api'), 'Ready')?.status === 'True');
      const aps = await client.request<{ items: KubeObject[] }>('GET', AP_PATH(appNs));
      if (!aps.ok) throw new Error(aps.error.message);
      return aps.body.items;
    } finally {
      await op.stop();
    }
  }

  it('without --yes: warns that the generated policies go too, changes nothing', async () => {
    const aps = await setUp('smi-a', 'app-a');
    expect(aps.length).to.be.greaterThan(0);
    const r = await runSmictl(['uninstall', '--kubeconfig', cluster.kubeconfigPath, '--namespace', 'smi-a']);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain('WARNING: deleting the SMI CRDs deletes every SMI object').and.contain('AuthorizationPolicy').and.contain('--keep-native');
    expect(r.stderr).to.contain('nothing changed');
    expect((await client.request('GET', TT_CRD)).ok).to.equal(true);
  });

  it('--keep-native --yes: the CRDs go, the policies stay, detached', async () => {
    const r = await runSmictl(['uninstall', '--keep-native', '--yes', '--kubeconfig', cluster.kubeconfigPath, '--namespace', 'smi-a']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.contain('kept AuthorizationPolicy app-a/').and.contain('deleted CustomResourceDefinition traffictargets.access.smi-spec.io');
    await eventually('TrafficTarget CRD gone', async () => (await client.request('GET', TT_CRD)).ok === false);
    const aps = await client.request<{ items: KubeObject[] }>('GET', AP_PATH('app-a'));
    expect(aps.ok && aps.body.items.length).to.be.greaterThan(0);
    for (const ap of aps.ok ? aps.body.items : []) {
      expect(ap.metadata.ownerReferences ?? []).to.deep.equal([]);
      expect(ap.metadata.labels?.['app.kubernetes.io/managed-by']).to.equal(undefined);
      expect(ap.metadata.annotations?.['smi-operator.io/kept-from']).to.contain('TrafficTarget/app-a/web-to-api');
    }
  });

  it('--yes without --keep-native: the generated policies are deleted with the CRDs', async () => {
    await installCrds(cluster.kubeConfig, collectCrds().filter((c) => c.name.endsWith('.smi-spec.io')));
    const aps = await setUp('smi-b', 'app-b');
    expect(aps.length).to.be.greaterThan(0);
    const r = await runSmictl(['uninstall', '--yes', '--kubeconfig', cluster.kubeconfigPath, '--namespace', 'smi-b']);
    expect(r.code, r.stderr).to.equal(0);
    await eventually('generated AuthorizationPolicies deleted', async () => {
      const now = await client.request<{ items: KubeObject[] }>('GET', AP_PATH('app-b'));
      return now.ok && now.body.items.length === 0;
    }, 90_000, 500);
  });
});
