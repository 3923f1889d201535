// Raw requests for tests and the harness, through the one REST client
// (kube/client.ts): the exact status and body of any response. Needed where
// client-node's typed serializer would rewrite the body (it drops CRD schema keys
// such as x-kubernetes-int-or-string) or hide the exact status code.

import { HttpKubeClient } from '../../kube/client.js';
import type { KubeCredentials } from '../../kube/credentials.js';

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
  /** The Warning headers' texts (admission webhook warnings, deprecations). */
  warnings: string[];
}

// One client per credentials object: each holds a keep-alive connection pool.
const clients = new WeakMap<KubeCredentials, HttpKubeClient>();

/** Any status resolves (tests assert on 4xx bodies); only a request that got no response rejects. */
export async function kubeRequest(kc: KubeCredentials, r: KubeRequest): Promise<KubeResponse> {
  let client = clients.get(kc);
  if (!client) clients.set(kc, (client = new HttpKubeClient(kc)));
  const res = await client.raw(r.method, r.path, { query: r.query, body: r.body, contentType: r.contentType, accept: r.accept, timeoutMs: r.timeoutMs });
  if (!res.ok) throw new Error(`${r.method} ${r.path}: ${res.error.message}`);
  let body: unknown = res.text;
  try {
    body = JSON.parse(res.text);
  } catch {
    // not JSON (e.g. /readyz): keep the text
  }
  return { status: res.status, body, text: res.text, warnings: res.warnings };
}

/** Server-side apply of any object; returns the raw response (status 200/201 on success, 409 on conflict). */
export function serverSideApply(
  kc: KubeCredentials,
  path: string,
  obj: object,
  fieldManager: string,
  force = false,
): Promise<KubeResponse> {
  const query: Record<string, string> = { fieldManager };
  if (force) query.force = 'true';
  return kubeRequest(kc, { method: 'PATCH', path, query, body: obj, contentType: 'application/apply-patch+yaml' });
}
