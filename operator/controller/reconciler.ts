// Reconcile of one output unit: gather the unit's inputs from the cache, build
// a small Snapshot, translate with the current adapter, plan against the
// cache, write (apply / prune), then report status on the unit's SMI objects.
// Level-triggered: the key says which unit, never what changed.

import { buildSnapshot } from '../../adapters/common/snapshot.js';
import { worseStatus } from '../../adapters/common/status.js';
import { sourcesAnnotationValue, sourceLabelValue } from '../../adapters/common/meta.js';
import { SOURCE_LABEL, SOURCES_ANNOTATION, type MeshAdapter, type ObjectResult } from '../../adapters/types.js';
import { validateSmiObject } from '../../schemas/validate.js';
import { formatProblem, type Problem } from '../../schemas/problem.js';
import type { KubeObject, SmiObject, SmiStatus } from '../../schemas/hub.js';
import type { ClusterCache } from '../cache/cache.js';
import type { Logger } from '../../log/log.js';
import type { OperatorMetrics } from '../metrics.js';
import type { EventRecorder, Writer } from '../writer.js';
import type { MeshConfig } from '../config/mesh-config.js';
import { computeStatus, REASONS, transitionEvent, type ConditionSpec, type DesiredConditions } from './conditions.js';
import { canonicalJson, decorate, isManaged, nativeKey, nativeKindKey } from './labels.js';
import { meshRejection } from './mesh-status.js';
import { userClash, userKindKey } from './clashes.js';
import { mergeShared } from './shared.js';
import { ownerOf, plan, type PlannedAction } from './plan.js';
import { inputKey, parseUnit, routeRefs, routeUnit, selects, serviceRefs, serviceSelector, type DependencyIndex, type Unit } from './units.js';

const ROUTE_KINDS = new Set(['HTTPRouteGroup', 'TCPRoute', 'UDPRoute']);

export interface ReconcilerDeps {
  cache: ClusterCache;
  index: DependencyIndex;
  writer: Writer;
  events: EventRecorder;
  metrics: OperatorMetrics;
  log: Logger;
  config(): MeshConfig;
  adapter(mesh: MeshConfig['mesh']): MeshAdapter;
  /** Enqueue another unit (handover of a shared object). */
  enqueue(unit: string, afterMs?: number): void;
  /** An object we may not overwrite blocks this unit: notice its deletion before the periodic re-check, if possible. */
  watchConflict?(unit: string, blocking: KubeObject): void;
  now?: () => Date;
}

/** Outcome of writing one desired object. */
/** Rejected: the API server refused the object itself (400/422); reported like ApplyFailed but not retried with backoff. */
type WriteOutcome = { ok: true } | { ok: false; reason: 'Conflict' | 'ApplyFailed' | 'Rejected'; message: string };

/** A failed reconcile: the queue retries with backoff. */
export class ReconcileError extends Error {
  constructor(
    readonly unit: string,
    message: string,
  ) {
    super(`${unit}: ${message}`);
  }
}

const RETRY_CONFLICT_MS = 30_000;
const RETRY_REJECTED_MS = 60_000;
const FIGHT_WINDOW_MS = 60_000;
const FIGHT_MAX_WRITES = 5;

interface Validated {
  rv: string | undefined;
  hub?: SmiObject;
  problems: Problem[];
}

export class Reconciler {
  /** unit → native key → the adapter's object (undecorated) at the unit's last translation. */
  private readonly claims = new Map<string, Map<string, KubeObject>>();
  private readonly claimants = new Map<string, Set<string>>();
  private readonly validated = new Map<string, Validated>();
  /** native key → times we (re)applied it because it drifted: a bound on fights with another writer. */
  private readonly driftWrites = new Map<string, number[]>();
  /** native key → resourceVersion we wrote (or `deleted:<uid>`): the watch echo of our own write needs no reconcile. */
  private readonly echoes = new Map<string, string>();
  /** route input key → referrer unit → the adapter's result for that route in the unit's last translation. */
  private readonly routeResults = new Map<string, Map<string, ObjectResult>>();
  private readonly routesOfUnit = new Map<string, Set<string>>();
  /** Reconciles per unit since start (what a change cost; asserted by tests and the benchmark). */
  readonly counts = new Map<string, number>();

