// Output units and the cross-reference indexes that map a change of any watched
// object to the units it affects (linkerd policy-controller style: the watch
// stream is applied into indexes; nothing scans all objects on a change).
//
//   TrafficSplit ──spec.service──▶ split:<ns>/<root>        (all splits of one root Service)
//   *Policy ─spec.targetRef─────▶ split:<ns>/<service> (or split:<ns>/* for a Namespace target)
//   TrafficTarget ─destination──▶ access:<ns>/<sa>          (all targets of one destination SA)
//   HTTPRouteGroup/TCPRoute/UDPRoute ─▶ route:<ns>/<Kind>/<name> (its own status) + units of its referrers
//   Service ─▶ splits naming it (root/backend) + access units whose pods it selects, as destination or source
//   Deployment/StatefulSet/DaemonSet/Pod ─serviceAccountName─▶ access unit (as destination or source)
//   ServiceAccount ─▶ its access unit + access units of targets naming it as a source
//   TrafficTarget/Service/workload/ServiceAccount ─▶ also the split units of RateLimitPolicies in the namespace
//     (on Linkerd a rate limit attaches to the Servers of the access units behind its Service)
//   managed native object ─annotation─▶ the unit that applied it

import type { KubeObject } from '../../schemas/hub.js';
import { isSmiKind, isWorkloadKind } from './kinds.js';
import { isPolicyKind } from '../../schemas/policy-types.js';
import { codedKind, isManaged, shortKey, unitOf } from './labels.js';
import { serviceSelects as selects } from '../../adapters/common/label-match.js';

export type Unit =
  | { type: 'split'; namespace: string; name: string }
  | { type: 'access'; namespace: string; name: string }
  | { type: 'route'; namespace: string; kind: string; name: string };

/**
 * A key built from parts as one flat string. A template literal of 13 characters or more is a
 * tree of V8 cons strings (32 bytes a node) that also keeps each part alive; the index holds
 * ~100,000 keys at 10,000 objects. Array.prototype.join builds a sequential one-byte string.
 */
export const flatKey = (...parts: string[]): string => parts.join('');

export const splitUnit = (ns: string, svc: string): string => flatKey('split:', ns, '/', svc);
export const accessUnit = (ns: string, sa: string): string => flatKey('access:', ns, '/', sa);
export const routeUnit = (ns: string, kind: string, name: string): string => flatKey('route:', ns, '/', kind, '/', name);

export function parseUnit(key: string): Unit | undefined {
  const m = /^(split|access|route):([^/]*)\/(.*)$/.exec(key);
  if (!m) return undefined;
  const [, type, namespace, rest] = m as unknown as [string, string, string, string];
  if (type === 'route') {
    const i = rest.indexOf('/');
    if (i < 0) return undefined;
    return { type, namespace, kind: rest.slice(0, i), name: rest.slice(i + 1) };
  }
  return { type: type as 'split' | 'access', namespace, name: rest };
}

const NONE: readonly string[] = Object.freeze([]) as readonly string[];
/** Past this many values a key's values are a Set (look-ups stay O(1)); up to it one string (or an array). */
const SMALL = 8;
/** Joins a key's few values into one string: no Kubernetes name, kind or label contains it (a value that does is kept in an array). */
const SEP = '\u0000';

/** A key's values as stored: one string (one value, or 2..SMALL joined by SEP), an array (a value contains SEP), or a Set (many). */
type Values = string | readonly string[] | Set<string>;

const listOf = (cur: Values): readonly string[] => (typeof cur === 'string' ? (cur.includes(SEP) ? cur.split(SEP) : [cur]) : Array.isArray(cur) ? cur : [...cur]);

function pack(vals: readonly string[]): Values | undefined {
  if (vals.length === 0) return undefined;
  if (vals.length > SMALL) return new Set(vals);
  if (vals.some((v) => v.includes(SEP))) return vals.slice();
  // join() makes one flat string: an array and a string per value cost ~50 + 24 bytes a value more.
  return vals.length === 1 ? vals[0] : vals.join(SEP);
}

/**
 * key → set of values. Most keys have one value (one split per root, one workload per label
 * pair of its own...), so a lone value is stored as the string itself, a few as one string
 * joined by SEP, and only many as a Set: a Set costs ~250 bytes, an array of strings ~50 bytes
 * and a string header each, which at 10,000 objects was most of this index's memory. What
 * get() returns may be the index's own: iterate it, do not keep or change it.
 */
