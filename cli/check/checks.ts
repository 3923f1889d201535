// `smictl check`: reads the cluster and says, check by check, whether the
// operator can work there and, when not, what fixes it. Reads only (the webhook
// probe is a server-side dry run, which stores nothing).

import { X509Certificate } from 'node:crypto';
import type { KubeClient } from '../../kube/client.js';
import { BUILTIN_KINDS, kindPath, smiResourceKind } from '../../kube/rest-mapper.js';
import { getAdapter } from '../../adapters/index.js';
import { isMeshName, meshNameProblem, type MeshName } from '../../adapters/types.js';
import { KIND_TABLE } from '../../schemas/versions.js';
import { crdName } from '../../schemas/crd.js';
import { CLIENT_VERSION } from '../version.js';
import { imageVersion } from '../server-version.js';
import type { CheckResult } from './report.js';
import {
  CONFIG_MAP, LEADER_LEASE, MESH_CONTROL_PLANE, METRICS_APISERVICE, OPERATOR_DEPLOYMENT, PART_OF_LABEL, VALIDATING_WEBHOOK,
} from './names.js';

export interface CheckOptions {
  namespace: string;
  /** --pre: before installing; otherwise the installation is checked. */
  pre: boolean;
  /** The mesh to check for with --pre (after install the adapter ConfigMap decides). */
  mesh?: MeshName;
  now?: () => number;
}

interface Condition { type: string; status: string; reason?: string; message?: string }
interface Obj {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  status?: { conditions?: Condition[]; readyReplicas?: number; replicas?: number; [k: string]: unknown };
  data?: Record<string, string>;
}

const MIN_KUBE_MINOR = 27;
const FIX_INSTALL = 'kubectl apply --server-side -k config/default   (or: operator-sdk run bundle …; see README "Install")';
const FIX_CRDS = 'kubectl apply --server-side -k config/crd   (the SMI CRDs; config/default installs them with the operator)';

const cond = (o: Obj | undefined, type: string): Condition | undefined => o?.status?.conditions?.find((c) => c.type === type);

