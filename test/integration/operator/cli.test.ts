// `smictl operator` as a real child process: flags, the ready line, probes,
// reconciling, admission warnings from its webhook, and a graceful SIGTERM that releases the Lease.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { sharedCluster } from '../../support/cluster.js';
import { kubeRequest } from '../../../dev/controlplane/kube-request.js';
import { generateWebhookCertificates } from '../../../release/certs.js';
import { applyApp, eventually, newNamespace, routeGroup, tcpRoute, TestKube, trafficSplit, VS } from './helpers.js';

const smictl = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'cli', 'smictl.js');

function freePort(): Promise<number> {
  return new Promise((r) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => r(p));
    });
  });
}

function httpsStatus(url: string, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    https.get(url, { ca, servername: 'localhost' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

describe('smictl operator (child process, real API server)', function () {
  let child: ChildProcess | undefined;
  const certDir = mkdtempSync(join(tmpdir(), 'smi-webhook-'));

  after(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(certDir, { recursive: true, force: true });
  });

  it('runs, serves probes, reconciles, warns on admission about references that do not resolve, and releases its Lease on SIGTERM', async () => {
    const k = new TestKube();
    const ns = await newNamespace('op-cli');
    await applyApp(k, ns);
    const certs = generateWebhookCertificates({ dnsNames: ['localhost'] });
    writeFileSync(join(certDir, 'tls.crt'), certs.cert);
    writeFileSync(join(certDir, 'tls.key'), certs.key);
    const webhookPort = await freePort();
    const args = [smictl, 'operator', '--webhook-port', String(webhookPort), '--webhook-cert-dir', certDir, '--kubeconfig', sharedCluster().kubeconfigPath, '--namespace', ns, '--watch-namespace', ns, '--health-port', '0', '--metrics-port', '0', '--leader-elect', '--lease-duration', '5', '--lease-retry', '0.5', '--identity', 'cli-test-replica', '--log-level', 'info'];
    child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let logs = '';
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (logs += d.toString()));
    // The ready line: stdout's first line, JSON, with the ports really bound for `0`.
    const ready = await eventually('the ready line on stdout', async () => (out.includes('\n') ? (JSON.parse(out.slice(0, out.indexOf('\n'))) as Record<string, unknown>) : undefined), 60_000);
    expect(ready).to.include({ ready: true, pid: child.pid, identity: 'cli-test-replica', webhookPort });
    const port = ready.healthPort as number;
    expect(port).to.be.greaterThan(0);
    expect(ready.metricsPort, '--metrics-port equal to --health-port: one server').to.equal(port);
    expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).to.equal(200);
    // Logs go to stderr: every line JSON and naming a namespace.
    for (const l of logs.split('\n').filter(Boolean)) expect((JSON.parse(l) as { namespace?: string }).namespace, l).to.be.a('string');
    await eventually('/readyz 200', async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200);
    expect(await httpsStatus(`https://127.0.0.1:${webhookPort}/healthz`, certs.caCert), 'webhook server').to.equal(200);
    await k.apply(trafficSplit(ns, 'web', 'web', [['web-v1', 90], ['web-v2', 10]]));
    await eventually('VirtualService created by the CLI operator', async () => k.get(VS.apiVersion, VS.kind, ns, 'smi-split-web'));

    // Its webhook, registered for this namespace only, warns (and admits) when a backend Service does not exist yet.
    const kc = sharedCluster().kubeConfig;
    const webhookConfig = `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/smi-cli-${ns}`;
    const registered = await kubeRequest(kc, {
      method: 'POST',
      path: '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations',
      body: {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingWebhookConfiguration',
        metadata: { name: `smi-cli-${ns}` },
        webhooks: [{
          name: 'validate.smi-operator.io',
          clientConfig: { url: `https://localhost:${webhookPort}/validate`, caBundle: Buffer.from(certs.caCert).toString('base64') },
          rules: [{ apiGroups: ['split.smi-spec.io', 'access.smi-spec.io', 'policy.smi-operator.io'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: ['trafficsplits', 'traffictargets', 'timeoutpolicies', 'mirrorpolicies'], scope: 'Namespaced' }],
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
          sideEffects: 'None',
          admissionReviewVersions: ['v1'],
          failurePolicy: 'Fail',
          timeoutSeconds: 5,
        }],
      },
    });
    expect(registered.status, registered.text).to.equal(201);
    try {
      const splits = `/apis/split.smi-spec.io/v1alpha4/namespaces/${ns}/trafficsplits`;
      const split = (prefix: string, backend: string) => ({ apiVersion: 'split.smi-spec.io/v1alpha4', kind: 'TrafficSplit', metadata: { generateName: prefix }, spec: { service: 'web', backends: [{ service: 'web-v1', weight: 90 }, { service: backend, weight: 10 }] } });
      // The API server picks the configuration up asynchronously: a create admitted before that carries no warning.
      const warned = await eventually('a create through the webhook with warnings', async () => {
        const r = await kubeRequest(kc, { method: 'POST', path: splits, body: split('missing-', 'web-v3') });
        expect(r.status, r.text).to.equal(201);
        return r.warnings.length ? r : undefined;
      }, 30_000);
      const name = (warned.body as { metadata: { name: string } }).metadata.name;
      // The words of the operator's status for the same object (InvalidReference), as `Warning:` headers.
      expect(warned.warnings).to.deep.equal([`TrafficSplit ${ns}/${name}: spec.backends[1].service: Service ${ns}/web-v3 not found; the backend gets no traffic`]);
      const resolved = await kubeRequest(kc, { method: 'POST', path: splits, body: split('present-', 'web-v2') });
      expect(resolved.status, resolved.text).to.equal(201);
      expect(resolved.warnings, 'every Service exists: no warning').to.deep.equal([]);

      // Route groups named by a split's matches and a TrafficTarget's rules; a policy's target and mirror Services.
      const create = async (path: string, body: Record<string, unknown>) => {
        const r = await kubeRequest(kc, { method: 'POST', path, body });
        expect(r.status, r.text).to.equal(201);
        return r.warnings;
      };
      expect(await create(splits, { apiVersion: 'split.smi-spec.io/v1alpha4', kind: 'TrafficSplit', metadata: { name: 'ab' }, spec: { service: 'api', backends: [{ service: 'web-v1', weight: 1 }], matches: [{ kind: 'HTTPRouteGroup', name: 'cohort' }] } })).to.deep.equal([
        `TrafficSplit ${ns}/ab: spec.matches[0].name: HTTPRouteGroup ${ns}/cohort not found (missing, or rejected as invalid)`,
      ]);
      const targets = `/apis/access.smi-spec.io/v1alpha3/namespaces/${ns}/traffictargets`;
      const tt = { apiVersion: 'access.smi-spec.io/v1alpha3', kind: 'TrafficTarget', spec: { destination: { kind: 'ServiceAccount', name: 'api' }, sources: [{ kind: 'ServiceAccount', name: 'client' }], rules: [{ kind: 'HTTPRouteGroup', name: 'cohort' }, { kind: 'TCPRoute', name: 'raw' }] } };
      expect(await create(targets, { ...tt, metadata: { name: 'before-routes' } })).to.deep.equal([
        `TrafficTarget ${ns}/before-routes: spec.rules[0].name: HTTPRouteGroup ${ns}/cohort not found (missing, or rejected as invalid); the rule allows nothing`,
        `TrafficTarget ${ns}/before-routes: spec.rules[1].name: TCPRoute ${ns}/raw not found (missing, or rejected as invalid); the rule allows nothing`,
      ]);
      // Once the routes exist (and the operator's cache has them): no warning.
      await k.apply(routeGroup(ns, 'cohort', [{ name: 'firefox', headers: { 'user-agent': '.*Firefox.*' } }]));
      await k.apply(tcpRoute(ns, 'raw'));
      await eventually('no warning once the routes are cached', async () => (await create(targets, { ...tt, metadata: { generateName: 'after-routes-' } })).length === 0);
      const policies = (plural: string) => `/apis/policy.smi-operator.io/v1alpha1/namespaces/${ns}/${plural}`;
      expect(await create(policies('timeoutpolicies'), { apiVersion: 'policy.smi-operator.io/v1alpha1', kind: 'TimeoutPolicy', metadata: { name: 'to' }, spec: { targetRef: { kind: 'Service', name: 'checkout' }, request: '5s' } })).to.deep.equal([
        `TimeoutPolicy ${ns}/to: spec.targetRef.name: Service ${ns}/checkout not found; the policy is not applied`,
      ]);
      expect(await create(policies('mirrorpolicies'), { apiVersion: 'policy.smi-operator.io/v1alpha1', kind: 'MirrorPolicy', metadata: { name: 'shadow' }, spec: { targetRef: { kind: 'Service', name: 'web' }, backendRef: { name: 'web-shadow' }, percentage: 10 } })).to.deep.equal([
        `MirrorPolicy ${ns}/shadow: spec.backendRef.name: Service ${ns}/web-shadow not found; nothing is mirrored`,
      ]);
    } finally {
      await kubeRequest(kc, { method: 'DELETE', path: webhookConfig });
    }

    const held = (await k.get('coordination.k8s.io/v1', 'Lease', ns, 'smi-operator-leader')) as unknown as { spec: { holderIdentity?: string } };
    expect(held.spec.holderIdentity, '--identity names the holder').to.equal('cli-test-replica');

    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).to.equal(0);
    expect(out.trim().split('\n'), 'stdout carries only the ready line').to.have.length(1);
    const released = (await k.get('coordination.k8s.io/v1', 'Lease', ns, 'smi-operator-leader')) as unknown as { spec: { holderIdentity?: string } };
    expect(released.spec.holderIdentity ?? '').to.equal('');
  });
});
