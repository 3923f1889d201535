// Policy semantics (policy.smi-operator.io), applied once for every mesh: the
// target Service (and mirror Service) must exist, HTTPRouteGroup matches resolve to
// conditions (a failed reference means the policy is not applied: never widened to
// all requests), and one policy per target and kind: the oldest wins.

import type { PolicyObject } from '../../schemas/policy-types.js';
import { SMI_GROUPS } from '../../schemas/hub.js';
import type { HttpCondition, ResolvedPolicy } from './model.js';
import type { SnapshotIndex } from './lookup.js';
import { compareAge, compareStrings, namespaceOf, refOf, type ResultBook } from './status.js';

function resolveMatches(p: PolicyObject, idx: SnapshotIndex, book: ResultBook): HttpCondition[] | undefined {
  const ns = namespaceOf(p);
  const out: HttpCondition[] = [];
  let ok = true;
  (p.spec.matches ?? []).forEach((ref, i) => {
    const at = `spec.matches[${i}]`;
    if (ref.apiGroup !== undefined && ref.apiGroup !== SMI_GROUPS.HTTPRouteGroup) {
      book.note(p, `${at}.apiGroup: must be ${SMI_GROUPS.HTTPRouteGroup}, got ${JSON.stringify(ref.apiGroup)}`, 'Invalid');
      ok = false;
      return;
    }
    const g = idx.routeGroup(ns, ref.name);
    if (!g || g.errors.length > 0) {
      book.note(p, `${at}.name: HTTPRouteGroup ${ns}/${ref.name} ${g ? 'is invalid (see its result)' : 'not found (missing, or rejected as invalid)'}`, 'InvalidReference');
      ok = false;
      return;
    }
    const wanted = ref.matches?.length ? ref.matches : [...g.conditions.keys()];
    wanted.forEach((name, j) => {
      const c = g.conditions.get(name);
      if (!c) {
        book.note(p, `${at}.matches[${j}]: HTTPRouteGroup ${ns}/${ref.name} has no match named ${name}`, 'InvalidReference');
        ok = false;
      } else if (!out.some((x) => x.origin === c.origin)) out.push(c);
    });
  });
  if (!ok) {
    book.note(p, 'spec.matches: the policy is not applied (a policy narrowed to matches is never widened to every request)');
    return undefined;
  }
  return out;
}

function resolveOne(p: PolicyObject, idx: SnapshotIndex, book: ResultBook): ResolvedPolicy | undefined {
  const ns = namespaceOf(p);
  const matches = resolveMatches(p, idx, book);
  const t = p.spec.targetRef;
  let service;
  if (t.kind === 'Service') {
    service = idx.service(ns, t.name);
    if (!service) book.note(p, `spec.targetRef.name: Service ${ns}/${t.name} not found; the policy is not applied`, 'InvalidReference');
  }
  let mirror;
  if (p.kind === 'MirrorPolicy') {
    mirror = idx.service(ns, p.spec.backendRef.name);
    if (!mirror) book.note(p, `spec.backendRef.name: Service ${ns}/${p.spec.backendRef.name} not found; nothing is mirrored`, 'InvalidReference');
    else if (p.spec.backendRef.port !== undefined && !mirror.ports.some((x) => x.port === p.spec.backendRef.port)) {
      book.note(p, `spec.backendRef.port: Service ${ns}/${mirror.name} has no port ${p.spec.backendRef.port}; nothing is mirrored`, 'InvalidReference');
      mirror = undefined;
    }
    if (!mirror) return undefined;
  }
  if (!matches || (t.kind === 'Service' && !service)) return undefined;
  const r: ResolvedPolicy = { policy: p, namespace: ns, matches };
  if (service) r.service = service;
  if (mirror) r.mirror = mirror;
  return r;
}

/** One policy per (kind, target): the oldest wins, the others are Conflict naming it. */
export function resolvePolicies(policies: readonly PolicyObject[], idx: SnapshotIndex, book: ResultBook): ResolvedPolicy[] {
  const groups = new Map<string, PolicyObject[]>();
  for (const p of policies) {
    const k = `${p.kind}|${namespaceOf(p)}|${p.spec.targetRef.kind}|${p.spec.targetRef.name}`;
    groups.set(k, [...(groups.get(k) ?? []), p]);
  }
  const out: ResolvedPolicy[] = [];
  for (const group of groups.values()) {
    const [winner, ...losers] = [...group].sort(compareAge);
    if (!winner) continue;
    for (const l of losers) {
      book.note(l, `spec.targetRef: ${l.spec.targetRef.kind} ${l.spec.targetRef.name} already has ${refOf(winner)} (the oldest ${l.kind} of a target wins); this policy is not applied`, 'Conflict');
      resolveOne(l, idx, book);
    }
    const r = resolveOne(winner, idx, book);
    if (r) out.push(r);
  }
  return out.sort((a, b) => compareStrings(a.namespace, b.namespace) || compareStrings(a.policy.kind, b.policy.kind) || compareStrings(a.policy.metadata.name, b.policy.metadata.name));
}

/** Policies of one kind, narrowed by type. */
export function policiesOf<K extends PolicyObject['kind']>(ps: readonly ResolvedPolicy[], kind: K): Array<ResolvedPolicy & { policy: Extract<PolicyObject, { kind: K }> }> {
  return ps.filter((p): p is ResolvedPolicy & { policy: Extract<PolicyObject, { kind: K }> } => p.policy.kind === kind);
}
