// Helpers for the operator's integration tests: raw REST against the shared
// real API server, bounded polling, and object builders for a small app.

import { allNativeKinds } from '../../../adapters/index.js';
import { HttpKubeClient } from '../../../kube/client.js';
import { restMapper } from '../../../kube/rest-mapper.js';
import { until } from '../../../dev/world/kube.js';
import type { KubeObject } from '../../../schemas/hub.js';
import { sharedCluster, type TestCluster } from '../../support/cluster.js';
import { createTestNamespace } from '../../support/cluster.js';
import { startOperator, type OperatorOptions, type RunningOperator } from '../../../operator/manager.js';
import { silentLogger } from '../../../log/log.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../../../adapters/types.js';
import { isSmiKind } from '../../../operator/controller/kinds.js';

const mapper = restMapper(allNativeKinds());

export const VS = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService' };
export const AP = { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy' };

export class TestKube {
  readonly client: HttpKubeClient;
  constructor(readonly cluster: TestCluster = sharedCluster()) {
    this.client = new HttpKubeClient(cluster.kubeConfig);
  }

  path(apiVersion: string, kind: string, ns?: string, name?: string, sub?: string): string {
    return mapper.path({ apiVersion, kind, metadata: { namespace: ns, name } }, sub);
  }

  async apply(o: KubeObject, manager = 'test-user'): Promise<KubeObject> {
    const r = await this.client.request<KubeObject>('PATCH', this.path(o.apiVersion, o.kind, o.metadata.namespace, o.metadata.name), {
      query: { fieldManager: manager, force: true },
      body: o,
      contentType: 'application/apply-patch+yaml',
    });
    if (!r.ok) throw new Error(`apply ${o.kind} ${o.metadata.name}: ${r.error.status} ${r.error.message}`);
    return r.body;
  }

  async mergePatch(apiVersion: string, kind: string, ns: string, name: string, patch: unknown): Promise<KubeObject> {
    const r = await this.client.request<KubeObject>('PATCH', this.path(apiVersion, kind, ns, name), { body: patch, contentType: 'application/merge-patch+json' });
    if (!r.ok) throw new Error(`patch ${kind} ${name}: ${r.error.message}`);
    return r.body;
  }

  async get(apiVersion: string, kind: string, ns: string, name: string): Promise<KubeObject | undefined> {
    const r = await this.client.request<KubeObject>('GET', this.path(apiVersion, kind, ns, name));
    if (r.ok) return r.body;
    if (r.error.status === 404) return undefined;
    throw new Error(`get ${kind} ${name}: ${r.error.message}`);
  }

  async list(apiVersion: string, kind: string, ns: string, labelSelector?: string): Promise<KubeObject[]> {
    const r = await this.client.request<{ items: KubeObject[] }>('GET', this.path(apiVersion, kind, ns), { query: { labelSelector } });
    if (!r.ok) throw new Error(`list ${kind}: ${r.error.message}`);
    return r.body.items;
  }

  async delete(apiVersion: string, kind: string, ns: string, name: string): Promise<void> {
    const r = await this.client.request('DELETE', this.path(apiVersion, kind, ns, name));
    if (!r.ok && r.error.status !== 404) throw new Error(`delete ${kind} ${name}: ${r.error.message}`);
  }
}

/** Poll until fn returns a value (not undefined/false) or the deadline passes; the last error is in the failure. */
export const eventually = <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000, everyMs = 200): Promise<T> => until(what, fn, timeoutMs, everyMs);

/**
 * Waits until the operator has caught up with the API server, a fact rather than a pause: its queue is idle, and its
 * cache holds every object it writes in `ns` (SMI objects, managed native objects) at the server's current
 * resourceVersion, with nothing cached that the server no longer has. The watch echo of each of its own writes has
 * then arrived and been handled, so any follow-up write (a fight) would already be counted or queued.
 */
export async function settled(op: RunningOperator, k: TestKube, ns: string, timeoutMs = 30_000): Promise<void> {
  const managed = (o: KubeObject): boolean => o.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
  await eventually(
    'the operator caught up with the API server',
    async () => {
      await op.idle();
      for (const key of op.cache.keys()) {
        const inf = op.cache.informer(key)!;
        const { apiVersion, kind } = inf.kind;
        let server: KubeObject[];
        try {
          server = await k.list(apiVersion, kind, ns);
        } catch {
          continue; // kind not served here (a mesh CRD that is not installed)
        }
        const onServer = new Map(server.map((o) => [o.metadata.name, o.metadata.resourceVersion]));
        const cached = inf.list().filter((o) => o.metadata.namespace === ns);
        if (cached.some((o) => onServer.get(o.metadata.name) !== o.metadata.resourceVersion)) return false;
        // The watches of users' own routing objects leave ours out (they are cached under the native kind).
        const written = key.startsWith('user:') ? [] : server.filter((o) => isSmiKind(kind) || managed(o));
        if (written.some((o) => inf.get(ns, o.metadata.name)?.metadata.resourceVersion !== o.metadata.resourceVersion)) return false;
      }
      await op.idle();
      return true;
    },
    timeoutMs,
    100,
  );
}

