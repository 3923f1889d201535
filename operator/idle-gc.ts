// Returns the heap a burst of work grew into once the operator is quiet again.
// V8 keeps the pages it grew into after a burst (at 3,000 SMI objects: 109 MiB of
// old space committed for 30 MiB live, 40 s after the last reconcile) and its
// memory reducer does not run in an otherwise idle Node process; a regular full
// GC frees the objects but keeps the pages resident. A "last resort" full GC
// compacts and gives the free pages back. It is run only when the work queue has
// been quiet for a while, work was done since the last one and the committed heap
// stands well above what was live after it, so a steady
// trickle of changes never pays for it and a busy operator never pauses for it.

import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type GcFunction = (opts?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async'; flavor?: 'regular' | 'last-resort' }) => void;

/** A compacting full GC that gives free pages back, or undefined when the runtime offers none. */
export function lastResortGc(): (() => void) | undefined {
  let gc = (globalThis as { gc?: GcFunction }).gc;
  if (!gc) {
    try {
      // V8's gc extension, without --expose-gc on the command line: exposed to a new context only.
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as GcFunction | undefined;
    } catch {
      return undefined;
    }
  }
  const run = gc;
  return run ? () => run({ type: 'major', execution: 'sync', flavor: 'last-resort' }) : undefined;
}

export interface IdleGcOptions {
  /** Work waiting or in flight. */
  busy(): boolean;
  /** A count that moves whenever work starts (reconciles begun). */
  activity(): number;
  gc(): void;
  /** Quiet this long (no work started, none waiting) before collecting. Default 10 s. */
  quietMs?: number;
  /**
   * How far the committed heap must be above the live heap the last collection left (work done
   * since) for another to be worth it. Default 16 MiB. Measured from what was live, not from what
   * stayed committed: a collection in a quiet spell of a burst leaves pages committed that the rest
   * of the burst reuses, and growth over those would never reach the threshold.
   */
  minGrowthBytes?: number;
  heapCommitted?(): number;
  heapUsed?(): number;
  now?(): number;
  /** Told each collection: committed heap bytes before and after, and how long it took. */
  collected?(before: number, after: number, ms: number): void;
}

export class IdleGc {
  private lastActivity: number;
  private quietSince: number;
  /** Heap used right after the last collection (or at start): the live heap then. */
  private liveAfterLast: number;
  /** activity() at the last collection: no second collection without work in between. */
  private activityAtLast: number | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly quietMs: number;
  private readonly minGrowth: number;
  private readonly committed: () => number;
  private readonly used: () => number;
  private readonly now: () => number;

  constructor(private readonly o: IdleGcOptions) {
    this.quietMs = o.quietMs ?? 10_000;
    this.minGrowth = o.minGrowthBytes ?? 16 * 2 ** 20;
    this.committed = o.heapCommitted ?? (() => getHeapStatistics().total_heap_size);
    this.used = o.heapUsed ?? (() => getHeapStatistics().used_heap_size);
    this.now = o.now ?? Date.now;
    this.lastActivity = o.activity();
    this.quietSince = this.now();
    this.liveAfterLast = this.used();
  }

  /** One look (the timer calls it); true when it collected. */
  check(): boolean {
    const now = this.now();
    const a = this.o.activity();
    if (this.o.busy() || a !== this.lastActivity) {
      this.lastActivity = a;
      this.quietSince = now;
      return false;
    }
    if (now - this.quietSince < this.quietMs) return false;
    if (a === this.activityAtLast) return false;
    const before = this.committed();
    if (before < this.liveAfterLast + this.minGrowth) return false;
    const t0 = this.now();
    this.o.gc();
    this.activityAtLast = a;
    this.liveAfterLast = this.used();
    this.o.collected?.(before, this.committed(), this.now() - t0);
    return true;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.check(), Math.max(250, Math.round(this.quietMs / 4)));
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
