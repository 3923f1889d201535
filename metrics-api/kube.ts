// The few Kubernetes API calls the metrics API needs, over the one REST client
// (kube/client.ts): label-selector filtering of lists, TrafficSplit lookups,
// SubjectAccessReviews and the front-proxy ConfigMap.

import type { KubeClient, RequestOptions } from '../kube/client.js';
import { restMapper } from '../kube/rest-mapper.js';
import { fail, ok, type Result } from './errors.js';
import { kindByPlural, type KindInfo } from './kinds.js';
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

const TIMEOUT_MS = 10_000;
const mapper = restMapper();

/** The client's failure as a metrics API error: unreachable is 503, the API server's 403/404 pass through. */
async function call<T>(client: KubeClient, what: string, method: 'GET' | 'POST', path: string, opts: RequestOptions = {}): Promise<Result<T>> {
  const r = await client.request<T>(method, path, { timeoutMs: TIMEOUT_MS, ...opts });
  if (r.ok) return ok(r.body);
  const { status, message } = r.error;
  if (status === 0) return fail('ServiceUnavailable', `kubernetes API ${method} ${path}: ${message}`);
  if (status === 404) return fail('NotFound', `${what}: ${message}`);
  if (status === 403) return fail('Forbidden', `${what}: ${message}`);
  return fail('InternalError', `${what}: HTTP ${status}: ${message}`);
}

const collection = (kind: KindInfo, namespace: string | undefined, name?: string): string =>
  mapper.path({ apiVersion: kind.apiVersion, kind: kind.kind, metadata: { ...(namespace !== undefined ? { namespace } : {}), ...(name !== undefined ? { name } : {}) } });
const TRAFFIC_SPLIT = kindByPlural('trafficsplits')!;

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

export function kubeAccess(client: KubeClient): KubeAccess {
  return {
    async selectNames(kind, namespace, labelSelector) {
      const r = await call<{ items?: Array<{ metadata?: { name?: string } }> }>(client, `list ${kind.plural}`, 'GET', collection(kind, namespace), { query: { labelSelector } });
      if (!r.ok) return r;
      return ok(new Set((r.value.items ?? []).map((i) => i.metadata?.name ?? '')));
    },
    async getTrafficSplit(namespace, name) {
      const r = await call<SplitObject>(client, `trafficsplit ${namespace}/${name}`, 'GET', collection(TRAFFIC_SPLIT, namespace, name));
      if (!r.ok) return r;
      return ok(toSplit(r.value));
    },
    async listTrafficSplits(namespace, labelSelector) {
      const r = await call<{ items?: SplitObject[] }>(client, `list trafficsplits in ${namespace}`, 'GET', collection(TRAFFIC_SPLIT, namespace), { query: { labelSelector } });
      if (!r.ok) return r;
      return ok((r.value.items ?? []).map(toSplit));
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
      const r = await call<{ status?: { allowed?: boolean; reason?: string } }>(client, 'subjectaccessreview', 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', { body: review });
      if (!r.ok) return fail('InternalError', `authorization check failed: ${r.error.message}`);
      const status = r.value.status ?? {};
      return ok({ allowed: status.allowed === true, reason: status.reason ?? '' });
    },
    async getConfigMap(namespace, name) {
      const r = await call<{ data?: Record<string, string> }>(client, `configmap ${namespace}/${name}`, 'GET', mapper.path({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace, name } }));
      if (!r.ok) return r;
      return ok(r.value.data ?? {});
    },
  };
}
