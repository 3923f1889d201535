// The harness itself: restarts keep data, stop removes processes and files, and
// the admin kubeconfig file works with kubectl.

import { expect } from 'chai';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { CoreV1Api } from '@kubernetes/client-node';
import { sharedCluster, startCluster, type TestCluster } from '../../support/cluster.js';
import { httpGet } from '../../../dev/controlplane/http.js';
import { until } from '../../../dev/world/kube.js';

const run = promisify(execFile);

/** Pids whose command line mentions `needle` (the control-plane children of one run dir). */
function pidsMentioning(needle: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) out.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** A separate node process owning a cluster; resolves once it reports its run dir. */
async function clusterInChildProcess(): Promise<{ child: ReturnType<typeof spawn>; runDir: string }> {
  const clusterModule = new URL('../../support/cluster.js', import.meta.url).href;
  const script = `
    const { startCluster } = await import(${JSON.stringify(clusterModule)});
    const c = await startCluster({ installCrds: false, controllerManager: false });
    console.log(JSON.stringify({ runDir: c.runDir }));
    setInterval(() => {}, 1 << 30);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  const runDir = await until('the child to start its cluster', async () => {
    if (child.exitCode !== null) throw new Error(`child exited ${child.exitCode}`);
    const line = out.split('\n').find((l) => l.startsWith('{'));
    return line ? (JSON.parse(line) as { runDir: string }).runDir : undefined;
  }, 60_000);
  return { child, runDir };
}

describe('control plane: harness', () => {
  it('kubectl works with the admin kubeconfig file', async function () {
    // A missing kubectl fails the test: skipping would hide that the admin kubeconfig is never checked.
    expect(existsSync('/usr/bin/kubectl'), 'kubectl is needed at /usr/bin/kubectl').to.equal(true);
    const { stdout } = await run('/usr/bin/kubectl', ['--kubeconfig', sharedCluster().kubeconfigPath, 'get', 'crds', '-o', 'name']);
    expect(stdout).to.include('customresourcedefinition.apiextensions.k8s.io/virtualservices.networking.istio.io');
    const who = await run('/usr/bin/kubectl', ['--kubeconfig', sharedCluster().kubeconfigPath, 'auth', 'whoami', '-o', 'json']);
    const status = JSON.parse(who.stdout) as { status: { userInfo: { username: string; groups: string[] } } };
    expect(status.status.userInfo.username).to.equal('admin');
    expect(status.status.userInfo.groups).to.include('system:masters');
  });

  describe('interrupted runs', function () {
    this.timeout(120_000);

    it('SIGINT kills etcd and kube-apiserver and removes the run dir', async () => {
      const { child, runDir } = await clusterInChildProcess();
      expect(pidsMentioning(runDir)).to.have.length(2);
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGINT');
      expect(await exited).to.equal(130);
      await until('children to go', async () => (pidsMentioning(runDir).length === 0 ? true : undefined), 5_000, 50);
      expect(existsSync(runDir)).to.equal(false);
    });

    it('SIGKILL of the parent still takes the children down (parent-death signal)', async function () {
      // A missing setpriv fails the test: skipping would hide that the child-cleanup guarantee is gone.
      expect(existsSync('/usr/bin/setpriv'), 'setpriv (util-linux) is needed: children die with their parent through it').to.equal(true);
      const { child, runDir } = await clusterInChildProcess();
      try {
        expect(pidsMentioning(runDir)).to.have.length(2);
        child.kill('SIGKILL');
        await until('children to die with their parent', async () => (pidsMentioning(runDir).length === 0 ? true : undefined), 5_000, 50);
      } finally {
        rmSync(runDir, { recursive: true, force: true }); // nobody was left to clean it
      }
    });
  });

  describe('a private cluster', function () {
    this.timeout(120_000);
    let cluster: TestCluster | undefined;

    after(async () => {
      await cluster?.stop();
    });

    it('keeps data across etcd and API server restarts, and stop() cleans up', async () => {
      cluster = await startCluster({ installCrds: false, controllerManager: false });
      const c = cluster;
      expect(c.server).to.not.equal(sharedCluster().server);
      const core = () => c.kubeConfig.makeApiClient(CoreV1Api);
      await core().createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'persist' }, data: { k: 'v' } } });

      await c.restartEtcd();
      expect((await core().readNamespacedConfigMap({ namespace: 'default', name: 'persist' })).data?.k).to.equal('v');

      await c.restartApiServer();
      expect((await core().readNamespacedConfigMap({ namespace: 'default', name: 'persist' })).data?.k).to.equal('v');

      await c.stop();
      cluster = undefined;
      expect(existsSync(c.runDir)).to.equal(false);
      const after = await httpGet(`${c.server}/readyz`, { insecure: true }, 2_000).then(
        (r) => `answered ${r.status}`,
        (err: Error) => err.message,
      );
      expect(after).to.match(/ECONNREFUSED/);
    });
  });
});
