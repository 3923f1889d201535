// What `make demo` sets up (dev/demo.ts prints it): a local control plane, the
// operator in-process with leader election and the Istio adapter (or the mesh
// asked for), the operator namespace with its adapter ConfigMap and the samples
// from config/samples applied.
// Tests that need "make demo's cluster" start it through startDemo().

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { startCluster, type TestCluster } from './controlplane/cluster.js';
import { allNativeKinds, getAdapter } from '../adapters/index.js';
import { buildSnapshot } from '../adapters/common/snapshot.js';
import { DEFAULT_MESH_OPTIONS, type MeshName } from '../adapters/types.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../adapters/types.js';
import type { KubeObject } from '../schemas/hub.js';
import { SMI_KINDS, hubApiVersion } from '../schemas/hub.js';
import { KIND_TABLE } from '../schemas/versions.js';
import { HttpKubeClient } from '../kube/client.js';
import { restMapper } from '../kube/rest-mapper.js';
import { startOperator, type RunningOperator } from '../operator/manager.js';
import type { Logger } from '../log/log.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');
const SAMPLES = join(repoRoot, 'config', 'samples');
export const OPERATOR_NS = 'smi-system';

const mapper = restMapper(allNativeKinds());

/** Sample manifests in kustomization order (falls back to file name order). */
export function sampleDocs(): KubeObject[] {
  let files: string[];
  try {
    const k = yaml.load(readFileSync(join(SAMPLES, 'kustomization.yaml'), 'utf8')) as { resources?: string[] };
    files = k.resources ?? [];
  } catch {
    files = readdirSync(SAMPLES).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort();
  }
  const samples = files.flatMap((f) => yaml.loadAll(readFileSync(join(SAMPLES, f), 'utf8')).filter((d): d is KubeObject => !!d && typeof d === 'object'));
  // The operator namespace and its adapter ConfigMap as config/default installs them (not part of
  // the samples, so `kubectl apply -k config/samples` never resets the adapter configuration).
  const configMap = yaml.load(readFileSync(join(repoRoot, 'config', 'manager', 'config.yaml'), 'utf8')) as KubeObject;
  return [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: OPERATOR_NS } }, configMap, ...samples];
}

export async function applyAll(client: HttpKubeClient, docs: KubeObject[]): Promise<void> {
  for (const d of docs) {
    const r = await client.request('PATCH', mapper.path(d), {
      query: { fieldManager: 'smi-demo', force: true },
      body: d,
      contentType: 'application/apply-patch+yaml',
    });
    if (!r.ok) throw new Error(`demo: apply ${d.kind} ${d.metadata.namespace ?? ''}/${d.metadata.name}: ${r.error.message}`);
  }
}

export interface Row {
  kind: string;
  name: string;
  accepted: string;
  ready: string;
  reason: string;
  message: string;
}

export async function smiStatuses(client: HttpKubeClient, ns: string): Promise<Row[]> {
  const rows: Row[] = [];
  for (const kind of SMI_KINDS) {
    const r = await client.request<{ items: Array<KubeObject & { status?: { conditions?: Array<{ type: string; status: string; reason: string; message: string }> } }> }>(
      'GET',
      mapper.path({ apiVersion: hubApiVersion(kind), kind, metadata: { namespace: ns } }),
    );
    if (!r.ok) continue;
    for (const o of r.body.items) {
      const c = (t: string) => o.status?.conditions?.find((x) => x.type === t);
      const notReady = c('Ready')?.status !== 'True' ? c('Ready') : undefined;
      const worst = c('Accepted')?.status === 'False' ? c('Accepted') : (notReady ?? c('Ready'));
      rows.push({ kind, name: o.metadata.name, accepted: c('Accepted')?.status ?? '-', ready: c('Ready')?.status ?? '-', reason: worst?.reason ?? '-', message: worst?.message ?? '' });
    }
  }
  return rows;
}

export function table(rows: Row[]): string {
  const head: Row = { kind: 'KIND', name: 'NAME', accepted: 'ACCEPTED', ready: 'READY', reason: 'REASON', message: 'MESSAGE' };
  const all = [head, ...rows];
  const cols: Array<keyof Row> = ['kind', 'name', 'accepted', 'ready', 'reason', 'message'];
  const width = (c: keyof Row) => Math.max(...all.map((r) => r[c].length));
  return all.map((r) => cols.map((c, i) => (i === cols.length - 1 ? r[c] : r[c].padEnd(width(c)))).join('  ')).join('\n');
}

