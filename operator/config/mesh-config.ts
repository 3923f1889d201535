// The adapter ConfigMap: which mesh to translate for and its options.
// Validated with a JSON Schema (ajv); errors name the offending data key.

import { Ajv } from 'ajv';
import { DEFAULT_MESH_OPTIONS, MESH_NAMES, type MeshName, type MeshOptions } from '../../adapters/types.js';

export const DEFAULT_CONFIG_MAP = 'smi-operator-config';
export const DEFAULT_MESH: MeshName = 'istio';

export interface MeshConfig {
  mesh: MeshName;
  options: MeshOptions;
}

export const DEFAULT_CONFIG: MeshConfig = { mesh: DEFAULT_MESH, options: DEFAULT_MESH_OPTIONS };

const DNS = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    mesh: { enum: [...MESH_NAMES] },
    accessMode: { enum: ['enforce', 'permissive'] },
    mtlsMode: { enum: ['strict', 'permissive', 'disabled'] },
    clusterDomain: { type: 'string', pattern: DNS, maxLength: 253 },
    trustDomain: { type: 'string', pattern: DNS, maxLength: 253 },
  },
} as const;

const ajv = new Ajv({ allErrors: true });
const check = ajv.compile(schema);

export type ConfigResult = { ok: true; config: MeshConfig } | { ok: false; errors: string[] };

/** Parse ConfigMap `data` (trimmed values; missing keys take defaults, `fallbackMesh` for mesh). */
export function parseMeshConfig(data: Record<string, string> | undefined, fallbackMesh: MeshName = DEFAULT_MESH): ConfigResult {
  const d: Record<string, string> = {};
  for (const [k, v] of Object.entries(data ?? {})) d[k] = typeof v === 'string' ? v.trim() : v;
  if (!check(d)) {
    const errors = (check.errors ?? []).map((e) => {
      const key = e.instancePath.replace(/^\//, '') || (e.params as { additionalProperty?: string }).additionalProperty || '';
      const detail =
        e.keyword === 'enum'
          ? `must be one of ${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).join('|')}, got ${JSON.stringify(d[key])}`
          : e.keyword === 'additionalProperties'
            ? `unknown key (allowed: ${Object.keys(schema.properties).join(', ')})`
            : e.keyword === 'pattern'
              ? `must be a DNS name, got ${JSON.stringify(d[key])}`
              : (e.message ?? 'invalid');
      return `data.${key}: ${detail}`;
    });
    return { ok: false, errors };
  }
  return {
    ok: true,
    config: {
      mesh: (d.mesh as MeshName | undefined) ?? fallbackMesh,
      options: {
        accessMode: (d.accessMode as MeshOptions['accessMode'] | undefined) ?? DEFAULT_MESH_OPTIONS.accessMode,
        mtlsMode: (d.mtlsMode as MeshOptions['mtlsMode'] | undefined) ?? DEFAULT_MESH_OPTIONS.mtlsMode,
        clusterDomain: d.clusterDomain ?? DEFAULT_MESH_OPTIONS.clusterDomain,
        trustDomain: d.trustDomain ?? DEFAULT_MESH_OPTIONS.trustDomain,
      },
    },
  };
}

export const sameConfig = (a: MeshConfig, b: MeshConfig): boolean => JSON.stringify(a) === JSON.stringify(b);
