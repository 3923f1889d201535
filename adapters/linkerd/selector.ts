// A Server podSelector for the pods of one ServiceAccount: the labels every one of
// its workloads carries. Linkerd cannot select by ServiceAccount, so the selector
// is only used when it provably excludes every other known workload; otherwise
// authorization would spill onto pods of another identity.

import type { WorkloadInfo } from '../types.js';

/** Labels that differ per rollout revision or per pod, so a selector on them goes stale. */
const VOLATILE = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
  'statefulset.kubernetes.io/pod-name',
  'apps.kubernetes.io/pod-index',
]);

export type SelectorResult = { ok: true; matchLabels: Record<string, string> } | { ok: false; why: string };

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

const selects = (sel: Record<string, string>, w: WorkloadInfo): boolean => Object.entries(sel).every(([k, v]) => w.podLabels[k] === v);

/**
 * `own`: workloads running as the ServiceAccount; `others`: other workloads known in the
 * same namespace (they must not be selected).
 */
export function podSelectorFor(own: readonly WorkloadInfo[], others: readonly WorkloadInfo[]): SelectorResult {
  if (own.length === 0) return { ok: false, why: 'no workload runs as this ServiceAccount, so there are no pods to select' };
  const sel = commonLabels(own);
  if (Object.keys(sel).length === 0) return { ok: false, why: `its workloads (${own.map((w) => w.owner).join(', ')}) share no pod label to select them by` };
  const spill = others.filter((w) => selects(sel, w));
  if (spill.length > 0) {
    const names = spill.map((w) => `${w.owner} (ServiceAccount ${w.serviceAccount})`).join(', ');
    return { ok: false, why: `the labels its workloads share (${JSON.stringify(sel)}) also select ${names}` };
  }
  return { ok: true, matchLabels: sel };
}
