import { expect } from 'chai';
import { WorkQueue, type Timers } from '../../../operator/controller/queue.js';

/** Manual clock: timers fire only when the test advances time. */
class FakeTimers implements Timers {
  now = 0;
  private next = 1;
  private readonly due = new Map<number, { at: number; fn: () => void }>();
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.due.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.due.delete(h as number);
  }
  advance(ms: number): void {
    this.now += ms;
    for (const [id, t] of [...this.due].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at <= this.now) {
        this.due.delete(id);
        t.fn();
      }
    }
  }
  pending(): number[] {
    return [...this.due.values()].map((t) => t.at - this.now);
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('WorkQueue', () => {
  it('deduplicates keys queued many times', async () => {
    const seen: string[] = [];
    const q = new WorkQueue(async (k) => void seen.push(k), { concurrency: 1 });
    for (let i = 0; i < 5; i++) q.add('a');
    q.add('b');
    q.start();
    await q.idle();
    expect(seen).to.deep.equal(['a', 'b']);
  });

  it('never runs one key twice at once; a re-add while busy runs once more afterwards', async () => {
    const gate = deferred();
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const q = new WorkQueue(
      async () => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        runs++;
        if (runs === 1) await gate.promise;
        running--;
      },
      { concurrency: 4 },
    );
    q.start();
    q.add('a');
    q.add('a');
    q.add('a');
    expect(running).to.equal(1);
    gate.resolve();
    await q.idle();
    expect(maxRunning).to.equal(1);
    expect(runs).to.equal(2);
  });

  it('bounds concurrency', async () => {
    const gates = new Map<string, ReturnType<typeof deferred>>();
    let running = 0;
    let max = 0;
    const q = new WorkQueue(
      async (k) => {
        running++;
        max = Math.max(max, running);
        const g = deferred();
        gates.set(k, g);
        await g.promise;
        running--;
      },
      { concurrency: 2 },
    );
    q.start();
    for (const k of ['a', 'b', 'c', 'd']) q.add(k);
    expect(running).to.equal(2);
    expect(q.depth).to.equal(2);
    while (gates.size < 4 || running > 0) {
      for (const g of gates.values()) g.resolve();
      await new Promise((r) => setImmediate(r));
    }
    await q.idle();
    expect(max).to.equal(2);
  });

  it('retries failures with per-key exponential backoff, reset on success', async () => {
    const timers = new FakeTimers();
    let fail = 3;
    let calls = 0;
    const q = new WorkQueue(
      async () => {
        calls++;
        if (fail-- > 0) throw new Error('boom');
      },
      { concurrency: 1, baseDelayMs: 100, maxDelayMs: 1000, timers },
    );
    q.start();
    q.add('a');
    await q.idle();
    expect(calls).to.equal(1);
    expect(timers.pending()).to.deep.equal([100]);
    timers.advance(100);
    await q.idle();
    expect(timers.pending()).to.deep.equal([200]);
    timers.advance(200);
    await q.idle();
    expect(timers.pending()).to.deep.equal([400]);
    timers.advance(400);
    await q.idle();
    expect(calls).to.equal(4);
    expect(timers.pending()).to.deep.equal([]);
    expect(q.backoffFor('a')).to.equal(100);
  });

  it('honours requeueAfter from the handler and a stopped queue hands out nothing', async () => {
    const timers = new FakeTimers();
    let calls = 0;
    const q = new WorkQueue(async () => (calls++ === 0 ? { requeueAfterMs: 5000 } : undefined), { concurrency: 1, timers });
    q.start();
    q.add('a');
    await q.idle();
    expect(timers.pending()).to.deep.equal([5000]);
    q.stop();
    expect(timers.pending()).to.deep.equal([]);
    q.add('a');
    await q.idle();
    expect(calls).to.equal(1);
    q.start();
    await q.idle();
    expect(calls).to.equal(2);
  });

  it('a failure retry is not parked behind a longer pending requeue of the same key', async () => {
    const timers = new FakeTimers();
    let calls = 0;
    const q = new WorkQueue(
      async () => {
        calls++;
        if (calls === 2) throw new Error('apiserver unreachable');
      },
      { concurrency: 1, baseDelayMs: 100, timers, clock: () => timers.now },
    );
    q.start();
    q.addAfter('a', 30_000); // e.g. a Conflict re-check
    q.add('a');
    await q.idle();
    q.add('a');
    await q.idle();
    expect(calls).to.equal(2);
    // Only the earliest delay stays armed: the 100 ms retry, not the 30 s re-check.
    expect(timers.pending()).to.deep.equal([100]);
    timers.advance(100);
    await q.idle();
    expect(calls).to.equal(3);
    // A later, longer delay does not replace an earlier one.
    q.addAfter('a', 50);
    q.addAfter('a', 5000);
    expect(timers.pending()).to.deep.equal([50]);
  });
});
