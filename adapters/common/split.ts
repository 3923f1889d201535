// TrafficSplit semantics (SPEC §1): live backends with their relative weights, backend
// and port checks, HTTPRouteGroup matches, and one split per root Service. Each renderer
// turns the weights into what its mesh can hold (weights.ts).

import type { TrafficSplit } from '../../schemas/hub.js';
import { SMI_GROUPS } from '../../schemas/hub.js';
import type { ServiceInfo, ServicePort } from '../types.js';
import type { HttpCondition, ResolvedSplit, SplitBackend } from './model.js';
import type { SnapshotIndex } from './lookup.js';
import { compareAge, compareStrings, namespaceOf, refOf, type ResultBook } from './status.js';
import { percentages } from './weights.js';

interface Candidate {
  index: number;
  service: ServiceInfo;
  weight: number;
}

const portKey = (p: ServicePort): string => `${p.port}/${p.protocol ?? 'TCP'}`;

/** Root ports the backend lacks (by number and protocol); a backend must serve them all. */
function missingPorts(root: ServiceInfo, backend: ServiceInfo): string[] {
  const have = new Set(backend.ports.map(portKey));
  return root.ports.map(portKey).filter((k) => !have.has(k));
}

function isWeight(w: unknown): w is number {
  return typeof w === 'number' && Number.isSafeInteger(w) && w >= 0;
}

interface Backends {
  live: SplitBackend[];
  /** Backends with a weight above 0 that cannot receive traffic (their share goes to the live ones). */
  unusable: string[];
}

function resolveBackends(split: TrafficSplit, root: ServiceInfo | undefined, idx: SnapshotIndex, book: ResultBook): Backends {
  const unusable: string[] = [];
  const ns = namespaceOf(split);
  const backends = Array.isArray(split.spec.backends) ? split.spec.backends : [];
  if (backends.length === 0) {
    book.note(split, 'spec.backends: is empty, so there is nothing to split across; the split is not applied', 'Invalid');
    return { live: [], unusable };
  }
  const chosen: Candidate[] = [];
  const firstIndex = new Map<string, number>();
  let total = 0;
  backends.forEach((b, i) => {
    const at = `spec.backends[${i}]`;
    if (!isWeight(b.weight)) {
      book.note(split, `${at}.weight: must be a non-negative integer, got ${JSON.stringify(b.weight)}; the backend gets no traffic`, 'Invalid');
      unusable.push(b.service);
      return;
    }
    total += b.weight;
    const seen = firstIndex.get(b.service);
    if (seen !== undefined) {
      // One destination per Service keeps the renderers simple; the shares add up.
      book.note(split, `${at}.service: Service ${b.service} is already listed at spec.backends[${seen}]; the weights are added`);
      const prev = chosen.find((c) => c.index === seen);
      if (prev) prev.weight += b.weight;
      return;
    }
    firstIndex.set(b.service, i);
    const svc = idx.service(ns, b.service);
    if (!svc) {
      // Creating the split (weight 0) before the new Service is the documented rollout order.
      if (b.weight === 0) book.note(split, `${at}.service: Service ${ns}/${b.service} not found; it has weight 0, so nothing is routed to it`);
      else {
        book.note(split, `${at}.service: Service ${ns}/${b.service} not found; the backend gets no traffic`, 'InvalidReference');
        unusable.push(b.service);
      }
      return;
    }
    if (root && svc.name === root.name) {
      // Argo Rollouts' default (`trafficRouting: smi: {}`) roots the split at the stable Service.
      book.note(split, `${at}.service: is the root Service ${root.name} itself; its share goes to the root Service's own endpoints (the SMI spec discourages self-referential splits, every supported mesh expresses them)`);
    } else if (root) {
      const missing = missingPorts(root, svc);
      if (missing.length > 0) {
        book.note(split, `${at}.service: Service ${b.service} has no port ${missing.join(', ')} of the root Service ${root.name}; the backend gets no traffic`, 'InvalidReference');
        if (b.weight > 0) unusable.push(b.service);
        return;
      }
    }
    // Kept at weight 0 too: a later duplicate of this Service may add weight to it.
    chosen.push({ index: i, service: svc, weight: b.weight });
  });
  // Merged duplicates may have turned a 0 into a positive weight; keep spec order.
  const live = chosen.filter((c) => c.weight > 0).sort((a, b) => a.index - b.index);
  if (total === 0 && firstIndex.size > 0) {
    book.note(split, 'spec.backends: every weight is 0, so no backend can receive traffic; the split is not applied', 'Invalid');
    return { live: [], unusable };
  }
  if (live.length === 0) {
    book.note(split, 'spec.backends: no backend can receive traffic; the split is not applied', 'InvalidReference');
    return { live: [], unusable };
  }
  return { live: live.map((c) => ({ service: c.service, weight: c.weight, index: c.index })), unusable };
}

