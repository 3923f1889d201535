// `smictl uninstall`: removes what config/default installs. Deleting the SMI CRDs
// deletes every SMI object, and with them (owner references) the native objects
// generated from them: the mesh stops enforcing the generated access policies,
// re-opening traffic they denied. Without --keep-native this deletes the native
// objects explicitly; with it they are first detached (no owner references, none
// of our labels) and stay.

import type { KubeClient } from '../../kube/client.js';
import { resourcePath } from '../../kube/client.js';
import { BUILTIN_KINDS, kindPath } from '../../kube/rest-mapper.js';
import { getAdapter } from '../../adapters/index.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, MESH_LABEL, MESH_NAMES, SOURCE_LABEL, SOURCES_ANNOTATION } from '../../adapters/types.js';
import type { KubeObject } from '../../schemas/hub.js';
import { crdName } from '../../schemas/crd.js';
import { KIND_TABLE } from '../../schemas/versions.js';
import { HASH_ANNOTATION, UNIT_ANNOTATION, UNIT_LABEL } from '../../operator/controller/labels.js';
import { METRICS_APISERVICE, OPERATOR_DEPLOYMENT, PART_OF_LABEL, VALIDATING_WEBHOOK } from '../check/names.js';

/** Where a detached object came from, for a later manual clean-up. */
export const KEPT_FROM_ANNOTATION = 'smi-operator.io/kept-from';

export interface NativeRef { apiVersion: string; kind: string; plural: string; namespace?: string; name: string; owned: boolean; sources?: string }

interface Target { path: string; what: string }

/** Cluster-scoped objects of config/default (and the OLM bundle) that are not in the operator namespace. */
function clusterTargets(client: KubeClient): Promise<Target[]> {
  const fixed: Target[] = [
    { path: kindPath(BUILTIN_KINDS.ValidatingWebhookConfiguration, undefined, VALIDATING_WEBHOOK), what: `ValidatingWebhookConfiguration ${VALIDATING_WEBHOOK}` },
    { path: kindPath(BUILTIN_KINDS.APIService, undefined, METRICS_APISERVICE), what: `APIService ${METRICS_APISERVICE}` },
    ...['smi-metrics-reader', 'smi-traffic-metrics-view'].map((n) => ({ path: kindPath(BUILTIN_KINDS.ClusterRole, undefined, n), what: `ClusterRole ${n}` })),
    ...['smi-metrics-reader', 'smi-metrics:system:auth-delegator'].map((n) => ({ path: kindPath(BUILTIN_KINDS.ClusterRoleBinding, undefined, n), what: `ClusterRoleBinding ${n}` })),
    { path: kindPath(BUILTIN_KINDS.RoleBinding, 'kube-system', 'smi-metrics:extension-apiserver-authentication-reader'), what: 'RoleBinding kube-system/smi-metrics:extension-apiserver-authentication-reader' },
  ];
  return (async () => {
    const labelled: Target[] = [];
    for (const k of [BUILTIN_KINDS.ClusterRole, BUILTIN_KINDS.ClusterRoleBinding]) {
      const r = await client.request<{ items: KubeObject[] }>('GET', kindPath(k), { query: { labelSelector: `${PART_OF_LABEL}=smi-operator` } });
      if (r.ok) for (const o of r.body.items) labelled.push({ path: kindPath(k, undefined, o.metadata.name), what: `${k.kind} ${o.metadata.name}` });
    }
    return [...fixed, ...labelled];
  })();
}

/**
 * Every native object the operator manages, in every mesh whose CRDs are installed, and the kinds
 * that could not be listed (anything but 404: a kind whose CRD is absent has no objects). An
 * unlisted kind may hold generated policies: counting it as empty would under-warn, and with
 * --keep-native leave them attached, to be deleted with the CRDs.
 */
