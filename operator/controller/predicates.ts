// Which watched changes can matter to translation, and which units they touch. A
// change that cannot matter is not enqueued (status-only updates of inputs, the
// watch echo of our own writes); one that can must never be filtered out: every
// field and annotation the adapters read is compared here.

import { CONVERSION_ANNOTATIONS } from '../../schemas/annotations.js';
import type { KubeObject } from '../../schemas/hub.js';
import { isSmiKind, isWorkloadKind } from './kinds.js';
import { nativeKey } from './labels.js';
import { workloadRef, type DependencyIndex } from './units.js';

const json = (v: unknown): string => JSON.stringify(v ?? null);

/**
 * The annotations the operator reads on SMI objects: the conversion annotations carry fields
 * an older version lacks (TrafficTarget `destination.port` as `smi-operator.io/destination-port`,
 * which restricts ports), and an edit of one changes no generation.
 */
const readAnnotations = (o: KubeObject): string => json(CONVERSION_ANNOTATIONS.map((k) => o.metadata.annotations?.[k] ?? null));

/** What of a workload its pods are made of: a Pod's own annotations and spec, or the controller's pod template. */
function podTemplate(o: KubeObject): unknown {
  const spec = (o as { spec?: Record<string, unknown> }).spec;
  return o.kind === 'Pod' ? { annotations: o.metadata.annotations, spec } : spec?.template;
}

/** Whether the change of an input from `old` to `next` can change what the operator writes. */
export function relevant(kind: string, old: KubeObject | undefined, next: KubeObject | undefined): boolean {
  if (!old || !next) return true;
  if (isSmiKind(kind)) {
    return (
      old.metadata.generation !== next.metadata.generation ||
      !!old.metadata.deletionTimestamp !== !!next.metadata.deletionTimestamp ||
      json(old.metadata.labels) !== json(next.metadata.labels) ||
      readAnnotations(old) !== readAnnotations(next) ||
      // The hub view of an older version's object may change with its annotations alone.
      json((old as { spec?: unknown }).spec) !== json((next as { spec?: unknown }).spec)
    );
  }
  // The adapters read more of a workload than its identity: container ports (Linkerd Servers, rule ports) and
  // HTTP probes (probe authorizations; missing one would fail kubelet's probes) and pod annotations. The cache
  // keeps only what they read (../cache/transform.ts), so comparing the pod template is exact there.
  if (isWorkloadKind(kind)) return json(workloadRef(old)) !== json(workloadRef(next)) || json(podTemplate(old)) !== json(podTemplate(next));
  if (kind === 'Service') return json((old as { spec?: unknown }).spec) !== json((next as { spec?: unknown }).spec);
  if (kind === 'ServiceAccount') return false;
  return old.metadata.resourceVersion !== next.metadata.resourceVersion;
}

export interface TriggerDeps {
  index: DependencyIndex;
  /** Cache keys (group/Kind) of the native kinds the operator writes. */
  nativeKinds: ReadonlySet<string>;
  isEcho(o: KubeObject, deleted: boolean): boolean;
  claimantsOf(nativeKey: string): string[];
  /** An SMI object is gone: drop what was cached about it. */
  forget(o: KubeObject): void;
}

/**
 * Feed one watched change into the indexes and return the units it must reconcile: none when
 * it cannot matter (relevant() says no, or it is the echo of our own write), the units that want
 * a managed object someone else changed or deleted.
 */
export function unitsToReconcile(kind: string, old: KubeObject | undefined, next: KubeObject | undefined, d: TriggerDeps): Set<string> {
  if (!next && old && isSmiKind(kind)) d.forget(old);
  const units = d.index.update(kind, old, next);
  if (d.nativeKinds.has(kind)) {
    const o = (next ?? old) as KubeObject;
    // Our own write coming back through the watch: the unit already knows.
    if (d.isEcho(o, !next)) units.clear();
    // A managed object deleted or changed by someone: every unit that wants it may have to re-create it.
    else for (const u of d.claimantsOf(nativeKey(o))) units.add(u);
  }
  return relevant(kind, old, next) ? units : new Set();
}
