// Loading serving certificates the way they are mounted in a cluster: a
// kubernetes.io/tls Secret (tls.crt, tls.key, optional ca.crt) as a directory of
// files, or as the Secret's base64 data. Errors are values naming what is missing.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ServingCertificate {
  cert: string;
  key: string;
  caCert?: string;
}

export type Loaded = { ok: true; value: ServingCertificate } | { ok: false; error: string };

const PEM_CERT = /-----BEGIN CERTIFICATE-----/;
const PEM_KEY = /-----BEGIN (RSA |EC )?PRIVATE KEY-----/;

function check(value: ServingCertificate, where: string): Loaded {
  if (!PEM_CERT.test(value.cert)) return { ok: false, error: `${where}: tls.crt is not a PEM certificate` };
  if (!PEM_KEY.test(value.key)) return { ok: false, error: `${where}: tls.key is not a PEM private key` };
  if (value.caCert !== undefined && !PEM_CERT.test(value.caCert)) return { ok: false, error: `${where}: ca.crt is not a PEM certificate` };
  return { ok: true, value };
}

/** From a directory holding tls.crt, tls.key and optionally ca.crt (a mounted Secret). */
export function loadCertificatesFromDir(dir: string): Loaded {
  const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : undefined);
  const cert = read('tls.crt');
  const key = read('tls.key');
  if (cert === undefined || key === undefined) return { ok: false, error: `${dir}: needs tls.crt and tls.key` };
  const caCert = read('ca.crt');
  return check({ cert, key, ...(caCert !== undefined ? { caCert } : {}) }, dir);
}

/** From a Secret's `data` (base64 values), e.g. one read through the API. */
export function loadCertificatesFromSecretData(data: Record<string, string> | undefined, secretName = 'Secret'): Loaded {
  const decode = (k: string) => (data?.[k] !== undefined ? Buffer.from(data[k]!, 'base64').toString('utf8') : undefined);
  const cert = decode('tls.crt');
  const key = decode('tls.key');
  if (cert === undefined || key === undefined) return { ok: false, error: `${secretName}: data needs tls.crt and tls.key` };
  const caCert = decode('ca.crt');
  return check({ cert, key, ...(caCert !== undefined ? { caCert } : {}) }, secretName);
}
