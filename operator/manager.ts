// Wires the operator: one cache (informers) → indexes and triggers
// (controller/predicates.ts) → work queue → reconciler, gated by leader election
// (a fenced term per leadership), plus the adapter ConfigMap (config/reload.ts),
// conflict watches and the probe/metrics servers. Only wiring: each job lives in
// its own module. startOperator() returns a handle; stop() is the graceful shutdown.

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { KubeCredentials } from '../kube/credentials.js';
import { allNativeKinds, getAdapter } from '../adapters/index.js';
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE, type MeshAdapter, type MeshName } from '../adapters/types.js';
import type { KubeObject } from '../schemas/hub.js';
import { ClusterCache } from './cache/cache.js';
import type { InformerOptions } from './cache/informer.js';
import { Interner, NoInterner, transformFor, userObjectTransform } from './cache/transform.js';
import { DEFAULT_CONCURRENCY, DEFAULT_CONFIG_MAP, DEFAULT_LEASE_NAME, DEFAULT_MESH, type MeshConfig } from './config/mesh-config.js';
import { ConfigReloader } from './config/reload.js';
import { CONFIG_MAP, SERVICE, SERVICE_ACCOUNT, SMI_RESOURCE_KINDS, WORKLOAD_KINDS, isSmiKind } from './controller/kinds.js';
import { ServedProbe } from './cache/served.js';
import { USER_KINDS, userKindKey } from './controller/clashes.js';
import { ConflictWatches } from './controller/conflict-watch.js';
import { WorkQueue } from './controller/queue.js';
import { Reconciler } from './controller/reconciler.js';
import { DependencyIndex } from './controller/units.js';
import { unitsToReconcile } from './controller/predicates.js';
import { nativeKindKey } from './controller/labels.js';
import { startProbeServer, type ProbeServer } from './http/server.js';
import { HttpKubeClient, type KubeClient } from '../kube/client.js';
import { restMapper } from '../kube/rest-mapper.js';
import { EventRecorder, Writer } from './writer.js';
import { Fence } from './leader/fence.js';
import { LeaderElector } from './leader/lease.js';
import { createLogger, type Logger } from '../log/log.js';
import { IdleGc, lastResortGc } from './idle-gc.js';
import { OperatorMetrics } from './metrics.js';
import { Offload } from './offload/offload.js';

export interface OperatorOptions {
  /** Credentials for the default client; not needed when `client` is given. */
  kubeConfig?: KubeCredentials;
  /** The client to talk to the API server with; default: an HttpKubeClient on kubeConfig (tests inject recording or stalling ones). */
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
  /**
   * Compile new regexes and translate large units in a worker thread (default: true). Off
   * with a custom `adapter`, which cannot cross to the worker.
   */
  offload?: boolean;
  /** Register process-wide default metrics (the CLI does; in-process tests do not). */
  defaultMetrics?: boolean;
  /**
   * Give the heap a burst of work grew into back to the OS once the queue is quiet (./idle-gc.ts);
   * process-wide, so the CLI does and in-process tests do not.
   */
  idleGc?: boolean;
  /** Count reconciles per unit for reconcileCounts() (tests; an entry per unit, so off by default). */
  countReconciles?: boolean;
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
  /** Reconciles per unit key since start (empty unless started with `countReconciles`). */
  reconcileCounts(): ReadonlyMap<string, number>;
  /** Graceful stop; `releaseLease: false` simulates a crash (the standby waits for the lease to expire). */
  stop(opts?: { releaseLease?: boolean }): Promise<void>;
}

function missingClient(): never {
  throw new Error('startOperator: either kubeConfig or client is required');
}

