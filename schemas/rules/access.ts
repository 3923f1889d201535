// Single-object semantic rules for TrafficTarget (hub form), plus the defaults
// the hub gets once valid.
import type { TrafficTarget } from '../hub.js';

type Found = Array<{ path: string; message: string }>;

const SERVICE_ACCOUNT = 'ServiceAccount';

/** `version` is the object's own version: v1alpha3 made rules and sources mandatory. */
export function targetRules(tt: TrafficTarget, version: string): Found {
  const out: Found = [];
  const ns = tt.metadata.namespace ?? 'default';
  const { destination, rules, sources } = tt.spec;
  // v1alpha1 has no spec wrapper; name fields the way the user wrote them.
  const base = version === 'v1alpha1' ? '' : 'spec.';
  const rulesField = version === 'v1alpha1' ? 'specs' : 'rules';
  if (destination.kind !== SERVICE_ACCOUNT) out.push({ path: `${base}destination.kind`, message: `must be ServiceAccount, got ${destination.kind}` });
  if (destination.namespace !== undefined && destination.namespace !== ns) {
    out.push({ path: `${base}destination.namespace`, message: `must be the TrafficTarget's own namespace ${ns}, got ${destination.namespace}` });
  }
  (sources ?? []).forEach((s, i) => {
    if (s.kind !== SERVICE_ACCOUNT) out.push({ path: `${base}sources[${i}].kind`, message: `must be ServiceAccount, got ${s.kind}` });
  });
  if (version === 'v1alpha3') {
    if (!rules?.length) out.push({ path: `${base}${rulesField}`, message: 'must list at least one rule' });
    if (!sources?.length) out.push({ path: `${base}sources`, message: 'must list at least one source' });
  }
  (rules ?? []).forEach((r, i) => {
    if (r.matches?.length && r.kind !== 'HTTPRouteGroup') {
      out.push({ path: `${base}${rulesField}[${i}].matches`, message: `only HTTPRouteGroup rules name matches; ${r.kind} ${r.name} has none to select` });
    }
  });
  return out;
}

/** Fills the namespaces the spec leaves implicit: destination and sources default to the TrafficTarget's namespace. */
export function withTargetDefaults(tt: TrafficTarget): TrafficTarget {
  const ns = tt.metadata.namespace ?? 'default';
  const spec = { ...tt.spec, destination: { ...tt.spec.destination, namespace: tt.spec.destination.namespace ?? ns } };
  if (tt.spec.sources) spec.sources = tt.spec.sources.map((s) => ({ ...s, namespace: s.namespace ?? ns }));
  return { ...tt, spec };
}
