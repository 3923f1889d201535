// Leader election on a coordination.k8s.io/v1 Lease. Optimistic concurrency
// (resourceVersion on update) lets the API server decide who wins; a holder
// that stops renewing loses the lease once leaseDurationSeconds have passed.

import type { KubeClient } from '../../kube/client.js';
import { BUILTIN_KINDS, kindPath } from '../../kube/rest-mapper.js';
import type { Logger } from '../../log/log.js';

export interface LeaseOptions {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationSeconds: number;
  /** How often the holder renews and a standby retries. */
  retryPeriodMs: number;
}

interface Lease {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: { holderIdentity?: string | null; leaseDurationSeconds?: number; acquireTime?: string | null; renewTime?: string | null; leaseTransitions?: number };
}

const microTime = (d: Date): string => d.toISOString().replace('Z', '000Z');

export class LeaderElector {
  private leader = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lastRenew = 0;
  private deadline: NodeJS.Timeout | undefined;
  /** The tick's requests in flight: a release must come after them, or a renewal lands on top of it. */
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly client: KubeClient,
    private readonly opts: LeaseOptions,
    private readonly log: Logger,
    private readonly onChange: (leader: boolean) => void,
  ) {}

  isLeader(): boolean {
    return this.leader;
  }

  /**
   * Leader, and renewed within the renew deadline by the clock now. Checked at each write: the
   * step-down timer cannot fire while the event loop is blocked, the clock still moves.
   */
  holds(): boolean {
    return this.leader && Date.now() - this.lastRenew < this.renewDeadlineMs;
  }

  start(): void {
    void this.tick();
  }

  private path(name?: string): string {
    return kindPath(BUILTIN_KINDS.Lease, this.opts.namespace, name);
  }

  private setLeader(v: boolean): void {
    // A renewal that was in flight when stop() ran does not make a stopped elector leader again.
    if (v && this.stopped) return;
    if (v === this.leader) return;
    this.leader = v;
    this.log.info(v ? 'became leader' : 'lost leadership', { lease: `${this.opts.namespace}/${this.opts.name}`, identity: this.opts.identity });
    this.onChange(v);
  }

  /** A leader steps down when it has not renewed for this long: before a standby may take over (client-go renewDeadline). */
  private get renewDeadlineMs(): number {
    return (this.opts.leaseDurationSeconds * 1000 * 2) / 3;
  }

  /** Each lease request is bounded, so a hung API server cannot stall renewal past the deadline. */
  private get requestTimeoutMs(): number {
    return Math.max(500, this.renewDeadlineMs / 4);
  }

  private renewed(at: number): void {
    this.lastRenew = at;
    this.armDeadline();
  }

  /** The step-down does not wait for a tick: a tick may be stuck in a request when the deadline passes. */
  private armDeadline(): void {
    if (this.deadline) clearTimeout(this.deadline);
    if (this.stopped) return;
    const left = this.renewDeadlineMs - (Date.now() - this.lastRenew);
    this.deadline = setTimeout(() => this.checkDeadline(true), Math.max(0, left) + 1);
  }

  private checkDeadline(fromTimer = false): void {
    if (!this.leader) return;
    if (Date.now() - this.lastRenew >= this.renewDeadlineMs) {
      this.log.warn('could not renew the lease in time; stepping down', { lease: `${this.opts.namespace}/${this.opts.name}` });
      this.setLeader(false);
    } else if (fromTimer) this.armDeadline(); // fired a little early by the wall clock
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      this.inFlight = this.tryAcquireOrRenew();
      await this.inFlight;
    } catch (e) {
      this.log.warn('lease update failed', { error: String(e) });
    } finally {
      this.inFlight = undefined;
    }
    this.checkDeadline();
    // Keeps trying after losing the lease (e.g. through an API server outage), so leadership and the controllers come back.
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), this.opts.retryPeriodMs);
  }

  private async tryAcquireOrRenew(): Promise<void> {
    // Renewal counts from before the GET: the lease's renewTime is `now`, so our deadline never trails a standby's view.
    const now = new Date();
    const timeoutMs = this.requestTimeoutMs;
    const got = await this.client.request<Lease>('GET', this.path(this.opts.name), { timeoutMs });
    if (!got.ok) {
      if (got.error.status !== 404) throw new Error(got.error.message);
      const created = await this.client.request<Lease>('POST', this.path(), {
        timeoutMs,
        body: {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: this.opts.name, namespace: this.opts.namespace },
          spec: { holderIdentity: this.opts.identity, leaseDurationSeconds: this.opts.leaseDurationSeconds, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: 0 },
        },
      });
      if (created.ok) {
        this.renewed(now.getTime());
        this.setLeader(true);
      }
      return;
    }
    const lease = got.body;
    const holder = lease.spec.holderIdentity ?? '';
    const renew = lease.spec.renewTime ? Date.parse(lease.spec.renewTime) : 0;
    const duration = (lease.spec.leaseDurationSeconds ?? this.opts.leaseDurationSeconds) * 1000;
    const expired = !holder || now.getTime() > renew + duration;
    if (holder !== this.opts.identity && !expired) {
      this.setLeader(false);
      return;
    }
    const spec: Lease['spec'] = {
      ...lease.spec,
      holderIdentity: this.opts.identity,
      leaseDurationSeconds: this.opts.leaseDurationSeconds,
      renewTime: microTime(now),
    };
    if (holder !== this.opts.identity) {
      spec.acquireTime = microTime(now);
      spec.leaseTransitions = (lease.spec.leaseTransitions ?? 0) + 1;
    }
    const upd = await this.client.request<Lease>('PUT', this.path(this.opts.name), { timeoutMs, body: { ...lease, spec } });
    if (upd.ok) {
      this.renewed(now.getTime());
      this.setLeader(true);
    } else if (upd.error.status === 409) {
      // Someone else updated it first: they hold it.
      if (holder !== this.opts.identity) this.setLeader(false);
    } else throw new Error(upd.error.message);
  }

  /**
   * Stop renewing; a leader releases the lease so a standby takes over at once. The release waits
   * for a renewal in flight (bounded by its request timeout): a renewal that lands after the
   * release's GET would make the release's PUT a 409 and leave the lease held until it expires.
   * The lease is released whenever it still names us, also after a local step-down.
   */
  async stop(release = true): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.deadline) clearTimeout(this.deadline);
    const held = this.leader;
    this.setLeader(false);
    if (!release || (!held && this.lastRenew === 0)) return;
    if (this.inFlight) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.inFlight.catch(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, this.requestTimeoutMs)))]);
      clearTimeout(timer);
    }
    const timeoutMs = this.requestTimeoutMs;
    for (let attempt = 0; attempt < 3; attempt++) {
      const got = await this.client.request<Lease>('GET', this.path(this.opts.name), { timeoutMs });
      if (!got.ok || got.body.spec.holderIdentity !== this.opts.identity) return;
      const put = await this.client.request('PUT', this.path(this.opts.name), {
        timeoutMs,
        body: { ...got.body, spec: { ...got.body.spec, holderIdentity: null, renewTime: null, acquireTime: null } },
      });
      if (put.ok || put.error.status !== 409) return;
    }
  }
}
