import { expect } from 'chai';
import fc from 'fast-check';
import { largestRemainder } from '../../../../adapters/common/percent.js';

describe('largestRemainder', () => {
  it('splits 1/1/1 as 34/33/33 (ties go to the earlier backend)', () => {
    expect(largestRemainder([1, 1, 1])).to.deep.equal([34, 33, 33]);
  });
  it('keeps percentages that already sum to 100', () => {
    expect(largestRemainder([33, 33, 34])).to.deep.equal([33, 33, 34]);
  });
  it('scales relative weights', () => {
    expect(largestRemainder([1, 9])).to.deep.equal([10, 90]);
    expect(largestRemainder([500, 1])).to.deep.equal([100, 0]);
    expect(largestRemainder([2, 1])).to.deep.equal([67, 33]);
  });
  it('gives zero weights nothing and reports all-zero as undefined', () => {
    expect(largestRemainder([0, 3, 0])).to.deep.equal([0, 100, 0]);
    expect(largestRemainder([0, 0])).to.equal(undefined);
    expect(largestRemainder([])).to.equal(undefined);
  });
  it('is exact for weights beyond floating-point precision', () => {
    const big = Number.MAX_SAFE_INTEGER;
    expect(largestRemainder([big, big - 1, 1])).to.deep.equal([50, 50, 0]);
  });

  const weights = fc.array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: 20 }).filter((ws) => ws.some((w) => w > 0));

  it('sums to exactly 100, each within 1 of the exact share, zero stays zero', () => {
    fc.assert(
      fc.property(weights, (ws) => {
        const p = largestRemainder(ws)!;
        const total = ws.reduce((a, b) => a + b, 0);
        expect(p.reduce((a, b) => a + b, 0)).to.equal(100);
        ws.forEach((w, i) => {
          const exact = (w * 100) / total;
          expect(Math.abs(p[i]! - exact)).to.be.lessThan(1);
          expect(p[i]! === Math.floor(exact) || p[i]! === Math.ceil(exact)).to.equal(true);
          if (w === 0) expect(p[i]).to.equal(0);
        });
      }),
    );
  });

  it('is monotone: a larger weight never gets a smaller percentage', () => {
    fc.assert(
      fc.property(weights, (ws) => {
        const p = largestRemainder(ws)!;
        ws.forEach((a, i) => ws.forEach((b, j) => {
          if (a > b) expect(p[i]!).to.be.at.least(p[j]!);
        }));
      }),
    );
  });

  it('depends only on the ratios of the weights', () => {
    fc.assert(
      fc.property(weights, fc.integer({ min: 2, max: 1000 }), (ws, k) => {
        expect(largestRemainder(ws.map((w) => w * k))).to.deep.equal(largestRemainder(ws));
      }),
    );
  });
});
