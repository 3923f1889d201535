// Version conversion for the config level on a local control plane: the SMI
// CRDs there have no webhook (nothing serves one), so serve the operator's own
// /convert in-process and point the CRDs at it for the run, then put them back.
// On a deployed operator the CRDs already call its webhook (config/default).

import type { KubeCredentials } from '../kube/credentials.js';
import { HttpKubeClient } from '../kube/client.js';
import { SMI_CRDS } from '../release/names.js';
import { generateWebhookCertificates, startWebhookServer } from '../webhooks/index.js';

export interface ServedConversion {
  url: string;
  stop(): Promise<void>;
}

export async function serveConversion(kc: KubeCredentials): Promise<ServedConversion> {
  const certs = generateWebhookCertificates({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  const server = await startWebhookServer({ port: 0, host: '127.0.0.1', cert: certs.cert, key: certs.key });
  const url = `https://127.0.0.1:${server.port}/convert`;
  const client = new HttpKubeClient(kc);
  const saved = new Map<string, unknown>();
  const path = (n: string) => `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${n}`;
  const merge = 'application/merge-patch+json';
  const restore = async () => {
    for (const [n, conversion] of saved) {
      const c = (conversion ?? { strategy: 'None' }) as { strategy?: string; webhook?: unknown };
      await client.request('PATCH', path(n), { body: { spec: { conversion: { strategy: c.strategy ?? 'None', webhook: c.webhook ?? null } } }, contentType: merge });
    }
  };
  try {
    for (const n of SMI_CRDS) {
      const got = await client.request<{ spec: { conversion?: unknown } }>('GET', path(n));
      if (!got.ok) throw new Error(`conversion: read CRD ${n}: ${got.error.status} ${got.error.message}`);
      saved.set(n, got.body.spec.conversion);
      const r = await client.request('PATCH', path(n), {
        body: { spec: { conversion: { strategy: 'Webhook', webhook: { clientConfig: { url, caBundle: Buffer.from(certs.caCert).toString('base64') }, conversionReviewVersions: ['v1'] } } } },
        contentType: merge,
      });
      if (!r.ok) throw new Error(`conversion: patch CRD ${n}: ${r.error.status} ${r.error.message}`);
    }
  } catch (e) {
    await restore();
    await server.close();
    throw e;
  }
  return {
    url,
    async stop() {
      await restore();
      await server.close();
    },
  };
}