export class MultiIndex {
  private readonly m = new Map<string, Values>();
  add(k: string, v: string): void {
    const cur = this.m.get(k);
    if (cur === undefined) this.m.set(k, pack([v])!);
    else if (cur instanceof Set) cur.add(v);
    else {
      const vals = listOf(cur);
      if (!vals.includes(v)) this.m.set(k, pack([...vals, v])!);
    }
  }
  remove(k: string, v: string): void {
    const cur = this.m.get(k);
    if (cur === undefined) return;
    if (cur instanceof Set) {
      cur.delete(v);
      if (cur.size <= SMALL) this.m.set(k, pack([...cur])!);
      return;
    }
    const vals = listOf(cur);
    if (!vals.includes(v)) return;
    const left = pack(vals.filter((x) => x !== v));
    if (left === undefined) this.m.delete(k);
    else this.m.set(k, left);
  }
  get(k: string): Iterable<string> {
    const cur = this.m.get(k);
    return cur === undefined ? NONE : cur instanceof Set ? cur : listOf(cur);
  }
  /** How many values `k` has, without building a set. */
  count(k: string): number {
    const cur = this.m.get(k);
    if (cur === undefined) return 0;
    if (cur instanceof Set) return cur.size;
    if (Array.isArray(cur)) return cur.length;
    let n = 1;
    for (let i = (cur as string).indexOf(SEP); i >= 0; i = (cur as string).indexOf(SEP, i + 1)) n++;
    return n;
  }
  keys(): IterableIterator<string> {
    return this.m.keys();
  }
}

const nsOf = (o: KubeObject): string => o.metadata.namespace ?? 'default';
const nsName = (ns: string, n: string): string => flatKey(ns, '/', n);
/** `ns/key=value`: a label pair of a namespace. */
const labelPair = (ns: string, k: string, v: string): string => flatKey(ns, '/', k, '=', v);
/** Kind/ns/name: identity of a watched input object. */
export const inputKey = (kind: string, ns: string, name: string): string => flatKey(kind, '/', ns, '/', name);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const spec = (o: KubeObject): Record<string, unknown> => ((o as { spec?: unknown }).spec ?? {}) as Record<string, unknown>;
const arr = (v: unknown): Array<Record<string, unknown>> => (Array.isArray(v) ? v.filter((x) => x && typeof x === 'object') : []);

/** Which Service a split is rooted at, read defensively: invalid objects must still map to a unit (for their status). */
export const splitRoot = (o: KubeObject): string => str(spec(o).service);
export const targetDestination = (o: KubeObject): string => str((spec(o).destination as Record<string, unknown> | undefined)?.name);

/** Route references (Kind/ns/name) of a split or target. */
export function routeRefs(o: KubeObject): string[] {
  const ns = nsOf(o);
  const s = spec(o);
  if (o.kind === 'TrafficSplit') return arr(s.matches).map((m) => inputKey(str(m.kind) || 'HTTPRouteGroup', ns, str(m.name)));
  if (o.kind === 'TrafficTarget') return arr(s.rules).map((r) => inputKey(str(r.kind), ns, str(r.name)));
  if (isPolicyKind(o.kind)) return arr(s.matches).map((m) => inputKey(str(m.kind) || 'HTTPRouteGroup', ns, str(m.name)));
  return [];
}

/**
 * A policy's target: its Service, or `*` for a Namespace-wide policy (not a Service
 * name, so it cannot clash). Policies join the split unit of their Service, so a split
 * and the policies of one Service produce ONE native object per host.
 */
export const policyTarget = (o: KubeObject): string => {
  const t = (spec(o).targetRef ?? {}) as Record<string, unknown>;
  return str(t.kind) === 'Namespace' ? '*' : str(t.name);
};

/** Services a split or policy reads besides its root/target: backends, the mirror Service. */
export function serviceRefs(o: KubeObject): string[] {
  const s = spec(o);
  if (o.kind === 'TrafficSplit') return [splitRoot(o), ...arr(s.backends).map((b) => str(b.service))];
  if (isPolicyKind(o.kind)) return [policyTarget(o), str((s.backendRef as Record<string, unknown> | undefined)?.name)].filter((n) => n && n !== '*');
  return [];
}

