// The generated OLM bundle against the real API server: the CSV is accepted by
// the real ClusterServiceVersion CRD (operators.coreos.com, from shared/crds/olm)
// with strict field validation, and so is every other manifest.

import { expect } from 'chai';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { generateBundle, writeBundle, PACKAGE } from '../../../release/bundle.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { createTestNamespace, sharedCluster } from '../../support/cluster.js';
import { kubeRequest } from '../../../dev/controlplane/kube-request.js';
import { repoRoot } from '../../../dev/controlplane/paths.js';
import { restMapper } from '../../../kube/rest-mapper.js';

// OLM's CSV is the one kind here the programs never touch.
const mapper = restMapper([{ apiVersion: 'operators.coreos.com/v1alpha1', kind: 'ClusterServiceVersion', plural: 'clusterserviceversions', namespaced: true }]);

async function dryRun(o: KubeObject, ns: string): Promise<{ status: number; text: string }> {
  // Server-side apply (create or update alike), dry run, strict: unknown or duplicate fields fail.
  const r = await kubeRequest(sharedCluster().kubeConfig, {
    method: 'PATCH',
    path: mapper.path({ ...o, metadata: { namespace: ns, name: o.metadata.name } }),
    query: { dryRun: 'All', fieldValidation: 'Strict', fieldManager: 'smi-bundle-test', force: 'true' },
    contentType: 'application/apply-patch+yaml',
    body: o,
  });
  return { status: r.status, text: r.text };
}

describe('deploy: the OLM bundle on the real API server', function () {
  this.timeout(60_000);
  let dir: string;
  let ns: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smi-bundle-int-'));
    writeBundle(generateBundle({ root: repoRoot(), version: '0.1.0', image: 'smi-operator:0.1.0' }), dir);
    ns = await createTestNamespace(sharedCluster(), 'bundle');
  });

  it('the ClusterServiceVersion is accepted by the real CSV CRD (dry run, strict field validation)', async () => {
    const csv = yaml.load(readFileSync(join(dir, 'manifests', `${PACKAGE}.clusterserviceversion.yaml`), 'utf8')) as KubeObject;
    const r = await dryRun(csv, ns);
    expect(r.status, r.text).to.be.oneOf([200, 201]);
  });

  it('the same path rejects a CSV with a field the CRD does not define', async () => {
    const csv = yaml.load(readFileSync(join(dir, 'manifests', `${PACKAGE}.clusterserviceversion.yaml`), 'utf8')) as KubeObject & { spec: Record<string, unknown> };
    csv.spec.installModez = [];
    const r = await dryRun(csv, ns);
    // Server-side apply reports an undeclared field as a failure to build the typed object (500), others as 400.
    expect(r.status, r.text).to.be.oneOf([400, 422, 500]);
    expect(r.text).to.match(/installModez/);
  });

  it('every other manifest is accepted too', async () => {
    const files = readdirSync(join(dir, 'manifests')).filter((f) => !f.endsWith('.clusterserviceversion.yaml'));
    expect(files.length).to.be.greaterThan(5);
    for (const f of files) {
      const o = yaml.load(readFileSync(join(dir, 'manifests', f), 'utf8')) as KubeObject;
      const r = await dryRun(o, ns);
      expect(r.status, `${f}: ${r.text}`).to.be.oneOf([200, 201]);
    }
  });
});
