// TrafficTarget v1alpha1/v1alpha2 <-> hub (v1alpha3).
// v1alpha1 has no spec wrapper and calls rules `specs`. destination.port (v1alpha1/2)
// has no hub field: it rides in DESTINATION_PORT_ANNOTATION.

import { DESTINATION_PORT_ANNOTATION, HUB_FIELDS_ANNOTATION } from '../annotations.js';
import type { IdentityBindingSubject, KubeObject, TrafficTarget, TrafficTargetRule } from '../hub.js';
import { asRecord, clone, envelope, setAnnotation, takeAnnotation, takeJsonAnnotation } from './meta.js';
import type { Converted, HubConverted } from './types.js';

const HUB = 'access.smi-spec.io/v1alpha3';

function subject(raw: unknown): IdentityBindingSubject {
  const r = asRecord(raw);
  const s: IdentityBindingSubject = { kind: String(r.kind), name: String(r.name) };
  if (r.namespace !== undefined) s.namespace = String(r.namespace);
  return s;
}

export function targetToHub(obj: KubeObject, version: string): HubConverted<TrafficTarget> {
  const hub = envelope(obj, HUB) as TrafficTarget;
  const body = version === 'v1alpha1' ? (obj as Record<string, unknown>) : asRecord(obj.spec);
  const rules = version === 'v1alpha1' ? body.specs : body.rules;
  const destination = asRecord(body.destination);
  hub.spec = { destination: subject(destination) };
  if (rules !== undefined) hub.spec.rules = clone(rules) as TrafficTargetRule[];
  if (version !== 'v1alpha3') restoreNewerRules(hub);
  if (body.sources !== undefined) hub.spec.sources = (body.sources as unknown[]).map(subject);
  if (version !== 'v1alpha3' && destination.port !== undefined) {
    setAnnotation(hub.metadata, DESTINATION_PORT_ANNOTATION, String(destination.port));
  }
  return { hub, errors: [] };
}

// Older versions only know HTTPRouteGroup and TCPRoute rules; newer kinds (UDPRoute)
// wait in HUB_FIELDS_ANNOTATION with their position in the hub's list.
const OLD_RULE_KINDS = new Set(['HTTPRouteGroup', 'TCPRoute']);

function restoreNewerRules(hub: TrafficTarget): void {
  const kept = takeJsonAnnotation(hub.metadata, HUB_FIELDS_ANNOTATION)?.['spec.rules'];
  if (!Array.isArray(kept)) return;
  const rules = [...(hub.spec.rules ?? [])];
  for (const entry of kept as Array<{ index: number; rule: TrafficTargetRule }>) rules.splice(entry.index, 0, entry.rule);
  hub.spec.rules = rules;
}

function splitRulesByAge(rules: TrafficTargetRule[]): { old: TrafficTargetRule[]; newer: Array<{ index: number; rule: TrafficTargetRule }> } {
  const old: TrafficTargetRule[] = [];
  const newer: Array<{ index: number; rule: TrafficTargetRule }> = [];
  rules.forEach((rule, index) => (OLD_RULE_KINDS.has(rule.kind) ? old.push(clone(rule)) : newer.push({ index, rule })));
  return { old, newer };
}

export function targetFromHub(hub: TrafficTarget, version: string): Converted {
  const out = envelope(hub, `access.smi-spec.io/${version}`);
  const destination: Record<string, unknown> = { ...clone(hub.spec.destination) };
  if (version !== 'v1alpha3') {
    const port = takeAnnotation(out.metadata, DESTINATION_PORT_ANNOTATION);
    if (port !== undefined && /^\d+$/.test(port)) destination.port = Number(port);
  }
  const body: Record<string, unknown> = { destination };
  if (hub.spec.rules !== undefined) {
    let rules = clone(hub.spec.rules);
    if (version !== 'v1alpha3') {
      const byAge = splitRulesByAge(hub.spec.rules);
      rules = byAge.old;
      if (byAge.newer.length) setAnnotation(out.metadata, HUB_FIELDS_ANNOTATION, JSON.stringify({ 'spec.rules': byAge.newer }));
    }
    body[version === 'v1alpha1' ? 'specs' : 'rules'] = rules;
  }
  if (hub.spec.sources !== undefined) body.sources = clone(hub.spec.sources);
  if (version === 'v1alpha1') Object.assign(out, body);
  else out.spec = body;
  return { object: out };
}
