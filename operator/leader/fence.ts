// Fencing of writes on leadership. Leader election alone stops new work on step-down, but a
// reconcile already running would go on writing with decisions made as leader (issue 18.6). A
// reconcile takes the current Term when it starts; every write under it is refused once that
// term ended (step-down, a new term began) or the lease was not renewed within its deadline
// (the clock is checked at write time, so an event loop stalled past the deadline fences too);
// requests in flight are aborted through the term's signal.

export interface Term {
  readonly id: number;
  /** Aborted when the term ends: cancels requests in flight. */
  readonly signal: AbortSignal;
}

export class Fence {
  private term: (Term & { ctrl: AbortController }) | undefined;
  private next = 1;

  /** `holds`: the lease is still ours by our own clock (LeaderElector.holds); always true without election. */
  constructor(private readonly holds: () => boolean = () => true) {}

  /** A new term starts (became leader): writes under it are allowed. */
  begin(): Term {
    this.end('a new term began');
    const ctrl = new AbortController();
    this.term = { id: this.next++, signal: ctrl.signal, ctrl };
    return this.term;
  }

  /** The term ends (stepped down, stopping): every later write under it is refused, those in flight are aborted. */
  end(reason: string): void {
    const t = this.term;
    this.term = undefined;
    t?.ctrl.abort(new Error(reason));
  }

  /** The term to write under now, if any. */
  current(): Term | undefined {
    return this.term && this.holds() ? this.term : undefined;
  }

  /** Why a write under `term` must not happen now; undefined when it may. */
  refuse(term: Term): string | undefined {
    if (term.signal.aborted || this.term?.id !== term.id) return 'no longer the leader (the term this work started in has ended)';
    if (!this.holds()) return 'the leader lease was not renewed within its deadline';
    return undefined;
  }
}
