// Metadata every emitted object carries: the SMI object's
// namespace, managed-by/source/mesh labels, and ownerReferences to its SMI sources.

import type { KubeObject, ObjectMeta, OwnerReference } from '../../schemas/hub.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, MESH_LABEL, SOURCE_LABEL, type MeshName } from '../types.js';
import { shortHash } from './names.js';
import { compareStrings } from './status.js';

export { nativeName } from './names.js';

/** Label value (<= 63 chars, alphanumeric at both ends) naming an SMI object: `<kind>.<name>`. */
export function sourceLabelValue(obj: KubeObject): string {
  const v = `${obj.kind.toLowerCase()}.${obj.metadata.name}`;
  return v.length <= 63 ? v : `${v.slice(0, 54).replace(/[^a-z0-9]+$/i, '')}.${shortHash(v)}`;
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
