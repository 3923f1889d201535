// GitOps tools (Argo CD, Flux) apply the CRDs server-side under their own field
// manager next to whoever installed them. Any field the API server normalises
// away (e.g. an empty `properties: {}`) makes the stored `.spec.versions` differ
// from the applied one, and since that list is atomic the second manager gets a
// 409 Conflict. Every generated CRD must apply cleanly under two managers.

import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { sharedCluster } from '../../support/cluster.js';
import { kubeRequest, serverSideApply } from '../../../dev/controlplane/kube-request.js';

interface Crd {
  metadata: { name: string };
  spec: { group: string; names: { plural: string } };
}

// The shared cluster already holds the real SMI CRDs; apply copies under a
// private group so the test neither fights nor disturbs them.
function underTestGroup(crd: Crd): Crd {
  const copy = structuredClone(crd);
  copy.spec.group = `${crd.spec.group.split('.')[0]}.gitops-ssa.test`;
  copy.metadata.name = `${crd.spec.names.plural}.${copy.spec.group}`;
  return copy;
}

function generatedCrds(): { file: string; crd: Crd }[] {
  const out: { file: string; crd: Crd }[] = [];
  const files = [
    ...readdirSync('config/crd/bases').map((f) => `config/crd/bases/${f}`),
    ...readdirSync('bundle/manifests').map((f) => `bundle/manifests/${f}`),
  ];
  for (const file of files) {
    const doc = yaml.load(readFileSync(file, 'utf8')) as Crd & { kind: string; spec: { conversion?: unknown } };
    if (doc.kind !== 'CustomResourceDefinition') continue;
    // The bundle CRDs name a conversion webhook Service that does not run here.
    delete doc.spec.conversion;
    out.push({ file, crd: doc });
  }
  return out;
}

describe('deploy: GitOps-safe CRDs (server-side apply under two field managers)', () => {
  const applied: string[] = [];
  after(async () => {
    for (const name of applied) {
      await kubeRequest(sharedCluster().kubeConfig, { method: 'DELETE', path: `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}` });
    }
  });

  it('finds the generated CRDs in config/crd/bases and bundle/manifests', () => {
    const files = generatedCrds().map((c) => c.file);
    const inConfig = files.filter((f) => f.startsWith('config/'));
    expect(inConfig.length).to.be.at.least(5);
    expect(inConfig).to.include('config/crd/bases/specs.smi-spec.io_tcproutes.yaml');
    // The bundle ships every CRD config/ generates.
    expect(files.filter((f) => f.startsWith('bundle/')).length).to.equal(inConfig.length);
  });

  for (const { file, crd } of generatedCrds()) {
    it(`${file}: a second manager applies the same CRD without a conflict`, async () => {
      const kc = sharedCluster().kubeConfig;
      const test = underTestGroup(crd);
      const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${test.metadata.name}`;
      const first = await serverSideApply(kc, path, test, 'installer');
      expect(first.status, first.text).to.be.oneOf([200, 201]);
      applied.push(test.metadata.name);
      const second = await serverSideApply(kc, path, test, 'argocd-controller');
      expect(second.status, second.text).to.equal(200);
      // And back again: the first manager re-applying is no conflict either.
      const third = await serverSideApply(kc, path, test, 'installer');
      expect(third.status, third.text).to.equal(200);
    });
  }
});
