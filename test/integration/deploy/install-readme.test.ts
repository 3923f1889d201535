// README's Install commands, pasted as a user pastes them, on a fresh control
// plane of its own (no smi-system namespace, no SMI CRDs, no cert-manager): the
// two-step server-side dry run, the install itself, and the cert-manager guard
// that refuses config/certmanager before it fails late on `kind "Certificate"`.

import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster, type TestCluster } from '../../support/cluster.js';
import { repoRoot } from '../../../dev/controlplane/paths.js';
import { kubectl } from './manifests.js';

/** The ```sh blocks of README's `## Install` section. */
export function installBlocks(readme: string): string[] {
  const section = readme.split(/^## /m).find((s) => s.startsWith('Install\n')) ?? '';
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

function block(containing: string): string {
  const b = installBlocks(readFileSync(join(repoRoot(), 'README.md'), 'utf8')).find((x) => x.includes(containing));
  if (!b) throw new Error(`README's Install section has no sh block with ${containing}`);
  return b;
}

/** Runs pasted shell text in the repository root with KUBECONFIG pointing at the cluster. */
function paste(cluster: TestCluster, text: string): { code: number; out: string } {
  const r = spawnSync('bash', ['-c', `set -eo pipefail\n${text}`], { cwd: repoRoot(), encoding: 'utf8', env: { ...process.env, KUBECONFIG: cluster.kubeconfigPath }, timeout: 120_000, maxBuffer: 64 << 20 });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

/** Just enough of cert-manager's CRDs for its kinds to be served. */
function certManagerCrd(plural: string, kind: string): string {
  return JSON.stringify({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.cert-manager.io` },
    spec: {
      group: 'cert-manager.io',
      scope: 'Namespaced',
      names: { plural, singular: kind.toLowerCase(), kind, listKind: `${kind}List` },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  });
}

describe('deploy: README Install on a fresh cluster', function () {
  this.timeout(180_000);
  let cluster: TestCluster;
  const k = (args: string[], input?: string) => kubectl(cluster.kubeconfigPath, args, input);

  before(async () => {
    cluster = await startCluster({ installCrds: false, controllerManager: false });
  });
  after(async () => {
    await cluster?.stop();
  });

  it('the one-step server-side dry run fails only because the namespace is missing (why README has two steps)', () => {
    expect(k(['get', 'namespace', 'smi-system']).code).to.not.equal(0);
    const r = k(['apply', '--server-side', '-k', join(repoRoot(), 'config/default'), '--dry-run=server']);
    expect(r.code).to.not.equal(0);
    expect(r.out).to.match(/namespaces "smi-system" not found/);
  });

  it('the documented two-step dry run works as pasted and creates nothing but the namespace', () => {
    const text = block('--dry-run=server');
    expect(text).to.contain('kubectl create namespace smi-system');
    const r = paste(cluster, text);
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.contain('(server dry run)');
    expect(r.out).to.not.match(/error|not found/i);
    expect(k(['get', 'namespace', 'smi-system']).code).to.equal(0);
    // A dry run: no CRD, no Deployment.
    expect(k(['get', 'crd', 'trafficsplits.split.smi-spec.io']).code).to.not.equal(0);
    expect(k(['-n', 'smi-system', 'get', 'deployment', 'smi-operator']).code).to.not.equal(0);
  });

  it('without cert-manager the guard refuses config/certmanager, says what to do and applies nothing', () => {
    const text = block('config/certmanager');
    const r = paste(cluster, text);
    expect(r.code, r.out).to.not.equal(0);
    expect(r.out).to.contain('cert-manager is not installed');
    expect(r.out).to.contain('config/default');
    expect(r.out).to.not.contain('no matches for kind');
    expect(k(['-n', 'smi-system', 'get', 'deployment', 'smi-operator']).code).to.not.equal(0);
  });

  it('with cert-manager installed the guard applies config/certmanager', () => {
    for (const [plural, kind] of [['certificates', 'Certificate'], ['issuers', 'Issuer']] as const) {
      const c = k(['apply', '-f', '-'], certManagerCrd(plural, kind));
      expect(c.code, c.out).to.equal(0);
    }
    expect(k(['wait', '--for=condition=Established', 'crd/certificates.cert-manager.io', 'crd/issuers.cert-manager.io', '--timeout=60s']).code).to.equal(0);
    const r = paste(cluster, block('config/certmanager'));
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.not.contain('cert-manager is not installed');
    expect(k(['-n', 'smi-system', 'get', 'certificates.cert-manager.io', 'smi-operator-serving-cert']).code).to.equal(0);
  });

  it('the install commands apply config/default for real (over the overlay: one field manager) and select the mesh', () => {
    const text = block('kubectl apply --server-side -k config/default');
    // Everything but what waits for pods or needs smictl (no kubelet here; smictl check has its own tests).
    const lines = text.split('\n').filter((l) => /^kubectl (apply|-n smi-system patch)/.test(l));
    expect(lines).to.have.lengthOf(2);
    const r = paste(cluster, lines.join('\n'));
    expect(r.code, r.out).to.equal(0);
    expect(k(['get', 'crd', 'trafficsplits.split.smi-spec.io']).code).to.equal(0);
    const cm = k(['-n', 'smi-system', 'get', 'configmap', 'smi-operator-config', '-o', 'jsonpath={.data.mesh}']);
    expect(cm.out).to.equal('linkerd');
  });

  it('re-applying config/default after choosing the mesh (an upgrade) neither conflicts nor switches the mesh back', () => {
    const again = block('kubectl apply --server-side -k config/default').split('\n').find((l) => /^kubectl apply --server-side -k config\/default$/.test(l.replace(/\s+#.*$/, '').trim()));
    expect(again, 'README Install applies config/default').to.be.a('string');
    const r = paste(cluster, again!);
    expect(r.code, r.out).to.equal(0);
    expect(r.out).to.not.match(/conflict/i);
    const cm = k(['-n', 'smi-system', 'get', 'configmap', 'smi-operator-config', '-o', 'jsonpath={.data.mesh}']);
    expect(cm.out).to.equal('linkerd');
  });
});
