// RBAC is on: users and ServiceAccounts get exactly what their Roles grant.

import { expect } from 'chai';
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { createTestNamespace, sharedCluster } from '../../support/cluster.js';
import { expectApiError } from '../../support/api-errors.js';

describe('control plane: RBAC', () => {
  let ns: string;
  let other: string;

  before(async () => {
    const cluster = sharedCluster();
    ns = await createTestNamespace(cluster, 'cp-rbac');
    other = await createTestNamespace(cluster, 'cp-rbac-other');
    const rbac = cluster.kubeConfig.makeApiClient(RbacAuthorizationV1Api);
    const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
    await rbac.createNamespacedRole({
      namespace: ns,
      body: { metadata: { name: 'cm-reader' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }] },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: ns,
      body: {
        metadata: { name: 'cm-reader' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm-reader' },
        subjects: [
          { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' },
          { kind: 'ServiceAccount', name: 'reader', namespace: ns },
        ],
      },
    });
    await core.createNamespacedServiceAccount({ namespace: ns, body: { metadata: { name: 'reader' } } });
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'visible' }, data: { a: 'b' } } });
  });

  async function assertNarrow(kc: KubeConfig, who: string): Promise<void> {
    const core = kc.makeApiClient(CoreV1Api);
    const cm = await core.readNamespacedConfigMap({ namespace: ns, name: 'visible' });
    expect(cm.data?.a, who).to.equal('b');
    const create = await expectApiError(core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'nope' } } }));
    expect(create.status, who).to.equal(403);
    expect(create.message).to.match(/cannot create resource "configmaps"/);
    expect((await expectApiError(core.deleteNamespacedConfigMap({ namespace: ns, name: 'visible' }))).status, who).to.equal(403);
    expect((await expectApiError(core.listNamespacedConfigMap({ namespace: other }))).status, who).to.equal(403);
    expect((await expectApiError(core.listNamespacedSecret({ namespace: ns }))).status, who).to.equal(403);
  }

  it('a client-certificate user with a read-only Role can read but not write (403)', async () => {
    await assertNarrow(sharedCluster().userKubeConfig('alice', ['smi-test:readers']), 'alice');
  });

  it('an unbound user is denied even reads', async () => {
    const core = sharedCluster().userKubeConfig('mallory').makeApiClient(CoreV1Api);
    expect((await expectApiError(core.readNamespacedConfigMap({ namespace: ns, name: 'visible' }))).status).to.equal(403);
  });

  it('a ServiceAccount token (signed by the API server) gets the same narrow rights', async () => {
    const cluster = sharedCluster();
    const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
    const tr = await core.createNamespacedServiceAccountToken({
      namespace: ns,
      name: 'reader',
      body: { spec: { audiences: [], expirationSeconds: 600 } },
    });
    const token = tr.status?.token;
    expect(token).to.be.a('string');
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: cluster.server, caData: Buffer.from(cluster.caCertPem).toString('base64') }],
      users: [{ name: 'reader', token }],
      contexts: [{ name: 'c', cluster: 'c', user: 'reader' }],
      currentContext: 'c',
    });
    await assertNarrow(kc, 'serviceaccount reader');
  });
});
