// Every object in every golden (test/golden/<mesh>/<case>.yaml) must be accepted by
// a real API server with the real mesh CRDs: server-side apply with dryRun=All and
// fieldValidation=Strict, so unknown or mistyped fields fail the test. Each source
// namespace maps to a fresh test namespace; nothing is persisted.

import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { getRenderer } from '../../../adapters/index.js';
import { MESH_NAMES } from '../../../adapters/types.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { createTestNamespace, sharedCluster } from '../../support/cluster.js';
import { kubeRequest } from '../../../dev/controlplane/kube-request.js';

const ROOT = resolvePath(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
const GOLDEN = join(ROOT, 'test/golden');

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

function goldenObjects(file: string): KubeObject[] {
  return yaml.loadAll(readFileSync(file, 'utf8')).filter((d): d is KubeObject => d !== null && typeof d === 'object');
}

const goldens = MESH_NAMES.flatMap((mesh) => {
  const dir = join(GOLDEN, mesh);
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => ({ mesh, name: f.replace(/\.yaml$/, ''), file: join(dir, f) })) : [];
});

describe('golden objects: strict server-side dry-run apply with the mesh CRDs', function () {
  this.timeout(120_000);
  const namespaces = new Map<string, string>();
  const discovery = new Map<string, ApiResource[]>();

  async function resourcesOf(apiVersion: string): Promise<ApiResource[]> {
    const cached = discovery.get(apiVersion);
    if (cached) return cached;
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const res = await kubeRequest(sharedCluster().kubeConfig, { method: 'GET', path });
    expect(res.status, `discovery ${path}: ${res.text.slice(0, 300)}`).to.equal(200);
    const list = ((res.body as { resources?: ApiResource[] }).resources ?? []).filter((r) => !r.name.includes('/'));
    discovery.set(apiVersion, list);
    return list;
  }

  before(async () => {
    // One fresh namespace per namespace the goldens use (dry-run objects never collide).
    const used = new Set(goldens.flatMap((g) => goldenObjects(g.file).map((o) => o.metadata.namespace).filter((n): n is string => !!n)));
    for (const ns of [...used].sort()) namespaces.set(ns, await createTestNamespace(sharedCluster(), `golden-${ns}`));
  });

  it('has goldens for every mesh', () => {
    for (const mesh of MESH_NAMES) expect(goldens.some((g) => g.mesh === mesh), mesh).to.equal(true);
  });

  for (const g of goldens) {
    it(`${g.mesh}/${g.name}`, async () => {
      const kinds = getRenderer(g.mesh).nativeKinds;
      for (const obj of goldenObjects(g.file)) {
        const what = `${obj.kind} ${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
        expect(kinds.some((k) => k.apiVersion === obj.apiVersion && k.kind === obj.kind), `${what}: ${obj.apiVersion} ${obj.kind} is not in the ${g.mesh} adapter's nativeKinds`).to.equal(true);
        const resource = (await resourcesOf(obj.apiVersion)).find((r) => r.kind === obj.kind);
        expect(resource, `${what}: the API server does not serve ${obj.apiVersion} ${obj.kind} (CRD missing?)`).to.not.equal(undefined);
        const body: KubeObject = { ...obj, metadata: { ...obj.metadata } };
        const base = obj.apiVersion.includes('/') ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
        let path: string;
        if (resource!.namespaced) {
          const ns = namespaces.get(obj.metadata.namespace ?? '');
          expect(ns, `${what}: a namespaced object without a namespace`).to.be.a('string');
          body.metadata.namespace = ns;
          path = `${base}/namespaces/${ns}/${resource!.name}/${obj.metadata.name}`;
        } else {
          path = `${base}/${resource!.name}/${obj.metadata.name}`;
        }
        const res = await kubeRequest(sharedCluster().kubeConfig, {
          method: 'PATCH',
          path,
          query: { fieldManager: 'smi-operator', fieldValidation: 'Strict', dryRun: 'All', force: 'true' },
          body,
          contentType: 'application/apply-patch+yaml',
        });
        expect(res.status, `${g.mesh}/${g.name}: ${what}: HTTP ${res.status}: ${res.text.slice(0, 800)}`).to.be.oneOf([200, 201]);
      }
    });
  }
});
