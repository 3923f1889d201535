// The one label matcher (adapters/common/label-match.ts) used by the adapters,
// the operator's dependency index and the conformance interpreters.

import { expect } from 'chai';
import fc from 'fast-check';
import { matchesLabels, matchesLabelSelector, serviceSelects } from '../../../../adapters/common/label-match.js';

const labelMap = fc.dictionary(fc.constantFrom('app', 'version', 'tier', 'team'), fc.constantFrom('a', 'b', 'c'));

describe('label matching', () => {
  it('matchLabels: any subset of the labels matches, a differing or missing pair does not', () => {
    fc.assert(
      fc.property(labelMap, labelMap, (labels, sel) => {
        const subset = Object.fromEntries(Object.entries(labels).filter(([k]) => k in sel));
        expect(matchesLabels(subset, labels)).to.equal(true);
        const expected = Object.entries(sel).every(([k, v]) => labels[k] === v);
        expect(matchesLabels(sel, labels)).to.equal(expected);
      }),
    );
    expect(matchesLabels(undefined, { app: 'a' })).to.equal(true);
    expect(matchesLabels({ constructor: 'x' }, {})).to.equal(false); // no prototype keys leak in
  });

  it('a Service without a selector, or with an empty one, selects no pods', () => {
    expect(serviceSelects(undefined, { app: 'a' })).to.equal(false);
    expect(serviceSelects({}, { app: 'a' })).to.equal(false);
    expect(serviceSelects({ app: 'a' }, { app: 'a', version: 'v1' })).to.equal(true);
    expect(serviceSelects({ app: 'a' }, { app: 'b' })).to.equal(false);
  });

  it('LabelSelector expressions: In, NotIn, Exists, DoesNotExist, and nothing for an unknown operator', () => {
    const l = { app: 'a', tier: 'web' };
    const m = (e: { key: string; operator: string; values?: string[] }) => matchesLabelSelector({ matchExpressions: [e] }, l);
    expect(m({ key: 'app', operator: 'In', values: ['a', 'b'] })).to.equal(true);
    expect(m({ key: 'app', operator: 'In', values: ['b'] })).to.equal(false);
    expect(m({ key: 'missing', operator: 'In', values: ['a'] })).to.equal(false);
    expect(m({ key: 'app', operator: 'NotIn', values: ['b'] })).to.equal(true);
    expect(m({ key: 'missing', operator: 'NotIn', values: ['a'] })).to.equal(true);
    expect(m({ key: 'tier', operator: 'Exists' })).to.equal(true);
    expect(m({ key: 'tier', operator: 'DoesNotExist' })).to.equal(false);
    expect(m({ key: 'app', operator: 'Gt', values: ['1'] })).to.equal(false);
    expect(matchesLabelSelector({ matchLabels: { app: 'b' }, matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, l)).to.equal(false);
    expect(matchesLabelSelector({}, l)).to.equal(true);
  });
});