/** The OR of every match of every referenced group; undefined when any reference fails (never widen a gated split). */
function resolveMatches(split: TrafficSplit, idx: SnapshotIndex, book: ResultBook): HttpCondition[] | undefined {
  const ns = namespaceOf(split);
  const refs = Array.isArray(split.spec.matches) ? split.spec.matches : [];
  const out: HttpCondition[] = [];
  const origins = new Set<string>();
  let ok = true;
  refs.forEach((ref, i) => {
    const at = `spec.matches[${i}]`;
    if (ref.kind !== 'HTTPRouteGroup') {
      book.note(split, `${at}.kind: must be HTTPRouteGroup, got ${JSON.stringify(ref.kind)}`, 'Invalid');
      ok = false;
      return;
    }
    if (ref.apiGroup !== undefined && ref.apiGroup !== SMI_GROUPS.HTTPRouteGroup) {
      book.note(split, `${at}.apiGroup: must be ${SMI_GROUPS.HTTPRouteGroup}, got ${JSON.stringify(ref.apiGroup)}`, 'Invalid');
      ok = false;
      return;
    }
    const g = idx.routeGroup(ns, ref.name);
    if (!g) {
      book.note(split, `${at}.name: HTTPRouteGroup ${ns}/${ref.name} not found (missing, or rejected as invalid)`, 'InvalidReference');
      ok = false;
      return;
    }
    if (g.errors.length > 0) {
      book.note(split, `${at}.name: HTTPRouteGroup ${ns}/${ref.name} is invalid (see its result)`, 'InvalidReference');
      ok = false;
      return;
    }
    for (const c of g.conditions.values()) {
      if (!origins.has(c.origin)) out.push(c);
      origins.add(c.origin);
    }
  });
  if (!ok) {
    book.note(split, 'spec.matches: the split is not applied, so every request keeps the plain Service behaviour');
    return undefined;
  }
  return out;
}

function resolveOne(split: TrafficSplit, idx: SnapshotIndex, book: ResultBook): ResolvedSplit | undefined {
  const ns = namespaceOf(split);
  const root = idx.service(ns, split.spec.service);
  if (!root) book.note(split, `spec.service: Service ${ns}/${split.spec.service} not found; the split is not applied`, 'InvalidReference');
  const { live: backends, unusable } = resolveBackends(split, root, idx, book);
  const matches = resolveMatches(split, idx, book);
  if (!root || backends.length === 0 || !matches) return undefined;
  if (unusable.length > 0) {
    // Applied anyway: the usable backends take the whole share (a share sent to a backend that
    // cannot take it would fail those requests). Say exactly what that means.
    const shares = percentages(backends.map((b) => b.weight));
    const to = backends.map((b, i) => `${shares[i]} to ${b.service.name}`).join(', ');
    book.note(split, `spec.backends: applied without ${unusable.join(', ')} (unusable, see above): ${to}`);
  }
  return { split, namespace: ns, root, backends, matches };
}

/** Resolves every split; for each root Service only the oldest split is applied, the others are Conflict. */
export function resolveSplits(splits: readonly TrafficSplit[], idx: SnapshotIndex, book: ResultBook): ResolvedSplit[] {
  const byRoot = new Map<string, TrafficSplit[]>();
  for (const s of splits) {
    const k = `${namespaceOf(s)}/${s.spec.service}`;
    const g = byRoot.get(k);
    if (g) g.push(s);
    else byRoot.set(k, [s]);
  }
  const out: ResolvedSplit[] = [];
  for (const group of byRoot.values()) {
    const [winner, ...losers] = [...group].sort(compareAge);
    if (!winner) continue;
    for (const l of losers) {
      book.note(l, `spec.service: Service ${l.spec.service} is already split by ${refOf(winner)} (the oldest split of a Service wins); this split is not applied`, 'Conflict');
      resolveOne(l, idx, book); // still report its own problems
    }
    const r = resolveOne(winner, idx, book);
    if (r) out.push(r);
  }
  noteNesting(out, book);
  return out.sort((a, b) => compareStrings(a.namespace, b.namespace) || compareStrings(a.root.name, b.root.name));
}

/** SMI splits do not nest (SPEC §1): a backend that is itself split gets its share unsplit. */
function noteNesting(splits: readonly ResolvedSplit[], book: ResultBook): void {
  const byRoot = new Map(splits.map((s) => [`${s.namespace}/${s.root.name}`, s]));
  for (const s of splits) {
    s.split.spec.backends.forEach((b, i) => {
      const inner = byRoot.get(`${s.namespace}/${b.service}`);
      if (inner && inner !== s && s.backends.some((x) => x.service.name === b.service)) {
        book.note(s.split, `spec.backends[${i}].service: Service ${b.service} is split by ${refOf(inner.split)}; splits do not nest, so this share goes to ${b.service}'s own endpoints`);
      }
    });
  }
}
