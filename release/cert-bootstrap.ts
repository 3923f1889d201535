// Operator-managed certificates (clusters without cert-manager): run as the
// operator pod's init container. Keeps one self-signed CA + serving certificate
// for the webhook and metrics Services in a kubernetes.io/tls Secret (reused
// while valid, so restarts and replicas agree), writes it to the cert dir, and
// puts the CA into every place the API server needs it: the SMI CRDs'
// conversion webhooks, the ValidatingWebhookConfiguration and the APIService.

import { X509Certificate } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import type { KubeCredentials } from '../kube/credentials.js';
import { HttpKubeClient, type KubeClient, type KubeResult } from '../kube/client.js';
import { loadCredentials } from '../kube/credentials.js';
import { BUILTIN_KINDS, kindPath } from '../kube/rest-mapper.js';
import { generateWebhookCertificates, serviceDnsNames } from './certs.js';
import { APISERVICE, CERT_DIR, METRICS_SERVICE, NAMESPACE, SERVING_SECRET, SMI_CRDS, VALIDATING_WEBHOOK, WEBHOOK_SERVICE } from './names.js';

export interface BootstrapOptions {
  kubeConfig: KubeCredentials;
  /** The client to use instead of one built from kubeConfig (tests record requests through it). */
  client?: KubeClient;
  namespace?: string;
  secret?: string;
  certDir?: string;
  /** Renew when the certificate expires within this many days. */
  renewDays?: number;
  log?: (msg: string) => void;
  /** Objects that get the CA bundle (defaults: the names config/ installs). */
  crds?: readonly string[];
  validatingWebhook?: string;
  apiService?: string;
}

export interface Bootstrapped {
  created: boolean;
  caBundle: string;
  patched: string[];
}

type Secret = { metadata: { resourceVersion?: string }; data?: Record<string, string> };

const b64 = (s: string) => Buffer.from(s).toString('base64');
const unb64 = (s: string | undefined) => (s ? Buffer.from(s, 'base64').toString('utf8') : '');

export function dnsNames(namespace: string): string[] {
  return [...serviceDnsNames(WEBHOOK_SERVICE, namespace), ...serviceDnsNames(METRICS_SERVICE, namespace)];
}

/** Usable: parses, chains to ca.crt, covers every name, and is not about to expire. */
export function usable(data: Record<string, string> | undefined, names: string[], renewDays: number): boolean {
  try {
    const cert = new X509Certificate(unb64(data?.['tls.crt']));
    const ca = new X509Certificate(unb64(data?.['ca.crt']));
    if (!unb64(data?.['tls.key']) || !cert.checkIssued(ca)) return false;
    if (new Date(cert.validTo).getTime() < Date.now() + renewDays * 86_400_000) return false;
    return names.every((n) => cert.checkHost(n) !== undefined);
  } catch {
    return false;
  }
}

function must<T>(r: KubeResult<T>, what: string): T {
  if (!r.ok) throw new Error(`${what}: HTTP ${r.error.status} ${r.error.message}`);
  return r.body;
}

