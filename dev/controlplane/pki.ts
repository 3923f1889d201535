// Test PKI: CAs and leaf certificates. Keys come from node:crypto (fast native RSA);
// node-forge builds and signs the X.509 certificates.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface KeyPair {
  certPem: string;
  keyPem: string;
}

export interface CertSpec {
  commonName: string;
  organizations?: string[];
  dnsNames?: string[];
  ipAddresses?: string[];
  server?: boolean;
  client?: boolean;
}

const VALID_DAYS = 30;

/** RSA-2048 key, PKCS#1 PEM (what both forge and Go read). */
export function newRsaKey(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privatePem: privateKey, publicPem: publicKey };
}

function baseCert(publicPem: string): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicPem);
  // Leading 0x01 keeps the serial positive, as RFC 5280 requires.
  cert.serialNumber = '01' + randomBytes(15).toString('hex');
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60 * 60 * 1000); // tolerate small clock skew
  cert.validity.notAfter = new Date(now + VALID_DAYS * 24 * 60 * 60 * 1000);
  return cert;
}

function subject(commonName: string, organizations: string[] = []): forge.pki.CertificateField[] {
  return [...organizations.map((o) => ({ shortName: 'O', value: o })), { shortName: 'CN', value: commonName }];
}

export function createCa(commonName: string): KeyPair {
  const key = newRsaKey();
  const cert = baseCert(key.publicPem);
  const attrs = subject(commonName);
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(key.privatePem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: key.privatePem };
}

/** A leaf certificate signed by `ca`; server and/or client usage. */
export function issueCert(ca: KeyPair, spec: CertSpec): KeyPair {
  const key = newRsaKey();
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const cert = baseCert(key.publicPem);
  cert.setSubject(subject(spec.commonName, spec.organizations));
  cert.setIssuer(caCert.subject.attributes);
  const altNames = [
    ...(spec.dnsNames ?? []).map((value) => ({ type: 2, value })),
    ...(spec.ipAddresses ?? []).map((ip) => ({ type: 7, ip })),
  ];
  const extensions: object[] = [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: spec.server === true, clientAuth: spec.client === true },
  ];
  if (altNames.length > 0) extensions.push({ name: 'subjectAltName', altNames });
  cert.setExtensions(extensions);
  cert.sign(forge.pki.privateKeyFromPem(ca.keyPem), forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: key.privatePem };
}

/** Serving certificate for something listening on 127.0.0.1 (webhooks, aggregated APIs). */
export function localServingCert(ca: KeyPair, commonName = 'localhost'): KeyPair {
  return issueCert(ca, { commonName, dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], server: true });
}
