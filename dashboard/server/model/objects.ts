// The Objects view: every SMI object with its Accepted/Ready conditions and the
// native objects it produced. The operator writes the unit key into each native
// object's `smi-operator.io/unit` annotation, so the join is exact.

import { unitOfSmi } from '../../../operator/controller/units.js';
import { unitOf } from '../../../operator/controller/labels.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { conditionView } from './splits.js';
import type { NativeRef, ObjectView } from './types.js';

export function buildObjects(smi: readonly KubeObject[], natives: readonly KubeObject[]): ObjectView[] {
  const byUnit = new Map<string, NativeRef[]>();
  for (const n of natives) {
    const unit = unitOf(n);
    if (!unit) continue;
    const list = byUnit.get(unit) ?? [];
    list.push({ apiVersion: n.apiVersion, kind: n.kind, ...(n.metadata.namespace ? { namespace: n.metadata.namespace } : {}), name: n.metadata.name });
    byUnit.set(unit, list);
  }
  const order = (a: NativeRef, b: NativeRef): number => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name);
  return smi
    .map((o) => {
      const unit = unitOfSmi(o);
      const status = o.status as { observedGeneration?: number } | undefined;
      const accepted = conditionView(o, 'Accepted');
      const ready = conditionView(o, 'Ready');
      return {
        apiVersion: o.apiVersion,
        kind: o.kind,
        namespace: o.metadata.namespace ?? '',
        name: o.metadata.name,
        ...(accepted ? { accepted } : {}),
        ...(ready ? { ready } : {}),
        current: status?.observedGeneration !== undefined && status.observedGeneration === o.metadata.generation,
        unit,
        natives: [...(byUnit.get(unit) ?? [])].sort(order),
      };
    })
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}