export async function bootstrapCertificates(o: BootstrapOptions): Promise<Bootstrapped> {
  const ns = o.namespace ?? NAMESPACE;
  const name = o.secret ?? SERVING_SECRET;
  const log = o.log ?? (() => {});
  const client: KubeClient = o.client ?? new HttpKubeClient(o.kubeConfig);
  const names = dnsNames(ns);
  const secretPath = kindPath(BUILTIN_KINDS.Secret, ns);

  let created = false;
  const got = await client.request<Secret>('GET', `${secretPath}/${name}`);
  if (!got.ok && got.error.status !== 404) throw new Error(`read Secret ${ns}/${name}: HTTP ${got.error.status} ${got.error.message}`);
  let data = got.ok ? got.body.data : undefined;
  if (!usable(data, names, o.renewDays ?? 30)) {
    const c = generateWebhookCertificates({ dnsNames: names, validDays: 365 });
    const fresh = { 'tls.crt': b64(c.cert), 'tls.key': b64(c.key), 'ca.crt': b64(c.caCert) };
    const body = { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name, namespace: ns, labels: { 'app.kubernetes.io/managed-by': 'smi-operator' } }, data: fresh };
    const w = got.ok
      ? await client.request<Secret>('PUT', `${secretPath}/${name}`, { body: { ...body, metadata: { ...body.metadata, resourceVersion: got.body.metadata.resourceVersion } } })
      : await client.request<Secret>('POST', secretPath, { body });
    if (w.ok) {
      data = fresh;
      created = true;
      log(`wrote a new serving certificate to Secret ${ns}/${name}`);
    } else if (w.error.status === 409) {
      // Another replica won the race: use its certificate.
      data = must(await client.request<Secret>('GET', `${secretPath}/${name}`), `read Secret ${ns}/${name}`).data;
    } else throw new Error(`write Secret ${ns}/${name}: HTTP ${w.error.status} ${w.error.message}`);
  }

  if (o.certDir) {
    mkdirSync(o.certDir, { recursive: true });
    for (const f of ['tls.crt', 'tls.key', 'ca.crt']) writeFileSync(join(o.certDir, f), unb64(data?.[f]), { mode: 0o600 });
  }

  const caBundle = data?.['ca.crt'] ?? '';
  const patched: string[] = [];
  const merge = 'application/merge-patch+json';
  for (const crd of o.crds ?? SMI_CRDS) {
    const path = kindPath(BUILTIN_KINDS.CustomResourceDefinition, undefined, crd);
    const r = await client.request<{ spec?: { conversion?: { strategy?: string } } }>('GET', path);
    if (!r.ok || r.body.spec?.conversion?.strategy !== 'Webhook') continue;
    must(await client.request('PATCH', path, { body: { spec: { conversion: { webhook: { clientConfig: { caBundle } } } } }, contentType: merge }), `patch CRD ${crd}`);
    patched.push(`CustomResourceDefinition/${crd}`);
  }
  const vwcName = o.validatingWebhook ?? VALIDATING_WEBHOOK;
  const vwcPath = kindPath(BUILTIN_KINDS.ValidatingWebhookConfiguration, undefined, vwcName);
  const vwc = await client.request<{ webhooks?: unknown[] }>('GET', vwcPath);
  if (vwc.ok) {
    const ops = (vwc.body.webhooks ?? []).map((_, i) => ({ op: 'add', path: `/webhooks/${i}/clientConfig/caBundle`, value: caBundle }));
    if (ops.length) must(await client.request('PATCH', vwcPath, { body: ops, contentType: 'application/json-patch+json' }), `patch ${vwcName}`);
    patched.push(`ValidatingWebhookConfiguration/${vwcName}`);
  }
  const apiName = o.apiService ?? APISERVICE;
  const apiPath = kindPath(BUILTIN_KINDS.APIService, undefined, apiName);
  const api = await client.request('GET', apiPath);
  if (api.ok) {
    must(await client.request('PATCH', apiPath, { body: { spec: { caBundle, insecureSkipTLSVerify: false } }, contentType: merge }), `patch APIService ${apiName}`);
    patched.push(`APIService/${apiName}`);
  }
  log(`CA bundle set on ${patched.join(', ') || 'nothing (none installed)'}`);
  return { created, caBundle, patched };
}

async function main(): Promise<void> {
  const cmd = new Command('cert-bootstrap')
    .description('create or reuse the serving certificate Secret and inject its CA into CRDs, webhook and APIService')
    .option('--kubeconfig <path>', 'kubeconfig (default: $KUBECONFIG, else in-cluster)')
    .option('--namespace <ns>', 'namespace of the Secret and Services', process.env.POD_NAMESPACE ?? NAMESPACE)
    .option('--secret <name>', 'kubernetes.io/tls Secret name', SERVING_SECRET)
    .option('--cert-dir <dir>', 'write tls.crt, tls.key and ca.crt here', CERT_DIR)
    .parse(process.argv);
  const f = cmd.opts<{ kubeconfig?: string; namespace: string; secret: string; certDir: string }>();
  const creds = await loadCredentials({ path: f.kubeconfig });
  if (!creds.ok) throw new Error(creds.error);
  await bootstrapCertificates({ kubeConfig: creds.value, namespace: f.namespace, secret: f.secret, certDir: f.certDir, log: (m) => process.stderr.write(`cert-bootstrap: ${m}\n`) });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    process.stderr.write(`cert-bootstrap: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
