// Workload selector for the pods of one ServiceAccount. Istio policies select pods
// by label, not by ServiceAccount, so the selector is the set of labels ALL those
// pods share (the most specific one that still covers every pod). It is refused
// when it would also select a known pod of another ServiceAccount: an ALLOW policy
// there would let this destination's sources in (wider) and deny everyone else.

import type { ResolvedDestination } from '../common/model.js';
import type { WorkloadInfo } from '../types.js';

export type SelectorResult = { ok: true; matchLabels: Record<string, string> } | { ok: false; reason: string };

function commonLabels(workloads: readonly WorkloadInfo[]): Record<string, string> {
  const [first, ...rest] = workloads;
  if (!first) return {};
  const out: Record<string, string> = {};
  for (const k of Object.keys(first.podLabels).sort()) {
    const v = first.podLabels[k] as string;
    if (rest.every((w) => w.podLabels[k] === v)) out[k] = v;
  }
  return out;
}

function selects(matchLabels: Record<string, string>, w: WorkloadInfo): boolean {
  return Object.entries(matchLabels).every(([k, v]) => w.podLabels[k] === v);
}

/** `known`: every workload the renderer can see (other ServiceAccounts' pods included). */
export function workloadSelector(d: ResolvedDestination, known: readonly WorkloadInfo[]): SelectorResult {
  const sa = `${d.namespace}/${d.serviceAccount}`;
  if (d.workloads.length === 0) return { ok: false, reason: `no workload runs as ServiceAccount ${sa} yet` };
  const matchLabels = commonLabels(d.workloads);
  if (Object.keys(matchLabels).length === 0) {
    return { ok: false, reason: `the workloads running as ServiceAccount ${sa} (${d.workloads.map((w) => w.owner).join(', ')}) share no pod label to select them by` };
  }
  const intruders = known
    .filter((w) => w.namespace === d.namespace && w.serviceAccount !== d.serviceAccount && selects(matchLabels, w))
    .map((w) => `${w.owner} (ServiceAccount ${w.serviceAccount})`);
  if (intruders.length > 0) {
    const labels = Object.entries(matchLabels).map(([k, v]) => `${k}=${v}`).join(',');
    return { ok: false, reason: `the labels shared by ServiceAccount ${sa}'s pods (${labels}) also select ${[...new Set(intruders)].sort().join(', ')}` };
  }
  return { ok: true, matchLabels };
}
