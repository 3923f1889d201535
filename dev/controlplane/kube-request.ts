// Raw requests to the API server with a KubeConfig's credentials. Needed where
// client-node's typed serializer would rewrite the body (it drops CRD schema keys
// such as x-kubernetes-int-or-string) or hide the exact status code.

import { request, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export interface KubeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** Default application/json; e.g. application/apply-patch+yaml for server-side apply. */
  contentType?: string;
  /** Default application/json; e.g. the Table form `application/json;as=Table;g=meta.k8s.io;v=v1`. */
  accept?: string;
  timeoutMs?: number;
}

export interface KubeResponse {
  status: number;
  body: unknown;
  text: string;
}

export async function kubeRequest(kc: KubeConfig, r: KubeRequest): Promise<KubeResponse> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubeRequest: kubeconfig has no current cluster');
  const url = new URL(r.path, cluster.server);
  for (const [k, v] of Object.entries(r.query ?? {})) url.searchParams.set(k, v);
  const payload = r.body === undefined ? undefined : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  const opts: RequestOptions = {
    method: r.method,
    headers: {
      Accept: r.accept ?? 'application/json',
      ...(payload !== undefined ? { 'Content-Type': r.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}),
    },
    timeout: r.timeoutMs ?? 30_000,
  };
  await kc.applyToHTTPSOptions(opts);
  return new Promise((resolve, reject) => {
    const req = request(url, opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON (e.g. /readyz): keep the text
        }
        resolve({ status: res.statusCode ?? 0, body, text });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${r.method} ${url.pathname}: timed out`)));
    req.on('error', (err) => reject(new Error(`${r.method} ${url.pathname}: ${err.message}`)));
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** Server-side apply of any object; returns the raw response (status 200/201 on success, 409 on conflict). */
export function serverSideApply(
  kc: KubeConfig,
  path: string,
  obj: object,
  fieldManager: string,
  force = false,
): Promise<KubeResponse> {
  const query: Record<string, string> = { fieldManager };
  if (force) query.force = 'true';
  return kubeRequest(kc, { method: 'PATCH', path, query, body: obj, contentType: 'application/apply-patch+yaml' });
}
