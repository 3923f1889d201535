// MeshOptions from command-line style `key=value` pairs, validated; errors as values.

import { DEFAULT_MESH_OPTIONS, type AccessMode, type MeshOptions, type MtlsMode } from '../types.js';

const ACCESS_MODES: readonly AccessMode[] = ['enforce', 'permissive'];
const MTLS_MODES: readonly MtlsMode[] = ['strict', 'permissive', 'disabled'];
const DNS_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const MESH_OPTION_KEYS = ['accessMode', 'mtlsMode', 'clusterDomain', 'trustDomain'] as const;

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
    const value = pair.slice(eq + 1);
    switch (key) {
      case 'accessMode':
        if ((ACCESS_MODES as readonly string[]).includes(value)) options.accessMode = value as AccessMode;
        else errors.push(`accessMode: must be one of ${ACCESS_MODES.join(', ')}, got ${JSON.stringify(value)}`);
        break;
      case 'mtlsMode':
        if ((MTLS_MODES as readonly string[]).includes(value)) options.mtlsMode = value as MtlsMode;
        else errors.push(`mtlsMode: must be one of ${MTLS_MODES.join(', ')}, got ${JSON.stringify(value)}`);
        break;
      case 'clusterDomain':
      case 'trustDomain':
        if (DNS_NAME.test(value)) options[key] = value;
        else errors.push(`${key}: must be a DNS name such as cluster.local, got ${JSON.stringify(value)}`);
        break;
      default:
        errors.push(`${JSON.stringify(key)}: unknown option; known: ${MESH_OPTION_KEYS.join(', ')}`);
    }
  }
  return { options, errors };
}
