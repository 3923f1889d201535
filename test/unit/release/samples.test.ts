// `kubectl apply -k config/samples` on an installed operator must not touch the
// adapter ConfigMap (it would switch a Linkerd user back to Istio); config/manager owns it.

import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import yaml from 'js-yaml';

describe('config/samples', () => {
  it('holds no operator ConfigMap and nothing in the operator namespace', function () {
    this.timeout(30_000);
    const objs = yaml.loadAll(execFileSync('kubectl', ['kustomize', 'config/samples'], { encoding: 'utf8', maxBuffer: 64 << 20 })) as Array<{ kind: string; metadata: { name: string; namespace?: string } }>;
    expect(objs.length).to.be.greaterThan(5);
    expect(objs.filter((o) => o.kind === 'ConfigMap' && o.metadata.name === 'smi-operator-config')).to.deep.equal([]);
    expect(objs.filter((o) => o.metadata.namespace === 'smi-system' || (o.kind === 'Namespace' && o.metadata.name === 'smi-system')).map((o) => `${o.kind}/${o.metadata.name}`)).to.deep.equal([]);
  });
});