export function unitOfSmi(o: KubeObject): string {
  const ns = nsOf(o);
  if (isPolicyKind(o.kind)) return splitUnit(ns, policyTarget(o));
  if (o.kind === 'TrafficSplit') return splitUnit(ns, splitRoot(o));
  if (o.kind === 'TrafficTarget') return accessUnit(ns, targetDestination(o));
  return routeUnit(ns, o.kind, o.metadata.name);
}

export interface WorkloadRef {
  key: string;
  namespace: string;
  serviceAccount: string;
  podLabels: Record<string, string>;
}

/** Pod template (or pod) identity: which SA the pods run as and which labels they carry. */
export function workloadRef(o: KubeObject): WorkloadRef {
  const s = spec(o);
  const podSpec = (o.kind === 'Pod' ? s : ((s.template as Record<string, unknown> | undefined)?.spec ?? {})) as Record<string, unknown>;
  const labels = (o.kind === 'Pod' ? o.metadata.labels : (s.template as { metadata?: { labels?: Record<string, string> } } | undefined)?.metadata?.labels) ?? {};
  return {
    key: inputKey(o.kind, nsOf(o), o.metadata.name),
    namespace: nsOf(o),
    serviceAccount: str(podSpec.serviceAccountName) || str(podSpec.serviceAccount) || 'default',
    podLabels: labels,
  };
}

/** A Service's pod selector (selector-less Services select no pods); re-exported for the reconciler. */
export { selects };

export const serviceSelector = (o: KubeObject): Record<string, string> | undefined =>
  (spec(o).selector as Record<string, string> | undefined) ?? undefined;

export class DependencyIndex {
  readonly splitsByRoot = new MultiIndex();
  /** Services a split or policy reads besides its root (splitsByRoot has that one): backends, the mirror Service. */
  readonly splitsByService = new MultiIndex();
  readonly targetsByDest = new MultiIndex();
  readonly targetsBySource = new MultiIndex();
  /** route Kind/ns/name → referrer Kind/ns/name */
  readonly referrers = new MultiIndex();
  readonly workloadsBySA = new MultiIndex();
  /**
   * `ns/key=value` of the first label (by key) of a Service's selector → Service names: the
   * Services selecting given pods are among those filed under one of the pods' labels, and a
   * label shared by thousands of Services (`version=v1`) files only those that select by it alone.
   */
  readonly servicesByFirstPair = new MultiIndex();
  /** `ns/key=value` of pod labels → workload keys (find the pods a Service selects without a scan). */
  readonly workloadsByLabelPair = new MultiIndex();
  /** unit → its managed objects, `group/Kind|ns|name` with the kind as labels' shortKey() (read them with Inputs.owned). */
  readonly managedByUnit = new MultiIndex();
  /** ns → RateLimitPolicy input keys: their split units read the access inputs of the Service's pods. */
  readonly rateLimitsByNs = new MultiIndex();
  /**
   * Workload key → JSON of its namespace, ServiceAccount and pod labels: one string instead of a
   * WorkloadRef and its labels object (~160 bytes less a workload). Read through workload().
   */
  private readonly workloadOf = new Map<string, string>();
  /** SMI Kind/ns/name → its unit */
  private readonly smiUnit = new Map<string, string>();

  /**
   * False while the caches fill for the first time: nothing is reconciled from those changes (the
   * first leadership enqueues every unit), so update() only indexes. Finding the units a workload
   * touches looks at every workload sharing one of its labels, which over the first list of a
   * namespace is O(workloads²) (~11 million look-ups at 3,300 Deployments).
   */
  unitsWanted = true;

  /** Apply one store change; returns the units to reconcile. */
  update(kind: string, old: KubeObject | undefined, next: KubeObject | undefined): Set<string> {
    const units = new Set<string>();
    if (!this.unitsWanted) {
      if (old) this.remove(kind, old);
      if (next) this.add(kind, next);
      return units;
    }
    if (old) {
      for (const u of this.unitsFor(kind, old)) units.add(u);
      this.remove(kind, old);
    }
    if (next) {
      this.add(kind, next);
      for (const u of this.unitsFor(kind, next)) units.add(u);
    }
    return units;
  }

