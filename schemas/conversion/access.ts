// TrafficTarget v1alpha1/v1alpha2 <-> hub (v1alpha3).
// v1alpha1 has no spec wrapper and calls rules `specs`. destination.port (v1alpha1/2)
// has no hub field: it rides in DESTINATION_PORT_ANNOTATION.

import { DESTINATION_PORT_ANNOTATION } from '../annotations.js';
import type { IdentityBindingSubject, KubeObject, TrafficTarget, TrafficTargetRule } from '../hub.js';
import { asRecord, clone, envelope, setAnnotation, takeAnnotation } from './meta.js';
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
  if (body.sources !== undefined) hub.spec.sources = (body.sources as unknown[]).map(subject);
  if (version !== 'v1alpha3' && destination.port !== undefined) {
    setAnnotation(hub.metadata, DESTINATION_PORT_ANNOTATION, String(destination.port));
  }
  return { hub, errors: [] };
}

export function targetFromHub(hub: TrafficTarget, version: string): Converted {
  const out = envelope(hub, `access.smi-spec.io/${version}`);
  const destination: Record<string, unknown> = { ...clone(hub.spec.destination) };
  if (version !== 'v1alpha3') {
    const port = takeAnnotation(out.metadata, DESTINATION_PORT_ANNOTATION);
    if (port !== undefined && /^\d+$/.test(port)) destination.port = Number(port);
  }
  const body: Record<string, unknown> = { destination };
  if (hub.spec.rules !== undefined) body[version === 'v1alpha1' ? 'specs' : 'rules'] = clone(hub.spec.rules);
  if (hub.spec.sources !== undefined) body.sources = clone(hub.spec.sources);
  if (version === 'v1alpha1') Object.assign(out, body);
  else out.spec = body;
  return { object: out };
}
