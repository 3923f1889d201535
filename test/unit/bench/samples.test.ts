import { expect } from 'chai';
import fc from 'fast-check';
import { interleaved, median } from '../../../bench/lib/samples.js';

describe('bench samples', () => {
  it('median: the middle value, the mean of the middle two, NaN for none; the input is not reordered', () => {
    const xs = [17.6, 13.4, 15.1];
    expect(median(xs)).to.equal(15.1);
    expect(xs).to.deep.equal([17.6, 13.4, 15.1]);
    expect(median([4, 1, 3, 2])).to.equal(2.5);
    expect(median([7])).to.equal(7);
    expect(Number.isNaN(median([]))).to.equal(true);
  });

  it('median: sorted numerically (not as strings), and between min and max', () => {
    expect(median([10, 9, 100])).to.equal(10);
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { minLength: 1 }), (xs) => {
        const m = median(xs);
        return m >= Math.min(...xs) && m <= Math.max(...xs);
      }),
    );
  });

  it('interleaved: a(0), b(0), a(1), b(1), ... one at a time, pairs in order', async () => {
    const calls: string[] = [];
    let running = 0;
    const step = (name: string) => async (i: number): Promise<string> => {
      expect(running, 'one at a time').to.equal(0);
      running++;
      calls.push(`${name}${i}`);
      await new Promise((r) => setImmediate(r));
      running--;
      return `${name}${i}`;
    };
    const pairs = await interleaved(3, step('a'), step('b'));
    expect(calls).to.deep.equal(['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
    expect(pairs).to.deep.equal([['a0', 'b0'], ['a1', 'b1'], ['a2', 'b2']]);
  });

  it('interleaved: a failure stops the run and is passed on', async () => {
    const calls: number[] = [];
    const err = await interleaved(3, async (i) => void calls.push(i), async (i) => {
      if (i === 1) throw new Error('b1 failed');
    }).catch((e: Error) => e);
    expect(String(err)).to.contain('b1 failed');
    expect(calls).to.deep.equal([0, 1]);
  });
});
