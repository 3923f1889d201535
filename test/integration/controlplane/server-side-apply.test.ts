// Server-side apply conflicts are decided by the real API server.

import { expect } from 'chai';
import { createTestNamespace, sharedCluster } from '../../support/cluster.js';
import { serverSideApply } from '../../../dev/controlplane/kube-request.js';
import type { KubeClient, RequestOptions } from '../../../kube/client.js';

interface ManagedObject {
  data?: Record<string, string>;
  metadata: { managedFields?: { manager: string; operation: string }[] };
}

describe('control plane: server-side apply', () => {
  let ns: string;
  before(async () => {
    ns = await createTestNamespace(sharedCluster(), 'cp-ssa');
  });

  const cm = (value: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared' }, data: { key: value } });

  it('rejects a second manager with 409, and force moves ownership', async () => {
    const kc = sharedCluster().kubeConfig;
    const path = `/api/v1/namespaces/${ns}/configmaps/shared`;

    const first = await serverSideApply(kc, path, cm('a'), 'manager-a');
    expect(first.status, first.text).to.equal(201);

    // Same value from another manager: no conflict, shared ownership.
    const same = await serverSideApply(kc, path, cm('a'), 'manager-b');
    expect(same.status, same.text).to.equal(200);

    const conflict = await serverSideApply(kc, path, cm('b'), 'manager-c');
    expect(conflict.status).to.equal(409);
    const status = conflict.body as { reason: string; details: { causes: { field: string; message: string }[] } };
    expect(status.reason).to.equal('Conflict');
    expect(status.details.causes.map((c) => c.field)).to.include('.data.key');
    expect(conflict.text).to.include('manager-a');

    const forced = await serverSideApply(kc, path, cm('b'), 'manager-c', true);
    expect(forced.status, forced.text).to.equal(200);
    const obj = forced.body as ManagedObject;
    expect(obj.data?.key).to.equal('b');
    const appliers = (obj.metadata.managedFields ?? []).filter((f) => f.operation === 'Apply').map((f) => f.manager);
    expect(appliers).to.include('manager-c');
    expect(appliers).to.not.include('manager-a');

    // manager-a lost the field: applying its old value now conflicts with manager-c.
    const again = await serverSideApply(kc, path, cm('a'), 'manager-a');
    expect(again.status).to.equal(409);
    expect(again.text).to.include('manager-c');
  });
});

describe('control plane: writes answered with metadata only', () => {
  it('server-side apply and a status merge patch of custom resources answer with PartialObjectMetadata when asked (operator/writer.ts METADATA_ONLY)', async () => {
    const { HttpKubeClient } = await import('../../../kube/client.js');
    const { Writer } = await import('../../../operator/writer.js');
    const { Fence } = await import('../../../operator/leader/fence.js');
    const { OperatorMetrics } = await import('../../../operator/metrics.js');
    const { restMapper } = await import('../../../kube/rest-mapper.js');
    const { allNativeKinds, getAdapter } = await import('../../../adapters/index.js');
    const ns = await createTestNamespace(sharedCluster(), 'cp-meta');
    const client = new HttpKubeClient(sharedCluster().kubeConfig);
    const requests: string[] = [];
    const recording: KubeClient = {
      request: <T>(m: string, p: string, o?: RequestOptions) => (requests.push(`${m} ${o?.accept ?? ''}`), client.request<T>(m, p, o)),
      watch: client.watch.bind(client),
    };
    const mapper = restMapper(allNativeKinds(getAdapter));
    const fence = new Fence(() => true);
    const term = fence.begin();
    const writer = new Writer(recording, { plural: (av, kind) => mapper.mapping(av, kind)?.plural }, new OperatorMetrics(false), fence);
    const vs = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'web', namespace: ns }, spec: { hosts: ['web'], http: [{ route: [{ destination: { host: 'web' } }] }] } };
    const applied = await writer.apply(vs, true, term);
    expect(applied.ok, JSON.stringify(applied)).to.equal(true);
    const body = (applied as { body: Record<string, unknown> & { metadata: { resourceVersion?: string; name?: string } } }).body;
    expect(body.kind).to.equal('PartialObjectMetadata');
    expect(body).to.not.have.property('spec');
    expect(body.metadata.name).to.equal('web');
    expect(body.metadata.resourceVersion).to.be.a('string').and.not.equal('');
    const split = { apiVersion: 'split.smi-spec.io/v1alpha4', kind: 'TrafficSplit', metadata: { name: 'web', namespace: ns }, spec: { service: 'web', backends: [{ service: 'web-v1', weight: 1 }] } };
    expect((await client.request('PATCH', `/apis/split.smi-spec.io/v1alpha4/namespaces/${ns}/trafficsplits/web`, { query: { fieldManager: 't' }, body: split, contentType: 'application/apply-patch+yaml' })).ok).to.equal(true);
    const got = await client.request<{ metadata: typeof split.metadata & { uid: string } }>('GET', `/apis/split.smi-spec.io/v1alpha4/namespaces/${ns}/trafficsplits/web`);
    expect(got.ok).to.equal(true);
    const status = await writer.patchStatus({ ...split, metadata: (got as { body: { metadata: typeof split.metadata } }).body.metadata }, { observedGeneration: 1, conditions: [] }, term);
    expect(status.ok, JSON.stringify(status)).to.equal(true);
    expect((status as { body: { kind?: string } }).body.kind).to.equal('PartialObjectMetadata');
    expect(requests.every((r) => r.includes('as=PartialObjectMetadata'))).to.equal(true);
  });
});
