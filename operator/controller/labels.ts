// Labels/annotations the operator adds on top of what adapters emit, so each
// native object names the output unit that owns it (exact pruning) and the
// hash of what was applied (skip no-op writes, including removed fields).

import { createHash } from 'node:crypto';
import type { KubeObject } from '../../schemas/hub.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../adapters/types.js';

export const UNIT_LABEL = 'smi-operator.io/unit';
export const UNIT_ANNOTATION = 'smi-operator.io/unit';
export const HASH_ANNOTATION = 'smi-operator.io/applied-hash';

const hash = (s: string, n: number): string => createHash('sha256').update(s).digest('hex').slice(0, n);

/** Label value (<= 63 chars, [a-z0-9._-], alphanumeric ends) for a unit key; hashed when it does not fit. */
export function unitLabelValue(unit: string): string {
  const v = unit.replace(/[:/]/g, '.').replace(/[^A-Za-z0-9._-]/g, '-');
  if (v.length <= 63 && /^[A-Za-z0-9]/.test(v) && /[A-Za-z0-9]$/.test(v)) return v;
  return `u-${hash(unit, 40)}`;
}

/** Canonical JSON: object keys sorted, so equal content hashes equally whatever the key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export function isManaged(o: KubeObject | undefined): boolean {
  return o?.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
}

export const unitOf = (o: KubeObject): string | undefined => o.metadata.annotations?.[UNIT_ANNOTATION];

/** The adapter's object plus the unit label/annotation and the content hash. */
export function decorate(obj: KubeObject, unit: string): KubeObject {
  const base: KubeObject = {
    ...obj,
    metadata: {
      ...obj.metadata,
      labels: { ...obj.metadata.labels, [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [UNIT_LABEL]: unitLabelValue(unit) },
      annotations: { ...obj.metadata.annotations, [UNIT_ANNOTATION]: unit },
    },
  };
  const h = hash(canonicalJson(base), 16);
  return { ...base, metadata: { ...base.metadata, annotations: { ...base.metadata.annotations, [HASH_ANNOTATION]: h } } };
}

/** group/Kind/namespace/name: identity of a native object across versions. */
export function nativeKey(o: { apiVersion: string; kind: string; metadata: { namespace?: string; name: string } }): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  return `${group}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

/** Cache key of a mesh-native kind: `group/Kind`. */
export function nativeKindKey(apiVersion: string, kind: string): string {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return `${group}/${kind}`;
}

/**
 * Native keys as kept by the thousand (claims, the owned-objects index): the `group/Kind` they
 * start with, ~20–40 characters repeated in every key, stands as one character from U+0080 on
 * (still a one-byte string). A key's first character is otherwise ASCII, so a key whose kind found
 * no code (past 128 kinds) is kept as it is and reads back the same.
 */
const kindCodes = new Map<string, string>();
const codedKinds: string[] = [];
const FIRST_CODE = 0x80;

/** `group/Kind/rest` → code + `/rest`; `kindKey` is the `group/Kind` prefix (labels' nativeKindKey). */
export function shortKey(kindKey: string, rest: string): string {
  let c = kindCodes.get(kindKey);
  if (c === undefined && codedKinds.length < 128) {
    c = String.fromCharCode(FIRST_CODE + codedKinds.length);
    kindCodes.set(kindKey, c);
    codedKinds.push(kindKey);
  }
  return [c ?? kindKey, rest].join('');
}

/** The `group/Kind` a key made by shortKey() starts with, when it was coded (else the key is as given). */
export function codedKind(s: string): string | undefined {
  const code = s.charCodeAt(0) - FIRST_CODE;
  return code >= 0 && code < codedKinds.length ? codedKinds[code] : undefined;
}

/** nativeKey() as kept in bulk: see shortKey(). */
export function shortNativeKey(key: string): string {
  const slash = key.indexOf('/', key.indexOf('/') + 1);
  return slash < 0 ? key : shortKey(key.slice(0, slash), key.slice(slash));
}

export function longNativeKey(s: string): string {
  const kind = codedKind(s);
  return kind === undefined ? s : [kind, s.slice(1)].join('');
}
