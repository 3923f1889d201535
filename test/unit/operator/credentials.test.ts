// The kubeconfig / in-cluster loader on generated files: what ends up in the
// HTTPS options, token files re-read as they rotate, and errors that name the field.

import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { loadCredentials, loadInCluster, loadKubeconfigFiles, type KubeCredentials } from '../../../kube/credentials.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

function config(cluster: Record<string, unknown>, user: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}): string {
  return yaml.dump({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster }],
    users: user ? [{ name: 'u', user }] : [],
    contexts: [{ name: 'ctx', context: { cluster: 'c', ...(user ? { user: 'u' } : {}) } }],
    'current-context': 'ctx',
    ...extra,
  });
}

async function optsOf(kc: KubeCredentials): Promise<https.RequestOptions & { headers: Record<string, string> }> {
  const o: https.RequestOptions = { headers: { Accept: 'application/json' } };
  await kc.applyToHTTPSOptions(o);
  return o as https.RequestOptions & { headers: Record<string, string> };
}

describe('kube credentials loader', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'smi-creds-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const load = async (text: string, now?: () => number): Promise<KubeCredentials> => {
    const r = await loadCredentials({ path: file('config', text), env: {}, ...(now ? { now } : {}) });
    if (!r.ok) throw new Error(r.error);
    return r.value;
  };
  const error = async (text: string): Promise<string> => {
    const r = await loadCredentials({ path: file('config', text), env: {} });
    expect(r.ok, 'expected an error').to.equal(false);
    return (r as { error: string }).error;
  };

  it('inline data: server, CA, client certificate and key', async () => {
    const kc = await load(config({ server: 'https://10.0.0.1:6443', 'certificate-authority-data': b64('CA') }, { 'client-certificate-data': b64('CERT'), 'client-key-data': b64('KEY') }));
    expect(kc.getCurrentCluster()?.server).to.equal('https://10.0.0.1:6443');
    const o = await optsOf(kc);
    expect([String(o.ca), String(o.cert), String(o.key), o.rejectUnauthorized]).to.deep.equal(['CA', 'CERT', 'KEY', true]);
    expect(o.headers).to.deep.equal({ Accept: 'application/json' });
  });

  it('file paths, relative to the kubeconfig, and insecure-skip-tls-verify', async () => {
    file('ca.crt', 'CA-FILE');
    file('tls.crt', 'CERT-FILE');
    file('tls.key', 'KEY-FILE');
    const o = await optsOf(await load(config({ server: 'https://h:1', 'certificate-authority': 'ca.crt', 'insecure-skip-tls-verify': true }, { 'client-certificate': join(dir, 'tls.crt'), 'client-key': 'tls.key' })));
    expect([String(o.ca), String(o.cert), String(o.key), o.rejectUnauthorized]).to.deep.equal(['CA-FILE', 'CERT-FILE', 'KEY-FILE', false]);
  });

  it('a bearer token', async () => {
    const o = await optsOf(await load(config({ server: 'https://h:1' }, { token: 'abc' })));
    expect(o.headers.Authorization).to.equal('Bearer abc');
    expect(o.headers.Accept).to.equal('application/json');
  });

  it('a tokenFile, re-read once a minute so a rotated token is used', async () => {
    const tf = file('token', 'first\n');
    let now = 1_000_000;
    const kc = await load(config({ server: 'https://h:1' }, { tokenFile: 'token' }), () => now);
    expect((await optsOf(kc)).headers.Authorization).to.equal('Bearer first');
    writeFileSync(tf, 'second');
    now += 30_000;
    expect((await optsOf(kc)).headers.Authorization).to.equal('Bearer first');
    now += 31_000;
    expect((await optsOf(kc)).headers.Authorization).to.equal('Bearer second');
    // A brief gap while the file is swapped keeps the last token.
    rmSync(tf);
    now += 61_000;
    expect((await optsOf(kc)).headers.Authorization).to.equal('Bearer second');
  });

  it('$KUBECONFIG lists are merged, first file wins, missing ones skipped', async () => {
    const a = file('a', yaml.dump({ 'current-context': 'ctx', contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }], users: [{ name: 'u', user: { token: 'from-a' } }] }));
    const b = file('b', config({ server: 'https://b:1' }, { token: 'from-b' }, { 'current-context': 'other' }));
    const r = await loadCredentials({ env: { KUBECONFIG: `${a}:${join(dir, 'nope')}:${b}` } });
    if (!r.ok) throw new Error(r.error);
    expect(r.value.getCurrentCluster()?.server).to.equal('https://b:1');
    expect((await optsOf(r.value)).headers.Authorization).to.equal('Bearer from-a');
  });

  it('--context picks another context than current-context, and a missing one is named', async () => {
    const text = yaml.dump({
      'current-context': 'a',
      clusters: [{ name: 'ca', cluster: { server: 'https://a:1' } }, { name: 'cb', cluster: { server: 'https://b:2' } }],
      contexts: [{ name: 'a', context: { cluster: 'ca', user: 'ua' } }, { name: 'b', context: { cluster: 'cb', user: 'ub' } }],
      users: [{ name: 'ua', user: { token: 'ta' } }, { name: 'ub', user: { token: 'tb' } }],
    });
    const path = file('contexts', text);
    const r = await loadCredentials({ path, context: 'b', env: {} });
    if (!r.ok) throw new Error(r.error);
    expect(r.value.getCurrentCluster()?.server).to.equal('https://b:2');
    expect((await optsOf(r.value)).headers.Authorization).to.equal('Bearer tb');
    const missing = await loadCredentials({ path, context: 'c', env: {} });
    expect(missing.ok ? '' : missing.error).to.contain('context "c" is not in contexts');
    const inCluster = await loadCredentials({ context: 'b', env: {} });
    expect(inCluster.ok ? '' : inCluster.error).to.contain('--context "b" needs a kubeconfig');
  });

  it('falls back to ~/.kube/config (with --context) when there is no --kubeconfig, $KUBECONFIG or in-cluster token', async () => {
    mkdirSync(join(dir, '.kube'));
    file('.kube/config', yaml.dump({
      'current-context': 'a',
      clusters: [{ name: 'ca', cluster: { server: 'https://a:1' } }, { name: 'cb', cluster: { server: 'https://b:2' } }],
      contexts: [{ name: 'a', context: { cluster: 'ca' } }, { name: 'b', context: { cluster: 'cb' } }],
    }));
    const home = await loadCredentials({ env: { HOME: dir } });
    expect(home.ok && home.value.getCurrentCluster()?.server).to.equal('https://a:1');
    const ctx = await loadCredentials({ env: { HOME: dir }, context: 'b' });
    expect(ctx.ok && ctx.value.getCurrentCluster()?.server).to.equal('https://b:2');
  });

  it('errors name what is missing or wrong', async () => {
    expect(await error(config({ server: 'https://h:1' }, undefined, { 'current-context': '' }))).to.contain('current-context is not set');
    expect(await error(config({ server: 'https://h:1' }, undefined, { 'current-context': 'gone' }))).to.contain('current-context "gone" is not in contexts');
    expect(await error(config({}, undefined))).to.contain('cluster "c": server is missing');
    expect(await error(config({ server: 'http://h:1' }, undefined))).to.contain('server must be an https:// URL');
    expect(await error(config({ server: 'https://h:1', 'certificate-authority': 'missing.crt' }, undefined))).to.match(/cluster "c": certificate-authority: cannot read .*missing\.crt: ENOENT/);
    expect(await error(config({ server: 'https://h:1' }, { 'client-certificate-data': b64('CERT') }))).to.contain('user "u": client-certificate(-data) without client-key(-data)');
    expect(await error(config({ server: 'https://h:1' }, { 'client-key': 'nokey' }))).to.match(/user "u": client-key: cannot read .*nokey: ENOENT/);
    expect(await error(config({ server: 'https://h:1' }, { tokenFile: 'none' }))).to.match(/user "u": tokenFile: cannot read .*none: ENOENT/);
    const noUser = yaml.dump({ clusters: [{ name: 'c', cluster: { server: 'https://h:1' } }], contexts: [{ name: 'x', context: { cluster: 'c', user: 'ghost' } }], 'current-context': 'x' });
    expect(await error(noUser)).to.contain('user "ghost" is not in users');
    expect(await error('clusters: {')).to.match(/^kubeconfig .*config: /);
    const r = await loadKubeconfigFiles([join(dir, 'absent')]);
    expect(r.ok ? '' : r.error).to.match(/absent: cannot read: ENOENT/);
  });

  it('an exec user falls back to client-node\'s KubeConfig (imported only then)', async function () {
    this.timeout(30_000); // importing client-node takes seconds on a busy machine
    const kc = await load(config({ server: 'https://h:1' }, { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'true' } }));
    expect(kc.constructor.name).to.equal('KubeConfig');
    expect(kc.getCurrentCluster()?.server).to.equal('https://h:1');
  });

  describe('in-cluster', () => {
    const env = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' };
    it('token and CA from the service-account directory; server from the env; the token re-read as it rotates', async () => {
      file('token', 'sa-1');
      file('ca.crt', 'SA-CA');
      let now = 0;
      const r = loadInCluster({ env, serviceAccountDir: dir, now: () => now });
      if (!r.ok) throw new Error(r.error);
      expect(r.value.getCurrentCluster()?.server).to.equal('https://10.96.0.1:443');
      const o = await optsOf(r.value);
      expect([String(o.ca), o.headers.Authorization, o.rejectUnauthorized]).to.deep.equal(['SA-CA', 'Bearer sa-1', true]);
      file('token', 'sa-2');
      now = 60_000;
      expect((await optsOf(r.value)).headers.Authorization).to.equal('Bearer sa-2');
    });

    it('an IPv6 service host is bracketed', () => {
      file('token', 't');
      file('ca.crt', 'c');
      const r = loadInCluster({ env: { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' }, serviceAccountDir: dir });
      expect(r.ok && r.value.getCurrentCluster()?.server).to.equal('https://[fd00::1]:443');
    });

    it('is the default without a path or $KUBECONFIG, and says what is missing', async () => {
      const none = await loadCredentials({ env: {}, serviceAccountDir: dir });
      expect(none.ok ? '' : none.error).to.contain('KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set');
      const noToken = await loadCredentials({ env, serviceAccountDir: dir });
      expect(noToken.ok ? '' : noToken.error).to.match(/in-cluster: cannot read .*token: ENOENT/);
      file('token', 't');
      const noCa = await loadCredentials({ env, serviceAccountDir: dir });
      expect(noCa.ok ? '' : noCa.error).to.match(/in-cluster: cannot read .*ca\.crt: ENOENT/);
    });

    it('user-facing commands (homeKubeconfig) read ~/.kube/config before in-cluster; the operator does not', async () => {
      mkdirSync(join(dir, '.kube'));
      file('.kube/config', config({ server: 'https://home:6443', 'insecure-skip-tls-verify': true }, { token: 't' }));
      const home = { HOME: dir };
      const user = await loadCredentials({ env: home, serviceAccountDir: dir, homeKubeconfig: true });
      expect(user.ok && user.value.getCurrentCluster()?.server).to.equal('https://home:6443');
      // The operator: in-cluster first; ~/.kube/config only outside a pod (controller-runtime's order).
      const outside = await loadCredentials({ env: home, serviceAccountDir: dir });
      expect(outside.ok && outside.value.getCurrentCluster()?.server).to.equal('https://home:6443');
      file('token', 't');
      file('ca.crt', 'c');
      const inPod = await loadCredentials({ env: { ...home, ...env }, serviceAccountDir: dir });
      expect(inPod.ok && inPod.value.getCurrentCluster()?.server).to.equal('https://10.96.0.1:443');
    });
  });
});
