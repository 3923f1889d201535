// Metadata every emitted object carries: deterministic name, the SMI object's
// namespace, managed-by/source/mesh labels, and ownerReferences to its SMI sources.

import { createHash } from 'node:crypto';
import type { KubeObject, ObjectMeta, OwnerReference } from '../../schemas/hub.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, MESH_LABEL, SOURCE_LABEL, type MeshName } from '../types.js';
import { compareStrings } from './status.js';

const MAX_NAME = 63; // DNS-1123 label: the strictest name rule among the native kinds

function shortHash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 8);
}

/** DNS-1123 label from parts; over-long names are cut and suffixed with a hash of the full name. */
export function nativeName(...parts: string[]): string {
  const full = parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  if (full.length <= MAX_NAME) return full;
  return `${full.slice(0, MAX_NAME - 9).replace(/-$/, '')}-${shortHash(full)}`;
}

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
    .filter((s) => s.metadata.uid && (s.metadata.namespace ?? 'default') === namespace)
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
