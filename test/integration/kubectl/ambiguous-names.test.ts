// Which group kubectl picks for a resource name several installed CRDs share
// (the shared control plane has the SMI and every mesh's CRDs, as a cluster
// with Linkerd, Istio and the Gateway API would): what README's "Resource
// names" table says, checked with kubectl itself.

import { expect } from 'chai';
import { sharedCluster } from '../../support/cluster.js';
import { kubectl } from '../deploy/manifests.js';

/** The API group kubectl resolves a resource name to (`kubectl explain` prints it). */
function groupOf(resource: string): string {
  const r = kubectl(sharedCluster().kubeconfigPath, ['explain', resource]);
  expect(r.code, r.out).to.equal(0);
  const m = /^GROUP:\s+(\S+)/m.exec(r.out);
  if (!m) throw new Error(`kubectl explain ${resource}: no GROUP line in\n${r.out.slice(0, 300)}`);
  return m[1]!;
}

describe('kubectl: ambiguous resource names (README "Resource names")', function () {
  this.timeout(60_000);

  const bare: Array<[string, string]> = [
    ['authorizationpolicies', 'policy.linkerd.io'],
    ['tcproutes', 'gateway.networking.k8s.io'],
    ['udproutes', 'gateway.networking.k8s.io'],
    ['httproutes', 'gateway.networking.k8s.io'],
    ['gateways', 'gateway.networking.k8s.io'],
  ];
  for (const [name, group] of bare) {
    it(`a bare ${name} is ${group}'s`, () => {
      expect(groupOf(name)).to.equal(group);
    });
  }

  it('the fully-qualified names reach the other groups, and the SMI short names are SMI\'s', () => {
    expect(groupOf('authorizationpolicies.security.istio.io')).to.equal('security.istio.io');
    expect(groupOf('tcproutes.specs.smi-spec.io')).to.equal('specs.smi-spec.io');
    expect(groupOf('udproutes.specs.smi-spec.io')).to.equal('specs.smi-spec.io');
    expect(groupOf('httproutes.policy.linkerd.io')).to.equal('policy.linkerd.io');
    expect(groupOf('gateways.networking.istio.io')).to.equal('networking.istio.io');
    for (const [short, group] of [['ts', 'split.smi-spec.io'], ['tt', 'access.smi-spec.io'], ['htr', 'specs.smi-spec.io'], ['tr', 'specs.smi-spec.io'], ['ur', 'specs.smi-spec.io']]) {
      expect(groupOf(short!), short).to.equal(group);
    }
  });
});
