// Cross-object rules: references between SMI objects, checked against the
// objects given (pure; a referenced object that is not given is not an error).
import type { HTTPRouteGroup, SmiObject, TrafficSplit, TrafficTarget } from '../hub.js';
import type { PolicyObject } from '../policy-types.js';

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

const nsOf = (o: SmiObject) => o.metadata.namespace ?? 'default';

/**
 * Two splits of one root service conflict; a backend that is another split's
 * root is not split again (SMI splits are not hierarchical).
 */
export function splitReferenceRules(ts: TrafficSplit, others: SmiObject[]): Found {
  const out: Found = [];
  const ns = nsOf(ts);
  const splits = others.filter((o): o is TrafficSplit => o.kind === 'TrafficSplit' && nsOf(o) === ns && o.metadata.name !== ts.metadata.name);
  const rival = splits.find((o) => o.spec.service === ts.spec.service);
  if (rival) out.push({ path: 'spec.service', message: `TrafficSplit ${ns}/${rival.metadata.name} also splits ${ts.spec.service}; only one split per root service takes effect` });
  ts.spec.backends.forEach((b, i) => {
    const nested = splits.find((o) => o.spec.service === b.service);
    if (nested) {
      out.push({ path: `spec.backends[${i}].service`, message: `${b.service} is the root service of TrafficSplit ${ns}/${nested.metadata.name}; splits are not hierarchical, so it is not split again` });
    }
  });
  return out;
}

const ageKey = (o: SmiObject): string => `${o.metadata.creationTimestamp ?? '~'}|${o.metadata.name}`;

/**
 * Match names must exist in the HTTPRouteGroup; two policies of one kind on one
 * target conflict (the oldest wins, as for splits).
 */
export function policyReferenceRules(p: PolicyObject, others: SmiObject[]): Found {
  const out: Found = [];
  const ns = nsOf(p);
  (p.spec.matches ?? []).forEach((m, i) => {
    const group = findGroup(others, ns, m.name);
    if (!group) return;
    const names = new Set(group.spec.matches.map((x) => x.name));
    (m.matches ?? []).forEach((name, j) => {
      if (!names.has(name)) out.push({ path: `spec.matches[${i}].matches[${j}]`, message: `HTTPRouteGroup ${ns}/${m.name} has no match named ${name} (it has: ${[...names].join(', ') || 'none'})` });
    });
  });
  const rival = others.find(
    (o) => o.kind === p.kind && nsOf(o) === ns && o.metadata.name !== p.metadata.name && (o as PolicyObject).spec.targetRef?.kind === p.spec.targetRef.kind && (o as PolicyObject).spec.targetRef?.name === p.spec.targetRef.name,
  );
  if (rival && ageKey(rival) < ageKey(p)) {
    out.push({ path: 'spec.targetRef', message: `${p.kind} ${ns}/${rival.metadata.name} also targets ${p.spec.targetRef.kind} ${p.spec.targetRef.name}; only the oldest takes effect` });
  }
  return out;
}
