// Istio's own validation and analyzers over objects: `istio-oracle validate` (test/istio-oracle), one process per
// batch. Also the objects an injected cluster would have around them, so the analyzers judge a realistic input.

import { spawnSync } from 'node:child_process';
import type { KubeObject } from '../../schemas/hub.js';
import { istioOracleBinary } from '../../dev/controlplane/binaries.js';

export interface IstioObjectResult {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  /** An Istio kind, checked by the kind's ValidateConfig (istiod's validating webhook). */
  validated: boolean;
  errors?: string[];
  warnings?: string[];
}

export interface IstioMessage {
  code: string;
  level: 'Error' | 'Warning' | 'Info';
  message: string;
  origin?: string;
}

export interface IstioValidation {
  istio: string;
  objects: IstioObjectResult[];
  messages: IstioMessage[];
  executedAnalyzers: string[];
  skippedAnalyzers: string[];
}

let binary: string | undefined;

export function validateWithIstio(objects: KubeObject[]): IstioValidation {
  binary ??= istioOracleBinary();
  const input = objects.map((o) => JSON.stringify(o)).join('\n---\n');
  const r = spawnSync(binary, ['validate'], { input, encoding: 'utf8', maxBuffer: 256 << 20, timeout: 120_000 });
  if (r.status !== 0) throw new Error(`istio-oracle validate exited ${r.status ?? r.signal}: ${r.stderr.slice(0, 2000)}`);
  return JSON.parse(r.stdout) as IstioValidation;
}

type PodTemplate = { metadata?: { labels?: Record<string, string> }; spec?: Record<string, unknown> & { containers?: Array<Record<string, unknown>> } };

/**
 * The cluster around a translation input as the analyzers expect it: namespaces with injection enabled, and for
 * each controller one running pod with the sidecar and the labels injection adds.
 */
export function injectedCluster(input: KubeObject[]): KubeObject[] {
  const namespaces = new Set(input.map((o) => o.metadata.namespace ?? 'default'));
  const out: KubeObject[] = [...namespaces].sort().map((n) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n, labels: { 'istio-injection': 'enabled' } } }) as KubeObject);
  for (const o of input) {
    if (!['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind)) continue;
    const tpl = ((o as { spec?: { template?: PodTemplate } }).spec?.template ?? {}) as PodTemplate;
    const labels = { ...(tpl.metadata?.labels ?? {}), 'security.istio.io/tlsMode': 'istio', 'service.istio.io/canonical-name': o.metadata.name };
    out.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `${o.metadata.name}-0`, namespace: o.metadata.namespace ?? 'default', labels, annotations: { 'sidecar.istio.io/status': JSON.stringify({ containers: ['istio-proxy'], initContainers: ['istio-init'], volumes: [], imagePullSecrets: null, revision: 'default' }) } },
      spec: { ...(tpl.spec ?? {}), containers: [...(tpl.spec?.containers ?? []), { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.31.0' }] },
      status: { phase: 'Running', podIP: '10.244.0.1' },
    } as KubeObject);
  }
  return out;
}
