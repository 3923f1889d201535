// Write execution: turns one planned action into API requests (apply, prune,
// the fail-closed replacement of a refused apply), all fenced on the term the
// reconcile runs under (a write of an ended term stops the reconcile with a
// FencedError). Remembers its writes for echo suppression and bounds fights
// with other writers. The decisions are plan.ts's; this module only does them.

import type { ClosedForm, MeshAdapter } from '../../adapters/types.js';
import type { KubeObject } from '../../schemas/hub.js';
import type { KubeResult } from '../../kube/client.js';
import type { Logger } from '../../log/log.js';
import type { Term } from '../leader/fence.js';
import type { OperatorMetrics } from '../metrics.js';
import { isFenced, type Writer } from '../writer.js';
import type { EchoFilter, FightLimiter } from './echoes.js';
import { FencedError, type WriteOutcome } from './errors.js';
import { HASH_ANNOTATION, isManaged } from './labels.js';
import type { PlannedAction } from './plan.js';

export const RETRY_CONFLICT_MS = 30_000;
export const RETRY_REJECTED_MS = 60_000;

export interface ExecutorDeps {
  writer: Writer;
  metrics: OperatorMetrics;
  echoes: EchoFilter;
  fights: FightLimiter;
  /** The managed object the cache holds for a native key. */
  observed(key: string): KubeObject | undefined;
  /** Enqueue another unit (handover of a shared object). */
  enqueue(unit: string): void;
  /** An object we may not overwrite blocks this unit: notice its deletion before the periodic re-check, if possible. */
  watchConflict?(unit: string, blocking: KubeObject): void;
}

/** What one reconcile's writes run under. */
export interface WriteContext {
  unit: string;
  term: Term;
  adapter: MeshAdapter;
  log: Logger;
}

export interface Executed {
  outcome: WriteOutcome;
  requeueAfterMs?: number;
}

export class WriteExecutor {
  constructor(private readonly d: ExecutorDeps) {}

  /** Stops the reconcile when the fence refused or aborted a write. */
  private fenced(ctx: WriteContext, r: KubeResult<unknown>): void {
    if (isFenced(r)) throw new FencedError(ctx.unit, r.ok ? '' : r.error.message);
  }

  /** Someone else changed an object while our write of it was in flight: the unit looks again. */
  private settled(ctx: WriteContext, changedMeanwhile: boolean): void {
    if (changedMeanwhile) this.d.enqueue(ctx.unit);
  }

  async execute(a: PlannedAction, ctx: WriteContext): Promise<Executed> {
    const { writer, metrics } = this.d;
    const ref = `${a.obj.kind} ${a.obj.metadata.namespace ?? ''}/${a.obj.metadata.name}`;
    const log = ctx.log.child({ object: ref, namespace: a.obj.metadata.namespace, name: a.obj.metadata.name });
    switch (a.op) {
      case 'skip':
        metrics.writesSkipped.inc();
        return { outcome: { ok: true } };
      case 'defer':
        return { outcome: { ok: true } };
      case 'handover':
        log.info('object now belongs to another unit', { to: a.to });
        this.d.enqueue(a.to);
        return { outcome: { ok: true } };
      case 'prune': {
        this.d.echoes.writing(a.key);
        const r = await writer.delete(a.obj, ctx.term);
        if (!r.ok) this.settled(ctx, this.d.echoes.failed(a.key));
        this.fenced(ctx, r);
        if (!r.ok) return { outcome: { ok: false, reason: 'ApplyFailed', message: `delete ${ref}: ${r.error.message}` } };
        this.settled(ctx, this.d.echoes.deleted(a.key, a.obj.metadata.uid));
        log.info('pruned object no longer desired');
        return { outcome: { ok: true } };
      }
      case 'apply':
        return this.apply(a, ctx, ref, log);
    }
  }

