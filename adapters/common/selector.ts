// A label selector for the pods of one destination ServiceAccount, shared by the
// renderers whose policies select pods by label rather than by identity (Istio
// AuthorizationPolicy/PeerAuthentication, Linkerd Server). The selector is the set of
// labels ALL those pods share, i.e. the most specific one that still covers every pod:
// no extra label can narrow it further. It is refused when it would also select a pod
// of another ServiceAccount in the namespace, since policy there would admit this
// destination's sources (wider) and deny everyone else.

import type { WorkloadInfo } from '../types.js';
import { matchesLabels } from './label-match.js';
import type { ResolvedDestination } from './model.js';

/** Labels that differ per rollout revision or per pod: a selector on them would miss the next pods. */
const VOLATILE = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
]);

export type PodSelector =
  | { ok: true; matchLabels: Record<string, string> }
  | {
      ok: false;
      /** `no-workloads`: nothing to protect yet; the others mean the pods exist but cannot be selected safely. */
      reason: 'no-workloads' | 'no-shared-labels' | 'selects-others';
      /** Why, naming the ServiceAccount and any conflicting workloads; renderers prefix their own context. */
      why: string;
      /** Workloads of other ServiceAccounts the shared labels also select. */
      conflicts: WorkloadInfo[];
    };

/**
 * The stable labels every workload carries with the same value, sorted by key. Any selector a
 * renderer builds for a destination's pods is one of these sets (of all its workloads, or of one),
 * so a pod it also selects carries every label of such a set: the operator reads only those pods.
 */
export function commonLabels(workloads: ReadonlyArray<Pick<WorkloadInfo, 'podLabels'>>): Record<string, string> {
  const [first, ...rest] = workloads;
  if (!first) return {};
  const out: Record<string, string> = {};
  for (const k of Object.keys(first.podLabels).sort()) {
    const v = first.podLabels[k];
    if (v === undefined || VOLATILE.has(k)) continue;
    if (rest.every((w) => w.podLabels[k] === v)) out[k] = v;
  }
  return out;
}

export const selectsPods = (matchLabels: Record<string, string>, w: WorkloadInfo): boolean => matchesLabels(matchLabels, w.podLabels);

const conflictsOf = (d: ResolvedDestination, matchLabels: Record<string, string>): WorkloadInfo[] =>
  d.namespaceWorkloads.filter((w) => w.namespace === d.namespace && w.serviceAccount !== d.serviceAccount && selectsPods(matchLabels, w));

export function destinationSelector(d: ResolvedDestination): PodSelector {
  const sa = `${d.namespace}/${d.serviceAccount}`;
  if (d.workloads.length === 0) return { ok: false, reason: 'no-workloads', why: `no workload runs as ServiceAccount ${sa} yet`, conflicts: [] };
  const matchLabels = commonLabels(d.workloads);
  if (Object.keys(matchLabels).length === 0) {
    const owners = d.workloads.map((w) => w.owner).join(', ');
    return { ok: false, reason: 'no-shared-labels', why: `the workloads running as ServiceAccount ${sa} (${owners}) share no pod label to select them by`, conflicts: [] };
  }
  const conflicts = conflictsOf(d, matchLabels);
  if (conflicts.length > 0) {
    const labels = Object.entries(matchLabels).map(([k, v]) => `${k}=${v}`).join(',');
    const names = conflicts.map((w) => `${w.owner} (ServiceAccount ${w.serviceAccount})`).join(', ');
    return { ok: false, reason: 'selects-others', why: `the pod labels shared by ServiceAccount ${sa}'s workloads (${labels}) also select ${names}`, conflicts };
  }
  return { ok: true, matchLabels };
}

export interface CoveringSelector {
  matchLabels: Record<string, string>;
  /** Workloads of other ServiceAccounts it also selects: policy on it may only be narrower on every pod (deny-all, STRICT mTLS). */
  conflicts: WorkloadInfo[];
}

/**
 * When one selector cannot cover a destination's pods exactly (destinationSelector failed with
 * pods present), policy must still close them, never fall open: label sets that together cover
 * every pod of the ServiceAccount, one per workload, each as specific as that workload allows. A
 * set without conflicts selects only this ServiceAccount's pods and can carry the exact policy; one
 * with conflicts may carry only policy that is narrower on every pod. A set that is a superset of
 * another selects a subset of its pods and is dropped. `uncovered`: workloads whose pods carry no
 * stable label, which nothing short of the whole namespace would select.
 */
export function coveringSelectors(d: ResolvedDestination): { selectors: CoveringSelector[]; uncovered: WorkloadInfo[] } {
  const uncovered: WorkloadInfo[] = [];
  const byKey = new Map<string, Record<string, string>>();
  for (const w of d.workloads) {
    const labels = commonLabels([w]);
    if (Object.keys(labels).length === 0) uncovered.push(w);
    else byKey.set(JSON.stringify(labels), labels);
  }
  const all = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  const subsumes = (a: Record<string, string>, b: Record<string, string>): boolean => a !== b && matchesLabels(a, b);
  const selectors = all.filter((s) => !all.some((o) => subsumes(o, s))).map((matchLabels) => ({ matchLabels, conflicts: conflictsOf(d, matchLabels) }));
  return { selectors, uncovered };
}

export const formatLabels = (m: Record<string, string>): string =>
  Object.entries(m)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