export async function managedNative(client: KubeClient): Promise<{ natives: NativeRef[]; unlisted: string[] }> {
  const natives: NativeRef[] = [];
  const unlisted: string[] = [];
  const seen = new Set<string>();
  for (const m of MESH_NAMES) {
    for (const k of getAdapter(m).nativeKinds) {
      if (seen.has(`${k.apiVersion}|${k.kind}`)) continue;
      seen.add(`${k.apiVersion}|${k.kind}`);
      const r = await client.request<{ items: KubeObject[] }>('GET', resourcePath(k.apiVersion, k.plural), { query: { labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}` } });
      if (!r.ok) {
        if (r.error.status !== 404) unlisted.push(`${k.plural}.${k.apiVersion.split('/')[0]} (${r.error.status ? `${r.error.status} ` : ''}${r.error.message})`);
        continue;
      }
      for (const o of r.body.items) {
        natives.push({ apiVersion: k.apiVersion, kind: k.kind, plural: k.plural, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}), name: o.metadata.name, owned: !!o.metadata.ownerReferences?.length, ...(o.metadata.annotations?.[SOURCES_ANNOTATION] ? { sources: o.metadata.annotations[SOURCES_ANNOTATION] } : {}) });
      }
    }
  }
  return { natives, unlisted };
}

/** The merge patch that detaches a native object: no owners, none of our labels or annotations. */
export function detachPatch(n: NativeRef): Record<string, unknown> {
  return {
    metadata: {
      ownerReferences: null,
      labels: { [MANAGED_BY_LABEL]: null, [SOURCE_LABEL]: null, [MESH_LABEL]: null, [UNIT_LABEL]: null },
      annotations: { [SOURCES_ANNOTATION]: null, [UNIT_ANNOTATION]: null, [HASH_ANNOTATION]: null, [KEPT_FROM_ANNOTATION]: n.sources ?? `${n.kind}/${n.namespace ?? ''}/${n.name}` },
    },
  };
}

export function warning(natives: NativeRef[], keepNative: boolean, unlisted: string[] = []): string {
  const owned = natives.filter((n) => n.owned);
  const byKind = new Map<string, number>();
  for (const n of owned) byKind.set(n.kind, (byKind.get(n.kind) ?? 0) + 1);
  const kinds = [...byKind].map(([k, c]) => `${c} ${k}`).join(', ');
  const incomplete = unlisted.length ? [`  Could not list ${unlisted.join(', ')}: there may be more; run as a user who can list them.`] : [];
  if (keepNative) {
    return [`--keep-native: ${natives.length} generated native object(s) are detached first (owner references and smi-operator labels removed) and stay in force; the mesh keeps enforcing them. Delete them yourself later: they carry the annotation ${KEPT_FROM_ANNOTATION}.`, ...incomplete].join('\n');
  }
  return [
    'WARNING: deleting the SMI CRDs deletes every SMI object, and with them (owner references) every native object the operator generated',
    `  ${owned.length ? `(${kinds}).` : '(none found now).'} Access that generated policies denied is allowed again as soon as they are gone.`,
    ...incomplete,
    '  To keep the mesh enforcing them, run: smictl uninstall --keep-native --yes',
  ].join('\n');
}

export interface UninstallOptions { namespace: string; keepNative: boolean; say: (s: string) => void }

/** Runs the uninstall. Errors are collected, never thrown: the remaining steps still run. */
export async function uninstall(client: KubeClient, o: UninstallOptions): Promise<{ errors: string[] }> {
  const errors: string[] = [];
  const del = async (path: string, what: string, query: Record<string, string> = {}): Promise<void> => {
    const r = await client.request('DELETE', path, { query });
    if (r.ok) o.say(`deleted ${what}`);
    else if (r.error.status !== 404) errors.push(`delete ${what}: ${r.error.message}`);
  };
  // 0. --keep-native promises that every generated object stays: refuse before changing anything if some kind cannot be listed.
  if (o.keepNative) {
    const { unlisted } = await managedNative(client);
    if (unlisted.length) return { errors: [...unlisted.map((u) => `cannot list ${u}, so its generated objects cannot be detached`), 'nothing changed: run as a user who can list and patch them'] };
  }
  // 1. Stop the operator first, so it does not re-label or re-create what is detached or deleted.
  await del(kindPath(BUILTIN_KINDS.Deployment, o.namespace, OPERATOR_DEPLOYMENT), `Deployment ${o.namespace}/${OPERATOR_DEPLOYMENT}`, { propagationPolicy: 'Foreground' });
  await del(kindPath(BUILTIN_KINDS.Deployment, o.namespace, 'smi-metrics'), `Deployment ${o.namespace}/smi-metrics`);
  await del(kindPath(BUILTIN_KINDS.ValidatingWebhookConfiguration, undefined, VALIDATING_WEBHOOK), `ValidatingWebhookConfiguration ${VALIDATING_WEBHOOK}`);
  // 2. Detach the native objects.
  if (o.keepNative) {
    const { natives, unlisted } = await managedNative(client);
    // Objects of a kind that cannot be listed cannot be detached: they would go with the CRDs.
    for (const u of unlisted) errors.push(`cannot list ${u}, so its generated objects cannot be detached`);
    for (const n of natives) {
      const r = await client.request('PATCH', resourcePath(n.apiVersion, n.plural, n.namespace, n.name), { body: detachPatch(n), contentType: 'application/merge-patch+json' });
      if (r.ok) o.say(`kept ${n.kind} ${n.namespace ?? ''}/${n.name} (detached)`);
      else errors.push(`detach ${n.kind} ${n.namespace ?? ''}/${n.name}: ${r.error.message}`);
    }
    if (errors.length) {
      // Deleting the CRDs now would delete what could not be detached: stop here.
      errors.push('stopped before deleting the CRDs; fix the errors above and run again');
      return { errors };
    }
  } else {
    // Deleted here, not left to the garbage collector: once the CRDs are gone it can no longer
    // resolve the owners' kind and may keep the dependents, half-removed, for ever.
    for (const n of (await managedNative(client)).natives) {
      await del(resourcePath(n.apiVersion, n.plural, n.namespace, n.name), `${n.kind} ${n.namespace ?? ''}/${n.name}`);
    }
  }
  // 3. The CRDs (and with them every SMI object), then everything cluster-scoped, then the namespace.
  for (const info of KIND_TABLE) await del(kindPath(BUILTIN_KINDS.CustomResourceDefinition, undefined, crdName(info)), `CustomResourceDefinition ${crdName(info)}`);
  for (const t of await clusterTargets(client)) await del(t.path, t.what);
  await del(kindPath(BUILTIN_KINDS.Namespace, undefined, o.namespace), `Namespace ${o.namespace}`);
  return { errors };
}