  private async apply(a: Extract<PlannedAction, { op: 'apply' }>, ctx: WriteContext, ref: string, log: Logger): Promise<Executed> {
    const { writer, metrics } = this.d;
    let force = a.force;
    if (a.verify) {
      const g = await writer.get(a.obj);
      if (g.ok) {
        if (!isManaged(g.body)) {
          metrics.conflicts.inc();
          log.warn('object exists and is not managed by smi-operator; not overwriting');
          this.d.watchConflict?.(ctx.unit, g.body);
          return {
            outcome: { ok: false, reason: 'Conflict', message: `${ref} already exists and is not managed by smi-operator (no label app.kubernetes.io/managed-by=smi-operator); it was not overwritten (re-checked when it is deleted or labelled, and every ${RETRY_CONFLICT_MS / 1000} s)` },
            requeueAfterMs: RETRY_CONFLICT_MS,
          };
        }
        force = true; // ours, the cache is just behind
      } else if (g.error.status !== 404) {
        return { outcome: { ok: false, reason: 'ApplyFailed', message: `get ${ref}: ${g.error.message}` } };
      }
    }
    if (a.why === 'drift' && this.d.fights.fighting(a.key)) {
      log.warn('object keeps drifting from what we apply; backing off', { windowMs: this.d.fights.windowMs });
      return { outcome: { ok: true }, requeueAfterMs: this.d.fights.windowMs };
    }
    this.d.echoes.writing(a.key);
    const r = await writer.apply(a.obj, force, ctx.term);
    if (!r.ok) this.settled(ctx, this.d.echoes.failed(a.key));
    this.fenced(ctx, r);
    if (!r.ok) {
      if (r.error.status === 409) {
        metrics.conflicts.inc();
        return { outcome: { ok: false, reason: 'Conflict', message: `${ref}: ${r.error.message}` }, requeueAfterMs: RETRY_CONFLICT_MS };
      }
      const hint = r.error.status === 404 ? ' (is the CRD for this kind installed?)' : '';
      const message = `apply ${ref}: ${r.error.message}${hint}`;
      if (r.error.status === 400 || r.error.status === 422) {
        // The server rejects the object itself (schema, strict field validation): retrying
        // soon cannot help. Reported in the status and re-checked slowly (the CRD may be fixed).
        log.warn('apply rejected by the API server', { error: r.error.message, status: r.error.status });
        const closed = await this.closeRejected(a, ctx.adapter.closedForm?.(a.obj), ctx, log);
        return { outcome: { ok: false, reason: 'Rejected', message: closed ? `${message}; ${closed}` : message }, requeueAfterMs: RETRY_REJECTED_MS };
      }
      return { outcome: { ok: false, reason: 'ApplyFailed', message } };
    }
    this.settled(ctx, this.d.echoes.wrote(a.key, r.body?.metadata?.resourceVersion));
    log.info('applied', { why: a.why });
    const generation = r.body?.metadata?.generation;
    return { outcome: typeof generation === 'number' ? { ok: true, generation } : { ok: true } };
  }

  /**
   * A refused apply leaves the previous object in force, which may admit more than the new
   * translation does. Write the adapter's fail-closed form in its place (an object that admits
   * nothing, or the object's removal where that narrows access). Returns what was done, for the status.
   */
  private async closeRejected(a: Extract<PlannedAction, { op: 'apply' }>, form: ClosedForm, ctx: WriteContext, log: Logger): Promise<string | undefined> {
    if (!form) return undefined;
    const { writer } = this.d;
    if ('remove' in form) {
      const seen = this.d.observed(a.key);
      if (!seen || !isManaged(seen)) return undefined;
      this.d.echoes.writing(a.key);
      const r = await writer.delete(seen, ctx.term);
      if (!r.ok) this.settled(ctx, this.d.echoes.failed(a.key));
      this.fenced(ctx, r);
      if (!r.ok) return `could not remove the previous ${a.obj.kind} either (fail-closed): ${r.error.message}`;
      this.settled(ctx, this.d.echoes.deleted(a.key, seen.metadata.uid));
      log.warn('removed the previous object instead (fail-closed)');
      return `the previous ${a.obj.kind} was removed instead, so it admits nothing (fail-closed)`;
    }
    // Marked as not what the unit wants: the next reconcile tries the real object again.
    const obj = { ...form.apply, metadata: { ...form.apply.metadata, annotations: { ...form.apply.metadata.annotations, [HASH_ANNOTATION]: 'fail-closed' } } };
    this.d.echoes.writing(a.key);
    const r = await writer.apply(obj, true, ctx.term);
    if (!r.ok) this.settled(ctx, this.d.echoes.failed(a.key));
    this.fenced(ctx, r);
    if (!r.ok) return `its fail-closed form was refused too: ${r.error.message}`;
    this.settled(ctx, this.d.echoes.wrote(a.key, r.body?.metadata?.resourceVersion));
    log.warn('applied the fail-closed form instead');
    return `the narrowest form of the ${a.obj.kind} was applied in its place (fail-closed)`;
  }
}