export async function newNamespace(prefix: string): Promise<string> {
  return createTestNamespace(sharedCluster(), prefix);
}

/** An operator scoped to one test namespace (its ConfigMap and Lease live there too). */
export function runOperator(ns: string, extra: Partial<OperatorOptions> = {}): Promise<RunningOperator> {
  return startOperator({
    kubeConfig: sharedCluster().kubeConfig,
    namespace: ns,
    watchNamespace: ns,
    logger: process.env.SMI_TEST_VERBOSE ? undefined : silentLogger(),
    concurrency: 4,
    countReconciles: true,
    ...extra,
  });
}

// ---- builders ----

export function service(ns: string, name: string, selector: Record<string, string>, port = 80, protocol = 'http'): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector, ports: [{ name: protocol, port, targetPort: 8080, appProtocol: protocol }] } };
}

export function serviceAccount(ns: string, name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns } };
}

export function deployment(ns: string, name: string, sa: string, labels: Record<string, string>): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { serviceAccountName: sa, containers: [{ name: 'app', image: 'example/app:1' }] } },
    },
  };
}

export function trafficSplit(ns: string, name: string, root: string, backends: Array<[string, number]>, matches?: string[]): KubeObject {
  const spec: Record<string, unknown> = { service: root, backends: backends.map(([service, weight]) => ({ service, weight })) };
  if (matches) spec.matches = matches.map((m) => ({ kind: 'HTTPRouteGroup', name: m }));
  return { apiVersion: 'split.smi-spec.io/v1alpha4', kind: 'TrafficSplit', metadata: { name, namespace: ns }, spec };
}

export function routeGroup(ns: string, name: string, matches: Array<{ name: string; pathRegex?: string; methods?: string[]; headers?: Record<string, string> }>): KubeObject {
  return { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'HTTPRouteGroup', metadata: { name, namespace: ns }, spec: { matches } };
}

export function tcpRoute(ns: string, name: string, ports?: number[]): KubeObject {
  return { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'TCPRoute', metadata: { name, namespace: ns }, spec: ports ? { matches: { ports } } : {} };
}

export function trafficTarget(ns: string, name: string, dest: string, sources: string[], rules: Array<{ kind: string; name: string; matches?: string[] }>): KubeObject {
  return {
    apiVersion: 'access.smi-spec.io/v1alpha3',
    kind: 'TrafficTarget',
    metadata: { name, namespace: ns },
    spec: {
      destination: { kind: 'ServiceAccount', name: dest, namespace: ns },
      sources: sources.map((s) => ({ kind: 'ServiceAccount', name: s, namespace: ns })),
      rules,
    },
  };
}

/** The basic app: web (root) with web-v1/web-v2 backends, api destination, client source. */
export async function applyApp(k: TestKube, ns: string): Promise<void> {
  for (const o of [
    serviceAccount(ns, 'web'),
    serviceAccount(ns, 'api'),
    serviceAccount(ns, 'client'),
    service(ns, 'web', { app: 'web' }),
    service(ns, 'web-v1', { app: 'web', version: 'v1' }),
    service(ns, 'web-v2', { app: 'web', version: 'v2' }),
    service(ns, 'api', { app: 'api' }),
    deployment(ns, 'web-v1', 'web', { app: 'web', version: 'v1' }),
    deployment(ns, 'web-v2', 'web', { app: 'web', version: 'v2' }),
    deployment(ns, 'api', 'api', { app: 'api' }),
    deployment(ns, 'client', 'client', { app: 'client' }),
  ]) {
    await k.apply(o);
  }
}

export interface Cond {
  type: string;
  status: string;
  reason: string;
  message: string;
  observedGeneration?: number;
  lastTransitionTime: string;
}

export function condition(o: KubeObject | undefined, type: string): Cond | undefined {
  return ((o as { status?: { conditions?: Cond[] } } | undefined)?.status?.conditions ?? []).find((c) => c.type === type);
}
