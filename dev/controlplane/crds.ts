// CRD installation: SMI CRDs from config/crd/bases and the mesh CRDs from
// ../shared/crds, applied server-side and waited on until Established.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ApiextensionsV1Api, KubeConfig, type V1CustomResourceDefinition } from '@kubernetes/client-node';
import yaml from 'js-yaml';
import { meshCrdDir, smiCrdDir } from './paths.js';
import { until } from '../world/kube.js';
import { serverSideApply } from './kube-request.js';

export const CRD_FIELD_MANAGER = 'smi-test-harness';

export interface CrdFile {
  name: string;
  file: string;
  crd: V1CustomResourceDefinition;
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...yamlFiles(path));
    else if (/\.ya?ml$/.test(entry)) out.push(path);
  }
  return out;
}

/** Every CustomResourceDefinition document in the YAML files under dir (recursively). */
export function readCrds(dir: string): CrdFile[] {
  const out: CrdFile[] = [];
  for (const file of yamlFiles(dir)) {
    let docs: unknown[];
    try {
      docs = yaml.loadAll(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`readCrds: ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    for (const doc of docs) {
      const d = doc as Partial<V1CustomResourceDefinition> | null;
      if (d?.kind !== 'CustomResourceDefinition' || !d.metadata?.name) continue;
      // Generated files often carry an empty status and creationTimestamp: null; neither belongs in an apply.
      const { status: _status, ...rest } = d;
      const metadata = { ...d.metadata };
      delete metadata.creationTimestamp;
      out.push({ name: d.metadata.name, file, crd: { ...rest, metadata } as V1CustomResourceDefinition });
    }
  }
  return out;
}

/**
 * SMI CRDs (may be none yet) then mesh CRDs. When both define the same CRD
 * (linkerd ships trafficsplits.split.smi-spec.io), the SMI definition wins.
 */
export function collectCrds(): CrdFile[] {
  const smi = existsSync(smiCrdDir()) ? readCrds(smiCrdDir()) : [];
  const meshDir = meshCrdDir();
  if (!existsSync(meshDir)) {
    throw new Error(`collectCrds: mesh CRDs not found at ${meshDir} (expected shared/crds beside the repo, or set SMI_MESH_CRDS)`);
  }
  const byName = new Map<string, CrdFile>();
  for (const c of [...smi, ...readCrds(meshDir)]) if (!byName.has(c.name)) byName.set(c.name, c);
  return [...byName.values()];
}

// Raw request: the typed client would drop schema keys like x-kubernetes-int-or-string.
async function applyOne(kc: KubeConfig, c: CrdFile): Promise<void> {
  const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${c.name}`;
  const res = await serverSideApply(kc, path, c.crd, CRD_FIELD_MANAGER, true);
  if (res.status !== 200 && res.status !== 201) {
    throw new Error(`apply CRD ${c.name} from ${c.file}: HTTP ${res.status}: ${res.text.slice(0, 500)}`);
  }
}

function established(crd: V1CustomResourceDefinition): boolean {
  return (crd.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
}

/** Server-side applies the CRDs and waits until every one is Established. */
export async function installCrds(kc: KubeConfig, crds: CrdFile[], timeoutMs = 60_000): Promise<void> {
  const queue = [...crds];
  // A few at a time: the API server rebuilds its OpenAPI for each new CRD.
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      for (let c = queue.shift(); c; c = queue.shift()) await applyOne(kc, c);
    }),
  );
  const ext = kc.makeApiClient(ApiextensionsV1Api);
  const want = new Set(crds.map((c) => c.name));
  await until(`${want.size} CRDs Established`, async () => {
    const list = await ext.listCustomResourceDefinition();
    const ready = new Set(list.items.filter(established).map((c) => c.metadata?.name));
    const missing = [...want].filter((n) => !ready.has(n));
    if (missing.length > 0) throw new Error(`not Established: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`);
    return true;
  }, timeoutMs);
}
