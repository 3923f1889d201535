// The few Kubernetes API calls the metrics API needs, as raw JSON requests with
// the KubeConfig's credentials: label-selector filtering of lists, TrafficSplit
// lookups, SubjectAccessReviews and the front-proxy ConfigMap.

import { request, type RequestOptions } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { KubeCredentials } from '../kube/credentials.js';
import { errorText, fail, ok, type Result } from './errors.js';
import type { KindInfo } from './kinds.js';
import type { SplitRef } from './traffic-metrics.js';

export interface UserInfo {
  username: string;
  groups: string[];
  extra: Record<string, string[]>;
}

export interface AccessRequest {
  verb: 'get' | 'list';
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export interface KubeAccess {
  /** Names of the objects of `kind` matching a label selector (namespace undefined = all). */
  selectNames(kind: KindInfo, namespace: string | undefined, labelSelector: string): Promise<Result<Set<string>>>;
  getTrafficSplit(namespace: string, name: string): Promise<Result<SplitRef>>;
  listTrafficSplits(namespace: string, labelSelector?: string): Promise<Result<SplitRef[]>>;
  /** SubjectAccessReview for metrics.smi-spec.io. */
  authorize(user: UserInfo, req: AccessRequest): Promise<Result<{ allowed: boolean; reason: string }>>;
  getConfigMap(namespace: string, name: string): Promise<Result<Record<string, string>>>;
}

interface Raw {
  status: number;
  body: unknown;
}

async function call(kc: KubeCredentials, method: 'GET' | 'POST', path: string, body?: unknown, timeoutMs = 10_000): Promise<Result<Raw>> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) return fail('InternalError', 'kubeconfig has no current cluster');
  const url = new URL(path, cluster.server);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const opts: RequestOptions = {
    method,
    headers: { Accept: 'application/json', ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}) },
    timeout: timeoutMs,
  };
  await kc.applyToHTTPSOptions(opts);
  return new Promise((resolve) => {
    const send = url.protocol === 'http:' ? httpRequest : request;
    const req = send(url, opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // keep text
        }
        resolve(ok({ status: res.statusCode ?? 0, body: parsed }));
      });
      res.on('error', (err) => resolve(fail('ServiceUnavailable', `${method} ${path}: ${errorText(err)}`)));
    });
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', (err) => resolve(fail('ServiceUnavailable', `kubernetes API ${method} ${path}: ${errorText(err)}`)));
    if (payload) req.write(payload);
    req.end();
  });
}

function expect2xx(what: string, r: Result<Raw>): Result<Raw> {
  if (!r.ok) return r;
  if (r.value.status >= 200 && r.value.status < 300) return r;
  const msg = (r.value.body as { message?: string } | undefined)?.message ?? JSON.stringify(r.value.body);
  if (r.value.status === 404) return fail('NotFound', `${what}: ${msg}`);
  if (r.value.status === 403) return fail('Forbidden', `${what}: ${msg}`);
  return fail('InternalError', `${what}: HTTP ${r.value.status}: ${msg}`);
}

const API_PATHS: Record<string, string> = {
  namespaces: '/api/v1',
  pods: '/api/v1',
  services: '/api/v1',
  deployments: '/apis/apps/v1',
  statefulsets: '/apis/apps/v1',
  daemonsets: '/apis/apps/v1',
  trafficsplits: '/apis/split.smi-spec.io/v1alpha4',
};

function collectionPath(plural: string, namespace: string | undefined): string {
  const base = API_PATHS[plural] ?? '/api/v1';
  return plural === 'namespaces' || namespace === undefined ? `${base}/${plural}` : `${base}/namespaces/${encodeURIComponent(namespace)}/${plural}`;
}

interface SplitObject {
  metadata?: { name?: string; namespace?: string };
  spec?: { service?: string; backends?: Array<{ service?: string; weight?: number }> };
}

const toSplit = (o: SplitObject): SplitRef => ({
  namespace: o.metadata?.namespace ?? '',
  name: o.metadata?.name ?? '',
  apex: o.spec?.service ?? '',
  backends: (o.spec?.backends ?? []).map((b) => ({ service: b.service ?? '', weight: b.weight ?? 0 })),
});

/** `kc`: the project's credentials loader or a client-node KubeConfig (same shape). */
export function kubeAccess(kc: KubeCredentials): KubeAccess {
  return {
    async selectNames(kind, namespace, labelSelector) {
      const path = `${collectionPath(kind.plural, namespace)}?labelSelector=${encodeURIComponent(labelSelector)}`;
      const r = expect2xx(`list ${kind.plural}`, await call(kc, 'GET', path));
      if (!r.ok) return r;
      const items = (r.value.body as { items?: Array<{ metadata?: { name?: string } }> }).items ?? [];
      return ok(new Set(items.map((i) => i.metadata?.name ?? '')));
    },
    async getTrafficSplit(namespace, name) {
      const r = expect2xx(`trafficsplit ${namespace}/${name}`, await call(kc, 'GET', `${collectionPath('trafficsplits', namespace)}/${encodeURIComponent(name)}`));
      if (!r.ok) return r;
      return ok(toSplit(r.value.body as SplitObject));
    },
    async listTrafficSplits(namespace, labelSelector) {
      const q = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
      const r = expect2xx(`list trafficsplits in ${namespace}`, await call(kc, 'GET', `${collectionPath('trafficsplits', namespace)}${q}`));
      if (!r.ok) return r;
      return ok(((r.value.body as { items?: SplitObject[] }).items ?? []).map(toSplit));
    },
    async authorize(user, a) {
      const review = {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: {
          user: user.username,
          groups: user.groups,
          extra: user.extra,
          resourceAttributes: {
            group: 'metrics.smi-spec.io',
            version: 'v1alpha1',
            resource: a.resource,
            ...(a.subresource ? { subresource: a.subresource } : {}),
            verb: a.verb,
            ...(a.namespace ? { namespace: a.namespace } : {}),
            ...(a.name ? { name: a.name } : {}),
          },
        },
      };
      const r = expect2xx('subjectaccessreview', await call(kc, 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', review));
      if (!r.ok) return fail('InternalError', `authorization check failed: ${r.error.message}`);
      const status = (r.value.body as { status?: { allowed?: boolean; reason?: string } }).status ?? {};
      return ok({ allowed: status.allowed === true, reason: status.reason ?? '' });
    },
    async getConfigMap(namespace, name) {
      const r = expect2xx(`configmap ${namespace}/${name}`, await call(kc, 'GET', `/api/v1/namespaces/${namespace}/configmaps/${name}`));
      if (!r.ok) return r;
      return ok((r.value.body as { data?: Record<string, string> }).data ?? {});
    },
  };
}
