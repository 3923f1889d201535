// translateWith(): the whole adapter pipeline for one mesh. resolve() decides the
// SMI semantics, the renderer emits native objects, and its notes are folded into
// the per-object results (a status only ever gets worse).

import { resolve } from './common/resolve.js';
import type { MeshRenderer, RenderNote } from './common/model.js';
import { compareObjects, sourceLabelValue } from './common/meta.js';
import { namespaceOf, worseStatus } from './common/status.js';
import { SOURCE_LABEL, type MeshOptions, type ObjectResult, type Snapshot, type TranslationOutput } from './types.js';
import type { KubeObject } from '../schemas/hub.js';
import { objectRef } from '../schemas/hub.js';
import { isName } from '../schemas/names.js';

export { compareObjects };

/** Results with the renderer's notes applied; notes about unknown objects are returned apart (a renderer bug). */
export function mergeNotes(results: readonly ObjectResult[], notes: readonly RenderNote[]): { results: ObjectResult[]; stray: RenderNote[] } {
  const merged = results.map((r) => ({ ...r, messages: [...r.messages] }));
  const byRef = new Map(merged.map((r) => [r.object, r]));
  const stray: RenderNote[] = [];
  for (const n of notes) {
    const r = byRef.get(n.object);
    if (!r) {
      stray.push(n);
      continue;
    }
    if (!r.messages.includes(n.message)) r.messages.push(n.message);
    if (n.status) r.status = worseStatus(r.status, n.status);
  }
  return { results: merged, stray };
}

/**
 * Last defence for every mesh: an object whose name is not a Kubernetes name (e.g. "" from
 * a name that sanitises to nothing) is dropped, and the SMI object it came from (its
 * source label) reported Invalid. The API server would reject it; `smictl translate`
 * would print it.
 */
export function dropUnnamed(objects: readonly KubeObject[], snapshot: Snapshot): { objects: KubeObject[]; notes: RenderNote[] } {
  const kept: KubeObject[] = [];
  const notes: RenderNote[] = [];
  const smi = [...snapshot.trafficSplits, ...snapshot.trafficTargets, ...snapshot.httpRouteGroups, ...snapshot.tcpRoutes, ...snapshot.udpRoutes, ...(snapshot.policies ?? [])];
  const bySource = new Map(smi.map((o) => [`${namespaceOf(o)}|${sourceLabelValue(o)}`, objectRef(o)]));
  for (const o of objects) {
    if (isName('DNS-1123 subdomain', o.metadata.name)) {
      kept.push(o);
      continue;
    }
    const source = bySource.get(`${o.metadata.namespace ?? 'default'}|${o.metadata.labels?.[SOURCE_LABEL]}`);
    if (source) notes.push({ object: source, status: 'Invalid', message: `${o.kind} ${JSON.stringify(o.metadata.name)} derived from it is not a valid Kubernetes name; it is not emitted` });
  }
  return { objects: kept, notes };
}

const nativeKey = (o: KubeObject): string => `${o.apiVersion}|${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}`;

const sameObject = (a: KubeObject, b: KubeObject): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Last defence against a shared native key (names are unique by construction, see
 * common/names.ts; only a hash collision is left). Identical copies are one object.
 * Of different objects with one key the first is kept and the SMI objects behind the
 * others (source label and ownerReferences) are reported Conflict: never one written
 * silently over another.
 */
export function dropCollisions(objects: readonly KubeObject[], snapshot: Snapshot): { objects: KubeObject[]; notes: RenderNote[] } {
  const byKey = new Map<string, KubeObject[]>();
  for (const o of objects) {
    const list = byKey.get(nativeKey(o));
    if (list) list.push(o);
    else byKey.set(nativeKey(o), [o]);
  }
  const smi = [...snapshot.trafficSplits, ...snapshot.trafficTargets, ...snapshot.httpRouteGroups, ...snapshot.tcpRoutes, ...snapshot.udpRoutes];
  const bySource = new Map(smi.map((o) => [`${namespaceOf(o)}|${sourceLabelValue(o)}`, objectRef(o)]));
  const sourcesOf = (o: KubeObject): string[] => {
    const ns = o.metadata.namespace ?? 'default';
    const refs = new Set<string>();
    const labelled = bySource.get(`${ns}|${o.metadata.labels?.[SOURCE_LABEL]}`);
    if (labelled) refs.add(labelled);
    for (const r of o.metadata.ownerReferences ?? []) refs.add(`${r.kind} ${ns}/${r.name}`);
    return [...refs].sort();
  };
  const kept: KubeObject[] = [];
  const notes: RenderNote[] = [];
  for (const list of byKey.values()) {
    const [first, ...rest] = list.filter((o, i) => list.findIndex((x) => sameObject(x, o)) === i);
    kept.push(first!);
    const winners = new Set(sourcesOf(first!));
    const what = `${first!.kind} ${first!.metadata.namespace ?? ''}/${first!.metadata.name}`;
    for (const o of rest) {
      for (const object of sourcesOf(o)) {
        if (winners.has(object)) continue;
        notes.push({ object, status: 'Conflict', message: `${what}: the name derived from this object is already taken by the one derived from ${[...winners].join(', ') || 'another input'}; it is not emitted` });
      }
    }
  }
  return { objects: kept, notes };
}

export function translateWith(renderer: MeshRenderer, snapshot: Snapshot, options: MeshOptions): TranslationOutput {
  const model = resolve(snapshot, options);
  const rendered = renderer.render(model, options);
  const named = dropUnnamed(rendered.objects, snapshot);
  const unique = dropCollisions(named.objects, snapshot);
  const { results } = mergeNotes(model.results, [...rendered.notes, ...named.notes, ...unique.notes]);
  return { objects: unique.objects.sort(compareObjects), results };
}
