import { expect } from 'chai';
import type { KubeClient, KubeResult, WatchHandle } from '../../../kube/client.js';
import { LeaderElector } from '../../../operator/leader/lease.js';
import { silentLogger } from '../../../log/log.js';

/** Serves the first acquisition (404, then create), then hangs every request like an API server that stopped answering. */
class HangingClient implements KubeClient {
  calls = 0;
  async request<T>(method: string): Promise<KubeResult<T>> {
    this.calls++;
    if (this.calls === 1 && method === 'GET') return { ok: false, error: { status: 404, reason: 'NotFound', message: 'not found' } };
    if (this.calls === 2 && method === 'POST') return { ok: true, status: 201, body: {} as T };
    return new Promise(() => {});
  }
  watch(): WatchHandle {
    return { done: new Promise(() => {}), abort: () => {} };
  }
}

describe('LeaderElector', () => {
  it('steps down when it cannot renew, even while a renewal request hangs', async () => {
    const changes: boolean[] = [];
    let lost!: () => void;
    const steppedDown = new Promise<void>((r) => (lost = r));
    const e = new LeaderElector(new HangingClient(), { namespace: 'ns', name: 'lease', identity: 'me', leaseDurationSeconds: 1, retryPeriodMs: 50 }, silentLogger(), (v) => {
      changes.push(v);
      if (!v) lost();
    });
    e.start();
    await steppedDown;
    expect(changes).to.deep.equal([true, false]);
    expect(e.isLeader()).to.equal(false);
    await e.stop(false);
  });

  it('holds() turns false past the renew deadline while the event loop is blocked, before the step-down timer can fire', async () => {
    let became!: () => void;
    const leading = new Promise<void>((r) => (became = r));
    const e = new LeaderElector(new HangingClient(), { namespace: 'ns', name: 'lease', identity: 'me', leaseDurationSeconds: 0.3, retryPeriodMs: 50 }, silentLogger(), (v) => v && became());
    e.start();
    await leading;
    expect(e.holds()).to.equal(true);
    // A CPU-bound stall (the event loop is the lease's lifeline): the deadline (2/3 of 300 ms) passes
    // without any timer running. Writes check holds() by the clock, so they are fenced at once.
    const until = Date.now() + 250;
    while (Date.now() < until) {
      /* blocked */
    }
    expect(e.isLeader(), 'the step-down timer has not run yet').to.equal(true);
    expect(e.holds()).to.equal(false);
    await e.stop(false);
  });
});
