// Wires the operator: one cache (informers) → indexes → work queue → reconciler,
// gated by leader election, plus the adapter ConfigMap and the probe/metrics
// servers. startOperator() returns a handle; stop() is the graceful shutdown.

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { KubeCredentials } from '../kube/credentials.js';
import { allNativeKinds, getAdapter } from '../adapters/index.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, type MeshAdapter, type MeshName } from '../adapters/types.js';
import type { KubeObject } from '../schemas/hub.js';
import { ClusterCache } from './cache/cache.js';
import { ServedProbe } from './cache/served.js';
import { USER_KINDS, userKindKey } from './controller/clashes.js';
import { DEFAULT_CONFIG, DEFAULT_CONFIG_MAP, DEFAULT_MESH, parseMeshConfig, sameConfig, type MeshConfig } from './config/mesh-config.js';
import { CONFIG_MAP, SERVICE, SERVICE_ACCOUNT, SMI_RESOURCE_KINDS, WORKLOAD_KINDS, isSmiKind, isWorkloadKind } from './controller/kinds.js';
import { WorkQueue } from './controller/queue.js';
import { Reconciler } from './controller/reconciler.js';
import { DependencyIndex, workloadRef } from './controller/units.js';
import { isManaged, nativeKey, nativeKindKey } from './controller/labels.js';
import { startProbeServer, type ProbeServer } from './http/server.js';
import { restMapper } from '../kube/rest-mapper.js';
import { HttpKubeClient, type KubeClient, type WatchHandle } from '../kube/client.js';
import { EventRecorder, Writer } from './writer.js';
import { LeaderElector } from './leader/lease.js';
import { createLogger, type Logger } from '../log/log.js';
import { OperatorMetrics } from './metrics.js';

export interface OperatorOptions {
  /** Credentials for the operator's own REST client; not needed when `client` is given. */
  kubeConfig?: KubeCredentials;
  /** Every API request and watch goes through this client (tests pass a recording or fake one). */
  client?: KubeClient;
  /** The operator's namespace: ConfigMap and Lease live here. */
  namespace: string;
  /** Only watch this namespace; undefined/empty: all. */
  watchNamespace?: string;
  configMapName?: string;
  /** Mesh when the ConfigMap is missing or has no `mesh` key. */
  defaultMesh?: MeshName;
  concurrency?: number;
  leaderElect?: boolean;
  leaseName?: string;
  identity?: string;
  leaseDurationSeconds?: number;
  leaseRetryMs?: number;
  /** How often /readyz re-checks through discovery that the SMI CRDs are served (default 5000). */
  servedProbeMs?: number;
  /** Probe port (/healthz, /readyz); undefined: no server; 0: any free port. */
  healthPort?: number;
  /** /metrics port; equal to healthPort: served by the same server. */
  metricsPort?: number;
  logger?: Logger;
  logLevel?: string;
  adapter?: (mesh: MeshName) => MeshAdapter;
  /** Register process-wide default metrics (the CLI does; in-process tests do not). */
  defaultMetrics?: boolean;
}

export interface RunningOperator {
  readonly identity: string;
  readonly metrics: OperatorMetrics;
  readonly cache: ClusterCache;
  readonly healthPort?: number;
  readonly metricsPort?: number;
  isLeader(): boolean;
  ready(): boolean;
  config(): MeshConfig;
  /** Resolves when the queue is empty and nothing is in flight. */
  idle(): Promise<void>;
  /** Reconciles per unit key since start. */
  reconcileCounts(): ReadonlyMap<string, number>;
  /** Graceful stop; `releaseLease: false` simulates a crash (the standby waits for the lease to expire). */
  stop(opts?: { releaseLease?: boolean }): Promise<void>;
}

const MAX_CONFLICT_WATCHES = 16;

/** Whether a change can matter to translation (status-only updates of inputs do not). */
function relevant(kind: string, old: KubeObject | undefined, next: KubeObject | undefined): boolean {
  if (!old || !next) return true;
  if (isSmiKind(kind)) {
    return old.metadata.generation !== next.metadata.generation || !!old.metadata.deletionTimestamp !== !!next.metadata.deletionTimestamp || JSON.stringify(old.metadata.labels) !== JSON.stringify(next.metadata.labels);
  }
  if (isWorkloadKind(kind)) return JSON.stringify(workloadRef(old)) !== JSON.stringify(workloadRef(next));
  if (kind === 'Service') return JSON.stringify((old as { spec?: unknown }).spec) !== JSON.stringify((next as { spec?: unknown }).spec);
  if (kind === 'ServiceAccount') return false;
  return old.metadata.resourceVersion !== next.metadata.resourceVersion;
}

