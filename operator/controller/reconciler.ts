// Reconcile of one output unit, level-triggered (the key says which unit, never
// what changed): gather the unit's inputs from the cache (inputs.ts), translate
// with the current adapter, record what the unit claims (claims.ts), plan against
// the cache (plan.ts), write (executor.ts: fenced applies and prunes), then report
// on the unit's SMI objects (status.ts). This file only sequences those jobs.

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { unitSnapshot } from '../../adapters/common/snapshot.js';
import type { MeshAdapter, ObjectResult } from '../../adapters/types.js';
import type { KubeObject } from '../../schemas/hub.js';
import type { Logger } from '../../log/log.js';
import { sameConfig, type MeshConfig } from '../config/mesh-config.js';
import type { Fence, Term } from '../leader/fence.js';
import type { OperatorMetrics } from '../metrics.js';
import { isLarge, type Offload } from '../offload/offload.js';
import type { EventRecorder, Writer } from '../writer.js';
import { Claims } from './claims.js';
import { EchoFilter, FightLimiter } from './echoes.js';
import { FencedError, ReconcileError, type WriteOutcome } from './errors.js';
import { WriteExecutor } from './executor.js';
import { Inputs, type CacheReader, type Validated } from './inputs.js';
import { nativeKey, UNIT_ANNOTATION } from './labels.js';
import { wholeWhereUndecided } from './observed.js';
import { plan } from './plan.js';
import { RouteResults } from './route-results.js';
import { StatusWriter } from './status.js';
import { parseUnit, routeUnit, type DependencyIndex, type Unit } from './units.js';

export { FencedError, ReconcileError } from './errors.js';

export interface ReconcilerDeps {
  cache: CacheReader;
  index: DependencyIndex;
  writer: Writer;
  events: EventRecorder;
  /** Leadership: a reconcile runs under the current term and stops writing when it ends. */
  fence: Fence;
  metrics: OperatorMetrics;
  log: Logger;
  config(): MeshConfig;
  adapter(mesh: MeshConfig['mesh']): MeshAdapter;
  /** Enqueue another unit (handover of a shared object, a route whose status follows). */
  enqueue(unit: string, afterMs?: number): void;
  /** An object we may not overwrite blocks this unit: notice its deletion before the periodic re-check, if possible. */
  watchConflict?(unit: string, blocking: KubeObject): void;
  /** Compiles new regexes and translates large units off the event loop; without it, everything runs inline. */
  offload?: Offload;
  now?: () => Date;
  /** Milliseconds clock of the fight limiter (tests). */
  clock?: () => number;
  /** Keep `counts` (tests: what a change cost); off, a deployed operator keeps no entry per unit for it. */
  countReconciles?: boolean;
}

export class Reconciler {
  private readonly inputs: Inputs;
  private readonly claims = new Claims();
  private readonly routeResults = new RouteResults();
  private readonly echoes = new EchoFilter();
  private readonly executor: WriteExecutor;
  /** The one writer of statuses and Events (leader-gated). */
  readonly status: StatusWriter;
  /** Reconciles per unit since start (what a change cost; asserted by tests), when `countReconciles`; else empty. */
  readonly counts = new Map<string, number>();
  /** Bumped by each primeClaims: an older priming still running gives up, and so do translations begun before it. */
  private primeEpoch = 0;

  constructor(private readonly d: ReconcilerDeps) {
    this.inputs = new Inputs(d.cache, d.index, (start) => this.observeCpu('validate', start));
    this.executor = new WriteExecutor({
      writer: d.writer,
      metrics: d.metrics,
      echoes: this.echoes,
      fights: new FightLimiter(60_000, 5, d.clock),
      observed: (k) => this.inputs.observed(k),
      enqueue: (u) => d.enqueue(u),
      ...(d.watchConflict ? { watchConflict: d.watchConflict } : {}),
    });
    this.status = new StatusWriter({ writer: d.writer, events: d.events, fence: d.fence, validate: (o) => this.inputs.validate(o), routeResults: this.routeResults, live: (k, ns, n) => d.cache.get(k, ns, n), list: (k) => d.cache.list(k), ...(d.now ? { now: d.now } : {}) });
  }

