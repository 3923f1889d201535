// The operator's own credentials loader against the real API server: in-cluster
// ServiceAccount tokens (minted by TokenRequest) including rotation, and an exec
// user served through the client-node fallback.

import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { HttpKubeClient } from '../../../kube/client.js';
import { loadCredentials, loadInCluster, type KubeCredentials } from '../../../kube/credentials.js';
import { sharedCluster } from '../../support/cluster.js';
import { newNamespace, TestKube } from './helpers.js';

async function whoami(kc: KubeCredentials): Promise<string> {
  const r = await new HttpKubeClient(kc).request<{ status: { userInfo: { username: string } } }>('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
  });
  if (!r.ok) throw new Error(`${r.error.status} ${r.error.message}`);
  return r.body.status.userInfo.username;
}

describe('operator credentials against the real API server', () => {
  let k: TestKube;
  let ns: string;
  let dir: string;

  async function token(sa: string): Promise<string> {
    await k.apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa, namespace: ns } });
    const r = await k.client.request<{ status: { token: string } }>('POST', `/api/v1/namespaces/${ns}/serviceaccounts/${sa}/token`, {
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } },
    });
    if (!r.ok) throw new Error(r.error.message);
    return r.body.status.token;
  }

  before(async () => {
    k = new TestKube();
    ns = await newNamespace('op-creds');
    dir = mkdtempSync(join(tmpdir(), 'smi-sa-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('in-cluster: authenticates with the mounted token and picks up a rotated one', async () => {
    const server = new URL(sharedCluster().server);
    writeFileSync(join(dir, 'ca.crt'), sharedCluster().caCertPem);
    writeFileSync(join(dir, 'token'), await token('first'));
    let now = 0;
    const r = loadInCluster({ env: { KUBERNETES_SERVICE_HOST: server.hostname, KUBERNETES_SERVICE_PORT: server.port }, serviceAccountDir: dir, now: () => now });
    if (!r.ok) throw new Error(r.error);
    expect(await whoami(r.value)).to.equal(`system:serviceaccount:${ns}:first`);
    writeFileSync(join(dir, 'token'), await token('second'));
    now += 60_000;
    expect(await whoami(r.value)).to.equal(`system:serviceaccount:${ns}:second`);
  });

  it('an exec credential plugin works through the client-node fallback', async () => {
    const t = await token('exec');
    const cred = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: t } });
    const path = join(dir, 'exec.kubeconfig');
    writeFileSync(
      path,
      yaml.dump({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: sharedCluster().server, 'certificate-authority-data': Buffer.from(sharedCluster().caCertPem).toString('base64') } }],
        users: [{ name: 'u', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: process.execPath, args: ['-e', `process.stdout.write(${JSON.stringify(cred)})`], interactiveMode: 'Never' } } }],
        contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'ctx',
      }),
    );
    const r = await loadCredentials({ path, env: {} });
    if (!r.ok) throw new Error(r.error);
    expect(await whoami(r.value)).to.equal(`system:serviceaccount:${ns}:exec`);
  });
});
