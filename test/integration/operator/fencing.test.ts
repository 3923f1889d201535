// Writes are fenced on the leader's term (issue 18.6): a leader whose lease is taken
// over while one of its reconciles is stalled in a write must not make that write,
// nor any later one, once it stepped down. The operator runs on a client that
// stalls its first AuthorizationPolicy apply and records what reaches the API server.

import { expect } from 'chai';
import { HttpKubeClient, type KubeClient, type KubeResult, type RequestOptions, type WatchEvent, type WatchHandle } from '../../../kube/client.js';
import type { RunningOperator } from '../../../operator/manager.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { sharedCluster } from '../../support/cluster.js';
import { AP, applyApp, eventually, newNamespace, runOperator, tcpRoute, TestKube, trafficTarget } from './helpers.js';

interface Sent {
  method: string;
  path: string;
  at: number;
  /** The request carried an aborted signal: the client refuses it without sending. */
  aborted: boolean;
}

/** Forwards to a real client; holds the first request matching `stallOn` until release(). */
class StallingClient implements KubeClient {
  readonly sent: Sent[] = [];
  private hit = false;
  private resume!: () => void;
  private readonly resumed = new Promise<void>((r) => (this.resume = r));
  private stalledAt!: () => void;
  /** Resolves when the stalled request arrived. */
  readonly stalled = new Promise<void>((r) => (this.stalledAt = r));

  constructor(
    private readonly real: KubeClient,
    private readonly stallOn: (method: string, path: string) => boolean,
  ) {}

  release(): void {
    this.resume();
  }

  async request<T = unknown>(method: string, path: string, opts?: RequestOptions): Promise<KubeResult<T>> {
    if (!this.hit && this.stallOn(method, path)) {
      this.hit = true;
      this.stalledAt();
      await this.resumed;
    }
    this.sent.push({ method, path, at: Date.now(), aborted: opts?.signal?.aborted ?? false });
    return this.real.request<T>(method, path, opts);
  }

  watch(path: string, query: Record<string, string | number | boolean | undefined>, onEvent: (e: WatchEvent) => void): WatchHandle {
    return this.real.watch(path, query, onEvent);
  }
}

describe('operator fences its writes on the leader lease (real API server)', function () {
  this.timeout(120_000);
  let k: TestKube;
  let ns: string;
  let op: RunningOperator | undefined;
  let client: StallingClient | undefined;

  before(async () => {
    k = new TestKube();
    ns = await newNamespace('op-fence');
    await applyApp(k, ns);
    await k.apply(tcpRoute(ns, 'all'));
    await k.apply(trafficTarget(ns, 'client-to-api', 'api', ['client'], [{ kind: 'TCPRoute', name: 'all' }]));
  });

  after(async () => {
    client?.release();
    await op?.stop({ releaseLease: false });
  });

  it('a leader that lost its lease mid-reconcile makes no write after stepping down', async () => {
    client = new StallingClient(new HttpKubeClient(sharedCluster().kubeConfig), (method, path) => method === 'PATCH' && path.includes('/authorizationpolicies/'));
    op = await runOperator(ns, { client, leaderElect: true, identity: 'op-stalled', leaseDurationSeconds: 6, leaseRetryMs: 200 });
    await eventually('op-stalled leads', async () => op!.isLeader());
    await client.stalled; // the access unit's reconcile decided to apply, and waits in the write

    // Another replica takes the lease over (as if ours had expired under a stalled event loop).
    const lease = await k.get('coordination.k8s.io/v1', 'Lease', ns, 'smi-operator-leader');
    const now = new Date().toISOString().replace('Z', '000Z');
    await k.client.request('PUT', k.path('coordination.k8s.io/v1', 'Lease', ns, 'smi-operator-leader'), {
      body: { ...lease, spec: { ...(lease as unknown as { spec: object }).spec, holderIdentity: 'usurper', renewTime: now, acquireTime: now, leaseDurationSeconds: 60 } },
    }).then((r) => expect(r.ok, 'lease takeover').to.equal(true));
    await eventually('op-stalled steps down', async () => !op!.isLeader());
    const steppedDown = Date.now();

    client.release();
    await op.idle();
    const writes = client.sent.filter((s) => s.method !== 'GET' && !s.path.includes('/leases') && s.at >= steppedDown && !s.aborted);
    expect(writes, 'writes that reached the API server after the step-down').to.deep.equal([]);
    // The stalled apply went out with an aborted signal, i.e. was never sent.
    expect(client.sent.filter((s) => s.method === 'PATCH' && s.path.includes('/authorizationpolicies/')).map((s) => s.aborted)).to.deep.equal([true]);
    // And the server shows it: no AuthorizationPolicy, no status on the TrafficTarget.
    expect(await k.get(AP.apiVersion, AP.kind, ns, 'smi-access-api')).to.equal(undefined);
    const tt = (await k.get('access.smi-spec.io/v1alpha3', 'TrafficTarget', ns, 'client-to-api')) as KubeObject & { status?: unknown };
    expect(tt.status ?? {}).to.deep.equal({});
  });
});
