// Server-side apply conflicts are decided by the real API server.

import { expect } from 'chai';
import { createTestNamespace, sharedCluster } from '../../support/cluster.js';
import { serverSideApply } from '../../../dev/controlplane/kube-request.js';

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
