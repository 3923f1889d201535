import { expect } from 'chai';
import fc from 'fast-check';
import { apportion, approximationNotes, percentages, relativeWeights } from '../../../../adapters/common/weights.js';

const weights = fc.array(fc.oneof(fc.constant(0), fc.nat({ max: 1_000_000 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER })), { minLength: 1, maxLength: 20 }).filter((ws) => ws.some((w) => w > 0));

describe('apportion', () => {
  it('splits a total by largest remainder, ties to the earlier index', () => {
    expect(apportion([1, 1, 1], 100)).to.deep.equal({ units: [34, 33, 33], raised: [] });
    expect(apportion([2, 1], 100)).to.deep.equal({ units: [67, 33], raised: [] });
    expect(apportion([1, 2], 10_000)).to.deep.equal({ units: [3333, 6667], raised: [] });
    expect(apportion([0, 3, 0], 100)).to.deep.equal({ units: [0, 100, 0], raised: [] });
  });

  it('gives a weight above 0 at least one unit, taken from the largest (999:1 of 100 was 100/0)', () => {
    expect(apportion([999, 1], 100)).to.deep.equal({ units: [99, 1], raised: [1] });
    expect(apportion([99_999, 1], 10_000)).to.deep.equal({ units: [9999, 1], raised: [1] });
    expect(apportion([1_000_000, 1, 1, 2], 100)).to.deep.equal({ units: [97, 1, 1, 1], raised: [1, 2, 3] });
  });

  it('is undefined with nothing to share or more live weights than units', () => {
    expect(apportion([0, 0], 100)).to.equal(undefined);
    expect(apportion([], 100)).to.equal(undefined);
    expect(apportion([1, 1, 1], 2)).to.equal(undefined);
  });

  it('is exact for weights beyond floating-point precision', () => {
    const big = Number.MAX_SAFE_INTEGER;
    expect(apportion([big, big - 1, 1], 100)!.units).to.deep.equal([50, 49, 1]);
  });

  it('sums to the total, keeps 0 at 0 and above 0 above 0, and stays within one unit (plus one per raised weight)', () => {
    fc.assert(
      fc.property(weights, fc.constantFrom(100, 10_000, 999_999), (ws, total) => {
        const a = apportion(ws, total)!;
        expect(a.units.reduce((x, y) => x + y, 0)).to.equal(total);
        const W = ws.reduce((x, w) => x + BigInt(w), 0n);
        ws.forEach((w, i) => {
          expect(a.units[i]! > 0, `index ${i}`).to.equal(w > 0);
          const exact = BigInt(w) * BigInt(total); // share * W
          const diff = BigInt(a.units[i]!) * W - exact;
          const abs = diff < 0n ? -diff : diff;
          if (a.raised.includes(i)) {
            expect(exact < W, `raised ${i} was below one unit`).to.equal(true);
            expect(a.units[i]).to.equal(1);
          } else if (a.raised.length === 0) {
            expect(abs < W, `index ${i} is the floor or the ceiling`).to.equal(true);
          } else {
            expect(abs < BigInt(1 + a.raised.length) * W, `index ${i}`).to.equal(true);
          }
        });
      }),
    );
  });

  it('depends only on the ratios of the weights', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: 12 }).filter((ws) => ws.some((w) => w > 0)), fc.integer({ min: 2, max: 1000 }), (ws, k) => {
        expect(apportion(ws.map((w) => w * k), 10_000)).to.deep.equal(apportion(ws, 10_000));
      }),
    );
  });
});

describe('relativeWeights', () => {
  const gateway = { maxWeight: 1_000_000, maxTotal: 16_000_000 };

  it('copies weights that fit, and divides by the common divisor when that makes them fit (exact)', () => {
    expect(relativeWeights([999, 1], gateway)).to.deep.equal({ weights: [999, 1], exact: true, raised: [] });
    expect(relativeWeights([3_000_000, 1_000_000], gateway)).to.deep.equal({ weights: [3, 1], exact: true, raised: [] });
    expect(relativeWeights([5e12], gateway)).to.deep.equal({ weights: [1], exact: true, raised: [] });
  });

  it('scales what still does not fit, under the caps, never to 0', () => {
    fc.assert(
      fc.property(weights, fc.constantFrom(gateway, { maxWeight: 2 ** 31 - 1, maxTotal: 2 ** 31 - 1 }, { maxWeight: 100, maxTotal: 100 }), (ws, limits) => {
        fc.pre(ws.filter((w) => w > 0).length <= 16);
        const r = relativeWeights(ws, limits)!;
        expect(r.weights.every((w) => Number.isSafeInteger(w) && w >= 0 && w <= limits.maxWeight)).to.equal(true);
        expect(r.weights.reduce((a, b) => a + b, 0)).to.be.at.most(limits.maxTotal);
        ws.forEach((w, i) => expect(r.weights[i]! > 0).to.equal(w > 0));
        if (r.exact) {
          // Same ratios: w_i * T == o_i * W for every i.
          const W = ws.reduce((a, w) => a + BigInt(w), 0n);
          const T = r.weights.reduce((a, w) => a + BigInt(w), 0n);
          ws.forEach((w, i) => expect(BigInt(w) * T).to.equal(BigInt(r.weights[i]!) * W));
        }
      }),
    );
  });

  it('is undefined when every weight is 0', () => {
    expect(relativeWeights([0, 0], gateway)).to.equal(undefined);
  });
});

describe('approximationNotes', () => {
  it('names each raised backend by its spec position and says why the weights were scaled', () => {
    const backends = [
      { index: 0, weight: 99_999 },
      { index: 2, weight: 1 },
    ];
    expect(approximationNotes(backends, { exact: false, raised: [1] }, { mesh: 'X', step: '0.01 %', scaled: 'scaled to 9999/1' })).to.deep.equal([
      'spec.backends: scaled to 9999/1',
      'spec.backends[2].weight: 1 of 100000 is below 0.01 %, the smallest share X can express; it gets 0.01 %, taken from the largest backend',
    ]);
    expect(approximationNotes(backends, { exact: true, raised: [] }, { mesh: 'X', step: '1', scaled: 'never' })).to.deep.equal([]);
  });
});

describe('percentages', () => {
  it('exact to 0.01 %, else rounded and marked', () => {
    expect(percentages([90])).to.deep.equal(['100 %']);
    expect(percentages([50, 30])).to.deep.equal(['62.5 %', '37.5 %']);
    expect(percentages([1, 1, 1])).to.deep.equal(['≈ 33.33 %', '≈ 33.33 %', '≈ 33.33 %']);
    expect(percentages([2, 1])).to.deep.equal(['≈ 66.67 %', '≈ 33.33 %']);
    expect(percentages([1, 9999])).to.deep.equal(['0.01 %', '99.99 %']);
    expect(percentages([Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER])).to.deep.equal(['50 %', '50 %']);
  });

  it('an exact share read back is the weight\'s share (property)', () => {
    fc.assert(fc.property(weights, (ws) => {
      const sum = ws.reduce((a, b) => a + BigInt(b), 0n);
      percentages(ws).forEach((p, i) => {
        if (p.startsWith('≈')) return;
        const hundredths = BigInt(Math.round(Number(p.replace(' %', '')) * 100));
        expect(hundredths * sum).to.equal(BigInt(ws[i]!) * 10_000n);
      });
    }));
  });
});
