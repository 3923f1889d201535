// Single-object semantic rules for TrafficTarget (hub form), plus the defaults
// the hub gets once valid.
import type { TrafficTarget } from '../hub.js';
import { nameProblem, type NameRule } from '../names.js';

type Found = Array<{ path: string; message: string }>;

const SERVICE_ACCOUNT = 'ServiceAccount';

/**
 * `version` is the object's own version: v1alpha3 made rules and sources mandatory.
 * `unreadable(path)`: the field could not be read (see validate.ts); rules reading it are skipped.
 */
export function targetRules(tt: TrafficTarget, version: string, unreadable: (path: string) => boolean = () => false): Found {
  const out: Found = [];
  const ns = tt.metadata.namespace ?? 'default';
  const { destination, rules, sources } = tt.spec;
  // v1alpha1 has no spec wrapper; name fields the way the user wrote them.
  const base = version === 'v1alpha1' ? '' : 'spec.';
  const rulesField = `${base}${version === 'v1alpha1' ? 'specs' : 'rules'}`;
  const dest = `${base}destination`;
  if (!unreadable(`${dest}.kind`) && destination.kind !== SERVICE_ACCOUNT) out.push({ path: `${dest}.kind`, message: `must be ServiceAccount, got ${destination.kind}` });
  if (!unreadable(`${dest}.namespace`) && !unreadable('metadata.namespace') && destination.namespace !== undefined && destination.namespace !== ns) {
    out.push({ path: `${dest}.namespace`, message: `must be the TrafficTarget's own namespace ${ns}, got ${destination.namespace}` });
  }
  // Subjects name ServiceAccounts (DNS-1123 subdomains) in namespaces (DNS-1123 labels).
  const checkName = (at: string, rule: NameRule, v: unknown): void => {
    const why = unreadable(at) || v === undefined ? undefined : nameProblem(rule, v);
    if (why) out.push({ path: at, message: why });
  };
  const checkSubject = (at: string, s: { name: string; namespace?: string }): void => {
    checkName(`${at}.name`, 'DNS-1123 subdomain', s.name);
    checkName(`${at}.namespace`, 'DNS-1123 label', s.namespace);
  };
  if (!unreadable(dest)) checkSubject(dest, destination);
  const sourcesKnown = !unreadable(`${base}sources`);
  const rulesKnown = !unreadable(rulesField);
  if (sourcesKnown) {
    (sources ?? []).forEach((s, i) => {
      const at = `${base}sources[${i}].kind`;
      if (!unreadable(at) && s.kind !== SERVICE_ACCOUNT) out.push({ path: at, message: `must be ServiceAccount, got ${s.kind}` });
      if (!unreadable(`${base}sources[${i}]`)) checkSubject(`${base}sources[${i}]`, s);
    });
  }
  if (version === 'v1alpha3') {
    if (rulesKnown && !rules?.length) out.push({ path: rulesField, message: 'must list at least one rule' });
    if (sourcesKnown && !sources?.length) out.push({ path: `${base}sources`, message: 'must list at least one source' });
  }
  if (rulesKnown) {
    (rules ?? []).forEach((r, i) => {
      const at = `${rulesField}[${i}]`;
      // The route object the rule names (match names are free-form entries inside it).
      if (!unreadable(at)) checkName(`${at}.name`, 'DNS-1123 subdomain', r.name);
      if (unreadable(`${at}.matches`) || unreadable(`${at}.kind`) || unreadable(`${at}.name`)) return;
      if (r.matches?.length && r.kind !== 'HTTPRouteGroup') {
        out.push({ path: `${at}.matches`, message: `only HTTPRouteGroup rules name matches; ${r.kind} ${r.name} has none to select` });
      }
    });
  }
  return out;
}

/** Fills the namespaces the spec leaves implicit: destination and sources default to the TrafficTarget's namespace. */
export function withTargetDefaults(tt: TrafficTarget): TrafficTarget {
  const ns = tt.metadata.namespace ?? 'default';
  const spec = { ...tt.spec, destination: { ...tt.spec.destination, namespace: tt.spec.destination.namespace ?? ns } };
  if (tt.spec.sources) spec.sources = tt.spec.sources.map((s) => ({ ...s, namespace: s.namespace ?? ns }));
  return { ...tt, spec };
}
