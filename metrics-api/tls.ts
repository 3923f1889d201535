// Self-signed serving certificate. The APIService either pins it (caBundle) or
// uses insecureSkipTLSVerify; either way the aggregator authenticates *itself*
// with its front-proxy client cert, which is what we check.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface ServingCert {
  certPem: string;
  keyPem: string;
}

export function selfSignedCert(hosts: string[] = ['localhost', '127.0.0.1'], days = 365): ServingCert {
  // node:crypto makes the key (forge's pure-JS RSA is slow); forge makes the certificate.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey);
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + days * 86_400_000);
  const subject = [{ name: 'commonName', value: hosts[0] ?? 'smi-metrics' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  const ip = /^[\d.]+$|:/;
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: hosts.map((h) => (ip.test(h) ? { type: 7, ip: h } : { type: 2, value: h })) },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: privateKey };
}
