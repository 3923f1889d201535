// ResolvedDestination (enforce mode) -> one security.istio.io/v1 ALLOW AuthorizationPolicy
// on the destination's pods. An ALLOW policy denies whatever none of its rules match,
// which is SMI's default deny; no rules at all means allow nothing. Anything that
// cannot be expressed exactly is dropped (narrower) and reported, never widened.

import { objectRef, type KubeObject } from '../../schemas/hub.js';
import type { AccessRule, HttpCondition, RenderNote, ResolvedDestination } from '../common/model.js';
import { managedMetadata, nativeName } from '../common/meta.js';
import type { MeshOptions } from '../types.js';
import { AUTHORIZATION_POLICY } from './kinds.js';
import { policyString, toSimpleMatches } from './regex.js';

interface Operation {
  paths?: string[];
  methods?: string[];
  ports?: string[];
}

interface Condition {
  key: string;
  values: string[];
}

interface PolicyRule {
  from: Array<{ source: { principals: string[] } }>;
  to?: Array<{ operation: Operation }>;
  when?: Condition[];
}

type Translated = { ok: true; operation: Operation; when: Condition[]; narrowed: string[] } | { ok: false; why: string };

const uniq = (xs: string[]): string[] => [...new Set(xs)];

/** HTTP condition -> operation + `when`; fails rather than approximate wider. */
export function translateCondition(c: HttpCondition): Translated {
  const operation: Operation = {};
  const when: Condition[] = [];
  const narrowed: string[] = [];
  if (c.pathRegex !== undefined) {
    const m = toSimpleMatches(c.pathRegex, 'prefix');
    if (!m) return { ok: false, why: `pathRegex ${JSON.stringify(c.pathRegex)} has no AuthorizationPolicy form (paths support only exact, prefix and suffix matches)` };
    operation.paths = uniq(m.map(policyString));
  }
  if (c.methods && c.methods.length > 0) operation.methods = [...c.methods];
  for (const h of c.headers) {
    const m = toSimpleMatches(h.regex, 'whole');
    if (!m) return { ok: false, why: `header ${h.name} regex ${JSON.stringify(h.regex)} has no AuthorizationPolicy form (header values support only exact, prefix and suffix matches)` };
    if (m.some((x) => x.kind === 'presence')) narrowed.push(`header ${h.name}: an empty value is not matched (Istio's "*" needs a non-empty value)`);
    when.push({ key: `request.headers[${h.name}]`, values: uniq(m.map(policyString)) });
  }
  // HTTP-only fields make Istio ignore an ALLOW rule for non-HTTP traffic; an HTTP rule
  // without any would also admit raw TCP on the port, so mark it HTTP with "any path".
  if (!operation.paths && !operation.methods && when.length === 0) operation.paths = ['*'];
  return { ok: true, operation, when, narrowed };
}

export function principal(trustDomain: string, namespace: string, serviceAccount: string): string {
  return `${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
}

function policyRules(r: AccessRule, options: MeshOptions, notes: RenderNote[]): PolicyRule[] {
  const ref = objectRef(r.target);
  const principals = uniq(r.sources.map((s) => principal(options.trustDomain, s.namespace, s.serviceAccount))).sort();
  if (principals.length === 0) return [];
  const from = [{ source: { principals } }];
  // Rule ports are the destination's pod ports (adapters/common/ports.ts), which is what
  // Istio matches `ports` against: the port the workload receives on (istio/api#3075).
  const ports = r.ports.map(String);
  if (!r.http) return [ports.length > 0 ? { from, to: [{ operation: { ports } }] } : { from }];
  const out: PolicyRule[] = [];
  for (const c of r.http) {
    const t = translateCondition(c);
    if (!t.ok) {
      notes.push({ object: ref, status: 'Unsupported', message: `${r.path}: HTTPRouteGroup match ${c.origin}: ${t.why}; the match allows nothing` });
      continue;
    }
    for (const n of t.narrowed) notes.push({ object: ref, message: `${r.path}: HTTPRouteGroup match ${c.origin}: ${n}` });
    const operation = ports.length > 0 ? { ...t.operation, ports } : t.operation;
    const pr: PolicyRule = { from };
    if (Object.keys(operation).length > 0) pr.to = [{ operation }]; // an empty operation matches anything anyway
    if (t.when.length > 0) pr.when = t.when;
    out.push(pr);
  }
  return out;
}

export interface AccessRender {
  policy: KubeObject;
  notes: RenderNote[];
}

export function renderAuthorizationPolicy(d: ResolvedDestination, matchLabels: Record<string, string>, options: MeshOptions, name = nativeName('smi-access', d.serviceAccount)): AccessRender {
  const notes: RenderNote[] = [];
  const rules: PolicyRule[] = [];
  const seen = new Set<string>();
  for (const r of d.rules) {
    for (const pr of policyRules(r, options, notes)) {
      const key = JSON.stringify(pr);
      if (!seen.has(key)) rules.push(pr);
      seen.add(key);
    }
  }
  const spec: Record<string, unknown> = { selector: { matchLabels }, action: 'ALLOW' };
  if (rules.length > 0) spec.rules = rules; // absent: the policy matches nothing, i.e. deny all
  return {
    policy: {
      apiVersion: AUTHORIZATION_POLICY.apiVersion,
      kind: AUTHORIZATION_POLICY.kind,
      metadata: managedMetadata(name, d.namespace, 'istio', d.targets),
      spec,
    },
    notes,
  };
}

/** An ALLOW policy with no rules: Istio allows nothing to the pods it selects (the fail-closed form). */
export function denyAllPolicy(d: ResolvedDestination, matchLabels: Record<string, string>, name = nativeName('smi-access', d.serviceAccount)): KubeObject {
  return {
    apiVersion: AUTHORIZATION_POLICY.apiVersion,
    kind: AUTHORIZATION_POLICY.kind,
    metadata: managedMetadata(name, d.namespace, 'istio', d.targets),
    spec: { selector: { matchLabels }, action: 'ALLOW' },
  };
}
