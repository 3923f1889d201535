// config/metrics/ is deployable: the real API server accepts every manifest
// (server-side dry run), and the RBAC gives the server's ServiceAccount exactly
// what the metrics API calls need (checked with SubjectAccessReviews).

import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { createTestNamespace, sharedCluster } from '../../support/cluster.js';
import { pollUntil } from '../../../dev/controlplane/http.js';
import { kubeRequest } from '../../../dev/controlplane/kube-request.js';

const CONFIG_DIR = fileURLToPath(new URL('../../../../config/metrics/', import.meta.url));

interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  subjects?: Array<{ namespace?: string }>;
  [k: string]: unknown;
}

const PLURAL: Record<string, string> = {
  ServiceAccount: 'serviceaccounts', ClusterRoleBinding: 'clusterrolebindings', RoleBinding: 'rolebindings', ClusterRole: 'clusterroles',
  Role: 'roles', Deployment: 'deployments', Service: 'services', APIService: 'apiservices',
};

function collectionPath(o: Obj): string {
  const base = o.apiVersion.includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
  const plural = PLURAL[o.kind];
  if (!plural) throw new Error(`no plural for ${o.kind}`);
  return o.metadata.namespace ? `${base}/namespaces/${o.metadata.namespace}/${plural}` : `${base}/${plural}`;
}

/** The manifests, with smi-system replaced by `ns` (cluster-scoped objects are deleted after the test). */
function manifests(ns: string): Obj[] {
  const files = readdirSync(CONFIG_DIR).filter((f) => f.endsWith('.yaml')).sort();
  const text = files.map((f) => readFileSync(join(CONFIG_DIR, f), 'utf8')).join('\n---\n').replaceAll('smi-system', ns);
  return (yaml.loadAll(text) as Array<Obj | null>).filter((o): o is Obj => o !== null);
}

describe('config/metrics manifests', function () {
  this.timeout(60_000);
  let ns: string;
  const created: Obj[] = [];

  before(async () => {
    ns = await createTestNamespace(sharedCluster(), 'metrics-config');
  });
  after(async () => {
    for (const o of created.reverse()) {
      await kubeRequest(sharedCluster().kubeConfig, { method: 'DELETE', path: `${collectionPath(o)}/${o.metadata.name}` }).catch(() => undefined);
    }
  });

  it('holds an APIService, Service, Deployment and the RBAC the server needs', () => {
    const kinds = manifests('x').map((o) => `${o.kind}/${o.metadata.name}`);
    expect(kinds).to.include.members([
      'APIService/v1alpha1.metrics.smi-spec.io', 'Service/smi-metrics', 'Deployment/smi-metrics', 'ServiceAccount/smi-metrics',
      'ClusterRoleBinding/smi-metrics:system:auth-delegator', 'RoleBinding/smi-metrics:extension-apiserver-authentication-reader',
    ]);
  });

  it('every manifest passes the API server\'s validation (dry run)', async () => {
    for (const o of manifests(ns)) {
      const r = await kubeRequest(sharedCluster().kubeConfig, { method: 'POST', path: collectionPath(o), query: { dryRun: 'All', fieldValidation: 'Strict' }, body: o });
      expect(r.status, `${o.kind}/${o.metadata.name}: ${r.text}`).to.be.oneOf([200, 201]);
    }
  });

  it('the RBAC lets the ServiceAccount review access, read the front-proxy ConfigMap and list what selectors need', async () => {
    const kc = sharedCluster().kubeConfig;
    for (const o of manifests(ns).filter((x) => ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'].includes(x.kind))) {
      const r = await kubeRequest(kc, { method: 'POST', path: collectionPath(o), body: o });
      expect(r.status, `${o.kind}/${o.metadata.name}: ${r.text}`).to.equal(201);
      created.push(o);
    }
    const user = `system:serviceaccount:${ns}:smi-metrics`;
    const can = async (attrs: Record<string, string>): Promise<boolean> => {
      const r = await kubeRequest(kc, {
        method: 'POST',
        path: '/apis/authorization.k8s.io/v1/subjectaccessreviews',
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user, groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`], resourceAttributes: attrs } },
      });
      return (r.body as { status?: { allowed?: boolean } }).status?.allowed === true;
    };
    expect(await can({ group: 'authorization.k8s.io', resource: 'subjectaccessreviews', verb: 'create' })).to.equal(true);
    expect(await can({ resource: 'configmaps', namespace: 'kube-system', name: 'extension-apiserver-authentication', verb: 'get' })).to.equal(true);
    expect(await can({ group: 'apps', resource: 'deployments', namespace: 'shop', verb: 'list' })).to.equal(true);
    // It follows the operator's adapter ConfigMap, and reads no other ConfigMap there.
    expect(await can({ resource: 'configmaps', namespace: ns, name: 'smi-operator-config', verb: 'get' })).to.equal(true);
    expect(await can({ resource: 'configmaps', namespace: ns, name: 'other', verb: 'get' })).to.equal(false);
    expect(await can({ group: 'split.smi-spec.io', resource: 'trafficsplits', namespace: 'shop', verb: 'get' })).to.equal(true);
    // Nothing more than reading: no writes, no secrets.
    expect(await can({ group: 'apps', resource: 'deployments', namespace: 'shop', verb: 'delete' })).to.equal(false);
    expect(await can({ resource: 'secrets', namespace: 'kube-system', verb: 'get' })).to.equal(false);
    // smi-traffic-metrics-view reads metrics and edges. (It carries aggregate-to-view so `view` gets it
    // too; the test control plane does not run the aggregation controller, so bind it directly.)
    const role = manifests(ns).find((o) => o.metadata.name === 'smi-traffic-metrics-view') as Obj & { metadata: { labels?: Record<string, string> } };
    expect(role.metadata.labels).to.deep.equal({ 'rbac.authorization.k8s.io/aggregate-to-view': 'true' });
    const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'viewers', namespace: ns }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'smi-traffic-metrics-view' }, subjects: [{ kind: 'Group', name: 'viewers', apiGroup: 'rbac.authorization.k8s.io' }] };
    expect((await kubeRequest(kc, { method: 'POST', path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, body: binding })).status).to.equal(201);
    const viewer = (subresource?: string) =>
      kubeRequest(kc, {
        method: 'POST',
        path: '/apis/authorization.k8s.io/v1/subjectaccessreviews',
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'viewer', groups: ['viewers'], resourceAttributes: { group: 'metrics.smi-spec.io', resource: 'deployments', ...(subresource ? { subresource } : {}), namespace: ns, verb: 'get' } } },
      }).then((r) => ((r.body as { status?: { allowed?: boolean } }).status?.allowed === true ? true : undefined));
    expect(await pollUntil('the viewers binding to take effect', 10_000, () => viewer('edges'))).to.equal(true);
    expect(await viewer()).to.equal(true);
  });
});