export async function startOperator(o: OperatorOptions): Promise<RunningOperator> {
  const identity = o.identity ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const log = o.logger ?? createLogger(o.logLevel ?? 'info', { component: 'smi-operator', namespace: o.namespace, identity });
  const metrics = new OperatorMetrics(o.defaultMetrics ?? false);
  if (!o.client && !o.kubeConfig) throw new Error('startOperator: give kubeConfig or client');
  const client: KubeClient = o.client ?? new HttpKubeClient(o.kubeConfig!);
  const adapterOf = o.adapter ?? getAdapter;
  const configMapName = o.configMapName ?? DEFAULT_CONFIG_MAP;
  const defaultMesh = o.defaultMesh ?? DEFAULT_MESH;
  const watchNs = o.watchNamespace || undefined;

  const nativeKinds = allNativeKinds(adapterOf);
  const mapper = restMapper(nativeKinds);
  const writer = new Writer(client, { plural: (av, kind) => mapper.mapping(av, kind)?.plural }, metrics);
  const events = new EventRecorder(client, 'smi-operator', metrics);

  const cache = new ClusterCache(client, log, (kind) => metrics.relists.inc({ kind }));
  for (const k of [...SMI_RESOURCE_KINDS, SERVICE, SERVICE_ACCOUNT, ...WORKLOAD_KINDS]) cache.watch(k, { namespace: watchNs });
  cache.watch(CONFIG_MAP, { namespace: o.namespace, fieldSelector: `metadata.name=${configMapName}` });
  const managedSelector = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;
  for (const k of nativeKinds) cache.watch(k, { namespace: watchNs, labelSelector: managedSelector, retryMs: 2000 }, nativeKindKey(k.apiVersion, k.kind));
  // The user's own routing objects of those kinds (no selector): clashes with ours are reported as Conflict.
  for (const k of USER_KINDS) cache.watch(k, { namespace: watchNs, retryMs: 2000 }, userKindKey(k.apiVersion, k.kind));

  // ---- adapter configuration ----
  let config: MeshConfig = { ...DEFAULT_CONFIG, mesh: defaultMesh };
  const index = new DependencyIndex();
  // The handler closes over `reconciler`, created below; the queue runs only after start().
  const queue = new WorkQueue((k) => reconciler.reconcile(k), { concurrency: o.concurrency ?? 4, baseDelayMs: 200, maxDelayMs: 60_000 });
  const allUnits = (): Set<string> => index.allUnits(['HTTPRouteGroup', 'TCPRoute', 'UDPRoute'].flatMap((k) => cache.list(k)));
  const enqueueAll = (): void => {
    for (const u of allUnits()) queue.add(u);
  };
  const loadConfig = (cm: KubeObject | undefined): void => {
    const data = (cm as { data?: Record<string, string> } | undefined)?.data;
    const r = parseMeshConfig(cm ? data : {}, defaultMesh);
    const cmLog = log.child({ namespace: o.namespace, name: configMapName });
    if (!r.ok) {
      metrics.configReloads.inc({ result: 'invalid' });
      cmLog.error('invalid adapter ConfigMap; keeping the last good configuration', { errors: r.errors, mesh: config.mesh });
      if (cm && leader) void events.record(cm, { type: 'Warning', reason: 'InvalidConfig', message: `${r.errors.join('; ')}; keeping mesh=${config.mesh}` });
      return;
    }
    metrics.configReloads.inc({ result: 'ok' });
    if (sameConfig(r.config, config)) return;
    cmLog.info('adapter configuration changed', { from: config.mesh, to: r.config.mesh, options: r.config.options });
    config = r.config;
    if (cm && leader) void events.record(cm, { type: 'Normal', reason: 'ConfigLoaded', message: `mesh=${config.mesh}` });
    if (leader) reconciler.primeClaims(allUnits());
    enqueueAll();
  };

  // ---- conflicts ----
  // The blocking object carries no managed-by label, so the cache does not see it go.
  // One watch on just that object (field selector on its name) notices its deletion or
  // labelling at once; bounded in number, as the periodic re-check covers any overflow.
  const conflictWatches = new Map<string, { units: Set<string>; handle?: WatchHandle }>();
  const watchConflict = (unitKey: string, o: KubeObject): void => {
    const key = nativeKey(o);
    const cur = conflictWatches.get(key);
    if (cur) {
      cur.units.add(unitKey);
      return;
    }
    const collection = mapper.tryPath({ apiVersion: o.apiVersion, kind: o.kind, metadata: { namespace: o.metadata.namespace } });
    if (!collection || conflictWatches.size >= MAX_CONFLICT_WATCHES || stopping) return;
    const entry: { units: Set<string>; handle?: WatchHandle } = { units: new Set([unitKey]) };
    conflictWatches.set(key, entry);
    const handle = client.watch(
      collection,
      { fieldSelector: `metadata.name=${o.metadata.name}`, resourceVersion: o.metadata.resourceVersion, timeoutSeconds: 300 },
      (e) => {
        if (e.type === 'BOOKMARK') return;
        if (e.type === 'DELETED' || (e.type !== 'ERROR' && isManaged(e.object as unknown as KubeObject))) for (const u of entry.units) queue.add(u);
        if (e.type !== 'MODIFIED' && e.type !== 'ADDED') handle.abort();
      },
    );
    entry.handle = handle;
    void handle.done.then(() => {
      if (conflictWatches.get(key) === entry) conflictWatches.delete(key);
    });
  };

  const reconciler = new Reconciler({
    watchConflict,
    cache,
    index,
    writer,
    events,
    metrics,
    log,
    config: () => config,
    adapter: adapterOf,
    enqueue: (u, after) => (after ? queue.addAfter(u, after) : queue.add(u)),
  });

  metrics.watchQueueDepth(() => queue.depth);
  let synced = false;
  const nativeKindNames = new Set(nativeKinds.map((k) => nativeKindKey(k.apiVersion, k.kind)));
  cache.onChange((kind, old, next) => {
    if (kind === 'ConfigMap') {
      if (synced) loadConfig(next);
      return;
    }
    if (kind.startsWith('user:')) {
      // Someone else's VirtualService/route came, changed or went: re-check the units (rare; all of them).
      const o = (next ?? old) as KubeObject;
      if (synced && !isManaged(o) && relevant(kind, old, next)) enqueueAll();
      return;
    }
    if (!next && old && isSmiKind(kind)) reconciler.forget(old);
    const units = index.update(kind, old, next);
    if (nativeKindNames.has(kind)) {
      // Our own write coming back through the watch: the unit already knows.
      if (reconciler.isEcho((next ?? old) as KubeObject, !next)) units.clear();
      // A managed object deleted or changed by someone: every unit that wants it may have to re-create it.
      else for (const u of reconciler.claimantsOf(nativeKey((next ?? old) as KubeObject))) units.add(u);
    }
    if (nativeKindNames.has(kind)) {
      let n = 0;
      for (const k of nativeKindNames) n += cache.informer(k)?.store.size ?? 0;
      metrics.managedObjects.set(n);
    }
    if (!synced || !relevant(kind, old, next)) return;
    for (const u of units) queue.add(u);
  });

  // ---- leadership ----
  let leader = false;
  let stopping = false;
  const onLeader = (isLeader: boolean): void => {
    leader = isLeader;
    metrics.leader.set(isLeader ? 1 : 0);
    if (isLeader && synced && !stopping) {
      reconciler.primeClaims(allUnits());
      queue.start();
      enqueueAll();
    } else if (!isLeader) queue.stop();
  };
  const elector = o.leaderElect
    ? new LeaderElector(client, { namespace: o.namespace, name: o.leaseName ?? 'smi-operator-leader', identity, leaseDurationSeconds: o.leaseDurationSeconds ?? 15, retryPeriodMs: o.leaseRetryMs ?? 2000 }, log, onLeader)
    : undefined;

  // ---- servers ----
  const servers: ProbeServer[] = [];
  const served = new ServedProbe(client, SMI_RESOURCE_KINDS, o.servedProbeMs ?? 5000);
  const readyDetail = (): { ok: boolean; detail: string } => {
    const pending = cache.keys().filter((k) => !cache.informer(k)?.isSynced);
    if (pending.length) return { ok: false, detail: `caches not synced: ${pending.join(', ')}` };
    // Without its own CRDs the operator can do nothing: not ready (a missing mesh kind is fine).
    const unserved = [...new Set([...served.missing(), ...cache.keys().filter((k) => isSmiKind(k) && cache.informer(k)?.available === false)])];
    return unserved.length ? { ok: false, detail: `SMI CRDs not served: ${unserved.join(', ')} (kubectl apply --server-side -k config/crd)` } : { ok: true, detail: 'ok' };
  };
  let healthPort: number | undefined;
  let metricsPort: number | undefined;
  if (o.healthPort !== undefined) {
    const same = o.metricsPort === undefined || o.metricsPort === o.healthPort;
    const s = await startProbeServer(o.healthPort, { ready: readyDetail, ...(same ? { registry: metrics.registry } : {}) });
    servers.push(s);
    healthPort = s.port;
    if (same) metricsPort = s.port;
  }
  if (o.metricsPort !== undefined && o.metricsPort !== o.healthPort) {
    const s = await startProbeServer(o.metricsPort, { ready: readyDetail, registry: metrics.registry, probes: false });
    servers.push(s);
    metricsPort = s.port;
  }

  cache.start();
  served.start();
  await cache.synced();
  synced = true;
  loadConfig(cache.get('ConfigMap', o.namespace, configMapName));
  log.info('caches synced', { kinds: cache.kinds().length, mesh: config.mesh });
  if (elector) elector.start();
  else onLeader(true);

  return {
    identity,
    metrics,
    cache,
    healthPort,
    metricsPort,
    isLeader: () => leader,
    ready: () => readyDetail().ok,
    config: () => config,
    idle: () => queue.idle(),
    reconcileCounts: () => reconciler.counts,
    async stop(opts = {}) {
      stopping = true;
      for (const w of conflictWatches.values()) w.handle?.abort();
      queue.stop();
      await queue.idle();
      await elector?.stop(opts.releaseLease !== false);
      cache.stop();
      served.stop();
      await Promise.all(servers.map((s) => s.close()));
      log.info('stopped');
    },
  };
}
