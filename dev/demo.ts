// `make demo`: a local control plane (etcd + kube-apiserver + GC), the operator
// in-process with the Istio adapter (`--mesh` for another), the samples from
// config/samples applied; prints the translated objects and the SMI and policy
// statuses, then stays up for `kubectl` until Ctrl-C. `--once` exits after showing
// the result (non-zero unless every sample is Ready, or Unsupported exactly where
// the pure adapter says the mesh cannot express it) and leaves nothing running.

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { startCluster, type TestCluster } from './controlplane/cluster.js';
import { allNativeKinds, getAdapter } from '../adapters/index.js';
import { buildSnapshot } from '../adapters/common/snapshot.js';
import { DEFAULT_MESH_OPTIONS, MESH_NAMES, type MeshName } from '../adapters/types.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from '../adapters/types.js';
import type { KubeObject } from '../schemas/hub.js';
import { SMI_KINDS, hubApiVersion } from '../schemas/hub.js';
import { HttpKubeClient } from '../kube/client.js';
import { restMapper } from '../kube/rest-mapper.js';
import { startOperator, type RunningOperator } from '../operator/manager.js';
import { createLogger } from '../log/log.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');
const SAMPLES = join(repoRoot, 'config', 'samples');
const OPERATOR_NS = 'smi-system';

const mapper = restMapper(allNativeKinds());

