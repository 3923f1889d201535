// The benchmark's "after a full GC" figures (B4): OperatorProc.usageAfterGc() signals the real
// `smictl operator` (SIGUSR2 runs gc() under --expose-gc) and returns only once the child's own
// metrics count a major GC more than before the signal, not after a guessed delay.

import { expect } from 'chai';
import { sharedCluster } from '../../support/cluster.js';
import { world, type World } from './support.js';

describe('bench support: the forced GC of the operator child', function () {
  this.timeout(120_000);
  let w: World | undefined;
  after(async () => w?.stop());

  it('usageAfterGc returns after a major GC the child itself counted, with the heap it left', async () => {
    w = await world(sharedCluster(), 30);
    const op = await w.startOperator();
    await w.k.applyAll(w.smiObjects, 8);
    await w.converged(60_000);
    const majors = (): Promise<number> => op.metric('nodejs_gc_duration_seconds_count', (l) => l.kind === 'major');
    const before = await majors();
    const u = await op.usageAfterGc();
    expect(await majors(), 'a major GC was counted before it returned').to.be.greaterThan(before);
    expect(u.heapUsedBytes).to.be.greaterThan(0);
    expect(u.rssAnonBytes).to.be.greaterThan(0);
    expect(u.rssFileBytes).to.be.greaterThan(0);
  });
});
