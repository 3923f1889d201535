// Conditions, status and Events of SMI objects: the one writer of everything the
// operator reports (as linkerd's policy-controller has one status controller).
// It computes each member's Accepted/Ready conditions from what the reconcile
// learned, writes only what changed, records one Event per transition, and is
// leader-gated: every write goes under a leadership term (fenced, ../writer.ts),
// so a replica that is not the leader, or no longer is, reports nothing.

import { sourcesAnnotationValue, sourceLabelValue } from '../../adapters/common/meta.js';
import { worseStatus } from '../../adapters/common/status.js';
import { SOURCE_LABEL, SOURCES_ANNOTATION, type ObjectResult } from '../../adapters/types.js';
import type { KubeObject, SmiStatus } from '../../schemas/hub.js';
import { formatProblem } from '../../schemas/problem.js';
import type { Logger } from '../../log/log.js';
import type { MeshConfig } from '../config/mesh-config.js';
import type { Fence, Term } from '../leader/fence.js';
import { isFenced, type EventRecorder, type EventSpec, type Writer } from '../writer.js';
import { computeStatus, REASONS, transitionEvent, type ConditionSpec, type DesiredConditions } from './conditions.js';
import { FencedError, type WriteOutcome } from './errors.js';
import type { Validated } from './inputs.js';
import { nativeKey, nativeKindKey } from './labels.js';
import { meshVerdict, type MeshVerdict } from './mesh-status.js';
import { userClash, userKindKey } from './clashes.js';
import type { RouteResults } from './route-results.js';
import { inputKey, type Unit } from './units.js';

/**
 * The cached object with the generation our apply just gave it: the watch may not have brought
 * it back yet, and the mesh's status on it (about the generation before) must not count as current.
 */
export function asApplied(cached: KubeObject | undefined, outcome: WriteOutcome | undefined): KubeObject | undefined {
  const applied = outcome?.ok ? outcome.generation : undefined;
  if (!cached || applied === undefined || applied <= (cached.metadata.generation ?? 0)) return cached;
  return { ...cached, metadata: { ...cached.metadata, generation: applied } };
}

export interface StatusDeps {
  writer: Writer;
  events: EventRecorder;
  fence: Fence;
  validate(o: KubeObject): Validated;
  routeResults: RouteResults;
  /** Live objects from the cache (the mesh's status on what we applied; the user's own routing objects). */
  live?(cacheKey: string, namespace: string | undefined, name: string): KubeObject | undefined;
  list?(cacheKey: string): KubeObject[];
  now?: () => Date;
}

/** What a reconcile learned about its unit, from which each member's conditions follow. */
export interface UnitReport {
  unitKey: string;
  unit: Unit;
  members: KubeObject[];
  /** The decorated objects the unit wants. */
  desired: KubeObject[];
  results: ObjectResult[];
  /** Per native key, how writing it went. */
  outcomes: Map<string, WriteOutcome>;
  cfg: MeshConfig;
  /** The translation itself failed (an adapter bug): reported on every member. */
  failure?: string;
}

export class StatusWriter {
  constructor(private readonly d: StatusDeps) {}

