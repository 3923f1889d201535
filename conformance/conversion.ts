// Version conversion for the config level on a local control plane: the SMI
// CRDs there have no webhook (nothing serves one), so serve the operator's own
// /convert in-process and point the CRDs at it for the run, then put them back.
// On a deployed operator the CRDs already call its webhook (config/default).

import type { KubeCredentials } from '../kube/credentials.js';
import { HttpKubeClient } from '../kube/client.js';
import { BUILTIN_KINDS, kindPath } from '../kube/rest-mapper.js';
import { SMI_CRDS } from '../release/names.js';
import { startWebhookServer } from '../operator/webhooks/index.js';
import { generateWebhookCertificates } from '../release/certs.js';

/** A minimal object at an older served version of each converted CRD (UDPRoute has one version only). */
const CONVERSION_PROBES: Record<string, { version: string; kind: string; body: Record<string, unknown> }> = {
  'trafficsplits.split.smi-spec.io': { version: 'v1alpha2', kind: 'TrafficSplit', body: { spec: { service: 'probe', backends: [{ service: 'probe-v1', weight: 1 }] } } },
  'traffictargets.access.smi-spec.io': { version: 'v1alpha2', kind: 'TrafficTarget', body: { spec: { destination: { kind: 'ServiceAccount', name: 'probe' } } } },
  'httproutegroups.specs.smi-spec.io': { version: 'v1alpha3', kind: 'HTTPRouteGroup', body: { spec: { matches: [{ name: 'all' }] } } },
  'tcproutes.specs.smi-spec.io': { version: 'v1alpha3', kind: 'TCPRoute', body: { spec: {} } },
};

export interface ServedConversion {
  url: string;
  stop(): Promise<void>;
}

export async function serveConversion(kc: KubeCredentials): Promise<ServedConversion> {
  const certs = generateWebhookCertificates({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
  let conversions = 0;
  const server = await startWebhookServer({
    port: 0,
    host: '127.0.0.1',
    cert: certs.cert,
    key: certs.key,
    onRequest: (i) => {
      if (i.path.startsWith('/convert')) conversions++;
    },
  });
  const url = `https://127.0.0.1:${server.port}/convert`;
  const client = new HttpKubeClient(kc);
  const saved = new Map<string, unknown>();
  const path = (n: string) => kindPath(BUILTIN_KINDS.CustomResourceDefinition, undefined, n);
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
    // The API server switches a CRD's conversion strategy asynchronously; an object written before the switch
    // is stored unconverted. Wait until a dry-run create at an older version really reaches /convert.
    for (const [crd, probe] of Object.entries(CONVERSION_PROBES)) {
      const [plural, ...group] = crd.split('.');
      const url = `/apis/${group.join('.')}/${probe.version}/namespaces/default/${plural}`;
      const body = { apiVersion: `${group.join('.')}/${probe.version}`, kind: probe.kind, metadata: { name: 'smi-conformance-conversion-probe' }, ...probe.body };
      const deadline = Date.now() + 30_000;
      for (;;) {
        const before = conversions;
        await client.request('POST', url, { body, query: { dryRun: 'All' } });
        if (conversions > before) break;
        if (Date.now() > deadline) throw new Error(`conversion: ${crd} does not call the webhook after 30 s`);
        await new Promise((r) => setTimeout(r, 200));
      }
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
