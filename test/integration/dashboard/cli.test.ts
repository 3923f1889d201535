// `smictl dashboard` as a user runs it: a kubeconfig, a free port on 127.0.0.1,
// the URL on stdout, read-only answers for loopback Host names only, Ctrl-C.
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import { sharedCluster } from '../../support/cluster.js';
import { until } from '../../../dev/world/kube.js';
import { repoRoot } from '../../../dev/controlplane/paths.js';

const SMICTL = join(repoRoot(), 'dist', 'cli', 'smictl.js');

function request(url: string, opts: { method?: string; host?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.host ? { Host: opts.host } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('smictl dashboard (the command)', function () {
  this.timeout(120_000);

  it('serves the page and a snapshot on 127.0.0.1 with the kubeconfig\'s credentials, and stops on SIGINT', async () => {
    const cluster = sharedCluster();
    const child = spawn(process.execPath, [SMICTL, 'dashboard', '--kubeconfig', cluster.kubeconfigPath, '--port', '0', '--operator-namespace', 'nowhere'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const url = await until('the URL on stdout', async () => /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1], 30_000);
      expect(out).to.include(`smi dashboard for ${cluster.server}`);
      const page = await request(url);
      expect(page.status).to.equal(200);
      expect(page.body).to.include('<script type="module" src="app.js">');
      const snap = await request(`${url}api/snapshot?window=30s`);
      expect(snap.status, snap.body).to.equal(200);
      const body = JSON.parse(snap.body) as { cluster: { server: string; user?: string }; mesh: { source: string }; namespaces: string[] };
      expect(body.cluster).to.deep.equal({ server: cluster.server, user: 'admin' });
      expect(body.mesh.source).to.equal('defaults (ConfigMap nowhere/smi-operator-config not found)');
      expect(body.namespaces).to.include('default');
      // A page on another origin reaching 127.0.0.1 through a DNS name (rebinding) gets nothing.
      expect((await request(url, { host: 'evil.example:80' })).status).to.equal(421);
      expect((await request(`${url}api/snapshot`, { method: 'POST' })).status).to.equal(405);
      expect((await request(`${url}api/snapshot?namespace=Not_A_Namespace`)).status).to.equal(400);
      expect((await request(`${url}api/yaml?apiVersion=v1&kind=Secret&namespace=default&name=x`)).status).to.equal(400);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).to.equal(0);
  });

  it('names a missing --context instead of starting', () => {
    const r = spawnSync(process.execPath, [SMICTL, 'dashboard', '--kubeconfig', sharedCluster().kubeconfigPath, '--context', 'nope'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).to.equal(2);
    expect(r.stderr).to.match(/context "nope" is not in contexts/);
  });
});