  /** Writes the members' statuses that changed, under `term`; returns the writes that failed (a vanished object is no failure). */
  async write(report: UnitReport, term: Term, log: Logger): Promise<string[]> {
    const failed: string[] = [];
    const now = (this.d.now?.() ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (const m of report.members) {
      if (m.metadata.deletionTimestamp) continue;
      const change = computeStatus((m as { status?: SmiStatus }).status, m.metadata.generation, this.conditionsFor(m, report), now);
      if (!change) continue;
      const r = await this.d.writer.patchStatus(m, change.status, term);
      if (isFenced(r)) throw new FencedError(report.unitKey, r.ok ? '' : r.error.message);
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
      // Not awaited: the reconcile's next round trip need not wait for the Event (at 10,000 objects the
      // operator is bound by round trips per reconcile when the API server has room). idle() waits for it.
      if (event) this.track(this.d.events.record(m, event, term));
    }
    return failed;
  }

  private readonly inFlight = new Set<Promise<void>>();

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /** Resolves when every Event recorded so far has been sent (or refused). */
  async flushed(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** An Event on any object (e.g. the adapter ConfigMap), only while this replica leads. */
  async event(o: KubeObject, e: EventSpec): Promise<void> {
    const term = this.d.fence.current();
    if (term) await this.d.events.record(o, e, term);
  }

  conditionsFor(member: KubeObject, r: UnitReport): DesiredConditions {
    const { cfg } = r;
    const v = this.d.validate(member);
    if (!v.hub) {
      const msg = v.problems.map(formatProblem).join('; ') || 'invalid';
      return { accepted: { status: 'False', reason: REASONS.Invalid, message: msg }, ready: { status: 'False', reason: REASONS.Invalid, message: 'not translated: the object is invalid' } };
    }
    if (r.failure) return { accepted: { status: 'Unknown', reason: REASONS.TranslationFailed, message: r.failure }, ready: { status: 'False', reason: REASONS.TranslationFailed, message: r.failure } };
    if (r.unit.type === 'route') return this.routeConditions(member, cfg);
    const ns = member.metadata.namespace ?? 'default';
    const result = r.results.find((x) => x.kind === member.kind && x.namespace === ns && x.name === member.metadata.name);
    const notes = result?.messages.join('; ') ?? '';
    // The native objects this member contributed to.
    // Shared ones included (every contributor is listed in SOURCES_ANNOTATION).
    const label = sourceLabelValue(member);
    const me = sourcesAnnotationValue([member]);
    const mine = r.desired.filter(
      (o) => o.metadata.ownerReferences?.some((ref) => ref.kind === member.kind && ref.name === member.metadata.name)
        || o.metadata.labels?.[SOURCE_LABEL] === label
        || (o.metadata.annotations?.[SOURCES_ANNOTATION] ?? '').split(',').includes(me),
    );
    // Not all of it translated. Nothing of it applied: say so. Something applied (e.g. a split
    // without an unusable backend): Ready says what is in effect, as the notes do.
    const partial = !!result && result.status !== 'Accepted';
    if (partial && mine.length === 0) {
      return {
        accepted: { status: 'False', reason: result.status, message: notes || result.status },
        ready: { status: 'False', reason: result.status, message: `not translated for ${cfg.mesh}: ${notes || result.status}` },
      };
    }
    const accepted: ConditionSpec = partial
      ? { status: 'False', reason: result.status, message: notes || result.status }
      : { status: 'True', reason: REASONS.Accepted, message: notes || `accepted by the ${cfg.mesh} adapter` };
    const relevant = mine.length > 0 ? mine : r.desired;
    const bad = relevant.map((o) => r.outcomes.get(nativeKey(o))).filter((x): x is Exclude<WriteOutcome, { ok: true }> => !!x && !x.ok);
    const conflict = bad.find((b) => b.reason === 'Conflict');
    if (conflict) return { accepted, ready: { status: 'False', reason: REASONS.Conflict, message: conflict.message } };
    // A routing object of the user's competes with ours for the same host / Service port / Consul
    // entry. Checked before failed writes: consul-k8s's webhook refuses ours because of it, and
    // the user object is what to act on.
    const list = this.d.list;
    const clashes = list ? relevant.map((o) => userClash(o, list(userKindKey(o.apiVersion, o.kind)), cfg.options.clusterDomain)).filter((x): x is string => !!x) : [];
    if (clashes.length > 0) return { accepted, ready: { status: 'False', reason: REASONS.Conflict, message: [...clashes, ...bad.map((b) => b.message)].join('; ') } };
    if (bad.length > 0) return { accepted, ready: { status: 'False', reason: REASONS.ApplyFailed, message: bad.map((b) => b.message).join('; ') } };
    // Applied; in effect only if the mesh, where it writes status on its objects, accepted them.
    const live = this.d.live;
    const verdicts = live ? relevant.map((o) => meshVerdict(asApplied(live(nativeKindKey(o.apiVersion, o.kind), o.metadata.namespace, o.metadata.name), r.outcomes.get(nativeKey(o))), live)).filter((x): x is MeshVerdict => !!x) : [];
    const said = (k: MeshVerdict['kind']): string => verdicts.filter((v) => v.kind === k).map((v) => v.message).join('; ');
    if (said('rejected')) return { accepted, ready: { status: 'False', reason: REASONS.MeshRejected, message: `${cfg.mesh} did not accept what was applied: ${said('rejected')}` } };
    if (said('pending')) return { accepted, ready: { status: 'False', reason: REASONS.Propagating, message: `applied; ${cfg.mesh} has not put it in effect everywhere yet: ${said('pending')}` } };
    const kinds = [...new Set(relevant.map((o) => o.kind))].sort().join(', ');
    // Not Ready: what the object asks for is not what is in effect (`kubectl wait` must not pass).
    if (partial) return { accepted, ready: { status: 'False', reason: REASONS.PartiallyApplied, message: `${cfg.mesh}: ${kinds} applied, not as asked: ${notes}` } };
    return {
      accepted,
      ready: { status: 'True', reason: REASONS.Applied, message: relevant.length ? `${cfg.mesh}: ${kinds} applied` : `${cfg.mesh}: nothing to apply` },
    };
  }

  /** A route's status: valid, plus what the translations of the units using it said about it (worst status wins). */
  private routeConditions(route: KubeObject, cfg: MeshConfig): DesiredConditions {
    const results = this.d.routeResults.of(inputKey(route.kind, route.metadata.namespace ?? 'default', route.metadata.name));
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
}
