import { expect } from 'chai';
import { hubApiVersion, objectRef, SMI_KINDS } from '../../schemas/hub.js';
import { formatProblem, problem } from '../../schemas/problem.js';

describe('hub', () => {
  it('names the hub apiVersion of every kind', () => {
    expect(SMI_KINDS.map(hubApiVersion)).to.deep.equal([
      'split.smi-spec.io/v1alpha4',
      'access.smi-spec.io/v1alpha3',
      'specs.smi-spec.io/v1alpha4',
      'specs.smi-spec.io/v1alpha4',
      'specs.smi-spec.io/v1alpha4',
      ...Array(7).fill('policy.smi-operator.io/v1alpha1'),
    ]);
  });
  it('formats a problem as Kind ns/name: path: message', () => {
    const ref = objectRef({ kind: 'TrafficSplit', metadata: { name: 'ab', namespace: 'shop' } });
    expect(formatProblem(problem(ref, 'spec.backends[0].weight', 'must be >= 0'))).to.equal(
      'TrafficSplit shop/ab: spec.backends[0].weight: must be >= 0',
    );
  });
});
