// translateWith(): the whole adapter pipeline for one mesh. resolve() decides the
// SMI semantics, the renderer emits native objects, and its notes are folded into
// the per-object results (a status only ever gets worse).

import { resolve } from './common/resolve.js';
import type { MeshRenderer, RenderNote } from './common/model.js';
import { compareObjects } from './common/meta.js';
import { worseStatus } from './common/status.js';
import type { MeshOptions, ObjectResult, Snapshot, TranslationOutput } from './types.js';

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

export function translateWith(renderer: MeshRenderer, snapshot: Snapshot, options: MeshOptions): TranslationOutput {
  const model = resolve(snapshot, options);
  const rendered = renderer.render(model, options);
  const { results } = mergeNotes(model.results, rendered.notes);
  return { objects: [...rendered.objects].sort(compareObjects), results };
}
