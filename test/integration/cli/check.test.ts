// `smictl check` as a user runs it (a child process with a kubeconfig) on `make
// demo`'s cluster, set up by the demo's own code (dev/demo-setup.ts: control
// plane, operator outside the cluster with leader election, samples applied). It
// passes there, and fails naming the fix once the SMI CRDs or the operator are
// gone; /readyz follows the CRDs.

import http from 'node:http';
import { expect } from 'chai';
import { silentLogger } from '../../../log/log.js';
import { smiStatuses, startDemo, type Demo } from '../../../dev/demo-setup.js';
import { eventually } from '../operator/helpers.js';
import type { CheckReport } from '../../../cli/check/report.js';
import { runSmictl } from './smictl.js';

function readyz(port: number): Promise<{ status: number; body: string }> {
  return new Promise((res, rej) => {
    http.get(`http://127.0.0.1:${port}/readyz`, (r) => {
      let body = '';
      r.on('data', (d: Buffer) => (body += d.toString()));
      r.on('end', () => res({ status: r.statusCode ?? 0, body }));
    }).on('error', rej);
  });
}

describe("smictl check on make demo's cluster", function () {
  this.timeout(180_000);
  let demo: Demo;

  before(async () => {
    demo = await startDemo({ logger: silentLogger() });
    // As `make demo` does before it prints its result: every sample has its Ready condition (whether
    // each sample is Ready on Istio is the demo's and the adapters' business, not the check's).
    await eventually('every sample has a status', async () => {
      const rows = await smiStatuses(demo.client, demo.demoNs);
      return rows.length >= demo.expected && rows.every((r) => r.ready !== '-');
    }, 60_000);
    await eventually('leader elected', async () => demo.op.isLeader());
  });
  after(async () => {
    await demo?.stop();
  });

  it('passes where the operator runs, with warnings for what this setup lacks (-o json)', async () => {
    const r = await runSmictl(['check', '--kubeconfig', demo.cluster.kubeconfigPath, '-o', 'json']);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    const rep = JSON.parse(r.stdout) as CheckReport;
    expect(rep.success).to.equal(true);
    const byName = (s: string) => rep.checks.find((c) => c.name.includes(s));
    expect(byName('trafficsplits.split.smi-spec.io is Established')?.status).to.equal('ok');
    expect(byName('a leader is elected')?.status).to.equal('ok');
    expect(byName('a leader is elected')?.message).to.contain(demo.op.identity);
    expect(byName('CRD versions the adapter writes are served')?.status).to.equal('ok');
    // No istiod on a bare control plane: a warning with the install command, not a failure.
    expect(byName('istio control plane')).to.include({ status: 'warn' });
    expect(byName('istio control plane')?.fix).to.contain('istioctl install');
    expect(byName('validating webhook is installed')?.status).to.equal('warn');
  });

  it('--pre checks permissions and cert-manager; -o yaml', async () => {
    const r = await runSmictl(['check', '--pre', '--mesh', 'linkerd', '--kubeconfig', demo.cluster.kubeconfigPath, '-o', 'yaml']);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(r.stdout).to.match(/name: can create customresourcedefinitions\n\s+status: ok/);
    expect(r.stdout).to.contain('config/certmanager needs cert-manager');
    expect(r.stdout).to.contain('linkerd-destination');
  });

  it('smictl --version with a cluster: client, and why the server version is unknown here', async () => {
    const r = await runSmictl(['--version', '--kubeconfig', demo.cluster.kubeconfigPath]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.equal('client: 0.1.0\nserver: unknown (no Deployment smi-system/smi-operator)\n');
  });

  it('fails naming the fix when the SMI CRDs are removed, and /readyz fails', async () => {
    expect((await readyz(demo.op.healthPort!)).status).to.equal(200);
    const del = await demo.client.request('DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/trafficsplits.split.smi-spec.io');
    expect(del.ok).to.equal(true);
    const rz = await eventually('readyz 503', async () => {
      const x = await readyz(demo.op.healthPort!);
      return x.status === 503 ? x : undefined;
    });
    expect(rz.body).to.contain('SMI CRDs not served: TrafficSplit');
    const r = await runSmictl(['check', '--kubeconfig', demo.cluster.kubeconfigPath]);
    expect(r.code, r.stdout + r.stderr).to.equal(1);
    expect(r.stdout).to.match(/× trafficsplits\.split\.smi-spec\.io is installed\n\s+not found\n\s+fix: kubectl apply --server-side -k config\/crd/);
    expect(r.stdout).to.contain('Status check results are × (1 failed)');
  });

  it('fails naming the fix when the operator is gone (Lease released)', async () => {
    await demo.op.stop(); // demo.stop() in after() stops it again: harmless
    const r = await runSmictl(['check', '--kubeconfig', demo.cluster.kubeconfigPath, '-o', 'json']);
    expect(r.code, r.stdout + r.stderr).to.equal(1);
    const rep = JSON.parse(r.stdout) as CheckReport;
    const failed = rep.checks.filter((c) => c.status === 'fail');
    expect(failed.map((c) => c.name)).to.include.members(['deployment smi-system/smi-operator exists', 'a leader is elected (Lease renewed)']);
    expect(failed.find((c) => c.name.startsWith('deployment'))?.fix).to.contain('kubectl apply --server-side -k config/default');
  });

  it('without any kubeconfig: exit 2 with what to do, no stack trace', async () => {
    const r = await runSmictl(['check'], { PATH: process.env.PATH ?? '', HOME: '/nonexistent' });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('smictl check:').and.contain('--kubeconfig');
    expect(r.stderr).to.not.match(/\n\s+at /);
  });
});