  /** Access units of the targets naming this ServiceAccount as a source (sources resolve to the Services selecting their pods). */
  private asSource(ns: string, sa: string): string[] {
    const out: string[] = [];
    for (const t of this.targetsBySource.get(nsName(ns, sa))) {
      const u = this.smiUnit.get(t);
      if (u) out.push(u);
    }
    return out;
  }

  /** Access units that exist: they have targets, or still own objects to prune. */
  private accessIfLive(ns: string, sa: string): string[] {
    const u = accessUnit(ns, sa);
    return this.targetsByDest.count(nsName(ns, sa)) > 0 || this.managedByUnit.count(u) > 0 ? [u] : [];
  }

  /** Split units of the namespace's RateLimitPolicies: their translation reads the namespace's access inputs. */
  private rateLimitUnits(ns: string): string[] {
    const out: string[] = [];
    for (const k of this.rateLimitsByNs.get(ns)) {
      const u = this.smiUnit.get(k);
      if (u) out.push(u);
    }
    return out;
  }

  unitsFor(kind: string, o: KubeObject): string[] {
    return [...this.directUnitsFor(kind, o), ...(kind === 'TrafficTarget' || kind === 'Service' || kind === 'ServiceAccount' || isWorkloadKind(kind) ? this.rateLimitUnits(nsOf(o)) : [])];
  }

  private directUnitsFor(kind: string, o: KubeObject): string[] {
    const ns = nsOf(o);
    const name = o.metadata.name;
    if (kind === 'TrafficSplit' || kind === 'TrafficTarget' || isPolicyKind(kind)) return [unitOfSmi(o)];
    if (isSmiKind(kind)) {
      const out = [routeUnit(ns, kind, name)];
      for (const r of this.referrers.get(inputKey(kind, ns, name))) {
        const u = this.smiUnit.get(r);
        if (u) out.push(u);
      }
      return out;
    }
    if (kind === 'Service') {
      const out: string[] = [];
      for (const idx of [this.splitsByRoot, this.splitsByService]) {
        for (const s of idx.get(nsName(ns, name))) {
          const u = this.smiUnit.get(s);
          if (u) out.push(u);
        }
      }
      const sel = serviceSelector(o);
      const sas = new Set<string>();
      for (const w of this.workloadCandidates(ns, sel)) {
        const wl = this.workload(w);
        if (wl && selects(sel, wl.podLabels)) sas.add(wl.serviceAccount);
      }
      for (const sa of sas) out.push(...this.accessIfLive(ns, sa), ...this.asSource(ns, sa));
      return out;
    }
    if (isWorkloadKind(kind)) {
      // A destination's policy selects pods by labels its own ServiceAccount's pods share, so this workload can
      // only fall under another destination's selector (making it unsafe) if it shares a label with that
      // ServiceAccount's pods: re-check exactly those access units, not every unit in the namespace.
      const w = workloadRef(o);
      const sas = new Set([w.serviceAccount]);
      for (const [k, v] of Object.entries(w.podLabels)) {
        for (const other of this.workloadsByLabelPair.get(labelPair(ns, k, v))) {
          const wl = this.workload(other);
          if (wl) sas.add(wl.serviceAccount);
        }
      }
      // Any Service selecting these pods selects only pods sharing a label with them, so the
      // sources whose Services (and the pods behind them) can change are among the same `sas`.
      return [...sas].flatMap((sa) => [...this.accessIfLive(ns, sa), ...this.asSource(ns, sa)]);
    }
    if (kind === 'ServiceAccount') return [...this.accessIfLive(ns, name), ...this.asSource(ns, name)];
    if (isManaged(o)) {
      const u = unitOf(o);
      return u ? [u] : [];
    }
    return [];
  }

  private add(kind: string, o: KubeObject): void {
    this.index(kind, o, true);
  }

  private remove(kind: string, o: KubeObject): void {
    this.index(kind, o, false);
  }

