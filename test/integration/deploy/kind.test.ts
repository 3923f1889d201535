// kind/ cannot run here (no Docker), so: the scripts pass shellcheck, fail fast
// with clear messages, take the mesh as an argument, and every manifest they
// apply from this repository is accepted by the real API server (dry run).

import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { parseMeshConfig } from '../../../operator/config/mesh-config.js';
import { MESH_NAMES, METRICS_MESHES } from '../../../adapters/types.js';
import { sharedCluster } from '../../support/cluster.js';
import { repoRoot } from '../../../dev/controlplane/paths.js';
import { kubectl } from './manifests.js';

const root = repoRoot();
const KIND = join(root, 'kind');
const scripts = readdirSync(KIND).filter((f) => f.endsWith('.sh')).sort();
const read = (f: string) => readFileSync(join(KIND, f), 'utf8');

/** shellcheck on PATH, installed with apt-get when missing (idempotent: a no-op once present). */
function ensureShellcheck(): void {
  if (spawnSync('shellcheck', ['--version']).status === 0) return;
  const install = () => spawnSync('apt-get', ['install', '-y', '-q', 'shellcheck'], { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (install().status !== 0) {
    spawnSync('apt-get', ['update', '-q'], { encoding: 'utf8' });
    const r = install();
    if (r.status !== 0) throw new Error(`cannot install shellcheck with apt-get: ${r.stderr}`);
  }
}

/** Run a script with a PATH holding only bash and coreutils: docker, kind and kubectl are surely absent. */
function runBare(script: string, args: string[]): { code: number; err: string } {
  const bin = mkdtempSync(join(tmpdir(), 'smi-kind-bin-'));
  for (const tool of ['bash', 'dirname', 'cat', 'grep', 'mktemp', 'rm', 'mkdir']) {
    const p = execFileSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
    symlinkSync(p, join(bin, tool));
  }
  const r = spawnSync(join(bin, 'bash'), [join(KIND, script), ...args], { encoding: 'utf8', env: { PATH: bin } });
  return { code: r.status ?? -1, err: r.stderr };
}

describe('deploy: kind/ scripts', function () {
  this.timeout(180_000);

  before(() => {
    ensureShellcheck();
    kubectl(sharedCluster().kubeconfigPath, ['create', 'namespace', 'smi-system']);
  });

  it('has one script per step, each executable, bash strict mode through lib.sh', () => {
    expect(scripts).to.include.members(['01-create-cluster.sh', '02-install-mesh.sh', '03-load-image.sh', '04-deploy.sh', '05-conformance.sh', 'all.sh']);
    expect(read('lib.sh')).to.match(/^set -euo pipefail$/m);
    for (const s of scripts.filter((x) => x !== 'lib.sh')) {
      expect(read(s), s).to.match(/^#!\/usr\/bin\/env bash\n/);
      expect(read(s), s).to.match(/^source "\$\(dirname "\$\{BASH_SOURCE\[0\]\}"\)\/lib\.sh"$/m);
      accessSync(join(KIND, s), constants.X_OK);
    }
  });

  it('pass shellcheck (and shellcheck does catch a broken script)', () => {
    const r = spawnSync('shellcheck', ['-x', ...scripts.map((s) => `kind/${s}`)], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).to.equal(0);
    const bad = join(mkdtempSync(join(tmpdir(), 'smi-sc-')), 'bad.sh');
    writeFileSync(bad, '#!/usr/bin/env bash\nrm -rf $1/*\n');
    expect(spawnSync('shellcheck', [bad]).status).to.not.equal(0);
  });

  it('fail fast with clear messages: missing or unknown mesh, missing tools', () => {
    for (const s of ['02-install-mesh.sh', '04-deploy.sh', '05-conformance.sh', 'all.sh']) {
      const none = runBare(s, []);
      expect(none.code, s).to.equal(1);
      expect(none.err, s).to.match(/missing mesh argument: one of istio, linkerd, consul/);
      const bad = runBare(s, ['nginx']);
      expect(bad.code, s).to.equal(1);
      expect(bad.err, s).to.match(/unknown mesh 'nginx'/);
    }
    const create = runBare('01-create-cluster.sh', []);
    expect(create.code).to.equal(1);
    expect(create.err).to.match(/docker is required but not on PATH/);
    const mesh = runBare('02-install-mesh.sh', ['istio']);
    expect(mesh.err).to.match(/kind is required but not on PATH/);
  });

  it('kind/cluster.yaml is a kind Cluster with a control plane; consul-values.yaml enables injection', () => {
    const c = yaml.load(read('cluster.yaml').replace(/^#.*$/gm, '')) as { kind: string; apiVersion: string; nodes: Array<{ role: string }> };
    expect(c).to.include({ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4' });
    expect(c.nodes.map((n) => n.role)).to.include('control-plane');
    const v = yaml.load(readFileSync(join(KIND, 'consul-values.yaml'), 'utf8')) as { connectInject: { enabled: boolean } };
    expect(v.connectInject.enabled).to.equal(true);
  });

  it('every repository manifest the scripts apply is accepted by the API server (server-side dry run)', () => {
    const kc = sharedCluster().kubeconfigPath;
    const text = scripts.map(read).join('\n');
    const local = [...text.matchAll(/apply [^\n]*-([kf]) "\$\{ROOT\}\/([^"]+)"/g)].map((m) => ({ flag: m[1]!, path: m[2]! }));
    expect(local).to.deep.equal([{ flag: 'k', path: 'config/default' }]);
    for (const { flag, path } of local) {
      const r = kubectl(kc, ['apply', '--server-side', '--force-conflicts', '--field-manager=smi-kind-test', '--dry-run=server', `-${flag}`, join(root, path)]);
      expect(r.code, r.out).to.equal(0);
    }
    // The remote manifests are the projects' own releases (fetched at run time), by URL.
    const remote = [...text.matchAll(/-f "(https:[^"]+)"/g)].map((m) => m[1]).sort();
    expect(remote).to.deep.equal([
      'https://github.com/kubernetes-sigs/gateway-api/releases/download/${GATEWAY_API_VERSION}/standard-install.yaml',
      'https://raw.githubusercontent.com/istio/istio/release-${ISTIO_ADDONS_RELEASE}/samples/addons/prometheus.yaml',
    ]);
  });

  it('the mesh selection patch is accepted for every mesh, and the operator would load it', () => {
    const kc = sharedCluster().kubeconfigPath;
    const line = read('04-deploy.sh').split('\n').find((l) => l.includes('patch configmap smi-operator-config'))!;
    const patchTemplate = /-p "(.+)"$/.exec(line)![1]!.replace(/\\"/g, '"');
    const cm = kubectl(kc, ['apply', '--server-side', '--force-conflicts', '--field-manager=smi-kind-test', '-f', join(root, 'config/manager/config.yaml')]);
    expect(cm.code, cm.out).to.equal(0);
    for (const mesh of MESH_NAMES) {
      const patch = patchTemplate.replace('${MESH}', mesh);
      const r = kubectl(kc, ['-n', 'smi-system', 'patch', 'configmap', 'smi-operator-config', '--type', 'merge', '-p', patch, '--dry-run=server', '-o', 'json']);
      expect(r.code, r.out).to.equal(0);
      const data = (JSON.parse(r.out) as { data: Record<string, string> }).data;
      const parsed = parseMeshConfig(data);
      expect(parsed.ok && parsed.config.mesh, mesh).to.equal(mesh);
    }
    // The metrics API's Prometheus URL is set per mesh with metrics of its own (gamma has none) (a dry run of the same command).
    // Each from <MESH>_PROMETHEUS_URL, defaulting to the Service step 2 installs, both documented in kind/README.md.
    const urls = [...read('04-deploy.sh').matchAll(/^\s+(istio|linkerd|consul)\) PROMETHEUS="\$\{([A-Z]+)_PROMETHEUS_URL:-(\S+)\}" ;;$/gm)].map((m) => [m[1], m[3], m[2]]);
    expect(urls.map((u) => u[0]).sort()).to.deep.equal([...METRICS_MESHES].sort());
    const readme = readFileSync(join(KIND, 'README.md'), 'utf8');
    for (const [mesh, url, env] of urls) {
      expect(env, mesh).to.equal(mesh!.toUpperCase());
      expect(readme, `${env}_PROMETHEUS_URL`).to.contain(`| \`${env}_PROMETHEUS_URL\` | \`${url}\` |`);
    }
    expect(Object.fromEntries(urls.map((u) => [u[0], u[1]]))).to.include({ consul: 'http://prometheus-server.consul.svc:80' });
    // The variable wins over the default (the script's own case statement, run by bash).
    const block = /^case "\$\{MESH\}" in\n(?:.*PROMETHEUS_URL.*\n)+esac$/m.exec(read('04-deploy.sh'))![0];
    const pick = (env: NodeJS.ProcessEnv) => spawnSync('bash', ['-c', `${block}\necho "$PROMETHEUS"`], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } }).stdout.trim();
    expect(pick({ MESH: 'consul' })).to.equal('http://prometheus-server.consul.svc:80');
    expect(pick({ MESH: 'consul', CONSUL_PROMETHEUS_URL: 'http://mine.monitoring.svc:9090' })).to.equal('http://mine.monitoring.svc:9090');
    expect(pick({ MESH: 'istio', CONSUL_PROMETHEUS_URL: 'http://mine.monitoring.svc:9090' })).to.equal('http://prometheus.istio-system.svc:9090');
    // A copy whose URL differs from every mesh's, so each `set env` really changes it (unchanged objects print nothing).
    const copy = readFileSync(join(root, 'config/metrics/service.yaml'), 'utf8').replace(/(name: SMI_PROMETHEUS_URL\s+value: )\S+/, '$1http://placeholder.invalid:9090');
    expect(copy).to.contain('placeholder.invalid');
    const dep = kubectl(kc, ['apply', '--server-side', '--force-conflicts', '--field-manager=smi-kind-test', '-f', '-'], copy);
    expect(dep.code, dep.out).to.equal(0);
    try {
      for (const [, url] of urls) {
        const r = kubectl(kc, ['-n', 'smi-system', 'set', 'env', 'deployment/smi-metrics', `SMI_PROMETHEUS_URL=${url}`, '--dry-run=server', '-o', 'json']);
        expect(r.code, r.out).to.equal(0);
        expect(r.out).to.contain(url!);
      }
    } finally {
      kubectl(kc, ['delete', '--wait=false', '-f', join(root, 'config/metrics/service.yaml')]);
    }
  });
});
