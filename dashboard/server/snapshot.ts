// One dashboard snapshot: read the cluster and the metrics, then join them with
// the pure model functions. Everything a failed read costs is an alert in the
// snapshot; the rest still renders.

import { resolve } from '../../adapters/common/resolve.js';
import { buildSnapshot } from '../../adapters/common/snapshot.js';
import { DEFAULT_MESH_OPTIONS, type MeshName } from '../../adapters/types.js';
import { DEFAULT_CONFIG_MAP, parseMeshConfig, type MeshConfig } from '../../operator/config/mesh-config.js';
import type { KubeClient } from '../../kube/client.js';
import type { KubeCredentials } from '../../kube/credentials.js';
import { formatWindow, parseWindow } from '../../metrics-api/window.js';
import { apiAlert, dedupe } from './alerts.js';
import { AccessIndex } from './model/access.js';
import { buildObjects } from './model/objects.js';
import { buildSplits } from './model/splits.js';
import { buildTopology } from './model/topology.js';
import type { Alert, MeshView, Snapshot } from './model/types.js';
import { readCluster, readConfigMap, type ClusterRead, type ConfigMapRead } from './read/cluster.js';
import { chooseMetricsSource, nodesAre, readTraffic } from './read/metrics.js';

export interface DashboardContext {
  client: KubeClient;
  credentials: KubeCredentials;
  /** API server URL, for messages. */
  server: string;
  operatorNamespace: string;
  configMapName?: string;
  /** Mesh when the ConfigMap is absent or has no `mesh` key (as the operator's --mesh). */
  defaultMesh: MeshName;
  /** Fallback when the TrafficMetrics APIService is absent. */
  prometheus?: string;
  now?: () => number;
}

export interface SnapshotQuery {
  namespace?: string;
  window: string;
}

/** The active mesh and its options as the operator would read them; an invalid ConfigMap shows the defaults and says why. */
function meshView(ctx: DashboardContext, cm: ConfigMapRead, alerts: Alert[]): { view: MeshView; config: MeshConfig } {
  const configMap = { namespace: ctx.operatorNamespace, name: ctx.configMapName ?? DEFAULT_CONFIG_MAP };
  const name = `${configMap.namespace}/${configMap.name}`;
  let source = `ConfigMap ${name}`;
  if (cm.error) {
    source = cm.error.status === 404 ? `defaults (ConfigMap ${name} not found)` : `defaults (ConfigMap ${name} unreadable)`;
    if (cm.error.status !== 404) alerts.push(apiAlert(ctx.server, `get configmap ${name}`, cm.error));
  }
  const parsed = parseMeshConfig(cm.data, ctx.defaultMesh);
  let config: MeshConfig = { mesh: ctx.defaultMesh, options: DEFAULT_MESH_OPTIONS };
  let errors: string[] = [];
  if (parsed.ok) config = parsed.config;
  else {
    errors = parsed.errors;
    alerts.push({
      kind: 'config-invalid',
      severity: 'warning',
      title: `The adapter ConfigMap ${name} is invalid`,
      detail: errors.join('; '),
      hint: 'The operator keeps its last good configuration; the dashboard shows the defaults. Fix the keys named above.',
    });
  }
  return { config, view: { mesh: config.mesh, ...config.options, source, configMap, ...(cm.data ? { data: cm.data } : {}), errors } };
}

export async function takeSnapshot(ctx: DashboardContext, q: SnapshotQuery): Promise<Snapshot> {
  const now = ctx.now ?? Date.now;
  const windowSeconds = parseWindow(q.window);
  const seconds = windowSeconds.ok ? windowSeconds.value : 30;
  const alerts: Alert[] = [];
  const cm = await readConfigMap(ctx.client, ctx.operatorNamespace, ctx.configMapName ?? DEFAULT_CONFIG_MAP);
  const unreachable = cm.error !== undefined && (cm.error.status === 0 || cm.error.status === 401);
  const mesh = meshView(ctx, unreachable ? {} : cm, alerts);
  const cluster: ClusterRead = unreachable
    ? { namespaces: [], smi: [], services: [], serviceAccounts: [], workloads: [], natives: [], unreachable: true, alerts: [apiAlert(ctx.server, 'get the adapter ConfigMap', cm.error!)] }
    : await readCluster(ctx.client, { server: ctx.server, ...(q.namespace ? { namespace: q.namespace } : {}) }, mesh.config.mesh);
  alerts.push(...cluster.alerts);
  const base: Snapshot = {
    generatedAt: new Date(now()).toISOString(),
    window: formatWindow(seconds),
    windowSeconds: seconds,
    windowEnd: new Date(now()).toISOString(),
    namespace: q.namespace ?? null,
    namespaces: cluster.namespaces,
    cluster: { server: ctx.server, ...(cluster.user ? { user: cluster.user } : {}) },
    mesh: mesh.view,
    metrics: { type: 'none', description: 'not queried' },
    topology: { nodes: [], edges: [], allowedOnly: [], nodeKinds: [] },
    splits: [],
    objects: [],
    alerts,
  };
  if (cluster.unreachable) return { ...base, alerts: dedupe(alerts) };
  const cfg = mesh.config;

  const { snapshot } = buildSnapshot([...cluster.smi, ...cluster.services, ...cluster.serviceAccounts, ...cluster.workloads]);
  const model = resolve(snapshot, cfg.options);
  const access = new AccessIndex(model.destinations, cfg.options.accessMode);

  const inScope = (ns: string | undefined): boolean => !q.namespace || ns === q.namespace;
  const populated = new Set([...cluster.smi, ...cluster.workloads, ...cluster.services].map((o) => o.metadata.namespace ?? '').filter((ns) => ns && inScope(ns)));
  if (q.namespace) populated.add(q.namespace);
  const splits = cluster.smi.filter((o) => o.kind === 'TrafficSplit');

  const chosen = await chooseMetricsSource(ctx.client, { mesh: cfg.mesh, credentials: ctx.credentials, ...(ctx.prometheus ? { prometheus: ctx.prometheus } : {}) });
  alerts.push(...chosen.alerts);
  let traffic = { resources: [], edges: [], splits: [], alerts: [] } as Awaited<ReturnType<typeof readTraffic>>;
  if (chosen.source) {
    traffic = await readTraffic(chosen.source, {
      mesh: cfg.mesh,
      namespaces: [...populated].sort(),
      splitNamespaces: [...new Set(splits.map((s) => s.metadata.namespace ?? ''))].sort(),
      window: formatWindow(seconds),
      ...(ctx.prometheus ? { prometheus: ctx.prometheus } : {}),
    });
    alerts.push(...traffic.alerts);
  }

  const topology = buildTopology({
    nodesAre: nodesAre(cfg.mesh),
    namespaces: populated,
    workloads: snapshot.workloads,
    services: snapshot.services,
    resources: traffic.resources,
    edges: traffic.edges,
    access,
    windowSeconds: seconds,
  });
  return {
    ...base,
    ...(traffic.windowEnd ? { windowEnd: traffic.windowEnd } : {}),
    metrics: chosen.source?.view ?? { type: 'none', description: 'no TrafficMetrics source (see the alert)' },
    topology,
    splits: buildSplits(splits, traffic.splits, seconds),
    objects: buildObjects(cluster.smi, cluster.natives),
    alerts: dedupe(alerts),
  };
}