  constructor(private readonly d: ReconcilerDeps) {}

  async reconcile(unitKey: string): Promise<{ requeueAfterMs?: number } | void> {
    const unit = parseUnit(unitKey);
    if (!unit) {
      this.d.log.warn('ignoring malformed unit key', { unit: unitKey });
      return;
    }
    const log = this.d.log.child({ unit: unitKey, namespace: unit.namespace, name: unit.name });
    this.counts.set(unitKey, (this.counts.get(unitKey) ?? 0) + 1);
    const stop = this.d.metrics.duration.startTimer({ unit: unit.type });
    try {
      const r = await this.reconcileUnit(unitKey, unit, log);
      this.d.metrics.reconciles.inc({ unit: unit.type, result: r?.requeueAfterMs !== undefined ? 'requeue' : 'success' });
      return r;
    } catch (err) {
      this.d.metrics.reconciles.inc({ unit: unit.type, result: 'error' });
      this.d.metrics.errors.inc({ unit: unit.type });
      log.warn('reconcile failed', { error: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      stop();
    }
  }

  // ---- inputs ----

  validate(o: KubeObject): Validated {
    const k = inputKey(o.kind, o.metadata.namespace ?? 'default', o.metadata.name);
    const c = this.validated.get(k);
    if (c && c.rv === o.metadata.resourceVersion && c.rv !== undefined) return c;
    const { hub, problems } = validateSmiObject(o);
    const v: Validated = { rv: o.metadata.resourceVersion, problems };
    if (hub) v.hub = hub;
    this.validated.set(k, v);
    return v;
  }

  forget(o: KubeObject): void {
    this.validated.delete(inputKey(o.kind, o.metadata.namespace ?? 'default', o.metadata.name));
  }

  private getInput(key: string): KubeObject | undefined {
    const [kind, ns, ...rest] = key.split('/');
    return this.d.cache.get(kind as string, ns, rest.join('/'));
  }

  /** SMI objects whose status this unit writes, and the objects its snapshot is built from. */
  private gather(unit: Unit): { members: KubeObject[]; inputs: KubeObject[] } {
    const { index, cache } = this.d;
    const ns = unit.namespace;
    if (unit.type === 'route') {
      const r = cache.get(unit.kind, ns, unit.name);
      return { members: r ? [r] : [], inputs: [] };
    }
    const memberKeys = unit.type === 'split' ? index.splitsByRoot.get(`${ns}/${unit.name}`) : index.targetsByDest.get(`${ns}/${unit.name}`);
    const members = [...memberKeys].map((k) => this.getInput(k)).filter((o): o is KubeObject => !!o);
    // Objects being deleted (finalizers pending) no longer contribute.
    const valid = members.filter((m) => !m.metadata.deletionTimestamp && this.validate(m).hub);
    const inputs: KubeObject[] = [...valid];
    const add = (o: KubeObject | undefined): void => {
      if (o) inputs.push(o);
    };
    for (const m of valid) for (const r of routeRefs(m)) add(this.getInput(r));
    if (unit.type === 'split') {
      const names = new Set<string>([unit.name]);
      for (const m of valid) for (const n of serviceRefs(m)) if (n) names.add(n);
      for (const n of names) add(cache.get('Service', ns, n));
    } else {
      const sas = new Set<string>([`${ns}/${unit.name}`]);
      for (const m of valid) for (const s of ((m as { spec?: { sources?: Array<{ name?: string; namespace?: string }> } }).spec?.sources ?? [])) sas.add(`${s.namespace ?? ns}/${s.name ?? ''}`);
      for (const sa of sas) {
        const [sns, sname] = sa.split('/') as [string, string];
        add(cache.get('ServiceAccount', sns, sname));
      }
      const workloads = [...index.workloadsBySA.get(`${ns}/${unit.name}`)].map((k) => index.workloads.get(k)).filter((w) => !!w);
      // Every workload of the namespace, not only this ServiceAccount's: the renderers must see
      // any other pods a label selector for this destination would also pick.
      for (const k of [...index.workloadsByNs.get(ns)].sort()) add(this.getInput(k));
      // Services selecting those pods, found through the selector index (no scan of the namespace).
      const candidates = new Set(workloads.flatMap((w) => index.servicesSelecting(ns, w.podLabels)));
      for (const svcName of [...candidates].sort()) {
        const svc = cache.get('Service', ns, svcName);
        if (svc && workloads.some((w) => selects(serviceSelector(svc), w.podLabels))) inputs.push(svc);
      }
      // Sources are resolved like the destination (adapters/common/access.ts): the Services in a
      // source's namespace selecting its pods, and every pod of that namespace (to see whom else
      // those Services select). Consul names identities by those Services.
      const sourceNamespaces = new Set<string>();
      for (const sa of [...sas].sort()) {
        if (sa === `${ns}/${unit.name}`) continue;
        const sns = sa.slice(0, sa.indexOf('/'));
        if (sns !== ns && !sourceNamespaces.has(sns)) {
          sourceNamespaces.add(sns);
          for (const k of [...index.workloadsByNs.get(sns)].sort()) add(this.getInput(k));
        }
        const own = [...index.workloadsBySA.get(sa)].map((k) => index.workloads.get(k)).filter((w) => !!w);
        for (const svcName of [...new Set(own.flatMap((w) => index.servicesSelecting(sns, w.podLabels)))].sort()) {
          const svc = cache.get('Service', sns, svcName);
          if (svc && own.some((w) => selects(serviceSelector(svc), w.podLabels))) inputs.push(svc);
        }
      }
    }
    return { members, inputs };
  }

  /** The adapter's objects and results for a unit; no writes. */
  private translate(unit: Unit, inputs: KubeObject[], adapter: MeshAdapter, cfg: MeshConfig): { objects: KubeObject[]; results: ObjectResult[] } {
    if (unit.type === 'route' || inputs.length === 0) return { objects: [], results: [] };
    const { snapshot } = buildSnapshot(inputs);
    return adapter.translate(snapshot, cfg.options);
  }

  /**
   * Record what a unit wants. Returns the other claimants of every key whose
   * claim changed (added, dropped or different content): they may have to take
   * over, re-merge or stand down.
   */
  private setClaims(unitKey: string, objects: KubeObject[]): Set<string> {
    const next = new Map(objects.map((o) => [nativeKey(o), o]));
    const prev = this.claims.get(unitKey) ?? new Map<string, KubeObject>();
    const affected = new Set<string>();
    for (const k of new Set([...prev.keys(), ...next.keys()])) {
      const a = prev.get(k);
      const b = next.get(k);
      if (a && b && canonicalJson(a) === canonicalJson(b)) continue;
      for (const u of this.claimants.get(k) ?? []) if (u !== unitKey) affected.add(u);
    }
    for (const k of prev.keys()) this.claimants.get(k)?.delete(unitKey);
    this.claims.set(unitKey, next);
    for (const k of next.keys()) {
      let s = this.claimants.get(k);
      if (!s) this.claimants.set(k, (s = new Set()));
      s.add(unitKey);
    }
    return affected;
  }

  /** Claims of units not translated yet by this process, so shared objects are merged and owned as before a restart. */
  private ensureClaims(other: string, adapter: MeshAdapter, cfg: MeshConfig): void {
    if (this.claims.has(other)) return;
    const u = parseUnit(other);
    if (!u) return;
    const { inputs } = this.gather(u);
    const t = this.translate(u, inputs, adapter, cfg);
    this.setClaims(other, t.objects);
    this.recordRouteResults(other, t.results);
  }

  /**
   * Keep what a unit's translation said about the routes it uses (a route has no
   * translation of its own); enqueue the route units whose results changed so
   * their status follows.
   */
  private recordRouteResults(unitKey: string, results: ObjectResult[]): void {
    const next = new Map<string, ObjectResult>();
    for (const r of results) if (ROUTE_KINDS.has(r.kind)) next.set(inputKey(r.kind, r.namespace, r.name), r);
    const prev = this.routesOfUnit.get(unitKey) ?? new Set<string>();
    for (const k of new Set([...prev, ...next.keys()])) {
      const byUnit = this.routeResults.get(k) ?? new Map<string, ObjectResult>();
      const before = byUnit.get(unitKey);
      const after = next.get(k);
      if (after) byUnit.set(unitKey, after);
      else byUnit.delete(unitKey);
      if (byUnit.size > 0) this.routeResults.set(k, byUnit);
      else this.routeResults.delete(k);
      if (canonicalJson(before ?? null) !== canonicalJson(after ?? null)) {
        const [kind, ns, ...name] = k.split('/');
        this.d.enqueue(routeUnit(ns as string, kind as string, name.join('/')));
      }
    }
    if (next.size > 0) this.routesOfUnit.set(unitKey, new Set(next.keys()));
    else this.routesOfUnit.delete(unitKey);
  }

  /** Translate every unit once (no writes) before reconciling: a new leader or a new config starts with complete claims. */
  primeClaims(units: Iterable<string>): void {
    this.claims.clear();
    this.claimants.clear();
    this.routeResults.clear();
    this.routesOfUnit.clear();
    const cfg = this.d.config();
    const adapter = this.d.adapter(cfg.mesh);
    for (const u of units) this.ensureClaims(u, adapter, cfg);
  }

  /** True (once) when a watch event on a managed object is just the echo of our own write. */
  isEcho(o: KubeObject, deleted: boolean): boolean {
    const key = nativeKey(o);
    const want = this.echoes.get(key);
    if (want === undefined) return false;
    const got = deleted ? `deleted:${o.metadata.uid ?? ''}` : (o.metadata.resourceVersion ?? '');
    if (want !== got) return false;
    this.echoes.delete(key);
    return true;
  }

  /** Units that currently want a native object (a deleted object must be re-created by one of them). */
  claimantsOf(key: string): string[] {
    return [...(this.claimants.get(key) ?? [])];
  }

  /** The unit's objects to apply: its own version, or the merge of all claimants' when it owns a shared one. */
  private desiredFor(unitKey: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const [k, own] of this.claims.get(unitKey) ?? []) {
      const others = [...(this.claimants.get(k) ?? [])].filter((u) => u !== unitKey).sort();
      if (others.length === 0 || ownerOf([unitKey, ...others]) !== unitKey) {
        out.push(decorate(own, unitKey));
        continue;
      }
      const versions = [own, ...others.map((u) => this.claims.get(u)?.get(k)).filter((o): o is KubeObject => !!o)];
      out.push(decorate(mergeShared(versions), unitKey));
    }
    return out;
  }

  private observedNative(key: string): KubeObject | undefined {
    const [group, kind, ns, ...rest] = key.split('/');
    return this.d.cache.get(`${group}/${kind}`, ns || undefined, rest.join('/'));
  }

  private owned(unitKey: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const e of this.d.index.managedByUnit.get(unitKey)) {
      const [cacheKey, ns, name] = e.split('|') as [string, string, string];
      const o = this.d.cache.get(cacheKey, ns, name);
      if (o) out.push(o);
    }
    return out;
  }

