// The idle GC: one compacting collection once the queue has been quiet for a while and the heap
// grew since the last one; never while work waits or runs, never for a heap that did not grow.

import { expect } from 'chai';
import { getHeapStatistics } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { IdleGc, lastResortGc } from '../../../operator/idle-gc.js';

const MiB = 2 ** 20;

function world(leaves = { committed: 45 * MiB, used: 42 * MiB }) {
  const w = { now: 0, busy: false, started: 0, committed: 40 * MiB, used: 30 * MiB, collections: 0 };
  const g = new IdleGc({
    busy: () => w.busy,
    activity: () => w.started,
    gc: () => {
      w.collections++;
      w.committed = leaves.committed;
      w.used = leaves.used;
    },
    quietMs: 10_000,
    minGrowthBytes: 16 * MiB,
    heapCommitted: () => w.committed,
    heapUsed: () => w.used,
    now: () => w.now,
  });
  return { w, g };
}

describe('IdleGc', () => {
  it('collects once after a quiet period following growth, then not again until the heap grows again', () => {
    const { w, g } = world();
    w.started++; // a burst grew the heap
    w.committed = 120 * MiB;
    w.now = 5_000;
    expect(g.check(), 'not quiet long enough').to.equal(false);
    w.now = 10_000;
    expect(g.check(), 'the activity is news: the quiet period starts now').to.equal(false);
    w.now = 20_000;
    expect(g.check()).to.equal(true);
    expect(w.collections).to.equal(1);
    w.now = 40_000;
    expect(g.check(), 'no growth since').to.equal(false);
    w.started++;
    w.committed = 55 * MiB; // 13 MiB over the 42 live after the last one
    w.now = 60_000;
    expect(g.check(), 'first look after the work').to.equal(false);
    w.now = 80_000;
    expect(g.check(), 'under 16 MiB over the live heap').to.equal(false);
    w.started++;
    w.committed = 60 * MiB; // 18 MiB over the live heap
    w.now = 90_000;
    g.check();
    w.now = 110_000;
    expect(g.check()).to.equal(true);
    expect(w.collections).to.equal(2);
  });

  it('measures growth from the live heap the last collection left, not from the pages it left committed', () => {
    // A collection in a quiet spell of a bulk apply: 70 MiB stay committed for 40 live; the rest of
    // the burst reuses those pages, so committed grows only to 80. Measured from 70, that is 10 MiB
    // of growth and the pages would stay; measured from the 40 live, it is worth a collection.
    const { w, g } = world({ committed: 70 * MiB, used: 40 * MiB });
    w.started++;
    w.committed = 100 * MiB;
    w.now = 1_000;
    g.check();
    w.now = 12_000;
    expect(g.check()).to.equal(true);
    w.started++;
    w.committed = 80 * MiB;
    w.now = 20_000;
    g.check();
    w.now = 31_000;
    expect(g.check(), '80 committed for 40 live after the burst').to.equal(true);
    expect(w.collections).to.equal(2);
  });

  it('never twice without work in between, even when the heap stays above the threshold', () => {
    const { w, g } = world();
    w.started++;
    w.committed = 120 * MiB;
    w.now = 1_000;
    g.check();
    w.now = 12_000;
    expect(g.check()).to.equal(true);
    w.committed = 100 * MiB; // say compaction could not give much back
    for (w.now = 12_000; w.now <= 120_000; w.now += 2_500) expect(g.check()).to.equal(false);
    expect(w.collections).to.equal(1);
  });

  it('never while work waits or runs, and the quiet period starts again with each piece of work', () => {
    const { w, g } = world();
    w.committed = 120 * MiB;
    w.busy = true;
    for (w.now = 0; w.now <= 60_000; w.now += 2_500) expect(g.check()).to.equal(false);
    w.busy = false;
    // A trickle: work starts every 5 s, so it is never quiet for 10 s.
    for (; w.now <= 120_000; w.now += 2_500) {
      if (w.now % 5_000 === 0) w.started++;
      expect(g.check()).to.equal(false);
    }
    w.now += 2_500;
    expect(g.check(), 'the last work was less than 10 s ago').to.equal(false);
    w.now += 10_000;
    expect(g.check()).to.equal(true);
    expect(w.collections).to.equal(1);
  });

  it('the runtime\'s last-resort GC gives back the pages a regular full GC keeps', () => {
    const gc = lastResortGc();
    expect(gc, 'V8 offers one').to.be.a('function');
    let junk: Array<{ a: string; b: number[] }> | undefined = [];
    for (let i = 0; i < 300_000; i++) junk.push({ a: `x${i}`, b: [i, i + 1] });
    junk = undefined;
    expect(junk).to.equal(undefined);
    // lastResortGc() exposed V8's gc extension: a regular full GC first.
    (runInNewContext('gc') as () => void)();
    const regular = getHeapStatistics().total_heap_size;
    gc!();
    const after = getHeapStatistics().total_heap_size;
    expect(after, `committed heap after a regular full GC ${(regular / MiB).toFixed(0)} MiB, after the last-resort one ${(after / MiB).toFixed(0)} MiB`).to.be.lessThan(regular - 10 * MiB);
  });
});