/** A PEM/base64 caBundle: undefined when valid, else what is wrong. */
export function caBundleProblem(bundle: string | undefined, now: number): string | undefined {
  if (!bundle) return 'caBundle is empty (the CA was never injected)';
  let pem: string;
  try {
    pem = Buffer.from(bundle, 'base64').toString('utf8');
    const cert = new X509Certificate(pem);
    if (Date.parse(cert.validTo) < now) return `CA certificate expired ${cert.validTo}`;
    if (Date.parse(cert.validFrom) > now) return `CA certificate not valid before ${cert.validFrom}`;
    return undefined;
  } catch (e) {
    return `caBundle is not a PEM certificate: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** Lease freshness: the holder renewed within its duration (plus a little clock skew). */
export function leaseHolder(lease: Obj | undefined, now: number): { holder?: string; fresh: boolean; ageSeconds?: number } {
  const spec = (lease?.spec ?? {}) as { holderIdentity?: string; renewTime?: string; leaseDurationSeconds?: number };
  if (!spec.holderIdentity || !spec.renewTime) return { fresh: false };
  const age = (now - Date.parse(spec.renewTime)) / 1000;
  return { holder: spec.holderIdentity, fresh: age <= (spec.leaseDurationSeconds ?? 15) + 5, ageSeconds: Math.round(age) };
}

export async function runChecks(client: KubeClient, o: CheckOptions): Promise<CheckResult[]> {
  const now = (o.now ?? Date.now)();
  const out: CheckResult[] = [];
  const add = (r: CheckResult): void => void out.push(r);
  const get = async <T = Obj>(path: string): Promise<{ ok: true; body: T } | { ok: false; status: number; message: string }> => {
    const r = await client.request<T>('GET', path);
    return r.ok ? { ok: true, body: r.body } : { ok: false, status: r.error.status, message: r.error.message };
  };

  // ---- the API server ----
  let cat = 'kubernetes-api';
  const version = await get<{ gitVersion: string; major: string; minor: string }>('/version');
  if (!version.ok) {
    add({ category: cat, name: 'can reach the Kubernetes API', status: 'fail', message: version.message, fix: 'check --context / --kubeconfig (kubectl config current-context) and that the API server is up' });
    return out; // nothing else can be checked
  }
  add({ category: cat, name: 'can reach the Kubernetes API', status: 'ok' });
  const minor = Number.parseInt(version.body.minor, 10);
  add(minor >= MIN_KUBE_MINOR || Number.isNaN(minor)
    ? { category: cat, name: `is running Kubernetes ≥ 1.${MIN_KUBE_MINOR}`, status: 'ok', message: version.body.gitVersion }
    : { category: cat, name: `is running Kubernetes ≥ 1.${MIN_KUBE_MINOR}`, status: 'fail', message: `server is ${version.body.gitVersion}`, fix: `upgrade the cluster to 1.${MIN_KUBE_MINOR} or newer` });

  if (o.pre) {
    await preChecks(client, o, add, get);
    return out;
  }

  // ---- CRDs ----
  cat = 'smi-operator CRDs';
  for (const info of KIND_TABLE) {
    const name = crdName(info);
    const crd = await get<Obj & { spec: { versions: { name: string; served: boolean }[]; conversion?: { strategy: string; webhook?: { clientConfig?: { caBundle?: string } } } } }>(kindPath(BUILTIN_KINDS.CustomResourceDefinition, undefined, name));
    if (!crd.ok) {
      add({ category: cat, name: `${name} is installed`, status: 'fail', message: crd.status === 404 ? 'not found' : crd.message, fix: FIX_CRDS });
      continue;
    }
    const established = cond(crd.body, 'Established');
    const served = new Set(crd.body.spec.versions.filter((v) => v.served).map((v) => v.name));
    const missing = info.versions.filter((v) => !served.has(v));
    if (established?.status !== 'True') {
      add({ category: cat, name: `${name} is Established`, status: 'fail', message: established?.message ?? 'no Established condition', fix: `kubectl describe crd ${name}` });
    } else if (missing.length) {
      add({ category: cat, name: `${name} serves ${info.versions.join(', ')}`, status: 'fail', message: `not served: ${missing.join(', ')} (an older CRD from another installer?)`, fix: FIX_CRDS });
    } else {
      add({ category: cat, name: `${name} is Established and serves ${info.versions.join(', ')}`, status: 'ok' });
    }
    if (crd.body.spec.conversion?.strategy === 'Webhook') {
      const bad = caBundleProblem(crd.body.spec.conversion.webhook?.clientConfig?.caBundle, now);
      if (bad) add({ category: cat, name: `${name} conversion webhook CA is valid`, status: 'fail', message: bad, fix: `kubectl -n ${o.namespace} rollout restart deployment/${OPERATOR_DEPLOYMENT}   (its init container re-injects the CA)` });
    }
  }

  // ---- the operator ----
  cat = 'smi-operator';
  const deploy = await get<Obj & { spec: { template: { spec: { containers: { image: string }[] } } } }>(kindPath(BUILTIN_KINDS.Deployment, o.namespace, OPERATOR_DEPLOYMENT));
  const lease = await get(kindPath(BUILTIN_KINDS.Lease, o.namespace, LEADER_LEASE));
  const leader = leaseHolder(lease.ok ? lease.body : undefined, now);
  if (deploy.ok) {
    const ready = deploy.body.status?.readyReplicas ?? 0;
    add(ready > 0
      ? { category: cat, name: `deployment ${o.namespace}/${OPERATOR_DEPLOYMENT} is ready`, status: 'ok', message: `${ready}/${deploy.body.status?.replicas ?? '?'} replicas ready` }
      : { category: cat, name: `deployment ${o.namespace}/${OPERATOR_DEPLOYMENT} is ready`, status: 'fail', message: 'no ready replica', fix: `kubectl -n ${o.namespace} describe deployment ${OPERATOR_DEPLOYMENT} && kubectl -n ${o.namespace} logs deployment/${OPERATOR_DEPLOYMENT}` });
  } else if (!leader.fresh) {
    add({ category: cat, name: `deployment ${o.namespace}/${OPERATOR_DEPLOYMENT} exists`, status: 'fail', message: deploy.status === 404 ? 'not found, and no running operator holds the leader Lease' : deploy.message, fix: FIX_INSTALL });
  }
  if (leader.fresh) {
    add({ category: cat, name: 'a leader is elected (Lease renewed)', status: 'ok', message: `${leader.holder}, renewed ${leader.ageSeconds}s ago${deploy.ok ? '' : ' (runs outside a Deployment)'}` });
  } else {
    add({
      category: cat, name: 'a leader is elected (Lease renewed)', status: 'fail',
      message: !lease.ok ? `Lease ${o.namespace}/${LEADER_LEASE} not found` : leader.holder ? `holder ${leader.holder} last renewed ${leader.ageSeconds}s ago` : 'no holder (released)',
      fix: deploy.ok ? `kubectl -n ${o.namespace} logs deployment/${OPERATOR_DEPLOYMENT}   (is --leader-elect set? RBAC on leases?)` : FIX_INSTALL,
    });
  }

  // ---- webhook ----
  cat = 'smi-operator webhook';
  const vwc = await get<Obj & { webhooks: { name: string; clientConfig: { caBundle?: string } }[] }>(kindPath(BUILTIN_KINDS.ValidatingWebhookConfiguration, undefined, VALIDATING_WEBHOOK));
  if (!vwc.ok) {
    add({ category: cat, name: 'validating webhook is installed', status: 'warn', message: 'not installed: invalid SMI objects are only rejected by the CRD schemas and reported in status', fix: FIX_INSTALL });
  } else {
    for (const w of vwc.body.webhooks ?? []) {
      const bad = caBundleProblem(w.clientConfig.caBundle, now);
      add(bad
        ? { category: cat, name: `${w.name} CA is valid`, status: 'fail', message: bad, fix: `kubectl -n ${o.namespace} rollout restart deployment/${OPERATOR_DEPLOYMENT}   (or with cert-manager: kubectl -n ${o.namespace} get certificate)` }
        : { category: cat, name: `${w.name} CA is valid`, status: 'ok' });
    }
    // A server-side dry run goes through admission and stores nothing.
    const probe = { apiVersion: 'specs.smi-spec.io/v1alpha4', kind: 'TCPRoute', metadata: { name: 'smictl-check-probe', namespace: o.namespace }, spec: {} };
    const r = await client.request('POST', kindPath(smiResourceKind('TCPRoute'), o.namespace), { query: { dryRun: 'All' }, body: probe });
    const unreachable = !r.ok && /failed calling webhook|connection refused|no endpoints|context deadline/i.test(r.error.message);
    add(unreachable || (!r.ok && r.error.status >= 500)
      ? { category: cat, name: 'webhook is reachable', status: 'fail', message: r.ok ? '' : r.error.message, fix: `kubectl -n ${o.namespace} get endpoints smi-operator-webhook-service && kubectl -n ${o.namespace} logs deployment/${OPERATOR_DEPLOYMENT}` }
      : { category: cat, name: 'webhook is reachable', status: 'ok', ...(r.ok ? {} : { message: `dry run answered: ${r.error.message}` }) });
  }

  // ---- metrics API ----
  cat = 'smi-operator metrics API';
  const apisvc = await get(kindPath(BUILTIN_KINDS.APIService, undefined, METRICS_APISERVICE));
  if (!apisvc.ok) {
    add({ category: cat, name: `APIService ${METRICS_APISERVICE} is installed`, status: 'warn', message: 'not installed: kubectl get --raw /apis/metrics.smi-spec.io/… will not work (smictl metrics still does)', fix: 'kubectl apply --server-side -k config/default   (includes config/metrics)' });
  } else {
    const avail = cond(apisvc.body, 'Available');
    add(avail?.status === 'True'
      ? { category: cat, name: `APIService ${METRICS_APISERVICE} is Available`, status: 'ok' }
      : { category: cat, name: `APIService ${METRICS_APISERVICE} is Available`, status: 'fail', message: `${avail?.reason ?? 'no Available condition'}: ${avail?.message ?? ''}`, fix: `kubectl -n ${o.namespace} get pods -l app.kubernetes.io/name=smi-metrics && kubectl -n ${o.namespace} logs deployment/smi-metrics` });
  }

  // ---- the mesh ----
  const cm = await get(kindPath(BUILTIN_KINDS.ConfigMap, o.namespace, CONFIG_MAP));
  const configured = cm.ok ? cm.body.data?.mesh : undefined;
  const mesh: MeshName = isMeshName(configured) ? configured : 'istio';
  if (configured && mesh !== configured) {
    add({ category: 'mesh', name: `ConfigMap ${o.namespace}/${CONFIG_MAP} names a known mesh`, status: 'fail', message: `data.mesh ${meshNameProblem(configured)}`, fix: `kubectl -n ${o.namespace} patch configmap ${CONFIG_MAP} --type merge -p '{"data":{"mesh":"istio"}}'` });
  }
  await meshChecks(client, mesh, add, cm.ok ? `ConfigMap ${o.namespace}/${CONFIG_MAP}` : 'default, no ConfigMap');

  // ---- versions ----
  cat = 'versions';
  const image = deploy.ok ? deploy.body.spec.template.spec.containers.map((c) => c.image).find((i) => i.includes('smi-operator')) : undefined;
  const serverVersion = image ? imageVersion(image) : undefined;
  if (!serverVersion) {
    add({ category: cat, name: 'client and operator versions match', status: 'ok', message: `client ${CLIENT_VERSION}; operator version unknown (no Deployment image tag)` });
  } else {
    add(serverVersion === CLIENT_VERSION
      ? { category: cat, name: 'client and operator versions match', status: 'ok', message: CLIENT_VERSION }
      : { category: cat, name: 'client and operator versions match', status: 'warn', message: `client ${CLIENT_VERSION}, operator ${serverVersion}`, fix: `use smictl ${serverVersion}, or upgrade the operator: make release VERSION=${CLIENT_VERSION}` });
  }
  return out;
}

type Get = <T = Obj>(path: string) => Promise<{ ok: true; body: T } | { ok: false; status: number; message: string }>;

async function meshChecks(client: KubeClient, mesh: MeshName, add: (r: CheckResult) => void, from: string): Promise<void> {
  const cat = `mesh: ${mesh} (${from})`;
  const cp = MESH_CONTROL_PLANE[mesh];
  if (!cp) {
    add({ category: cat, name: `${mesh} control plane`, status: 'ok', message: `${mesh} is implemented by several meshes: no one control plane to look for` });
  }
  const r = !cp ? undefined : await client.request<{ items: Obj[] }>('GET', kindPath(cp.workload), { query: { fieldSelector: `metadata.name=${cp.name}` } });
  const found = r?.ok ? r.body.items : [];
  const ready = found.filter((d) => (d.status?.readyReplicas ?? 0) > 0);
  if (!cp) {
    // nothing to check
  } else if (!found.length) {
    // A warning, not a failure: the operator still writes the native objects, but nothing enforces them yet.
    add({ category: cat, name: `${mesh} control plane (${cp.workload.kind} ${cp.name}) is present`, status: 'warn', message: `no ${cp.workload.kind} ${cp.name} in any namespace: the generated objects are not enforced`, fix: cp.install });
  } else {
    add(ready.length
      ? { category: cat, name: `${mesh} control plane (${cp.workload.kind} ${cp.name}) is ready`, status: 'ok', message: ready.map((d) => `${d.metadata.namespace}/${d.metadata.name}`).join(', ') }
      : { category: cat, name: `${mesh} control plane (${cp.workload.kind} ${cp.name}) is ready`, status: 'fail', message: `${found.map((d) => `${d.metadata.namespace}/${d.metadata.name}`).join(', ')}: no ready replica`, fix: `kubectl -n ${found[0]!.metadata.namespace} describe ${cp.workload.plural} ${cp.name}` });
  }
  const missing: string[] = [];
  const groups = new Map<string, string[]>();
  for (const k of getAdapter(mesh).nativeKinds) groups.set(k.apiVersion, [...(groups.get(k.apiVersion) ?? []), k.plural]);
  for (const [apiVersion, plurals] of groups) {
    const d = await client.request<{ resources: { name: string }[] }>('GET', `/apis/${apiVersion}`);
    const served = new Set(d.ok ? d.body.resources.map((x) => x.name) : []);
    for (const p of plurals) if (!served.has(p)) missing.push(`${p}.${apiVersion}`);
  }
  add(missing.length
    ? { category: cat, name: `${mesh} CRD versions the adapter writes are served`, status: 'fail', message: `not served: ${missing.join(', ')}`, fix: `install or upgrade ${mesh}'s CRDs: ${cp?.install ?? 'the Gateway API CRDs (standard channel)'}` }
    : { category: cat, name: `${mesh} CRD versions the adapter writes are served`, status: 'ok' });
}

