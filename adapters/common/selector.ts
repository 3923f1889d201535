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

/** The stable labels every workload carries with the same value, sorted by key. */
export function commonLabels(workloads: readonly WorkloadInfo[]): Record<string, string> {
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

export function destinationSelector(d: ResolvedDestination): PodSelector {
  const sa = `${d.namespace}/${d.serviceAccount}`;
  if (d.workloads.length === 0) return { ok: false, reason: 'no-workloads', why: `no workload runs as ServiceAccount ${sa} yet`, conflicts: [] };
  const matchLabels = commonLabels(d.workloads);
  if (Object.keys(matchLabels).length === 0) {
    const owners = d.workloads.map((w) => w.owner).join(', ');
    return { ok: false, reason: 'no-shared-labels', why: `the workloads running as ServiceAccount ${sa} (${owners}) share no pod label to select them by`, conflicts: [] };
  }
  const conflicts = d.namespaceWorkloads.filter((w) => w.namespace === d.namespace && w.serviceAccount !== d.serviceAccount && selectsPods(matchLabels, w));
  if (conflicts.length > 0) {
    const labels = Object.entries(matchLabels).map(([k, v]) => `${k}=${v}`).join(',');
    const names = conflicts.map((w) => `${w.owner} (ServiceAccount ${w.serviceAccount})`).join(', ');
    return { ok: false, reason: 'selects-others', why: `the pod labels shared by ServiceAccount ${sa}'s workloads (${labels}) also select ${names}`, conflicts };
  }
  return { ok: true, matchLabels };
}
