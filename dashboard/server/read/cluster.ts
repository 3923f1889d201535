// Everything the dashboard reads from the API server, with the user's own
// credentials (so RBAC applies): SMI objects, the translation inputs, the native
// objects of the active mesh and the adapter ConfigMap. A failed list becomes an
// alert and an empty list; the rest of the page still renders.

import { getAdapter } from '../../../adapters/index.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, type MeshName } from '../../../adapters/types.js';
import { resourcePath, type KubeClient, type KubeStatusError } from '../../../kube/client.js';
import { SMI_KINDS, type KubeObject } from '../../../schemas/hub.js';
import { apiAlert } from '../alerts.js';
import type { Alert } from '../model/types.js';
import { BUILTIN_KINDS, kindPath, smiResourceKind } from '../../../kube/rest-mapper.js';

export interface ClusterRead {
  /** Every namespace the user can see (or, without list permission, the ones seen in objects). */
  namespaces: string[];
  smi: KubeObject[];
  services: KubeObject[];
  serviceAccounts: KubeObject[];
  workloads: KubeObject[];
  natives: KubeObject[];
  user?: string;
  /** The API server could not be reached at all: nothing else is worth showing. */
  unreachable: boolean;
  alerts: Alert[];
}

export interface ReadOptions {
  server: string;
  /** Namespace filter; undefined = all namespaces. */
  namespace?: string;
}

export type ConfigMapRead = { data?: Record<string, string>; error?: KubeStatusError };

const WORKLOADS = [BUILTIN_KINDS.Deployment, BUILTIN_KINDS.StatefulSet, BUILTIN_KINDS.DaemonSet];

/** List items carry no apiVersion/kind; put them back so YAML and joins are complete. */
const withKind = (items: KubeObject[], apiVersion: string, kind: string): KubeObject[] => items.map((o) => ({ ...o, apiVersion, kind }));

/** The adapter ConfigMap (which mesh, which access mode). */
export async function readConfigMap(client: KubeClient, namespace: string, name: string): Promise<ConfigMapRead> {
  const r = await client.request<{ data?: Record<string, string> }>('GET', kindPath(BUILTIN_KINDS.ConfigMap, namespace, name), { timeoutMs: 10_000 });
  return r.ok ? { data: r.body.data ?? {} } : { error: r.error };
}

export async function readCluster(client: KubeClient, o: ReadOptions, mesh: MeshName): Promise<ClusterRead> {
  const alerts: Alert[] = [];
  const out: ClusterRead = { namespaces: [], smi: [], services: [], serviceAccounts: [], workloads: [], natives: [], unreachable: false, alerts };
  const scope = o.namespace ? ` in namespace ${o.namespace}` : ' in all namespaces';

  // First call doubles as the connectivity check.
  const nsList = await client.request<{ items: KubeObject[] }>('GET', kindPath(BUILTIN_KINDS.Namespace), { timeoutMs: 10_000 });
  if (!nsList.ok && (nsList.error.status === 0 || nsList.error.status === 401)) {
    alerts.push(apiAlert(o.server, 'list namespaces', nsList.error));
    out.unreachable = true;
    return out;
  }
  if (nsList.ok) out.namespaces = nsList.body.items.map((n) => n.metadata.name).sort();

  async function list(k: { apiVersion: string; kind: string; plural: string }, query: Record<string, string> = {}, quietNotFound = false): Promise<KubeObject[]> {
    const { apiVersion, kind, plural } = k;
    const r = await client.request<{ items: KubeObject[] }>('GET', resourcePath(apiVersion, plural, o.namespace), { query, timeoutMs: 15_000 });
    if (r.ok) return withKind(r.body.items ?? [], apiVersion, kind);
    // A mesh CRD that is not installed answers 404: nothing of that kind exists.
    if (!(quietNotFound && r.error.status === 404)) alerts.push(apiAlert(o.server, `list ${plural}.${apiVersion.includes('/') ? apiVersion.split('/')[0] : 'core'}${scope}`, r.error));
    return [];
  }

  const [smi, services, serviceAccounts, workloads] = await Promise.all([
    Promise.all(SMI_KINDS.map((k) => list(smiResourceKind(k)))).then((x) => x.flat()),
    list(BUILTIN_KINDS.Service),
    list(BUILTIN_KINDS.ServiceAccount),
    Promise.all(WORKLOADS.map((w) => list(w))).then((x) => x.flat()),
  ]);
  Object.assign(out, { smi, services, serviceAccounts, workloads });
  const selector = { labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}` };
  const natives = await Promise.all(getAdapter(mesh).nativeKinds.map((k) => list(k, selector, true)));
  out.natives = natives.flat();

  if (out.namespaces.length === 0) {
    // Without permission to list namespaces: the ones objects live in, and the filter itself.
    const seen = new Set([...smi, ...services, ...workloads].map((x) => x.metadata.namespace ?? ''));
    if (o.namespace) seen.add(o.namespace);
    seen.delete('');
    out.namespaces = [...seen].sort();
  }
  const who = await client.request<{ status?: { userInfo?: { username?: string } } }>('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    timeoutMs: 5_000,
  });
  if (who.ok && who.body.status?.userInfo?.username) out.user = who.body.status.userInfo.username;
  return out;
}
