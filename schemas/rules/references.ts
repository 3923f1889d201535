// Cross-object rules: references between SMI objects, checked against the
// objects given (pure; a referenced object that is not given is not an error).
import type { HTTPRouteGroup, SmiObject, TrafficTarget } from '../hub.js';

type Found = Array<{ path: string; message: string }>;

function findGroup(others: SmiObject[], namespace: string, name: string): HTTPRouteGroup | undefined {
  return others.find(
    (o): o is HTTPRouteGroup => o.kind === 'HTTPRouteGroup' && (o.metadata.namespace ?? 'default') === namespace && o.metadata.name === name,
  );
}

export function targetReferenceRules(tt: TrafficTarget, others: SmiObject[]): Found {
  const out: Found = [];
  const ns = tt.metadata.namespace ?? 'default';
  (tt.spec.rules ?? []).forEach((r, i) => {
    if (r.kind !== 'HTTPRouteGroup' || !r.matches?.length) return;
    const group = findGroup(others, ns, r.name);
    if (!group) return;
    const names = new Set(group.spec.matches.map((m) => m.name));
    r.matches.forEach((m, j) => {
      if (!names.has(m)) {
        out.push({ path: `spec.rules[${i}].matches[${j}]`, message: `HTTPRouteGroup ${ns}/${r.name} has no match named ${m} (it has: ${[...names].join(', ') || 'none'})` });
      }
    });
  });
  return out;
}
