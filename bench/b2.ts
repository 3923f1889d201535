// B2 bulk (+ B4 memory/CPU): apply N SMI objects at once with the operator
// running; time until every translated object is right and every SMI object is
// Ready. Compared with B0 for the same native objects, and with the floor of
// the whole workload (the SMI writes + native writes + status writes, direct).

import { loadavg } from 'node:os';
import type { TestCluster } from '../dev/controlplane/cluster.js';
import type { KubeObject } from '../schemas/hub.js';
import { directApply, type DirectRun } from './b0.js';
import { BenchKube, now, pool, sleep } from '../dev/world/kube.js';
import { pathOf } from '../dev/world/kube.js';
import { World } from '../dev/world/world.js';
import { apps, expectedNative, smiObjects } from '../dev/world/workload.js';

export interface B2Result {
  smiObjects: number;
  nativeObjects: number;
  concurrency: number;
  operatorSeconds: number;
  /** B0: the same native objects written directly. */
  direct: DirectRun;
  ratioToB0: number;
  /** 1-minute load average of the machine when the apply started, when the operator converged, and after the floor run. */
  load: number[];
  /** SMI applies + native applies + status patches, written directly. */
  workloadFloorSeconds: number;
  ratioToWorkloadFloor: number;
  b4: {
    rssStartBytes: number;
    rssBytes: number;
    peakRssBytes: number;
    cpuSeconds: number;
    bytesPerCachedObject: number;
    cachedObjects: number;
    /** After a forced full GC: start (context only) and converged. */
    gcStart: { rssBytes: number; rssAnonBytes?: number; rssFileBytes?: number; heapUsedBytes: number };
    gcEnd: { rssBytes: number; rssAnonBytes?: number; rssFileBytes?: number; heapUsedBytes: number };
    heapBytesPerCachedObject: number;
    /** The operator's node flags and malloc (the manager container's, unless overridden). */
    runtime: string;
  };
}

/** The writes the operator path needs, done by a direct client: SMI + native applies, then one status patch per SMI object. */
async function workloadFloor(k: BenchKube, nSmi: number, c: number): Promise<number> {
  const ns = await k.createNamespace('floor');
  const as = apps(ns, nSmi);
  const smi = smiObjects(as);
  const native = expectedNative(ns, as);
  const status = { status: { observedGeneration: 1, conditions: [{ type: 'Ready', status: 'True', reason: 'Applied', message: 'istio: applied', lastTransitionTime: '2026-01-01T00:00:00Z', observedGeneration: 1 }] } };
  const t0 = now();
  await k.applyAll([...smi, ...native], c);
  await pool(smi, c, async (o: KubeObject) => {
    const r = await k.client.request('PATCH', pathOf(o, 'status'), { body: status, contentType: 'application/merge-patch+json' });
    if (!r.ok) throw new Error(`status ${o.metadata.name}: ${r.error.message}`);
  });
  return (now() - t0) / 1000;
}

export async function b2(k: BenchKube, cluster: TestCluster, nSmi: number, c: number, log: (s: string) => void): Promise<{ result: B2Result; world: World }> {
  const world = await World.create(k, cluster, nSmi, c);
  log(`B2 N=${nSmi}: context applied (${world.apps.length} apps) in ${world.ns}`);
  const op = await world.startOperator();
  log(`B2 N=${nSmi}: operator ready (pid ${op.pid})`);
  await world.track();
  await world.settle(2000);
  log(`B2 N=${nSmi}: operator idle; applying ${world.smiObjects.length} SMI objects`);
  const gcStart = await op.usageAfterGc();
  const start = op.usage();
  const load = [loadavg()[0]!];
  const t0 = now();
  await k.applyAll(world.smiObjects, c);
  const t1 = await world.converged(30 * 60_000);
  const operatorSeconds = (t1 - t0) / 1000;
  load.push(loadavg()[0]!);
  log(`B2 N=${nSmi}: operator converged in ${operatorSeconds.toFixed(2)} s (load ${load.map((l) => l.toFixed(1)).join(' -> ')})`);
  await world.settle(3000);
  // Idle RSS is read once the operator has been quiet long enough for its idle GC (10 s quiet).
  await sleep(15_000);
  const end = op.usage();
  const gcEnd = await op.usageAfterGc();
  const cachedObjects = world.smiObjects.length + world.expected.length;
  const direct = await directApply(k, (ns) => expectedNative(ns, apps(ns, nSmi)), c);
  log(`B2 N=${nSmi}: direct (B0) ${direct.objects} native objects in ${direct.seconds.toFixed(2)} s`);
  const floor = await workloadFloor(k, nSmi, c);
  load.push(loadavg()[0]!);
  log(`B2 N=${nSmi}: workload floor ${floor.toFixed(2)} s (load ${load[2]!.toFixed(1)})`);
  return {
    world,
    result: {
      smiObjects: world.smiObjects.length,
      nativeObjects: world.expected.length,
      concurrency: c,
      operatorSeconds,
      load,
      direct,
      ratioToB0: operatorSeconds / direct.seconds,
      workloadFloorSeconds: floor,
      ratioToWorkloadFloor: operatorSeconds / floor,
      b4: {
        rssStartBytes: start.rssBytes,
        rssBytes: end.rssBytes,
        peakRssBytes: end.peakRssBytes,
        cpuSeconds: end.cpuSeconds - start.cpuSeconds,
        cachedObjects,
        bytesPerCachedObject: (end.rssBytes - start.rssBytes) / cachedObjects,
        gcStart,
        gcEnd,
        heapBytesPerCachedObject: (gcEnd.heapUsedBytes - gcStart.heapUsedBytes) / cachedObjects,
        runtime: world.op!.runtime,
      },
    },
  };
}