export async function translated(client: HttpKubeClient, ns: string, mesh: MeshName): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const k of getAdapter(mesh).nativeKinds) {
    const r = await client.request<{ items: KubeObject[] }>('GET', mapper.path({ ...k, metadata: { namespace: ns } }), { query: { labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}` } });
    if (!r.ok) continue;
    for (const o of r.body.items) {
      const { managedFields: _m, uid: _u, resourceVersion: _r, creationTimestamp: _c, generation: _g, ownerReferences: _o, ...meta } = o.metadata;
      out.push({ ...o, apiVersion: k.apiVersion, kind: k.kind, metadata: meta as KubeObject['metadata'] });
    }
  }
  return out;
}

/** `Kind/name` of the samples the pure adapter itself reports Unsupported on this mesh (what `smictl translate` says). */
export function unsupportedOffline(docs: readonly KubeObject[], mesh: MeshName): Set<string> {
  const { results } = getAdapter(mesh).translate(buildSnapshot(docs).snapshot, DEFAULT_MESH_OPTIONS);
  return new Set(results.filter((r) => r.status === 'Unsupported').map((r) => `${r.kind}/${r.name}`));
}

/** Settled where it should be: Ready, or Unsupported where the pure adapter says the mesh cannot express it. */
export const settledRow = (r: Row, unsupported: ReadonlySet<string>): boolean => r.ready === 'True' || (r.reason === 'Unsupported' && unsupported.has(`${r.kind}/${r.name}`));

export async function waitReady(client: HttpKubeClient, ns: string, expected: number, timeoutMs: number, unsupported: ReadonlySet<string> = new Set()): Promise<Row[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await smiStatuses(client, ns);
    if (rows.length >= expected && rows.every((r) => settledRow(r, unsupported))) return rows;
    if (Date.now() > deadline) return rows;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * What `kubectl get` should list after the demo: the SMI kinds and the mesh's native kinds, fully qualified
 * (a bare `authorizationpolicies` is Linkerd's once Linkerd's CRDs are installed, `tcproutes` Gateway API's).
 */
export function demoResources(mesh: MeshName): string {
  const smi = KIND_TABLE.filter((k) => k.kind === 'TrafficSplit' || k.kind === 'TrafficTarget').map((k) => `${k.plural}.${k.group}`);
  return [...smi, ...getAdapter(mesh).nativeKinds.map((k) => `${k.plural}.${k.apiVersion.split('/')[0]}`)].join(',');
}

/** The lines `make demo` prints for using the cluster it leaves running. */
export function demoHints(kubeconfigPath: string, demoNs: string, mesh: MeshName = 'istio'): string {
  return [
    `  export KUBECONFIG=${kubeconfigPath}`,
    `  kubectl get ${demoResources(mesh)} -n ${demoNs}`,
    `  kubectl -n ${OPERATOR_NS} patch configmap smi-operator-config --type merge -p '{"data":{"mesh":"linkerd"}}'`,
  ].join('\n');
}

export interface Demo {
  cluster: TestCluster;
  op: RunningOperator;
  client: HttpKubeClient;
  docs: KubeObject[];
  demoNs: string;
  /** SMI objects among the samples. */
  expected: number;
  /** Stops the operator, then the control plane; never throws. */
  stop(): Promise<void>;
}

/** make demo's cluster: control plane, operator (leader election, as in a cluster), samples applied. */
/** The adapter ConfigMap selects the mesh: point it at the one asked for. */
function withMesh(docs: KubeObject[], mesh: MeshName | undefined): KubeObject[] {
  if (!mesh) return docs;
  return docs.map((d) => (d.kind === 'ConfigMap' && d.metadata.name === 'smi-operator-config' ? ({ ...d, data: { ...(d as { data?: Record<string, string> }).data, mesh } } as KubeObject) : d));
}

export async function startDemo(o: { logger: Logger; say?: (s: string) => void; mesh?: MeshName }): Promise<Demo> {
  const say = o.say ?? (() => {});
  say('smi-operator demo: starting a local control plane (etcd, kube-apiserver, GC controller)…');
  const cluster = await startCluster();
  let op: RunningOperator | undefined;
  const stop = async (): Promise<void> => {
    await op?.stop().catch(() => {});
    await cluster.stop().catch(() => {});
  };
  try {
    const client = new HttpKubeClient(cluster.kubeConfig);
    const docs = withMesh(sampleDocs(), o.mesh);
    const demoNs = docs.find((d) => d.kind === 'Namespace' && d.metadata.name !== OPERATOR_NS)?.metadata.name ?? 'smi-demo';
    say(`control plane up at ${cluster.server}; starting the operator (mesh ${o.mesh ?? 'from ConfigMap ' + OPERATOR_NS + '/smi-operator-config, default istio'})…`);
    op = await startOperator({
      kubeConfig: cluster.kubeConfig,
      namespace: OPERATOR_NS,
      defaultMesh: 'istio',
      logger: o.logger,
      healthPort: 0,
      // As in a cluster: `smictl check` finds the running operator through its Lease.
      leaderElect: true,
    });
    say(`operator running (health/metrics on http://127.0.0.1:${op.healthPort}/{healthz,readyz,metrics}); applying ${docs.length} sample objects from config/samples…`);
    await applyAll(client, docs);
    const expected = docs.filter((d) => (SMI_KINDS as readonly string[]).includes(d.kind)).length;
    return { cluster, op, client, docs, demoNs, expected, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