  // ---- the reconcile ----

  private async reconcileUnit(unitKey: string, unit: Unit, log: Logger): Promise<{ requeueAfterMs?: number } | void> {
    const cfg = this.d.config();
    const adapter = this.d.adapter(cfg.mesh);
    const { members, inputs } = this.gather(unit);
    let translated: { objects: KubeObject[]; results: ObjectResult[] };
    try {
      translated = this.translate(unit, inputs, adapter, cfg);
    } catch (err) {
      // An adapter bug must not take the operator down: report it on the unit's objects and retry with backoff.
      const msg = `the ${cfg.mesh} adapter failed: ${err instanceof Error ? err.message : String(err)}`;
      await this.writeStatuses(unit, members, [], [], new Map(), cfg, log, msg);
      throw new ReconcileError(unitKey, msg);
    }
    const { objects, results } = translated;
    this.recordRouteResults(unitKey, results);
    for (const o of objects) {
      const other = this.observedNative(nativeKey(o))?.metadata.annotations?.['smi-operator.io/unit'];
      if (other && other !== unitKey) this.ensureClaims(other, adapter, cfg);
    }
    for (const u of this.setClaims(unitKey, objects)) this.d.enqueue(u);
    const desired = this.desiredFor(unitKey);
    const actions = plan({
      unit: unitKey,
      desired,
      owned: this.owned(unitKey),
      observed: (k) => this.observedNative(k),
      claimants: (k) => [...(this.claimants.get(k) ?? [])],
    });

    const outcomes = new Map<string, WriteOutcome>();
    let requeueAfterMs: number | undefined;
    const failures: string[] = [];
    for (const a of actions) {
      const r = await this.execute(a, log, unitKey);
      if (a.op === 'apply' || a.op === 'skip' || a.op === 'defer') outcomes.set(a.key, r.outcome);
      if (r.requeueAfterMs !== undefined) requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, r.requeueAfterMs);
      if (!r.outcome.ok && r.outcome.reason === 'ApplyFailed') failures.push(r.outcome.message);
    }

