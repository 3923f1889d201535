// The benchmark's own client side: server-side apply of any object with a
// bounded number of requests in flight, list/count, and small timing helpers.
// Uses the operator's raw HTTPS client so B0 and B2 share one client stack.

import { allNativeKinds } from '../../adapters/index.js';
import { HttpKubeClient } from '../../kube/client.js';
import { restMapper } from '../../kube/rest-mapper.js';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '../../schemas/hub.js';

const mapper = restMapper(allNativeKinds());

export const pathOf = (o: { apiVersion: string; kind: string; metadata: { namespace?: string; name?: string } }, sub?: string): string => mapper.path(o, sub);

export const now = (): number => performance.now();
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Runs fn over items with at most `concurrency` in flight; rejects on the first failure. */
export async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

export class BenchKube {
  readonly client: HttpKubeClient;
  constructor(readonly kubeConfig: KubeConfig) {
    this.client = new HttpKubeClient(kubeConfig);
  }

  /** Server-side apply; 429/5xx/network errors are retried (the API server sheds load that way). */
  async apply(o: KubeObject, manager = 'smi-bench'): Promise<KubeObject> {
    for (let attempt = 0; ; attempt++) {
      const r = await this.client.request<KubeObject>('PATCH', pathOf(o), { query: { fieldManager: manager, force: true }, body: o, contentType: 'application/apply-patch+yaml' });
      if (r.ok) return r.body;
      const retriable = r.error.status === 429 || r.error.status >= 500 || r.error.status === 0;
      if (!retriable || attempt >= 20) throw new Error(`apply ${o.kind} ${o.metadata.namespace}/${o.metadata.name}: ${r.error.status} ${r.error.message}`);
      await sleep(Math.min(50 * 2 ** attempt, 2000));
    }
  }

  async applyAll(objs: readonly KubeObject[], concurrency: number, manager = 'smi-bench'): Promise<void> {
    await pool(objs, concurrency, async (o) => void (await this.apply(o, manager)));
  }

  async createNamespace(prefix: string): Promise<string> {
    const r = await this.client.request<KubeObject>('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { generateName: `${prefix}-` } } });
    if (!r.ok) throw new Error(`create namespace: ${r.error.message}`);
    return r.body.metadata.name;
  }

  async list(apiVersion: string, kind: string, ns: string, labelSelector?: string): Promise<KubeObject[]> {
    const r = await this.client.request<{ items: KubeObject[] }>('GET', pathOf({ apiVersion, kind, metadata: { namespace: ns } }), { query: { labelSelector }, timeoutMs: 120_000 });
    if (!r.ok) throw new Error(`list ${kind}: ${r.error.message}`);
    return r.body.items;
  }

  async get(apiVersion: string, kind: string, ns: string, name: string): Promise<KubeObject | undefined> {
    const r = await this.client.request<KubeObject>('GET', pathOf({ apiVersion, kind, metadata: { namespace: ns, name } }));
    if (r.ok) return r.body;
    if (r.error.status === 404) return undefined;
    throw new Error(`get ${kind} ${name}: ${r.error.message}`);
  }

  async delete(apiVersion: string, kind: string, ns: string, name: string): Promise<void> {
    const r = await this.client.request('DELETE', pathOf({ apiVersion, kind, metadata: { namespace: ns, name } }));
    if (!r.ok && r.error.status !== 404) throw new Error(`delete ${kind} ${name}: ${r.error.message}`);
  }

  /** The API server's Prometheus text (admin credentials). */
  async metricsText(): Promise<string> {
    const r = await this.client.request<string>('GET', '/metrics', { timeoutMs: 60_000 });
    if (!r.ok) throw new Error(`GET /metrics: ${r.error.message}`);
    return typeof r.body === 'string' ? r.body : String(r.body);
  }
}

/** Polls until fn returns a value other than undefined/false, or throws after the deadline. */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(everyMs);
  }
}
