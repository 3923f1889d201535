// Pods for the xds level: the API server has no nodes and no kubelet, so each Deployment of a scenario's app gets
// one Pod written directly, owned by the Deployment (so the operator reads the Deployment's template, as before),
// with the labels sidecar injection adds and an IP set through the status subresource, as a kubelet would.

import type { KubeObject } from '../../schemas/hub.js';
import type { SuiteKube } from '../kube.js';

export interface FakePod {
  name: string;
  namespace: string;
  ip: string;
  serviceAccount: string;
  labels: Record<string, string>;
  /** Container port name -> number. */
  ports: Record<string, number>;
}

/** Injection marks a pod's endpoints as mTLS-capable with this label (Istio copies it into endpoint metadata). */
export const TLS_MODE_LABEL = 'security.istio.io/tlsMode';

let next = 0;
/** Pod IPs unique within this process (10.244.0.0/16, as a pod CIDR would be). */
function nextIp(): string {
  next += 1;
  return `10.244.${(next >> 8) & 255}.${next & 255}`;
}

type Template = { metadata?: { labels?: Record<string, string> }; spec?: { serviceAccountName?: string; containers?: Array<{ name: string; image?: string; ports?: Array<{ name?: string; containerPort: number; protocol?: string }> }> } };

export async function createPods(kube: SuiteKube, app: KubeObject[]): Promise<FakePod[]> {
  const out: FakePod[] = [];
  for (const d of app.filter((o) => o.kind === 'Deployment')) {
    const live = await kube.get('apps/v1', 'Deployment', d.metadata.namespace, d.metadata.name);
    if (!live?.metadata.uid) throw new Error(`xds level: Deployment ${d.metadata.namespace}/${d.metadata.name} not found after apply`);
    const tpl = ((d as { spec?: { template?: Template } }).spec?.template ?? {}) as Template;
    const labels = { ...(tpl.metadata?.labels ?? {}), [TLS_MODE_LABEL]: 'istio' };
    const containers = (tpl.spec?.containers ?? []).map((c) => ({ name: c.name, image: c.image ?? 'none', ...(c.ports ? { ports: c.ports } : {}) }));
    const sa = tpl.spec?.serviceAccountName ?? 'default';
    const pod: FakePod = { name: `${d.metadata.name}-xds`, namespace: d.metadata.namespace!, ip: nextIp(), serviceAccount: sa, labels, ports: {} };
    for (const c of containers) for (const p of c.ports ?? []) if (p.name) pod.ports[p.name] = p.containerPort;
    await kube.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: pod.name, namespace: pod.namespace, labels, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name, uid: live.metadata.uid, controller: true }] },
      spec: { serviceAccountName: sa, containers },
    } as KubeObject);
    const r = await kube.client.request('PATCH', kube.path('v1', 'Pod', pod.namespace, pod.name, 'status'), {
      body: { status: { phase: 'Running', podIP: pod.ip, podIPs: [{ ip: pod.ip }], conditions: [{ type: 'Ready', status: 'True' }, { type: 'ContainersReady', status: 'True' }] } },
      contentType: 'application/merge-patch+json',
    });
    if (!r.ok) throw new Error(`xds level: status of Pod ${pod.namespace}/${pod.name}: ${r.error.status} ${r.error.message}`);
    out.push(pod);
  }
  return out;
}