/** Sample manifests in kustomization order (falls back to file name order). */
function sampleDocs(): KubeObject[] {
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

async function applyAll(client: HttpKubeClient, docs: KubeObject[]): Promise<void> {
  for (const d of docs) {
    const r = await client.request('PATCH', mapper.path(d), {
      query: { fieldManager: 'smi-demo', force: true },
      body: d,
      contentType: 'application/apply-patch+yaml',
    });
    if (!r.ok) throw new Error(`demo: apply ${d.kind} ${d.metadata.namespace ?? ''}/${d.metadata.name}: ${r.error.message}`);
  }
}

interface Row {
  kind: string;
  name: string;
  accepted: string;
  ready: string;
  reason: string;
  message: string;
}

async function smiStatuses(client: HttpKubeClient, ns: string): Promise<Row[]> {
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

function table(rows: Row[]): string {
  const head: Row = { kind: 'KIND', name: 'NAME', accepted: 'ACCEPTED', ready: 'READY', reason: 'REASON', message: 'MESSAGE' };
  const all = [head, ...rows];
  const cols: Array<keyof Row> = ['kind', 'name', 'accepted', 'ready', 'reason', 'message'];
  const width = (c: keyof Row) => Math.max(...all.map((r) => r[c].length));
  return all.map((r) => cols.map((c, i) => (i === cols.length - 1 ? r[c] : r[c].padEnd(width(c)))).join('  ')).join('\n');
}

async function translated(client: HttpKubeClient, ns: string, mesh: MeshName): Promise<KubeObject[]> {
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

/** Waits until every object has settled where it should: Ready, or Unsupported where the adapter says so. */
async function waitReady(client: HttpKubeClient, ns: string, expected: number, unsupported: ReadonlySet<string>, timeoutMs: number): Promise<Row[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await smiStatuses(client, ns);
    if (rows.length >= expected && rows.every((r) => r.ready === 'True' || (r.reason === 'Unsupported' && unsupported.has(`${r.kind}/${r.name}`)))) return rows;
    if (Date.now() > deadline) return rows;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The adapter ConfigMap (config/manager's) selects the mesh: point it at the one asked for. */
function withMesh(docs: KubeObject[], mesh: MeshName): KubeObject[] {
  return docs.map((d) => (d.kind === 'ConfigMap' && d.metadata.name === 'smi-operator-config' ? ({ ...d, data: { ...(d as { data?: Record<string, string> }).data, mesh } } as KubeObject) : d));
}

/** `Kind/name` of the samples the pure adapter itself reports Unsupported on this mesh (what `smictl translate` says). */
function unsupportedOffline(docs: KubeObject[], mesh: MeshName): Set<string> {
  const { results } = getAdapter(mesh).translate(buildSnapshot(docs).snapshot, DEFAULT_MESH_OPTIONS);
  return new Set(results.filter((r) => r.status === 'Unsupported').map((r) => `${r.kind}/${r.name}`));
}

async function main(): Promise<number> {
  const once = process.argv.includes('--once');
  const meshArg = process.argv[process.argv.indexOf('--mesh') + 1];
  const mesh = (process.argv.includes('--mesh') ? meshArg : 'istio') as MeshName;
  if (!MESH_NAMES.includes(mesh)) {
    process.stderr.write(`demo: --mesh must be one of ${MESH_NAMES.join(', ')}, got ${JSON.stringify(meshArg)}\n`);
    return 2;
  }
  const say = (s: string): boolean => process.stdout.write(`${s}\n`);
  say('smi-operator demo: starting a local control plane (etcd, kube-apiserver, GC controller)…');
  let cluster: TestCluster | undefined;
  let op: RunningOperator | undefined;
  const teardown = async (): Promise<void> => {
    await op?.stop().catch(() => {});
    op = undefined;
    await cluster?.stop().catch(() => {});
    cluster = undefined;
  };
  try {
    cluster = await startCluster();
    const client = new HttpKubeClient(cluster.kubeConfig);
    const docs = withMesh(sampleDocs(), mesh);
    const demoNs = docs.find((d) => d.kind === 'Namespace' && d.metadata.name !== OPERATOR_NS)?.metadata.name ?? 'smi-demo';
    say(`control plane up at ${cluster.server}; starting the operator (mesh ${mesh}, from ConfigMap ${OPERATOR_NS}/smi-operator-config)…`);
    op = await startOperator({
      kubeConfig: cluster.kubeConfig,
      namespace: OPERATOR_NS,
      defaultMesh: 'istio',
      logger: createLogger(process.env.SMI_DEMO_LOG_LEVEL ?? 'warn', { component: 'smi-operator', namespace: OPERATOR_NS }),
      healthPort: 0,
      // As in a cluster: `smictl check` finds the running operator through its Lease.
      leaderElect: true,
    });
    say(`operator running (health/metrics on http://127.0.0.1:${op.healthPort}/{healthz,readyz,metrics}); applying ${docs.length} sample objects from config/samples…`);
    await applyAll(client, docs);
    const expected = docs.filter((d) => (SMI_KINDS as readonly string[]).includes(d.kind)).length;
    const unsupported = unsupportedOffline(docs, mesh);
    const rows = await waitReady(client, demoNs, expected, unsupported, 60_000);
    const objs = await translated(client, demoNs, mesh);
    say(`\n# ---- translated objects (${op.config().mesh}), namespace ${demoNs} ----`);
    for (const o of objs) say(`---\n${yaml.dump(o, { lineWidth: 140, noRefs: true }).trimEnd()}`);
    say(`\n# ---- SMI statuses, namespace ${demoNs} ----\n${table(rows)}\n`);
    const expectedUnsupported = rows.filter((r) => r.ready !== 'True' && r.reason === 'Unsupported' && unsupported.has(`${r.kind}/${r.name}`));
    const notReady = rows.filter((r) => r.ready !== 'True' && !expectedUnsupported.includes(r));
    const ok = rows.length >= expected && notReady.length === 0;
    if (expectedUnsupported.length > 0) {
      say(`reported Unsupported on ${mesh}, as \`smictl translate --mesh ${mesh}\` says (docs/capabilities.md): ${expectedUnsupported.map((r) => `${r.kind}/${r.name}`).join(', ')}`);
    }
    say(ok ? `all other ${rows.length - expectedUnsupported.length} SMI and policy objects are Ready.` : `NOT READY: ${notReady.map((r) => `${r.kind}/${r.name}`).join(', ') || `${rows.length}/${expected} objects found`}`);
    if (once) {
      await teardown();
      return ok ? 0 : 1;
    }
    say(`\nThe control plane and the operator keep running. In another shell:\n\n  export KUBECONFIG=${cluster.kubeconfigPath}\n  kubectl get trafficsplits,traffictargets,timeoutpolicies,ratelimitpolicies,virtualservices,authorizationpolicies -n ${demoNs}\n  kubectl -n ${OPERATOR_NS} patch configmap smi-operator-config --type merge -p '{"data":{"mesh":"linkerd"}}'\n\nPress Ctrl-C to stop and clean up.`);
    await new Promise<void>((res) => {
      process.once('SIGINT', () => res());
      process.once('SIGTERM', () => res());
    });
    say('\nstopping…');
    await teardown();
    return 0;
  } catch (err) {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    await teardown();
    return 1;
  }
}

process.exitCode = await main();
