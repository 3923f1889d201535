import { expect } from 'chai';
import yaml from 'js-yaml';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { closedPort } from './closed-port.js';

const SMICTL = fileURLToPath(new URL('../../../cli/smictl.js', import.meta.url));

function smictl(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SMICTL, ...args], { timeout: 30_000, env: { ...process.env, KUBECONFIG: '/nonexistent', ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('smictl metrics (against a fake Prometheus HTTP API)', function () {
  this.timeout(30_000);
  let server: Server;
  let url: string;
  const queries: string[] = [];

  before(async () => {
    // Latency percentiles answer 12.5 (ms), counts answer 42, for one series naming client gateway and server db.
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const q = new URLSearchParams(Buffer.concat(chunks).toString()).get('query') ?? '';
        queries.push(q);
        const value = q.startsWith('histogram_quantile') ? '12.5' : '42';
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: { deployment: 'gateway', namespace: 'shop', dst_deployment: 'db', dst_namespace: 'shop' }, value: [0, value] }] } }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('prints the edges of a deployment as a table, latencies in ms', async () => {
    const r = await smictl(['metrics', 'deploy/web', '-n', 'shop', '--edges', '--mesh', 'linkerd', '--prometheus', url, '--window', '1m']);
    expect(r.stderr).to.equal('');
    expect(r.code).to.equal(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).to.match(/^RESOURCE\s+EDGE\s+PEER\s+BACKEND\s+SUCCESS\s+FAILURE\s+P50\s+P90\s+P99\s+WINDOW$/);
    // One row per direction: the fake answers every query with the same series.
    expect(lines.slice(1).map((l) => l.split(/\s+/))).to.deep.equal([
      ['Deployment/shop/web', 'from(client)', 'Deployment/shop/gateway', '-', '42', '42', '12.5ms', '12.5ms', '12.5ms', '1m'],
      ['Deployment/shop/web', 'to(client)', 'Deployment/shop/db', '-', '42', '42', '12.5ms', '12.5ms', '12.5ms', '1m'],
    ]);
    expect(queries.every((q) => q.includes('[60s]'))).to.equal(true);
  });

  it('prints JSON with -o json', async () => {
    const r = await smictl(['metrics', 'deployments/web', '-n', 'shop', '--mesh', 'linkerd', '--prometheus', url, '-o', 'json']);
    expect(r.code).to.equal(0);
    const body = JSON.parse(r.stdout) as { kind: string; metrics: Array<{ name: string; value: string }> };
    expect(body.kind).to.equal('TrafficMetrics');
    expect(body.metrics.find((m) => m.name === 'p50_response_latency')?.value).to.equal('12500u');
  });

  it('prints YAML with -o yaml (the same document as -o json, not the table)', async () => {
    const args = ['metrics', 'deployments/web', '-n', 'shop', '--mesh', 'linkerd', '--prometheus', url];
    const [y, j] = await Promise.all([smictl([...args, '-o', 'yaml']), smictl([...args, '-o', 'json'])]);
    expect(y.code, y.stderr).to.equal(0);
    expect(y.stdout).to.not.match(/^RESOURCE\s/m);
    const doc = yaml.load(y.stdout) as Record<string, unknown>;
    // Timestamps differ between the two runs; everything else is the same document.
    const drop = (o: Record<string, unknown>) => JSON.parse(JSON.stringify(o, (k, v: unknown) => (k === 'timestamp' || k === 'creationTimestamp' ? undefined : v))) as unknown;
    expect(drop(doc)).to.deep.equal(drop(JSON.parse(j.stdout) as Record<string, unknown>));
    expect(doc.kind).to.equal('TrafficMetrics');
  });

  it('refuses a mesh without metrics of its own with the one mesh-name message, from --mesh and from SMI_MESH', async () => {
    const flag = await smictl(['metrics', 'deploy/web', '-n', 'shop', '--mesh', 'gamma', '--prometheus', url]);
    expect(flag.code).to.equal(2); // a usage error
    expect(flag.stderr).to.contain('must be one of istio, linkerd, consul, got "gamma"');
    const env = await smictl(['metrics', 'deploy/web', '-n', 'shop', '--prometheus', url], { SMI_MESH: 'gamma' });
    expect(env.code).to.equal(2);
    expect(env.stderr).to.contain('smictl metrics: --mesh must be one of istio, linkerd, consul, got "gamma"');
  });

  it('fails with the Status reason when Prometheus is unreachable or the kind is unknown', async () => {
    const down = await smictl(['metrics', 'deploy/web', '--prometheus', `http://127.0.0.1:${await closedPort()}`]);
    expect(down.code).to.equal(1);
    expect(down.stderr).to.contain('ServiceUnavailable');
    expect(down.stderr).to.contain('ECONNREFUSED');
    const unknown = await smictl(['metrics', 'cronjobs/x']);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.contain('unknown kind "cronjobs"');
  });
});
