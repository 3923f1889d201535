// The CRDs the harness installs are really enforced by the API server:
// OpenAPI schema, strict field validation and CEL rules.

import { expect } from 'chai';
import { ApiextensionsV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { createTestNamespace, sharedCluster } from '../../support/cluster.js';
import { collectCrds } from '../../../dev/controlplane/crds.js';
import { expectApiError } from '../../support/api-errors.js';
import { kubeRequest } from '../../../dev/controlplane/kube-request.js';

const virtualService = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name },
  spec,
});

describe('control plane: CRDs', () => {
  let ns: string;
  let custom: CustomObjectsApi;

  before(async () => {
    const cluster = sharedCluster();
    ns = await createTestNamespace(cluster, 'cp-crds');
    custom = cluster.kubeConfig.makeApiClient(CustomObjectsApi);
  });

  it('serves /version v1.35.4 (the pinned build)', async () => {
    const res = await kubeRequest(sharedCluster().kubeConfig, { method: 'GET', path: '/version' });
    expect(res.status).to.equal(200);
    expect((res.body as { gitVersion: string }).gitVersion).to.equal('v1.35.4');
  });

  it('installed every SMI and mesh CRD, all Established', async () => {
    const want = collectCrds().map((c) => c.name);
    expect(want).to.include('virtualservices.networking.istio.io');
    expect(want).to.include('gatewayclasses.gateway.networking.k8s.io');
    const list = await sharedCluster().kubeConfig.makeApiClient(ApiextensionsV1Api).listCustomResourceDefinition();
    const established = new Set(
      list.items
        .filter((c) => c.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True'))
        .map((c) => c.metadata?.name),
    );
    expect(want.filter((n) => !established.has(n))).to.deep.equal([]);
  });

  it('installed each CRD as its file defines it (SMI definitions win over duplicates)', async () => {
    const ext = sharedCluster().kubeConfig.makeApiClient(ApiextensionsV1Api);
    for (const c of collectCrds()) {
      const live = await ext.readCustomResourceDefinition({ name: c.name });
      const versions = (crd: typeof live) => crd.spec.versions.map((v) => `${v.name}:${v.served}:${v.storage}`).sort();
      expect(versions(live), `${c.name} from ${c.file}`).to.deep.equal(versions(c.crd));
    }
  });

  it('accepts a valid Istio VirtualService', async () => {
    const created = (await custom.createNamespacedCustomObject({
      group: 'networking.istio.io',
      version: 'v1',
      namespace: ns,
      plural: 'virtualservices',
      body: virtualService('valid', { hosts: ['reviews'], http: [{ timeout: '5s', route: [{ destination: { host: 'reviews' } }] }] }),
    })) as { metadata: { uid?: string } };
    expect(created.metadata.uid).to.be.a('string');
  });

  it('rejects a VirtualService whose hosts is not an array (OpenAPI schema)', async () => {
    const { status, message } = await expectApiError(
      custom.createNamespacedCustomObject({
        group: 'networking.istio.io',
        version: 'v1',
        namespace: ns,
        plural: 'virtualservices',
        body: virtualService('bad-hosts', { hosts: 'reviews' }),
      }),
    );
    expect(status).to.equal(422);
    expect(message).to.match(/spec\.hosts/);
  });

  it('rejects a VirtualService with an invalid timeout (Istio CEL rule)', async () => {
    const { status, message } = await expectApiError(
      custom.createNamespacedCustomObject({
        group: 'networking.istio.io',
        version: 'v1',
        namespace: ns,
        plural: 'virtualservices',
        body: virtualService('bad-timeout', { hosts: ['reviews'], http: [{ timeout: '0.1ms', route: [{ destination: { host: 'reviews' } }] }] }),
      }),
    );
    expect(status).to.equal(422);
    expect(message).to.include('must be a valid duration greater than 1ms');
  });

  it('rejects an unknown field with fieldValidation=Strict, and prunes it without', async () => {
    const body = virtualService('unknown-field', { hosts: ['reviews'], notAField: true });
    const path = `/apis/networking.istio.io/v1/namespaces/${ns}/virtualservices`;
    const kc = sharedCluster().kubeConfig;
    const strict = await kubeRequest(kc, { method: 'POST', path, query: { fieldValidation: 'Strict' }, body });
    expect(strict.status).to.equal(400);
    expect((strict.body as { message: string }).message).to.include('unknown field "spec.notAField"');
    const lax = await kubeRequest(kc, { method: 'POST', path, query: { fieldValidation: 'Ignore' }, body });
    expect(lax.status).to.equal(201);
    expect((lax.body as { spec: Record<string, unknown> }).spec).to.not.have.property('notAField');
  });

  it('enforces a Gateway API CEL transition rule (GatewayClass controllerName is immutable)', async () => {
    const kc = sharedCluster().kubeConfig;
    const name = `${ns}-gc`;
    const path = '/apis/gateway.networking.k8s.io/v1/gatewayclasses';
    const created = await kubeRequest(kc, {
      method: 'POST',
      path,
      body: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name }, spec: { controllerName: 'example.com/one' } },
    });
    expect(created.status, created.text).to.equal(201);
    try {
      const patch = (spec: object) =>
        kubeRequest(kc, { method: 'PATCH', path: `${path}/${name}`, body: { spec }, contentType: 'application/merge-patch+json' });
      const changed = await patch({ controllerName: 'example.com/two' });
      expect(changed.status).to.equal(422);
      expect(changed.text).to.include('Value is immutable');
      // The same object accepts a change the rule allows: the 422 came from the rule, not the request.
      const described = await patch({ description: 'still fine' });
      expect(described.status, described.text).to.equal(200);
    } finally {
      await kubeRequest(kc, { method: 'DELETE', path: `${path}/${name}` });
    }
  });
});