    // A status that could not be written is work left undone: retried with backoff like a failed apply.
    failures.push(...(await this.writeStatuses(unit, members, desired, results, outcomes, cfg, log)));
    if (failures.length > 0) throw new ReconcileError(unitKey, failures.join('; '));
    return requeueAfterMs !== undefined ? { requeueAfterMs } : undefined;
  }

  private async execute(a: PlannedAction, log: Logger, unitKey: string): Promise<{ outcome: WriteOutcome; requeueAfterMs?: number }> {
    const { writer, metrics } = this.d;
    const ref = `${a.obj.kind} ${a.obj.metadata.namespace ?? ''}/${a.obj.metadata.name}`;
    const olog = log.child({ object: ref, namespace: a.obj.metadata.namespace, name: a.obj.metadata.name });
    switch (a.op) {
      case 'skip':
        metrics.writesSkipped.inc();
        return { outcome: { ok: true } };
      case 'defer':
        return { outcome: { ok: true } };
      case 'handover':
        olog.info('object now belongs to another unit', { to: a.to });
        this.d.enqueue(a.to);
        return { outcome: { ok: true } };
      case 'prune': {
        const r = await writer.delete(a.obj);
        if (!r.ok) return { outcome: { ok: false, reason: 'ApplyFailed', message: `delete ${ref}: ${r.error.message}` } };
        if (a.obj.metadata.uid) this.echoes.set(a.key, `deleted:${a.obj.metadata.uid}`);
        olog.info('pruned object no longer desired');
        return { outcome: { ok: true } };
      }
      case 'apply': {
        let force = a.force;
        if (a.verify) {
          const g = await writer.get(a.obj);
          if (g.ok) {
            if (!isManaged(g.body)) {
              metrics.conflicts.inc();
              olog.warn('object exists and is not managed by smi-operator; not overwriting');
              this.d.watchConflict?.(unitKey, g.body);
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
        if (a.why === 'drift' && this.fighting(a.key)) {
          olog.warn('object keeps drifting from what we apply; backing off', { windowMs: FIGHT_WINDOW_MS });
          return { outcome: { ok: true }, requeueAfterMs: FIGHT_WINDOW_MS };
        }
        const r = await writer.apply(a.obj, force);
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
            olog.warn('apply rejected by the API server', { error: r.error.message, status: r.error.status });
            return { outcome: { ok: false, reason: 'Rejected', message }, requeueAfterMs: RETRY_REJECTED_MS };
          }
          return { outcome: { ok: false, reason: 'ApplyFailed', message } };
        }
        if (r.body?.metadata?.resourceVersion) this.echoes.set(a.key, r.body.metadata.resourceVersion);
        olog.info('applied', { why: a.why });
        return { outcome: { ok: true } };
      }
    }
  }

  private fighting(key: string): boolean {
    const now = Date.now();
    const recent = (this.driftWrites.get(key) ?? []).filter((t) => now - t < FIGHT_WINDOW_MS);
    if (recent.length >= FIGHT_MAX_WRITES) {
      this.driftWrites.set(key, recent);
      return true;
    }
    recent.push(now);
    this.driftWrites.set(key, recent);
    return false;
  }

  // ---- status ----

  private conditionsFor(member: KubeObject, unit: Unit, desired: KubeObject[], results: ObjectResult[], outcomes: Map<string, WriteOutcome>, cfg: MeshConfig, failure?: string): DesiredConditions {
    const v = this.validate(member);
    if (!v.hub) {
      const msg = v.problems.map(formatProblem).join('; ') || 'invalid';
      return { accepted: { status: 'False', reason: REASONS.Invalid, message: msg }, ready: { status: 'False', reason: REASONS.Invalid, message: 'not translated: the object is invalid' } };
    }
    if (failure) return { accepted: { status: 'Unknown', reason: REASONS.TranslationFailed, message: failure }, ready: { status: 'False', reason: REASONS.TranslationFailed, message: failure } };
    if (unit.type === 'route') return this.routeConditions(member, cfg);
    const ns = member.metadata.namespace ?? 'default';
    const result = results.find((r) => r.kind === member.kind && r.namespace === ns && r.name === member.metadata.name);
    const notes = result?.messages.join('; ') ?? '';
    if (result && result.status !== 'Accepted') {
      return {
        accepted: { status: 'False', reason: result.status, message: notes || result.status },
        ready: { status: 'False', reason: result.status, message: `not translated for ${cfg.mesh}: ${notes || result.status}` },
      };
    }
    const accepted: ConditionSpec = { status: 'True', reason: REASONS.Accepted, message: notes || `accepted by the ${cfg.mesh} adapter` };
    // The native objects this member contributed to, shared ones included (every contributor is
    // listed in SOURCES_ANNOTATION): a failed write to a shared object is this member's failure too.
    const label = sourceLabelValue(member);
    const me = sourcesAnnotationValue([member]);
    const mine = desired.filter(
      (o) => o.metadata.ownerReferences?.some((r) => r.kind === member.kind && r.name === member.metadata.name)
        || o.metadata.labels?.[SOURCE_LABEL] === label
        || (o.metadata.annotations?.[SOURCES_ANNOTATION] ?? '').split(',').includes(me),
    );
    const relevant = mine.length > 0 ? mine : desired;
    const bad = relevant.map((o) => outcomes.get(nativeKey(o))).filter((x): x is Exclude<WriteOutcome, { ok: true }> => !!x && !x.ok);
    const conflict = bad.find((b) => b.reason === 'Conflict');
    if (conflict) return { accepted, ready: { status: 'False', reason: REASONS.Conflict, message: conflict.message } };
    if (bad.length > 0) return { accepted, ready: { status: 'False', reason: REASONS.ApplyFailed, message: bad.map((b) => b.message).join('; ') } };
    // Applied, but a routing object of the user's competes with ours for the same host / Service port.
    const clashes = relevant.map((o) => userClash(o, this.d.cache.list(userKindKey(o.apiVersion, o.kind)), cfg.options.clusterDomain)).filter((x): x is string => !!x);
    if (clashes.length > 0) return { accepted, ready: { status: 'False', reason: REASONS.Conflict, message: clashes.join('; ') } };
    // Applied; in effect only if the mesh, where it writes status on its objects, accepted them.
    const rejected = relevant.map((o) => meshRejection(this.d.cache.get(nativeKindKey(o.apiVersion, o.kind), o.metadata.namespace, o.metadata.name))).filter((x): x is string => !!x);
    if (rejected.length > 0) return { accepted, ready: { status: 'False', reason: REASONS.MeshRejected, message: `${cfg.mesh} did not accept what was applied: ${rejected.join('; ')}` } };
    const kinds = [...new Set(relevant.map((o) => o.kind))].sort().join(', ');
    return {
      accepted,
      ready: { status: 'True', reason: REASONS.Applied, message: relevant.length ? `${cfg.mesh}: ${kinds} applied` : `${cfg.mesh}: nothing to apply` },
    };
  }

  /** A route's status: valid, plus what the translations of the units using it said about it (worst status wins). */
  private routeConditions(route: KubeObject, cfg: MeshConfig): DesiredConditions {
    const byUnit = this.routeResults.get(inputKey(route.kind, route.metadata.namespace ?? 'default', route.metadata.name));
    const results = [...(byUnit?.values() ?? [])];
    const notes = [...new Set(results.flatMap((r) => r.messages))].sort();
    const worst = results.reduce<ObjectResult['status']>((w, r) => worseStatus(w, r.status), 'Accepted');
    if (worst !== 'Accepted') {
      const msg = notes.join('; ') || worst;
      return { accepted: { status: 'False', reason: worst, message: msg }, ready: { status: 'False', reason: worst, message: `not usable on ${cfg.mesh}: ${msg}` } };
    }
    return {
      accepted: { status: 'True', reason: REASONS.Accepted, message: notes.length ? `${route.kind} is valid; ${cfg.mesh}: ${notes.join('; ')}` : `${route.kind} is valid` },
      ready: { status: 'True', reason: REASONS.Accepted, message: 'ready to be referenced by TrafficSplits and TrafficTargets' },
    };
  }

  /** Writes the members' statuses that changed; returns the writes that failed (a vanished object is no failure). */
  private async writeStatuses(unit: Unit, members: KubeObject[], desired: KubeObject[], results: ObjectResult[], outcomes: Map<string, WriteOutcome>, cfg: MeshConfig, log: Logger, failure?: string): Promise<string[]> {
    const failed: string[] = [];
    const now = (this.d.now?.() ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (const m of members) {
      if (m.metadata.deletionTimestamp) continue;
      const want = this.conditionsFor(m, unit, desired, results, outcomes, cfg, failure);
      const current = (m as { status?: SmiStatus }).status;
      const change = computeStatus(current, m.metadata.generation, want, now);
      if (!change) continue;
      const r = await this.d.writer.patchStatus(m, change.status);
      const mlog = log.child({ object: `${m.kind} ${m.metadata.namespace}/${m.metadata.name}`, namespace: m.metadata.namespace, name: m.metadata.name });
      if (!r.ok) {
        if (r.error.status !== 404) {
          mlog.warn('status update failed', { error: r.error.message, status: r.error.status });
          failed.push(`status of ${m.kind} ${m.metadata.namespace}/${m.metadata.name}: ${r.error.message}`);
        }
        continue;
      }
      for (const t of change.transitions) mlog.info('condition changed', { condition: t.type, status: t.status, reason: t.reason, detail: t.message });
      const event = transitionEvent(change);
      if (event) await this.d.events.record(m, event);
    }
    return failed;
  }
}
