// Conversion between every served version of an SMI kind and its hub (newest)
// version. Older -> hub -> any version; fields a version lacks ride in annotations
// (annotations.ts) so that round trips are lossless.

import { targetFromHub, targetToHub } from './conversion/access.js';
import { routeGroupFromHub, routeGroupToHub, tcpRouteFromHub, tcpRouteToHub, udpRouteFromHub, udpRouteToHub } from './conversion/specs.js';
import { splitFromHub, splitToHub } from './conversion/split.js';
import type { Converted, HubConverted } from './conversion/types.js';
import type { HTTPRouteGroup, KubeObject, SmiObject, TCPRoute, TrafficSplit, TrafficTarget, UDPRoute } from './hub.js';
import { problem, type Problem } from './problem.js';
import { structuralCheck } from './structural.js';
import { servedKind } from './versions.js';
import { refOf } from './object-ref.js';

export { DESTINATION_PORT_ANNOTATION, HUB_FIELDS_ANNOTATION, V1ALPHA1_WEIGHTS_ANNOTATION } from './annotations.js';

/** True for any served version of an SMI kind (split/access/specs groups). */
export function isSmiObject(obj: { apiVersion?: string; kind?: string }): boolean {
  return servedKind(obj.apiVersion, obj.kind) !== undefined;
}

/** A value as the user wrote it: strings bare, anything else as JSON. */
const show = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? 'nothing'));

function notServed(obj: KubeObject, apiVersion: unknown): Problem {
  return problem(refOf(obj), 'apiVersion', `${show(apiVersion)} is not a served SMI version of ${show(obj?.kind)} (see smictl convert --help)`);
}

/** Any served version of an SMI kind -> hub. Checks the structure first; headers are normalised to a map. */
export function toHub(obj: KubeObject): { hub?: SmiObject; problems: Problem[] } {
  const r = toHubReporting(obj);
  return r.problems.length ? { problems: r.problems } : r;
}

/**
 * Like toHub, but also converts an object whose only structural problems are
 * about values (unknown fields, enums, ranges), returning the hub together with
 * those problems.
 */
export function toHubReporting(obj: KubeObject): { hub?: SmiObject; problems: Problem[] } {
  const served = servedKind(obj?.apiVersion, obj?.kind);
  if (!served) return { problems: [notServed(obj, obj?.apiVersion)] };
  const structural = structuralCheck(obj, served.info.kind, served.version);
  if (!structural.shapeOk) return { problems: structural.problems };
  const result = convertToHub(obj, served.info.kind, served.version);
  const ref = refOf(obj);
  const conversion = result.errors.map((e) => problem(ref, e.path, e.message));
  if (conversion.length) return { problems: [...structural.problems, ...conversion] };
  return { hub: result.hub, problems: structural.problems };
}

/**
 * For validation only: converts whatever can be read. Values of the wrong type are
 * dropped first, and conversion goes on past its own errors. The hub is therefore
 * incomplete whenever there are problems; `unreadable` lists the dotted paths it
 * cannot be trusted at, so the semantic rules that read them are skipped and the
 * others still report. The hub is undefined only for an unserved version.
 */
export function toHubPartial(obj: KubeObject): { hub?: SmiObject; problems: Problem[]; unreadable: string[] } {
  const served = servedKind(obj?.apiVersion, obj?.kind);
  if (!served) return { problems: [notServed(obj, obj?.apiVersion)], unreadable: [] };
  const structural = structuralCheck(obj, served.info.kind, served.version);
  const unreadable = structural.unreadable.map((u) => u.path);
  const readable = structural.shapeOk ? obj : withoutValuesAt(obj, structural.unreadable.flatMap((u) => (u.pointer === undefined ? [] : [u.pointer])));
  const result = convertToHub(readable, served.info.kind, served.version);
  const ref = refOf(obj);
  // A converter's error under a dropped value repeats the shape problem.
  const conversion = result.errors.filter((e) => !within(e.path, unreadable));
  unreadable.push(...conversion.map((e) => e.path));
  return { hub: result.hub, problems: [...structural.problems, ...conversion.map((e) => problem(ref, e.path, e.message))], unreadable };
}

/** True when `path` is one of `parts` or lies inside one. */
export function within(path: string, parts: readonly string[]): boolean {
  return parts.some((p) => p === '' || path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`));
}

/**
 * A copy of `obj` without the values at the given JSON pointers: object keys are
 * deleted, array items become empty objects, so the other items keep their index.
 */
function withoutValuesAt(obj: KubeObject, pointers: string[]): KubeObject {
  const copy = structuredClone(obj) as unknown as Record<string, unknown>;
  for (const pointer of pointers) {
    const keys = pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop();
    if (last === undefined) continue; // the root itself: a served object always is one
    let node: unknown = copy;
    for (const k of keys) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[k] : undefined;
    if (Array.isArray(node)) node[Number(last)] = {};
    else if (node && typeof node === 'object') delete (node as Record<string, unknown>)[last];
  }
  return copy as unknown as KubeObject;
}

function convertToHub(obj: KubeObject, kind: SmiObject['kind'], v: string): HubConverted<SmiObject> {
  switch (kind) {
    case 'TrafficSplit':
      return splitToHub(obj, v);
    case 'TrafficTarget':
      return targetToHub(obj, v);
    case 'HTTPRouteGroup':
      return routeGroupToHub(obj, v);
    case 'TCPRoute':
      return tcpRouteToHub(obj, v);
    case 'UDPRoute':
      return udpRouteToHub(obj);
    default:
      // Policy kinds have one version, their hub.
      return { hub: structuredClone(obj) as SmiObject, errors: [] };
  }
}

/** Hub -> the given `group/version` of the same kind. */
export function fromHub(hub: SmiObject, apiVersion: string): { object?: KubeObject; problems: Problem[] } {
  const served = servedKind(apiVersion, hub.kind);
  if (!served) return { problems: [notServed(hub, apiVersion)] };
  const v = served.version;
  let result: Converted;
  switch (hub.kind) {
    case 'TrafficSplit':
      result = splitFromHub(hub as TrafficSplit, v);
      break;
    case 'TrafficTarget':
      result = targetFromHub(hub as TrafficTarget, v);
      break;
    case 'HTTPRouteGroup':
      result = routeGroupFromHub(hub as HTTPRouteGroup, v);
      break;
    case 'TCPRoute':
      result = tcpRouteFromHub(hub as TCPRoute, v);
      break;
    case 'UDPRoute':
      result = udpRouteFromHub(hub as UDPRoute);
      break;
    default:
      result = { object: structuredClone(hub) };
  }
  return { object: result.object, problems: [] };
}

/**
 * Any served version -> any served version of the same kind (what the conversion
 * webhook calls). Converting is not validating: only problems that make the object
 * unreadable (wrong types, missing fields, weights that cannot be scaled) stop it,
 * so an object stored before a stricter rule existed stays readable at every version.
 */
export function convert(obj: KubeObject, toApiVersion: string): { object?: KubeObject; problems: Problem[] } {
  if (!servedKind(toApiVersion, obj?.kind)) return { problems: [notServed(obj, toApiVersion)] };
  if (obj.apiVersion === toApiVersion) return { object: structuredClone(obj), problems: [] };
  const { hub, problems } = toHubReporting(obj);
  if (!hub) return { problems };
  return fromHub(hub, toApiVersion);
}
