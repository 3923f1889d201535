// Which watched changes can matter to translation. A change that cannot is not
// enqueued (status-only updates of inputs, the watch echo of our own status writes);
// one that can must never be filtered out: every field and annotation the adapters
// read is compared here.

import { CONVERSION_ANNOTATIONS } from '../../schemas/annotations.js';
import type { KubeObject } from '../../schemas/hub.js';
import { isSmiKind, isWorkloadKind } from './kinds.js';
import { workloadRef } from './units.js';

const json = (v: unknown): string => JSON.stringify(v ?? null);

/**
 * The annotations the operator reads on SMI objects: the conversion annotations carry fields
 * an older version lacks (TrafficTarget `destination.port` as `smi-operator.io/destination-port`,
 * which restricts ports), and an edit of one changes no generation.
 */
const readAnnotations = (o: KubeObject): string => json(CONVERSION_ANNOTATIONS.map((k) => o.metadata.annotations?.[k] ?? null));

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
  if (isWorkloadKind(kind)) return json(workloadRef(old)) !== json(workloadRef(next));
  if (kind === 'Service') return json((old as { spec?: unknown }).spec) !== json((next as { spec?: unknown }).spec);
  if (kind === 'ServiceAccount') return false;
  return old.metadata.resourceVersion !== next.metadata.resourceVersion;
}
