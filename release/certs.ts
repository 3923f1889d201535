// Self-signed serving certificates for the webhook server: a throwaway CA and a
// serving certificate it signs, for development, tests and clusters without
// cert-manager. Keys come from node:crypto (fast); node-forge builds the X.509.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface WebhookCertificates {
  /** PEM of the CA that signed `cert`: what goes into caBundle. */
  caCert: string;
  caKey: string;
  /** Serving certificate and key, PEM. */
  cert: string;
  key: string;
}

export interface CertificateOptions {
  /** DNS SANs; default: localhost and the in-cluster names of the webhook Service. */
  dnsNames?: string[];
  /** IP SANs; default 127.0.0.1 and ::1. */
  ipAddresses?: string[];
  validDays?: number;
}

/** The names the API server uses to reach <service>.<namespace> in-cluster. */
export function serviceDnsNames(service: string, namespace: string, clusterDomain = 'cluster.local'): string[] {
  return [service, `${service}.${namespace}`, `${service}.${namespace}.svc`, `${service}.${namespace}.svc.${clusterDomain}`];
}

export const DEFAULT_DNS_NAMES = ['localhost', ...serviceDnsNames('smi-operator-webhook-service', 'smi-system')];

function newKey(): { pem: string; forgeKey: forge.pki.rsa.PrivateKey; forgePublic: forge.pki.rsa.PublicKey } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const forgeKey = forge.pki.privateKeyFromPem(privateKey);
  return { pem: privateKey, forgeKey, forgePublic: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
}

function baseCert(publicKey: forge.pki.rsa.PublicKey, commonName: string, days: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // Positive serial: clear the top bit.
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  cert.serialNumber = serial.toString('hex');
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 5 * 60_000); // tolerate clock skew
  cert.validity.notAfter = new Date(now + days * 86_400_000);
  cert.setSubject([{ name: 'commonName', value: commonName }]);
  return cert;
}

export function generateWebhookCertificates(opts: CertificateOptions = {}): WebhookCertificates {
  const days = opts.validDays ?? 365;
  const ca = newKey();
  const caCert = baseCert(ca.forgePublic, 'smi-operator-webhook-ca', days);
  caCert.setIssuer(caCert.subject.attributes);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.forgeKey, forge.md.sha256.create());

  const dnsNames = opts.dnsNames ?? DEFAULT_DNS_NAMES;
  const ips = opts.ipAddresses ?? ['127.0.0.1', '::1'];
  const leaf = newKey();
  const cert = baseCert(leaf.forgePublic, dnsNames[0] ?? 'smi-operator-webhook', days);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [...dnsNames.map((value) => ({ type: 2, value })), ...ips.map((ip) => ({ type: 7, ip }))] },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(ca.forgeKey, forge.md.sha256.create());

  return { caCert: forge.pki.certificateToPem(caCert), caKey: ca.pem, cert: forge.pki.certificateToPem(cert), key: leaf.pem };
}
