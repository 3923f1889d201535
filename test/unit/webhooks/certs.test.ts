import { expect } from 'chai';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCertificatesFromDir, loadCertificatesFromSecretData } from '../../../operator/webhooks/cert-source.js';
import { generateWebhookCertificates, type WebhookCertificates } from '../../../release/certs.js';

describe('webhook certificates', function () {
  this.timeout(20_000);
  let certs: WebhookCertificates;
  before(() => {
    certs = generateWebhookCertificates();
  });

  it('issues a serving certificate signed by the generated CA, for localhost, 127.0.0.1 and the Service names', () => {
    const ca = new X509Certificate(certs.caCert);
    const leaf = new X509Certificate(certs.cert);
    expect(ca.ca).to.equal(true);
    expect(leaf.ca).to.equal(false);
    expect(leaf.verify(ca.publicKey)).to.equal(true);
    expect(leaf.checkIssued(ca)).to.equal(true);
    expect(leaf.checkHost('localhost')).to.equal('localhost');
    expect(leaf.checkIP('127.0.0.1')).to.equal('127.0.0.1');
    expect(leaf.checkHost('smi-operator-webhook-service.smi-system.svc')).to.equal('smi-operator-webhook-service.smi-system.svc');
    expect(leaf.checkHost('elsewhere.example.com')).to.equal(undefined);
    expect(new Date(leaf.validTo).getTime()).to.be.greaterThan(Date.now() + 300 * 86_400_000);
  });

  it('takes custom names', () => {
    const custom = generateWebhookCertificates({ dnsNames: ['hooks.example.com'], ipAddresses: ['10.0.0.1'], validDays: 1 });
    const leaf = new X509Certificate(custom.cert);
    expect(leaf.checkHost('hooks.example.com')).to.equal('hooks.example.com');
    expect(leaf.checkHost('localhost')).to.equal(undefined);
    expect(leaf.checkIP('10.0.0.1')).to.equal('10.0.0.1');
  });

  it('loads them from a mounted Secret directory and from Secret data', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smi-certs-'));
    try {
      writeFileSync(join(dir, 'tls.crt'), certs.cert);
      writeFileSync(join(dir, 'tls.key'), certs.key);
      expect(loadCertificatesFromDir(dir)).to.deep.equal({ ok: true, value: { cert: certs.cert, key: certs.key } });
      writeFileSync(join(dir, 'ca.crt'), 'not pem');
      expect(loadCertificatesFromDir(dir)).to.deep.equal({ ok: false, error: `${dir}: ca.crt is not a PEM certificate` });
      rmSync(join(dir, 'tls.key'));
      expect(loadCertificatesFromDir(dir)).to.deep.equal({ ok: false, error: `${dir}: needs tls.crt and tls.key` });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const data = { 'tls.crt': b64(certs.cert), 'tls.key': b64(certs.key), 'ca.crt': b64(certs.caCert) };
    expect(loadCertificatesFromSecretData(data)).to.deep.equal({ ok: true, value: { cert: certs.cert, key: certs.key, caCert: certs.caCert } });
    expect(loadCertificatesFromSecretData({ 'tls.crt': b64(certs.cert) }, 'smi-system/serving')).to.deep.equal({ ok: false, error: 'smi-system/serving: data needs tls.crt and tls.key' });
    expect(loadCertificatesFromSecretData({ 'tls.crt': b64(certs.cert), 'tls.key': b64('junk') })).to.deep.equal({ ok: false, error: 'Secret: tls.key is not a PEM private key' });
  });
});
