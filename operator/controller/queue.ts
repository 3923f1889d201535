// Deduplicating work queue (client-go workqueue semantics): a key queued many
// times is processed once; a key being processed is never handed to a second
// worker (re-adds while busy are parked and re-queued when it finishes);
// bounded workers; per-key exponential backoff on failure. Timers are injected
// so the queue is deterministic under unit test.

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(h: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface QueueOptions {
  concurrency: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  timers?: Timers;
  /** Milliseconds clock matching `timers` (default Date.now). */
  clock?: () => number;
}

/** What a handler asks for: nothing (done), or to run again after a delay. */
export type HandlerResult = { requeueAfterMs?: number } | void;

export class WorkQueue {
  private readonly pending: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  /** Keys added while processing: requeued when that processing ends. */
  private readonly dirty = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly delayed = new Map<string, { handle: unknown; due: number }>();
  private active = 0;
  private running = false;
  private idleWaiters: Array<() => void> = [];
  private readonly timers: Timers;

  constructor(
    private readonly handler: (key: string) => Promise<HandlerResult>,
    private readonly opts: QueueOptions,
    private readonly onError: (key: string, err: unknown) => void = () => {},
  ) {
    this.timers = opts.timers ?? realTimers;
  }

  get depth(): number {
    return this.pending.length;
  }

  get inFlight(): number {
    return this.active;
  }

  start(): void {
    this.running = true;
    this.pump();
  }

  /** Stop handing out work; in-flight handlers finish. Pending keys are kept. */
  stop(): void {
    this.running = false;
    for (const d of this.delayed.values()) this.timers.clearTimeout(d.handle);
    this.delayed.clear();
    this.pump();
  }

  add(key: string): void {
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.pending.push(key);
    this.pump();
  }

  /** Add after `ms`; of several pending delays for one key the earliest wins (a short retry is never parked behind a long requeue). */
  addAfter(key: string, ms: number): void {
    if (ms <= 0) return this.add(key);
    const due = (this.opts.clock ?? Date.now)() + ms;
    const prev = this.delayed.get(key);
    if (prev) {
      if (prev.due <= due) return;
      this.timers.clearTimeout(prev.handle);
    }
    const handle = this.timers.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { handle, due });
  }

  /** Exponential per-key delay: base * 2^failures, capped. */
  backoffFor(key: string): number {
    const n = this.failures.get(key) ?? 0;
    return Math.min((this.opts.baseDelayMs ?? 50) * 2 ** n, this.opts.maxDelayMs ?? 60_000);
  }

  /** Resolves when nothing is pending or in flight (delayed keys do not count). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Nothing in flight and nothing that will be handed out (a stopped queue keeps its keys but is idle). */
  private isIdle(): boolean {
    return this.active === 0 && (this.pending.length === 0 || !this.running);
  }

  private pump(): void {
    while (this.running && this.active < this.opts.concurrency && this.pending.length > 0) {
      const key = this.pending.shift() as string;
      this.queued.delete(key);
      this.processing.add(key);
      this.active++;
      void this.process(key);
    }
    if (this.isIdle()) {
      const w = this.idleWaiters;
      this.idleWaiters = [];
      for (const r of w) r();
    }
  }

  private async process(key: string): Promise<void> {
    let retryAfter: number | undefined;
    try {
      const r = await this.handler(key);
      this.failures.delete(key);
      if (r && r.requeueAfterMs !== undefined) retryAfter = r.requeueAfterMs;
    } catch (err) {
      retryAfter = this.backoffFor(key);
      this.failures.set(key, (this.failures.get(key) ?? 0) + 1);
      this.onError(key, err);
    }
    this.processing.delete(key);
    this.active--;
    if (this.dirty.delete(key)) this.add(key);
    else if (retryAfter !== undefined && this.running) this.addAfter(key, retryAfter);
    this.pump();
  }
}
