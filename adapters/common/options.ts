// MeshOptions: the one validator, used for `smictl translate --options key=value`
// and for the operator's ConfigMap keys. Errors are values naming the key.

import { DEFAULT_MESH_OPTIONS, type AccessMode, type MeshOptions, type MtlsMode } from '../types.js';

export const ACCESS_MODES: readonly AccessMode[] = ['enforce', 'permissive'];
export const MTLS_MODES: readonly MtlsMode[] = ['strict', 'permissive', 'disabled'];
const DNS_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const MESH_OPTION_KEYS = ['accessMode', 'mtlsMode', 'clusterDomain', 'trustDomain'] as const;
export type MeshOptionKey = (typeof MESH_OPTION_KEYS)[number];

export const isMeshOptionKey = (k: string): k is MeshOptionKey => (MESH_OPTION_KEYS as readonly string[]).includes(k);

/** Why `value` is not valid for option `key`, or undefined when it is. */
export function meshOptionProblem(key: MeshOptionKey, value: string): string | undefined {
  switch (key) {
    case 'accessMode':
      return (ACCESS_MODES as readonly string[]).includes(value) ? undefined : `must be one of ${ACCESS_MODES.join(', ')}, got ${JSON.stringify(value)}`;
    case 'mtlsMode':
      return (MTLS_MODES as readonly string[]).includes(value) ? undefined : `must be one of ${MTLS_MODES.join(', ')}, got ${JSON.stringify(value)}`;
    case 'clusterDomain':
    case 'trustDomain':
      return DNS_NAME.test(value) && value.length <= 253 ? undefined : `must be a DNS name such as cluster.local, got ${JSON.stringify(value)}`;
  }
}

/** Sets one option on `options` when valid; returns the problem otherwise. */
export function setMeshOption(options: MeshOptions, key: MeshOptionKey, value: string): string | undefined {
  const problem = meshOptionProblem(key, value);
  if (problem) return problem;
  if (key === 'accessMode') options.accessMode = value as AccessMode;
  else if (key === 'mtlsMode') options.mtlsMode = value as MtlsMode;
  else options[key] = value;
  return undefined;
}

/** Applies `key=value` pairs over `base` (later pairs win). */
export function parseMeshOptions(pairs: readonly string[], base: MeshOptions = DEFAULT_MESH_OPTIONS): { options: MeshOptions; errors: string[] } {
  const options: MeshOptions = { ...base };
  const errors: string[] = [];
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      errors.push(`${JSON.stringify(pair)}: expected key=value with key one of ${MESH_OPTION_KEYS.join(', ')}`);
      continue;
    }
    const key = pair.slice(0, eq);
    if (!isMeshOptionKey(key)) {
      errors.push(`${JSON.stringify(key)}: unknown option; known: ${MESH_OPTION_KEYS.join(', ')}`);
      continue;
    }
    const problem = setMeshOption(options, key, pair.slice(eq + 1));
    if (problem) errors.push(`${key}: ${problem}`);
  }
  return { options, errors };
}