  private index(kind: string, o: KubeObject, add: boolean): void {
    const ns = nsOf(o);
    const name = o.metadata.name;
    const op = (idx: MultiIndex, k: string, v: string): void => (add ? idx.add(k, v) : idx.remove(k, v));
    const self = inputKey(kind, ns, name);
    if (kind === 'RateLimitPolicy') op(this.rateLimitsByNs, ns, self);
    if (kind === 'TrafficSplit' || isPolicyKind(kind)) {
      const root = kind === 'TrafficSplit' ? splitRoot(o) : policyTarget(o);
      op(this.splitsByRoot, nsName(ns, root), self);
      for (const svc of new Set(serviceRefs(o))) if (svc !== root) op(this.splitsByService, nsName(ns, svc), self);
    } else if (kind === 'TrafficTarget') {
      op(this.targetsByDest, nsName(ns, targetDestination(o)), self);
      for (const s of arr(spec(o).sources)) op(this.targetsBySource, nsName(str(s.namespace) || ns, str(s.name)), self);
    } else if (kind === 'Service') {
      const sel = serviceSelector(o);
      const first = Object.keys(sel ?? {}).sort()[0];
      // Only the first pair: the whole selector is read from the cache when a candidate is checked
      // (a copy of every Service's selector here was ~1.4 MiB at 10,000 Services).
      if (sel && first !== undefined) op(this.servicesByFirstPair, labelPair(ns, first, sel[first]!), name);
    } else if (isWorkloadKind(kind)) {
      const w = workloadRef(o);
      op(this.workloadsBySA, nsName(ns, w.serviceAccount), w.key);
      for (const [k, v] of Object.entries(w.podLabels)) op(this.workloadsByLabelPair, labelPair(ns, k, v), w.key);
      if (add) this.workloadOf.set(w.key, JSON.stringify([w.namespace, w.serviceAccount, w.podLabels]));
      else this.workloadOf.delete(w.key);
    } else if (!isSmiKind(kind) && isManaged(o)) {
      const u = unitOf(o);
      if (u) op(this.managedByUnit, u, shortKey(kind, flatKey('|', ns, '|', name)));
    }
    if (kind === 'TrafficSplit' || kind === 'TrafficTarget' || isPolicyKind(kind)) {
      for (const r of routeRefs(o)) op(this.referrers, r, self);
      if (add) this.smiUnit.set(self, unitOfSmi(o));
      else this.smiUnit.delete(self);
    }
  }

  /** The managed objects a unit owns: cache key (`group/Kind`), namespace, name. */
  ownedBy(unit: string): Array<[cacheKey: string, namespace: string, name: string]> {
    return [...this.managedByUnit.get(unit)].map((e) => {
      const kind = codedKind(e);
      return (kind === undefined ? e : [kind, e.slice(1)].join('')).split('|') as [string, string, string];
    });
  }

  /** The indexed workload of a key (a fresh object: the caller may keep it). */
  workload(key: string): WorkloadRef | undefined {
    const s = this.workloadOf.get(key);
    if (s === undefined) return undefined;
    const [namespace, serviceAccount, podLabels] = JSON.parse(s) as [string, string, Record<string, string>];
    return { key, namespace, serviceAccount, podLabels };
  }

  /** Workloads that may match a selector: those carrying its rarest label pair (none for an empty selector). */
  workloadCandidates(ns: string, sel: Record<string, string> | undefined): Iterable<string> {
    let best: string | undefined;
    let size = Infinity;
    for (const [k, v] of Object.entries(sel ?? {})) {
      const key = labelPair(ns, k, v);
      const n = this.workloadsByLabelPair.count(key);
      if (n < size) [best, size] = [key, n];
    }
    return best === undefined ? NONE : this.workloadsByLabelPair.get(best);
  }

  /**
   * Names of the Services in `ns` whose selector matches these pod labels (selector-less Services
   * select nothing). `selectorOf` reads a candidate's selector (from the cache: the index keeps
   * only each selector's first pair).
   */
  servicesSelecting(ns: string, podLabels: Record<string, string>, selectorOf: (name: string) => Record<string, string> | undefined): string[] {
    const out: string[] = [];
    for (const [k, v] of Object.entries(podLabels)) {
      for (const svc of this.servicesByFirstPair.get(labelPair(ns, k, v))) {
        if (selects(selectorOf(svc), podLabels)) out.push(svc);
      }
    }
    return out;
  }

  /** Every unit that has inputs or owns objects: what a full resync (start, leadership, config change) enqueues. */
  allUnits(routes: KubeObject[]): Set<string> {
    const out = new Set<string>();
    for (const u of this.smiUnit.values()) out.add(u);
    for (const u of this.managedByUnit.keys()) out.add(u);
    for (const r of routes) out.add(routeUnit(nsOf(r), r.kind, r.metadata.name));
    return out;
  }
}
