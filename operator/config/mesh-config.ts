// The adapter ConfigMap: which mesh to translate for and its options. Checked
// by the same validators as `smictl translate` (adapters/types.ts for the mesh,
// adapters/common/options.ts for the options); every error names the data key.

import { MESH_OPTION_KEYS, isMeshOptionKey, setMeshOption } from '../../adapters/common/options.js';
import { DEFAULT_MESH_OPTIONS, meshNameProblem, type MeshName, type MeshOptions } from '../../adapters/types.js';

export const DEFAULT_CONFIG_MAP = 'smi-operator-config';
/** The leader-election Lease's default name (`smictl operator --lease-name`). */
export const DEFAULT_LEASE_NAME = 'smi-operator-leader';
export const DEFAULT_MESH: MeshName = 'istio';
/**
 * Reconciles at once (`smictl operator --concurrency`, config/manager). 8 met B2 at 10,000 on a
 * quiet API server once a reconcile stopped waiting for its Event; more workers did not measure
 * faster and only bring the bulk-apply RSS peak sooner (BENCHMARKS.md, B2 and B4).
 */
export const DEFAULT_CONCURRENCY = 8;

export interface MeshConfig {
  mesh: MeshName;
  options: MeshOptions;
}

export const DEFAULT_CONFIG: MeshConfig = { mesh: DEFAULT_MESH, options: DEFAULT_MESH_OPTIONS };

export type ConfigResult = { ok: true; config: MeshConfig } | { ok: false; errors: string[] };

/** Parse ConfigMap `data` (trimmed values; missing keys take defaults, `fallbackMesh` for mesh). */
export function parseMeshConfig(data: Record<string, string> | undefined, fallbackMesh: MeshName = DEFAULT_MESH): ConfigResult {
  const errors: string[] = [];
  let mesh = fallbackMesh;
  const options: MeshOptions = { ...DEFAULT_MESH_OPTIONS };
  for (const [key, raw] of Object.entries(data ?? {})) {
    const value = typeof raw === 'string' ? raw.trim() : raw;
    if (key === 'mesh') {
      const problem = meshNameProblem(value);
      if (problem) errors.push(`data.mesh: ${problem}`);
      else mesh = value as MeshName;
    } else if (!isMeshOptionKey(key)) {
      errors.push(`data.${key}: unknown key (allowed: mesh, ${MESH_OPTION_KEYS.join(', ')})`);
    } else {
      const problem = typeof value === 'string' ? setMeshOption(options, key, value) : `must be a string, got ${JSON.stringify(value)}`;
      if (problem) errors.push(`data.${key}: ${problem}`);
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, config: { mesh, options } };
}

export const sameConfig = (a: MeshConfig, b: MeshConfig): boolean => JSON.stringify(a) === JSON.stringify(b);
