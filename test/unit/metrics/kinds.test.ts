// The kinds the metrics API serves take their plural, apiVersion and scope from the
// one REST mapper; the URL names stay the ones the TrafficMetrics API defines.

import { expect } from 'chai';
import { restMapper } from '../../../kube/rest-mapper.js';
import { KINDS, kindByAlias, kindByPlural } from '../../../metrics-api/kinds.js';

describe('metrics API: served kinds', () => {
  it('are the TrafficMetrics resources, mapped as the REST mapper maps them', () => {
    expect(KINDS.map((k) => k.plural)).to.deep.equal(['namespaces', 'pods', 'deployments', 'statefulsets', 'daemonsets', 'services', 'trafficsplits']);
    const mapper = restMapper();
    for (const k of KINDS) {
      const m = mapper.mapping(k.apiVersion, k.kind)!;
      expect({ plural: m.plural, namespaced: m.namespaced }, k.kind).to.deep.equal({ plural: k.plural, namespaced: k.namespaced });
    }
    expect(kindByPlural('trafficsplits')?.apiVersion).to.equal('split.smi-spec.io/v1alpha4');
    expect(kindByAlias('deploy')?.kind).to.equal('Deployment');
    expect(kindByAlias('Namespace')?.namespaced).to.equal(false);
  });
});
