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

/**
 * One Lease with resourceVersion checks, as the API server keeps it. The renewal PUT after the
 * acquisition is parked; a GET arriving while it is parked is answered first, then the PUT lands
 * (the interleaving that made a graceful stop's release a 409); otherwise it lands on the next turn.
 */
class LeaseServer implements KubeClient {
  lease: { metadata: { resourceVersion: string }; spec: Record<string, unknown> } | undefined;
  private parked: (() => void) | undefined;
  renewalParked!: Promise<void>;
  private onParked!: () => void;
  constructor() {
    this.renewalParked = new Promise((r) => (this.onParked = r));
  }
  private write(body: { metadata: { resourceVersion?: string }; spec: Record<string, unknown> }): KubeResult<never> {
    if (this.lease && body.metadata.resourceVersion !== this.lease.metadata.resourceVersion) return { ok: false, error: { status: 409, reason: 'Conflict', message: 'the object has been modified' } };
    this.lease = { metadata: { resourceVersion: String(Number(this.lease?.metadata.resourceVersion ?? 0) + 1) }, spec: body.spec };
    return { ok: true, status: 200, body: structuredClone(this.lease) as never };
  }
  async request<T>(method: string, _path: string, o?: { body?: unknown }): Promise<KubeResult<T>> {
    const body = o?.body as { metadata: { resourceVersion?: string }; spec: Record<string, unknown> } | undefined;
    if (method === 'GET') {
      const answer: KubeResult<T> = this.lease ? { ok: true, status: 200, body: structuredClone(this.lease) as T } : { ok: false, error: { status: 404, reason: 'NotFound', message: 'not found' } };
      this.parked?.();
      return answer;
    }
    if (method === 'POST') return this.write({ ...body!, metadata: {} }) as KubeResult<T>;
    const renewal = body!.spec.holderIdentity !== null && !this.parked && this.lease?.spec.renewTime !== body!.spec.renewTime;
    if (!renewal) return this.write(body!) as KubeResult<T>;
    return new Promise((resolve) => {
      const land = (): void => {
        clearImmediate(later);
        resolve(this.write(body!) as KubeResult<T>);
      };
      const later = setImmediate(land);
      this.parked = land;
      this.onParked();
    });
  }
  watch(): WatchHandle {
    return { done: new Promise(() => {}), abort: () => {} };
  }
}

describe('LeaderElector', () => {
  it('a graceful stop releases the lease even while a renewal is in flight (the release waits for it; it was a 409)', async () => {
    const server = new LeaseServer();
    let leading!: () => void;
    const led = new Promise<void>((r) => (leading = r));
    const e = new LeaderElector(server, { namespace: 'ns', name: 'lease', identity: 'me', leaseDurationSeconds: 15, retryPeriodMs: 10 }, silentLogger(), (v) => v && leading());
    e.start();
    await led;
    await server.renewalParked;
    await e.stop();
    expect(server.lease?.spec.holderIdentity ?? null).to.equal(null);
    expect(e.isLeader()).to.equal(false);
  });

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
