// What a reconcile can end in besides success, as values the queue and the
// status writer understand.

/**
 * Outcome of writing one desired object. Rejected: the API server refused the object itself (400/422).
 * `generation`: the object's generation after our apply, from the server's answer (the cache may not
 * have it yet, and the mesh's status there must be judged against what we just wrote).
 */
export type WriteOutcome = { ok: true; generation?: number } | { ok: false; reason: 'Conflict' | 'ApplyFailed' | 'Rejected'; message: string };

/** The term a reconcile ran under ended: it stopped writing. Not a failure to count or retry. */
export class FencedError extends Error {
  constructor(
    readonly unit: string,
    reason: string,
  ) {
    super(`${unit}: stopped: ${reason}`);
  }
}

/** A failed reconcile: the queue retries with backoff. */
export class ReconcileError extends Error {
  constructor(
    readonly unit: string,
    message: string,
  ) {
    super(`${unit}: ${message}`);
  }
}