async function preChecks(client: KubeClient, o: CheckOptions, add: (r: CheckResult) => void, get: Get): Promise<void> {
  const cat = 'pre-install';
  for (const [verb, group, resource] of [['create', 'apiextensions.k8s.io', 'customresourcedefinitions'], ['create', 'rbac.authorization.k8s.io', 'clusterroles'], ['create', 'admissionregistration.k8s.io', 'validatingwebhookconfigurations'], ['create', '', 'namespaces']] as const) {
    const r = await client.request<{ status: { allowed: boolean; reason?: string } }>('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb, group, resource } } },
    });
    const allowed = r.ok && r.body.status.allowed;
    add(allowed
      ? { category: cat, name: `can ${verb} ${resource}`, status: 'ok' }
      : { category: cat, name: `can ${verb} ${resource}`, status: 'fail', message: r.ok ? (r.body.status.reason ?? 'denied') : r.error.message, fix: 'install as a cluster admin (the install creates cluster-scoped objects)' });
  }
  for (const info of KIND_TABLE) {
    const crd = await get(kindPath(BUILTIN_KINDS.CustomResourceDefinition, undefined, crdName(info)));
    if (crd.ok && crd.body.metadata.labels?.[PART_OF_LABEL] !== 'smi-operator') {
      add({ category: cat, name: `${crdName(info)} is free or ours`, status: 'warn', message: 'exists and was installed by something else (OSM? an older SMI install?): applying config/default replaces it', fix: `kubectl get crd ${crdName(info)} -o yaml   (check its owner before installing)` });
    }
  }
  const certManager = await get(kindPath(BUILTIN_KINDS.CustomResourceDefinition, undefined, 'certificates.cert-manager.io'));
  add(certManager.ok
    ? { category: cat, name: 'cert-manager', status: 'ok', message: 'installed: config/certmanager can be used' }
    : { category: cat, name: 'cert-manager', status: 'ok', message: 'not installed: use config/default (self-signed certificates); config/certmanager needs cert-manager ≥ v1.0' });
  await meshChecks(client, o.mesh ?? 'istio', add, '--mesh');
}
