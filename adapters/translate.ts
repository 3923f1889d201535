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

export function translateWith(renderer: MeshRenderer, snapshot: Snapshot, options: MeshOptions): TranslationOutput {
  const model = resolve(snapshot, options);
  const rendered = renderer.render(model, options);
  const named = dropUnnamed(rendered.objects, snapshot);
  const { results } = mergeNotes(model.results, [...rendered.notes, ...named.notes]);
  return { objects: named.objects.sort(compareObjects), results };
}
