// Fencing (issue 18.6): a write names the term it is made under; once that term
// ended (step-down, a newer term) or the lease is past its renew deadline, the
// Writer refuses it without sending, and a request in flight is aborted.

import { expect } from 'chai';
import type { KubeClient, KubeResult, RequestOptions } from '../../../kube/client.js';
import { Fence } from '../../../operator/leader/fence.js';
import { OperatorMetrics } from '../../../operator/metrics.js';
import { EventRecorder, isFenced, Writer } from '../../../operator/writer.js';
import type { KubeObject } from '../../../schemas/hub.js';

/** Records requests; holds each until its signal aborts or release() is called. */
class HoldingClient implements KubeClient {
  readonly sent: Array<{ method: string; path: string }> = [];
  private waiting: Array<() => void> = [];
  request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<KubeResult<T>> {
    if (opts.signal?.aborted) return Promise.resolve({ ok: false, error: { status: 0, reason: 'Aborted', message: 'aborted' } });
    this.sent.push({ method, path });
    return new Promise((resolve) => {
      opts.signal?.addEventListener('abort', () => resolve({ ok: false, error: { status: 0, reason: 'Aborted', message: 'aborted' } }), { once: true });
      this.waiting.push(() => resolve({ ok: true, status: 200, body: {} as T }));
    });
  }
  release(): void {
    for (const w of this.waiting.splice(0)) w();
  }
  watch(): never {
    throw new Error('not used');
  }
}

const obj: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'ns', uid: 'u' } } as KubeObject;

describe('fence', () => {
  it('a term is current until it ends; a new term makes the old one stale', () => {
    const f = new Fence();
    expect(f.current()).to.equal(undefined);
    const t1 = f.begin();
    expect(f.current()).to.equal(t1);
    expect(f.refuse(t1)).to.equal(undefined);
    const t2 = f.begin();
    expect(t1.signal.aborted).to.equal(true);
    expect(f.refuse(t1)).to.match(/no longer the leader/);
    expect(f.refuse(t2)).to.equal(undefined);
    f.end('lost leadership');
    expect(f.current()).to.equal(undefined);
    expect(t2.signal.aborted).to.equal(true);
    expect(f.refuse(t2)).to.match(/no longer the leader/);
  });

  it('a lease past its renew deadline fences without a step-down (a stalled event loop)', () => {
    let holds = true;
    const f = new Fence(() => holds);
    const t = f.begin();
    holds = false;
    expect(f.current()).to.equal(undefined);
    expect(f.refuse(t)).to.match(/not renewed within its deadline/);
  });

  it('the Writer sends nothing once the term ended, and aborts what is in flight', async () => {
    const client = new HoldingClient();
    const fence = new Fence();
    const writer = new Writer(client, { plural: () => 'configmaps' }, new OperatorMetrics(false), fence);
    const events = new EventRecorder(client, 'test', new OperatorMetrics(false), fence);
    const term = fence.begin();
    const inFlight = writer.apply(obj, true, term);
    expect(client.sent.map((s) => s.method)).to.deep.equal(['PATCH']);
    fence.end('lost leadership');
    const r = await inFlight;
    expect(isFenced(r), 'the in-flight apply was aborted').to.equal(true);
    // Every verb after the step-down: refused without a request.
    const after = [await writer.apply(obj, true, term), await writer.delete(obj, term), await writer.patchStatus(obj, { conditions: [] } as never, term)];
    await events.record(obj, { type: 'Normal', reason: 'X', message: 'y' }, term);
    expect(after.map((x) => (x.ok ? 'sent' : x.error.reason))).to.deep.equal(['Fenced', 'Fenced', 'Fenced']);
    expect(client.sent).to.have.length(1);
    client.release();
  });
});
