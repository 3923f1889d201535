// HTTPRouteGroup, TCPRoute, UDPRoute older versions <-> hub (v1alpha4).
// HTTPRouteGroup v1alpha1/2 keep matches at the top level and v1alpha1 has no
// headers; TCPRoute v1alpha1..3 have no matches. What a version cannot hold rides
// in HUB_FIELDS_ANNOTATION (headers keyed by match name).

import { HUB_FIELDS_ANNOTATION } from '../annotations.js';
import { normaliseHeaders } from '../headers.js';
import type { HTTPMatch, HTTPRouteGroup, KubeObject, PortMatch, TCPRoute, UDPRoute } from '../hub.js';
import { asArray, asRecord, clone, envelope, setAnnotation, takeJsonAnnotation } from './meta.js';
import type { Converted, HubConverted } from './types.js';

const TOP_LEVEL_MATCHES = new Set(['v1alpha1', 'v1alpha2']);

export function routeGroupToHub(obj: KubeObject, version: string): HubConverted<HTTPRouteGroup> {
  const hub = envelope(obj, 'specs.smi-spec.io/v1alpha4') as HTTPRouteGroup;
  const prefix = TOP_LEVEL_MATCHES.has(version) ? 'matches' : 'spec.matches';
  const raw = TOP_LEVEL_MATCHES.has(version) ? obj.matches : asRecord(obj.spec).matches;
  const errors: HubConverted<HTTPRouteGroup>['errors'] = [];
  const kept = version === 'v1alpha1' ? asRecord(takeJsonAnnotation(hub.metadata, HUB_FIELDS_ANNOTATION)?.headers) : {};
  const matches = asArray(raw).map((m, i): HTTPMatch => {
    const r = asRecord(m);
    const match: HTTPMatch = { name: String(r.name) };
    if (r.pathRegex !== undefined) match.pathRegex = String(r.pathRegex);
    if (r.methods !== undefined) match.methods = clone(r.methods) as HTTPMatch['methods'];
    const headers = r.headers ?? kept[match.name];
    if (headers !== undefined) {
      const n = normaliseHeaders(headers, `${prefix}[${i}].headers`);
      errors.push(...n.errors);
      match.headers = n.headers;
    }
    return match;
  });
  hub.spec = { matches };
  return { hub, errors };
}

export function routeGroupFromHub(hub: HTTPRouteGroup, version: string): Converted {
  const out = envelope(hub, `specs.smi-spec.io/${version}`);
  const lostHeaders: Record<string, unknown> = {};
  const matches = hub.spec.matches.map((m) => {
    const copy: Record<string, unknown> = { ...clone(m) };
    if (version === 'v1alpha1' && m.headers !== undefined) {
      lostHeaders[m.name] = m.headers;
      delete copy.headers;
    }
    return copy;
  });
  if (Object.keys(lostHeaders).length) setAnnotation(out.metadata, HUB_FIELDS_ANNOTATION, JSON.stringify({ headers: lostHeaders }));
  if (TOP_LEVEL_MATCHES.has(version)) out.matches = matches;
  else out.spec = { matches };
  return { object: out };
}

export function tcpRouteToHub(obj: KubeObject, version: string): HubConverted<TCPRoute> {
  const hub = envelope(obj, 'specs.smi-spec.io/v1alpha4') as TCPRoute;
  hub.spec = {};
  if (version === 'v1alpha4') {
    const matches = asRecord(obj.spec).matches;
    if (matches !== undefined) hub.spec.matches = clone(matches) as PortMatch;
  } else {
    const kept = takeJsonAnnotation(hub.metadata, HUB_FIELDS_ANNOTATION);
    if (kept?.['spec.matches'] !== undefined) hub.spec.matches = kept['spec.matches'] as PortMatch;
  }
  return { hub, errors: [] };
}

export function tcpRouteFromHub(hub: TCPRoute, version: string): Converted {
  const out = envelope(hub, `specs.smi-spec.io/${version}`);
  if (version === 'v1alpha4') {
    out.spec = clone(hub.spec);
    return { object: out };
  }
  if (hub.spec.matches !== undefined) setAnnotation(out.metadata, HUB_FIELDS_ANNOTATION, JSON.stringify({ 'spec.matches': hub.spec.matches }));
  // v1alpha3 has an (empty) spec; v1alpha1/2 have none.
  if (version === 'v1alpha3') out.spec = {};
  return { object: out };
}

export function udpRouteToHub(obj: KubeObject): HubConverted<UDPRoute> {
  const hub = envelope(obj, 'specs.smi-spec.io/v1alpha4') as UDPRoute;
  hub.spec = clone(asRecord(obj.spec)) as UDPRoute['spec'];
  return { hub, errors: [] };
}

export function udpRouteFromHub(hub: UDPRoute): Converted {
  const out = envelope(hub, 'specs.smi-spec.io/v1alpha4');
  out.spec = clone(hub.spec);
  return { object: out };
}