  async reconcile(unitKey: string): Promise<{ requeueAfterMs?: number } | void> {
    const unit = parseUnit(unitKey);
    if (!unit) {
      this.d.log.warn('ignoring malformed unit key', { unit: unitKey });
      return;
    }
    const log = this.d.log.child({ unit: unitKey, namespace: unit.namespace, name: unit.name });
    const term = this.d.fence.current();
    if (!term) {
      log.debug('not reconciling: not the leader');
      return;
    }
    if (this.d.countReconciles) this.counts.set(unitKey, (this.counts.get(unitKey) ?? 0) + 1);
    const stop = this.d.metrics.duration.startTimer({ unit: unit.type });
    try {
      const r = await this.reconcileUnit(unitKey, unit, log, term);
      this.d.metrics.reconciles.inc({ unit: unit.type, result: r?.requeueAfterMs !== undefined ? 'requeue' : 'success' });
      return r;
    } catch (err) {
      if (err instanceof FencedError) {
        log.info('reconcile stopped before its next write', { reason: err.message });
        return;
      }
      this.d.metrics.reconciles.inc({ unit: unit.type, result: 'error' });
      this.d.metrics.errors.inc({ unit: unit.type });
      log.warn('reconcile failed', { error: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      stop();
    }
  }

  validate(o: KubeObject): Validated {
    return this.inputs.validate(o);
  }

  forget(o: KubeObject): void {
    this.inputs.forget(o);
  }

  /** True (once) when a watch event on a managed object is just the echo of our own write. */
  isEcho(o: KubeObject, deleted: boolean): boolean {
    return this.echoes.isEcho(o, deleted);
  }

  /** Units that currently want a native object (a deleted object must be re-created by one of them). */
  claimantsOf(key: string): string[] {
    return this.claims.claimantsOf(key);
  }

  /**
   * Translate every unit once (no writes) before reconciling: a new leader or a new config
   * starts with complete claims. Yields to the event loop between units, so lease renewal,
   * probes and webhooks keep running however many units there are; the claims are replaced
   * in one step at the end. Resolves false, changing nothing, when `wanted()` turns false or
   * a newer priming starts meanwhile.
   */
  async primeClaims(units: Iterable<string>, wanted: () => boolean = () => true): Promise<boolean> {
    const epoch = ++this.primeEpoch;
    const current = (): boolean => epoch === this.primeEpoch && wanted();
    const cfg = this.d.config();
    const adapter = this.d.adapter(cfg.mesh);
    const primed = new Map<string, { objects: KubeObject[]; results: ObjectResult[] }>();
    for (const u of [...units]) {
      await yieldToEventLoop();
      if (!current()) return false;
      const unit = parseUnit(u);
      if (!unit) continue;
      try {
        primed.set(u, await this.translate(unit, this.inputs.gather(unit).inputs, adapter, cfg));
      } catch (err) {
        // The unit's own reconcile reports the failure on its objects; the others still prime.
        this.d.log.warn('translation failed while priming', { unit: u, error: err instanceof Error ? err.message : String(err) });
      }
    }
    if (!current()) return false;
    this.claims.clear();
    this.routeResults.clear();
    for (const [u, t] of primed) {
      this.claims.set(u, t.objects);
      this.recordRouteResults(u, t.results);
    }
    // A unit set before another claimant of the same object kept only its hash: set again, now shared.
    for (const u of new Set([...primed.keys()].flatMap((u) => this.claims.lacking(u)))) this.claims.set(u, primed.get(u)!.objects);
    return true;
  }

  /**
   * The adapter's objects and results for a unit; no writes. With an offload, a unit with
   * large SMI inputs is translated in the worker, and a new route group's regexes are
   * compiled there first: the event loop only ever does the cheap rest.
   */
  private async translate(unit: Unit, inputs: KubeObject[], adapter: MeshAdapter, cfg: MeshConfig): Promise<{ objects: KubeObject[]; results: ObjectResult[] }> {
    if (unit.type === 'route' || inputs.length === 0) return { objects: [], results: [] };
    const off = this.d.offload;
    if (off && isLarge(inputs)) {
      this.d.metrics.offloaded.inc();
      return off.translate(cfg.mesh, cfg.options, inputs, unit.type === 'split');
    }
    await off?.warm(inputs);
    const start = process.threadCpuUsage();
    try {
      return adapter.translate(unitSnapshot(inputs, unit.type === 'split', { validate: (o) => this.inputs.withHub(o) }), cfg.options);
    } finally {
      this.observeCpu('translate', start);
    }
  }

  /** What a synchronous step cost the event loop (this thread's CPU). */
  private observeCpu(step: 'validate' | 'translate', start: NodeJS.CpuUsage): void {
    const d = process.threadCpuUsage(start);
    this.d.metrics.loopCpu.observe({ step }, (d.user + d.system) / 1e6);
  }

  /** Claims of units not translated yet by this process, so shared objects are merged and owned as before a restart. */
  private async ensureClaims(other: string, adapter: MeshAdapter, cfg: MeshConfig): Promise<void> {
    if (this.claims.has(other)) return;
    const u = parseUnit(other);
    if (!u) return;
    const t = await this.translate(u, this.inputs.gather(u).inputs, adapter, cfg);
    if (this.claims.has(other)) return; // translated meanwhile, by its own reconcile or a priming
    this.claims.set(other, t.objects);
    this.recordRouteResults(other, t.results);
  }

  /** Translate again a claimant whose version of a shared object an owner must merge but only the hash of is kept. */
  private async refreshClaims(other: string, adapter: MeshAdapter, cfg: MeshConfig): Promise<void> {
    const u = parseUnit(other);
    if (!u) return;
    const t = await this.translate(u, this.inputs.gather(u).inputs, adapter, cfg);
    for (const a of this.claims.set(other, t.objects)) this.d.enqueue(a);
    this.recordRouteResults(other, t.results);
  }

  /** A route's status follows what its referrers' translations say: enqueue the routes whose results changed. */
  private recordRouteResults(unitKey: string, results: ObjectResult[]): void {
    for (const k of this.routeResults.record(unitKey, results)) {
      const [kind, ns, ...name] = k.split('/');
      this.d.enqueue(routeUnit(ns as string, kind as string, name.join('/')));
    }
  }

  private async reconcileUnit(unitKey: string, unit: Unit, log: Logger, term: Term): Promise<{ requeueAfterMs?: number } | void> {
    const cfg = this.d.config();
    const adapter = this.d.adapter(cfg.mesh);
    const epoch = this.primeEpoch;
    const { members, inputs } = this.inputs.gather(unit);
    let translated: { objects: KubeObject[]; results: ObjectResult[] };
    try {
      if (unit.type === 'route' && this.d.offload) {
        // A route unit validates its route group here: compiled off the loop first, and
        // validated (cached per resourceVersion) before anything else can evict the results.
        await this.d.offload.warm(members);
        for (const m of members) this.inputs.validate(m);
      }
      translated = await this.translate(unit, inputs, adapter, cfg);
    } catch (err) {
      // An adapter bug must not take the operator down: report it on the unit's objects and retry with backoff.
      const failure = `the ${cfg.mesh} adapter failed: ${err instanceof Error ? err.message : String(err)}`;
      await this.status.write({ unitKey, unit, members, desired: [], results: [], outcomes: new Map(), cfg, failure }, term, log);
      throw new ReconcileError(unitKey, failure);
    }
    // Claims recorded under another configuration or priming are not this translation's to change.
    const stale = (): boolean => epoch !== this.primeEpoch || !sameConfig(cfg, this.d.config());
    if (stale()) return { requeueAfterMs: 0 };
    const { objects, results } = translated;
    for (const o of objects) {
      const other = this.inputs.observed(nativeKey(o))?.metadata.annotations?.[UNIT_ANNOTATION];
      if (other && other !== unitKey) await this.ensureClaims(other, adapter, cfg);
    }
    if (stale()) return { requeueAfterMs: 0 };
    this.recordRouteResults(unitKey, results);
    for (const u of this.claims.set(unitKey, objects)) this.d.enqueue(u);
    const lacking = this.claims.lacking(unitKey);
    for (const other of lacking) await this.refreshClaims(other, adapter, cfg);
    if (lacking.length > 0 && stale()) return { requeueAfterMs: 0 };
    const desired = this.claims.desiredFor(unitKey, objects);
    // Digested cache entries whose digest cannot decide are compared whole, read live (observed.ts).
    const { observed, read } = await wholeWhereUndecided(desired, (k) => this.inputs.observed(k), (o) => this.d.writer.get(o));
    if (read > 0) {
      this.d.metrics.liveReads.inc(read);
      log.debug('read objects live to compare them whole', { objects: read });
    }
    const actions = plan({
      unit: unitKey,
      desired,
      owned: this.inputs.owned(unitKey),
      observed,
      claimants: (k) => this.claims.claimantsOf(k),
    });

    // An access unit with a member we cannot read (invalid, e.g. an edit the webhook did not see)
    // keeps what it applied last instead of pruning it: removing an access object opens the
    // destination, and the member's intent is unknown. Updates still apply (they only narrow).
    const unreadable = unit.type === 'access' ? members.filter((m) => !m.metadata.deletionTimestamp && !this.inputs.validate(m).ok) : [];
    const outcomes = new Map<string, WriteOutcome>();
    let requeueAfterMs: number | undefined;
    const failures: string[] = [];
    const ctx = { unit: unitKey, term, adapter, log };
    for (const a of actions) {
      if (a.op === 'prune' && unreadable.length > 0) {
        log.warn('not pruning while a TrafficTarget of the destination is invalid (fail-closed)', { object: `${a.obj.kind} ${a.obj.metadata.namespace}/${a.obj.metadata.name}`, invalid: unreadable.map((m) => m.metadata.name) });
        continue;
      }
      const r = await this.executor.execute(a, ctx);
      if (a.op === 'apply' || a.op === 'skip' || a.op === 'defer') outcomes.set(a.key, r.outcome);
      if (r.requeueAfterMs !== undefined) requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, r.requeueAfterMs);
      if (!r.outcome.ok && r.outcome.reason === 'ApplyFailed') failures.push(r.outcome.message);
    }

    // A status that could not be written is work left undone: retried with backoff like a failed apply.
    failures.push(...(await this.status.write({ unitKey, unit, members, desired, results, outcomes, cfg }, term, log)));
    if (failures.length > 0) throw new ReconcileError(unitKey, failures.join('; '));
    return requeueAfterMs !== undefined ? { requeueAfterMs } : undefined;
  }
}