export async function startOperator(o: OperatorOptions): Promise<RunningOperator> {
  const identity = o.identity ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const log = o.logger ?? createLogger(o.logLevel ?? 'info', { component: 'smi-operator', namespace: o.namespace, identity });
  const metrics = new OperatorMetrics(o.defaultMetrics ?? false);
  const client: KubeClient = o.client ?? (o.kubeConfig ? new HttpKubeClient(o.kubeConfig) : missingClient());
  // Every write is fenced on the current leadership term and, with election, on the lease's renew deadline.
  const fence = new Fence(() => elector?.holds() ?? true);
  const adapterOf = o.adapter ?? getAdapter;
  const configMapName = o.configMapName ?? DEFAULT_CONFIG_MAP;
  const watchNs = o.watchNamespace || undefined;

  const nativeKinds = allNativeKinds(adapterOf);
  const mapper = restMapper(nativeKinds);
  const writer = new Writer(client, { plural: (av, kind) => mapper.mapping(av, kind)?.plural }, metrics, fence);
  const events = new EventRecorder(client, 'smi-operator', metrics, fence);

  const cache = new ClusterCache(client, log, (kind) => metrics.relists.inc({ kind }));
  // Each kind keeps only what its readers use (cache/transform.ts), with repeated strings shared.
  const interner = new Interner();
  const keep = (k: { apiVersion: string; kind: string }, i: Interner = interner): InformerOptions['transform'] => transformFor(k.apiVersion, k.kind, i);
  // Our native objects are held only as text: nothing keeps their strings, so none is interned.
  const noInterner = new NoInterner();
  // The kinds held by the thousand are kept as JSON text (cache/compact.ts); the few others as objects.
  for (const k of [...SMI_RESOURCE_KINDS, SERVICE, SERVICE_ACCOUNT, ...WORKLOAD_KINDS]) cache.watch(k, { namespace: watchNs, transform: keep(k), compact: true });
  cache.watch(CONFIG_MAP, { namespace: o.namespace, fieldSelector: `metadata.name=${configMapName}` });
  const managedSelector = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;
  for (const k of nativeKinds) cache.watch(k, { namespace: watchNs, labelSelector: managedSelector, retryMs: 2000, transform: keep(k, noInterner), compact: true }, nativeKindKey(k.apiVersion, k.kind));
  // The user's own routing objects of those kinds (not ours: those are cached above): clashes with ours are reported as Conflict.
  for (const k of USER_KINDS) cache.watch(k, { namespace: watchNs, labelSelector: `${MANAGED_BY_LABEL}!=${MANAGED_BY_VALUE}`, retryMs: 2000, transform: userObjectTransform(interner) }, userKindKey(k.apiVersion, k.kind));

  const index = new DependencyIndex();
  index.unitsWanted = false; // until the caches are synced
  // The handler closes over `reconciler`, created below; the queue runs only after start().
  let started = 0;
  const queue = new WorkQueue((k) => (started++, reconciler.reconcile(k)), { concurrency: o.concurrency ?? DEFAULT_CONCURRENCY, baseDelayMs: 200, maxDelayMs: 60_000 });
  const allUnits = (): Set<string> => index.allUnits(['HTTPRouteGroup', 'TCPRoute', 'UDPRoute'].flatMap((k) => cache.list(k)));
  const enqueueAll = (): void => {
    for (const u of allUnits()) queue.add(u);
  };
  const config = new ConfigReloader({
    defaultMesh: o.defaultMesh ?? DEFAULT_MESH,
    metrics,
    log: log.child({ namespace: o.namespace, name: configMapName }),
    event: (cm, e) => void reconciler.status.event(cm, e),
    changed: () => {
      if (leader) void primeThenRun();
      else enqueueAll();
    },
  });
  const conflicts = new ConflictWatches(client, (o) => mapper.tryPath({ apiVersion: o.apiVersion, kind: o.kind, metadata: { namespace: o.metadata.namespace } }), (u) => queue.add(u));

  const offload = o.offload !== false && !o.adapter ? new Offload() : undefined;
  const reconciler: Reconciler = new Reconciler({
    fence,
    ...(offload ? { offload } : {}),
    watchConflict: (u, blocking) => conflicts.watch(u, blocking),
    cache,
    index,
    writer,
    events,
    metrics,
    log,
    config: () => config.current(),
    adapter: adapterOf,
    enqueue: (u, after) => (after ? queue.addAfter(u, after) : queue.add(u)),
    countReconciles: o.countReconciles ?? false,
  });

  metrics.watchQueueDepth(() => queue.depth);
  let synced = false;
  const nativeKindNames = new Set(nativeKinds.map((k) => nativeKindKey(k.apiVersion, k.kind)));
  const triggers = { index, nativeKinds: nativeKindNames, isEcho: (x: KubeObject, deleted: boolean) => reconciler.isEcho(x, deleted), claimantsOf: (k: string) => reconciler.claimantsOf(k), forget: (x: KubeObject) => reconciler.forget(x) };
  cache.onChange((kind, old, next) => {
    if (kind === 'ConfigMap') {
      if (synced) config.load(next);
      return;
    }
    if (kind.startsWith('user:')) {
      // Someone else's VirtualService/route came, changed or went: re-check the units (rare; all of them).
      const o = (next ?? old) as KubeObject;
      if (synced && o.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE && old?.metadata.resourceVersion !== next?.metadata.resourceVersion) enqueueAll();
      return;
    }
    const units = unitsToReconcile(kind, old, next, triggers);
    if (nativeKindNames.has(kind)) {
      let n = 0;
      for (const k of nativeKindNames) n += cache.informer(k)?.store.size ?? 0;
      metrics.managedObjects.set(n);
    }
    if (!synced) return;
    for (const u of units) queue.add(u);
  });

  // ---- leadership ----
  let leader = false;
  let stopping = false;
  /** The priming in progress, if any: idle() and stop() wait for it. */
  let priming: Promise<void> | undefined;
  /**
   * A new leader or a new configuration: pause reconciling, translate every unit (yielding
   * between units), then reconcile them all. Abandoned when leadership ends, the operator
   * stops or a newer priming starts (only the newest one starts the queue).
   */
  const primeThenRun = (): Promise<void> => {
    queue.stop();
    const run = reconciler.primeClaims(allUnits(), () => leader && !stopping).then(
      (done) => {
        if (!done) return;
        queue.start();
        enqueueAll();
      },
      (err: unknown) => void log.error('priming failed', { error: err instanceof Error ? err.message : String(err) }),
    );
    const tracked: Promise<void> = run.finally(() => {
      if (priming === tracked) priming = undefined;
    });
    priming = tracked;
    return tracked;
  };
  const onLeader = (isLeader: boolean): Promise<void> | undefined => {
    leader = isLeader;
    metrics.leader.set(isLeader ? 1 : 0);
    // Before anything else: a new term for new work; the end of the term fences the work in flight.
    if (isLeader) fence.begin();
    else fence.end('lost leadership');
    if (isLeader && synced && !stopping) return primeThenRun();
    if (!isLeader) queue.stop();
    return undefined;
  };
  const elector = o.leaderElect
    ? new LeaderElector(client, { namespace: o.namespace, name: o.leaseName ?? DEFAULT_LEASE_NAME, identity, leaseDurationSeconds: o.leaseDurationSeconds ?? 15, retryPeriodMs: o.leaseRetryMs ?? 2000 }, log, (v) => void onLeader(v))
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
  index.unitsWanted = true;
  config.load(cache.get('ConfigMap', o.namespace, configMapName));
  log.info('caches synced', { kinds: cache.kinds().length, mesh: config.current().mesh });
  if (elector) elector.start();
  else await onLeader(true);
  const gc = o.idleGc ? lastResortGc() : undefined;
  const idleGc = gc
    ? new IdleGc({
        busy: () => queue.depth > 0 || queue.inFlight > 0 || priming !== undefined,
        activity: () => started,
        gc,
        collected: (before, after, ms) => log.debug('returned idle heap pages', { committedMiB: Math.round(before / 2 ** 20), afterMiB: Math.round(after / 2 ** 20), ms }),
      })
    : undefined;
  idleGc?.start();

  return {
    identity,
    metrics,
    cache,
    healthPort,
    metricsPort,
    isLeader: () => leader,
    ready: () => readyDetail().ok,
    config: () => config.current(),
    async idle() {
      while (priming) await priming;
      await queue.idle();
      await reconciler.status.flushed();
    },
    reconcileCounts: () => reconciler.counts,
    async stop(opts = {}) {
      stopping = true;
      idleGc?.stop();
      conflicts.stop();
      queue.stop();
      await priming;
      await queue.idle();
      await reconciler.status.flushed();
      fence.end('stopping');
      await elector?.stop(opts.releaseLease !== false);
      cache.stop();
      served.stop();
      await offload?.close();
      await Promise.all(servers.map((s) => s.close()));
      log.info('stopped');
    },
  };
}
