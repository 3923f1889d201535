// `smictl conformance` as a user runs it: the built binary against the local
// control plane, with its exit codes and report files.

import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCENARIOS } from '../../conformance/scenarios/index.js';
import type { Report } from '../../conformance/report.js';
import { sharedCluster } from '../support/cluster.js';
import { repoRoot } from '../../dev/controlplane/paths.js';

const SMICTL = join(repoRoot(), 'dist/cli/smictl.js');
const run = (args: string[]) => spawnSync(process.execPath, [SMICTL, 'conformance', ...args], { encoding: 'utf8', timeout: 60_000 });

function runAsync(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, [SMICTL, 'conformance', ...args]);
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('smictl conformance (built binary)', function () {
  this.timeout(120_000);

  it('--list names every scenario with its origin', () => {
    const r = run(['--list']);
    expect(r.status).to.equal(0);
    for (const s of SCENARIOS) expect(r.stdout).to.contain(`${s.id}\t${s.spec}`);
  });

  it('usage errors exit 2 with a message', () => {
    const unknown = run(['--scenario', 'nope']);
    expect(unknown.status).to.equal(2);
    expect(unknown.stderr).to.match(/unknown scenario nope/);
    const traffic = run(['--level', 'traffic', '--mesh', 'istio,linkerd']);
    expect(traffic.status).to.equal(2);
    expect(traffic.stderr).to.match(/--level traffic runs against the one mesh installed/);
    expect(run(['--mesh', 'kuma']).status).to.equal(2);
  });

  it('--level xds: Istio only, and it needs the istio-oracle binary and a kubeconfig file', () => {
    const env = { ...process.env, SMI_ISTIO_ORACLE: '', KUBECONFIG: '' };
    const x = (args: string[]) => spawnSync(process.execPath, [SMICTL, 'conformance', '--level', 'xds', ...args], { encoding: 'utf8', timeout: 60_000, env });
    const linkerd = x(['--mesh', 'istio,linkerd', '--istio-oracle', '/bin/true', '--kubeconfig', '/dev/null']);
    expect(linkerd.status).to.equal(2);
    expect(linkerd.stderr).to.match(/--level xds judges Istio only/);
    const noBinary = x(['--mesh', 'istio', '--kubeconfig', '/dev/null']);
    expect(noBinary.status).to.equal(2);
    expect(noBinary.stderr).to.match(/needs the istio-oracle binary/);
    const noKubeconfig = x(['--mesh', 'istio', '--istio-oracle', '/bin/true']);
    expect(noKubeconfig.status).to.equal(2);
    expect(noKubeconfig.stderr).to.match(/needs a kubeconfig file/);
  });

  it('runs scenarios against a cluster and writes the table, JSON and JUnit reports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smi-conf-cli-'));
    const r = await runAsync(['--kubeconfig', sharedCluster().kubeconfigPath, '--mesh', 'linkerd', '--scenario', 'specs-method', 'split-headers', '--json', join(dir, 'r.json'), '--junit', join(dir, 'r.xml')]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/linkerd: 100% passed \(7 passed, 0 failed, 0 expected-unsupported\)/);
    expect(r.stdout).to.match(/^traffic-split\s.*FULL$/m);
    const reports = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report[];
    expect(reports.map((x) => [x.mesh, x.level, x.passPercent])).to.deep.equal([['linkerd', 'config', 100]]);
    expect(readFileSync(join(dir, 'r.xml'), 'utf8').match(/<testcase /g)).to.have.lengthOf(7);
  });
});
