// Metadata every emitted object carries: the SMI object's
// namespace, managed-by/source/mesh labels, and ownerReferences to its SMI sources.

import type { KubeObject, ObjectMeta, OwnerReference } from '../../schemas/hub.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, MESH_LABEL, SOURCE_LABEL, SOURCES_ANNOTATION, type MeshName } from '../types.js';
import { shortHash } from './names.js';
import { compareStrings } from './status.js';

export { nativeName } from './names.js';

/** Label value (<= 63 chars, alphanumeric at both ends) naming an SMI object: `<kind>.<name>`. */
export function sourceLabelValue(obj: KubeObject): string {
  const v = `${obj.kind.toLowerCase()}.${obj.metadata.name}`;
  return v.length <= 63 ? v : `${v.slice(0, 54).replace(/[^a-z0-9]+$/i, '')}.${shortHash(v)}`;
}

export function sourcesAnnotationValue(sources: KubeObject[]): string {
  return [...new Set(sources.map((s) => `${s.kind}/${s.metadata.namespace ?? 'default'}/${s.metadata.name}`))].join(',');
}

/** Adds `source` to an emitted object's SOURCES_ANNOTATION (a policy joining a split's route). */
export function addSourceAnnotation(meta: ObjectMeta, source: KubeObject): void {
  const current = meta.annotations?.[SOURCES_ANNOTATION];
  const entry = sourcesAnnotationValue([source]);
  if (current?.split(',').includes(entry)) return;
  meta.annotations = { ...meta.annotations, [SOURCES_ANNOTATION]: current ? `${current},${entry}` : entry };
}

/** The SOURCES_ANNOTATION back as (kind, namespace, name); unparseable entries are skipped. */
export function parseSourcesAnnotation(v: string | undefined): { kind: string; namespace: string; name: string }[] {
  return (v ?? '').split(',').map((e) => e.trim().split('/')).filter((p) => p.length === 3 && p.every((x) => x)).map(([kind, namespace, name]) => ({ kind: kind!, namespace: namespace!, name: name! }));
}

/**
 * Metadata for an object derived from `sources` (oldest first). OwnerReferences are
 * only set for sources in the same namespace that have a uid (objects read from files have none).
 */
export function managedMetadata(name: string, namespace: string, mesh: MeshName, sources: KubeObject[]): ObjectMeta {
  const first = sources[0];
  const labels: Record<string, string> = { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [MESH_LABEL]: mesh };
  if (first) labels[SOURCE_LABEL] = sourceLabelValue(first);
  const owners: OwnerReference[] = sources
    .filter((s) => typeof s.metadata.uid === 'string' && s.metadata.uid !== '' && (s.metadata.namespace ?? 'default') === namespace)
    .map((s) => ({ apiVersion: s.apiVersion, kind: s.kind, name: s.metadata.name, uid: s.metadata.uid as string }));
  const meta: ObjectMeta = { name, namespace, labels };
  if (sources.length) meta.annotations = { [SOURCES_ANNOTATION]: sourcesAnnotationValue(sources) };
  if (owners.length > 0) meta.ownerReferences = owners;
  return meta;
}

/** (apiVersion, kind, namespace, name): the order the adapter contract promises for emitted objects. */
export function compareObjects(a: KubeObject, b: KubeObject): number {
  return (
    compareStrings(a.apiVersion, b.apiVersion) ||
    compareStrings(a.kind, b.kind) ||
    compareStrings(a.metadata.namespace ?? '', b.metadata.namespace ?? '') ||
    compareStrings(a.metadata.name, b.metadata.name)
  );
}
