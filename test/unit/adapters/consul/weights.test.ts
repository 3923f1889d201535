import { expect } from 'chai';
import fc from 'fast-check';
import { passesValidation, scaledSum, splitterWeights, webhookSum } from '../../../../adapters/consul/weights.js';
import { apportion } from '../../../../adapters/common/weights.js';

describe('consul: ServiceSplitter weights', () => {
  it('restates both validations: Consul\'s whole 0.01 % steps and consul-k8s\'s float32 sum in list order', () => {
    expect(scaledSum([99.98, 0.01, 0.01])).to.equal(10_000);
    expect(webhookSum([99.98, 0.01, 0.01])).to.not.equal(100); // what consul-k8s rejects
    expect(webhookSum([0.01, 0.01, 99.98])).to.equal(100);
    expect(passesValidation([99.98, 0.01, 0.01])).to.equal(false);
    expect(passesValidation([0.01, 0.01, 99.98])).to.equal(true);
    expect(passesValidation([100, 0.001])).to.equal(false);
  });

  it('keeps the spec order when it passes and reorders only when it must', () => {
    expect(splitterWeights([999, 1])).to.deep.equal({ order: [0, 1], percents: [99.9, 0.1], raised: [] });
    expect(splitterWeights([9998, 1, 1])).to.deep.equal({ order: [1, 2, 0], percents: [99.98, 0.01, 0.01], raised: [] });
    expect(splitterWeights([1_000_000, 1])).to.deep.equal({ order: [0, 1], percents: [99.99, 0.01], raised: [1] });
  });

  it('always finds weights and an order both validations accept (up to 10,000 backends)', function () {
    this.timeout(60_000);
    const ws = fc.array(fc.oneof(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER })), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(ws, (w) => {
        const r = splitterWeights(w);
        expect(r, 'a split of at most 60 backends is always expressible').to.not.equal(undefined);
        expect(passesValidation(r!.order.map((i) => r!.percents[i]!))).to.equal(true);
        expect([...r!.order].sort((a, b) => a - b)).to.deep.equal(w.map((_, i) => i));
        if (r!.moved) {
          // The rare fallback: exactly one 0.01 % step between two backends, relative to apportioning.
          const a = apportion(w, 10_000)!;
          const diff = r!.percents.map((p, i) => Math.round(p * 100) - a.units[i]!);
          expect(diff[r!.moved.from]).to.equal(-1);
          expect(diff[r!.moved.to]).to.equal(1);
          expect(diff.filter((d) => d !== 0)).to.have.lengthOf(2);
        }
      }),
      // endOnFailure: a shrink of 60 huge weights re-runs an order search thousands of times (minutes).
      { numRuns: 2000, endOnFailure: true },
    );
  });

  it('finds an order for splits the structured orders miss (7,10,7,2,7: found by fast-check), moving no step', () => {
    const r = splitterWeights([7, 10, 7, 2, 7])!;
    expect(r.moved).to.equal(undefined);
    expect(passesValidation(r.order.map((i) => r.percents[i]!))).to.equal(true);
    expect(r.percents.map((p) => Math.round(p * 100))).to.deep.equal(apportion([7, 10, 7, 2, 7], 10_000)!.units);
  });

  it('cannot give more than 10,000 backends 0.01 % each', () => {
    expect(splitterWeights(new Array(10_001).fill(1))).to.equal(undefined);
  });
});
