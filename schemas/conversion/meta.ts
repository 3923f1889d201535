// Helpers shared by the per-kind converters: copying the envelope and moving
// values in and out of annotations.

import type { KubeObject, ObjectMeta } from '../hub.js';

type Json = Record<string, unknown>;

/** Deep copy of metadata and status under a new apiVersion. */
export function envelope(obj: KubeObject, apiVersion: string): KubeObject {
  const out: KubeObject = { apiVersion, kind: obj.kind, metadata: structuredClone(obj.metadata ?? {}) as ObjectMeta };
  if (obj.status !== undefined) out.status = structuredClone(obj.status);
  return out;
}

export function getAnnotation(meta: ObjectMeta, key: string): string | undefined {
  return meta.annotations?.[key];
}

export function setAnnotation(meta: ObjectMeta, key: string, value: string): void {
  meta.annotations = { ...(meta.annotations ?? {}), [key]: value };
}

/** Removes `key`; drops the annotations map when that leaves it empty. */
export function takeAnnotation(meta: ObjectMeta, key: string): string | undefined {
  const value = meta.annotations?.[key];
  if (value === undefined || !meta.annotations) return undefined;
  delete meta.annotations[key];
  if (Object.keys(meta.annotations).length === 0) delete meta.annotations;
  return value;
}

/** Parses a JSON annotation value; undefined when absent or not JSON of the expected container. */
export function takeJsonAnnotation(meta: ObjectMeta, key: string): Json | undefined {
  const raw = takeAnnotation(meta, key);
  if (raw === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(raw);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
  } catch {
    return undefined;
  }
}

export function clone<T>(v: T): T {
  return structuredClone(v);
}

export function asRecord(v: unknown): Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
}

export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
