// B2 bulk (+ B4 memory/CPU): apply N SMI objects at once with the operator
// running; time until every translated object is right and every SMI object is
// Ready. Compared with B0 for the same native objects, and with the floor of
// the whole workload (the SMI writes + native writes + status writes, direct).

import { loadavg } from 'node:os';
import type { TestCluster } from '../dev/controlplane/cluster.js';
import type { KubeObject } from '../schemas/hub.js';
import { directApply, type DirectRun } from './b0.js';
import { interleaved, median } from './lib/samples.js';
import type { OperatorProc } from '../dev/world/operator-proc.js';
import { BenchKube, now, pool, sleep } from '../dev/world/kube.js';
import { pathOf } from '../dev/world/kube.js';
import { World } from '../dev/world/world.js';
import { apps, expectedNative } from '../dev/world/workload.js';

export interface B2Result {
  smiObjects: number;
  nativeObjects: number;
  concurrency: number;
  operatorSeconds: number;
  /** B0: the same native objects written directly. */
  direct: DirectRun;
  ratioToB0: number;
  /** 1-minute load average of the machine when the (last) apply started, when the operator converged, and after the direct run. */
  load: number[];
  /** SMI applies + native applies + status patches, written directly (the median of the samples). */
  workloadFloorSeconds: number;
  /** The median of the samples' ratios (each B2 over the floor measured just before it). */
  ratioToWorkloadFloor: number;
  /** Every pair, in order. operatorSeconds is the median of their B2 times. */
  samples: B2Sample[];
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

export interface FloorRun {
  /** From the first write until the bench's watches show every native object right and every SMI object Ready: B2's "done". */
  seconds: number;
  /** From the first write until the last write was answered (the floor of runs before 2026-12-05). */
  writesSeconds: number;
}

/**
 * The writes the operator path needs, done by a direct client: SMI + native applies, then one
 * status patch per SMI object. Timed like B2: until the same watches (dev/world/track.ts) have
 * seen the last of them, so the floor pays the same watch delivery the B2 figure does.
 */
export async function workloadFloor(k: BenchKube, cluster: TestCluster, nSmi: number, c: number): Promise<FloorRun> {
  const ns = await k.createNamespace('floor');
  const w = new World(k, cluster, ns, c);
  w.apps = apps(ns, nSmi);
  w.expected = expectedNative(ns, w.apps);
  const smi = w.smiObjects;
  const status = { status: { observedGeneration: 1, conditions: [{ type: 'Ready', status: 'True', reason: 'Applied', message: 'istio: applied', lastTransitionTime: '2026-01-01T00:00:00Z', observedGeneration: 1 }] } };
  await w.track();
  try {
    const t0 = now();
    // Listening before the first write: converged() checks each event as it comes.
    const done = w.converged(30 * 60_000);
    // A failed write throws below; stop() then ends this wait, and nobody is left to see it.
    done.catch(() => {});
    await k.applyAll([...smi, ...w.expected], c);
    await pool(smi, c, async (o: KubeObject) => {
      const r = await k.client.request('PATCH', pathOf(o, 'status'), { body: status, contentType: 'application/merge-patch+json' });
      if (!r.ok) throw new Error(`status ${o.metadata.name}: ${r.error.message}`);
    });
    const tw = now();
    const t1 = await done;
    return { seconds: (t1 - t0) / 1000, writesSeconds: (tw - t0) / 1000 };
  } finally {
    await w.stop();
  }
}

/** Where one bulk apply's time went: seconds from the first SMI apply. */
export interface BulkPhases {
  /** The bench's own SMI applies answered. */
  smiApplied: number;
  /** The last expected native object seen right by the watch. */
  lastNative: number;
  /** The last SMI status seen by the watch (= converged). */
  lastStatus: number;
  /** Operator counters over the window: reconciles by unit type, writes by target, seconds spent in reconciles by unit type (over all workers). */
  reconciles: Record<string, number>;
  writes: Record<string, number>;
  reconcileSeconds: Record<string, number>;
}

type Counters = Pick<BulkPhases, 'reconciles' | 'writes' | 'reconcileSeconds'>;

async function counters(w: World): Promise<Counters> {
  const m = await w.op!.metrics();
  const by = (name: string, label: string): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const x of m) if (x.name === name) out[x.labels[label] ?? ''] = (out[x.labels[label] ?? ''] ?? 0) + x.value;
    return out;
  };
  return { reconciles: by('smi_operator_reconciles_total', 'unit'), writes: by('smi_operator_writes_total', 'target'), reconcileSeconds: by('smi_operator_reconcile_duration_seconds_sum', 'unit') };
}

const minus = (a: Record<string, number>, b: Record<string, number>): Record<string, number> => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v - (b[k] ?? 0)]));

/**
 * B2 proper: apply the world's SMI objects at concurrency c with its operator running and idle;
 * seconds until the watch shows every native object right and every SMI object Ready.
 */
export async function bulkApply(k: BenchKube, world: World, c: number): Promise<{ seconds: number; phases: BulkPhases }> {
  const before = await counters(world);
  const t0 = now();
  await k.applyAll(world.smiObjects, c);
  const tApplied = now();
  const t1 = await world.converged(30 * 60_000);
  const after = await counters(world);
  const lastOf = (ts: Iterable<{ seenAt: Map<string, number> }>): number => {
    let last = t0;
    for (const t of ts) for (const at of t.seenAt.values()) if (at > last) last = at;
    return last;
  };
  return {
    seconds: (t1 - t0) / 1000,
    phases: {
      smiApplied: (tApplied - t0) / 1000,
      lastNative: (lastOf(world.native.values()) - t0) / 1000,
      lastStatus: (lastOf(world.smi.values()) - t0) / 1000,
      reconciles: minus(after.reconciles, before.reconciles),
      writes: minus(after.writes, before.writes),
      reconcileSeconds: minus(after.reconcileSeconds, before.reconcileSeconds),
    },
  };
}

/** One pair: the floor, then B2 right after it, with the 1-minute load average at each start and at the end. */
export interface B2Sample {
  floor: FloorRun;
  b2Seconds: number;
  ratio: number;
  phases: BulkPhases;
  load: { floor: number; b2: number; end: number };
}

/**
 * B2 at nSmi: `pairs` interleaved pairs (floor, B2, floor, B2, ...), each B2 in a fresh world with
 * a fresh operator; the figures are medians and every sample is kept. B4 and the returned world
 * (for B1, B3, B5) are the last pair's.
 */
export async function b2(k: BenchKube, cluster: TestCluster, nSmi: number, c: number, log: (s: string) => void, pairs = 1): Promise<{ result: B2Result; world: World }> {
  const l1 = (): number => loadavg()[0]!;
  let world: World | undefined;
  let b4: B2Result['b4'] | undefined;
  try {
    const runs = await interleaved(
      pairs,
      async (i) => {
        const load = l1();
        const floor = await workloadFloor(k, cluster, nSmi, c);
        log(`B2 N=${nSmi} #${i + 1}/${pairs}: workload floor ${floor.seconds.toFixed(2)} s (writes answered at ${floor.writesSeconds.toFixed(2)} s; load ${load.toFixed(1)})`);
        return { floor, load };
      },
      async (i) => {
        await world?.stop();
        world = await World.create(k, cluster, nSmi, c);
        log(`B2 N=${nSmi} #${i + 1}/${pairs}: context applied (${world.apps.length} apps) in ${world.ns}`);
        const op = await world.startOperator();
        await world.track();
        await world.settle(2000);
        log(`B2 N=${nSmi} #${i + 1}/${pairs}: operator ${op.pid} idle; applying ${world.smiObjects.length} SMI objects`);
        const last = i === pairs - 1;
        const gcStart = last ? await op.usageAfterGc() : undefined;
        const start = op.usage();
        const load = l1();
        const r = await bulkApply(k, world, c);
        const end = l1();
        log(`B2 N=${nSmi} #${i + 1}/${pairs}: operator converged in ${r.seconds.toFixed(2)} s (load ${load.toFixed(1)} -> ${end.toFixed(1)}; SMI applies answered at ${r.phases.smiApplied.toFixed(2)} s)`);
        if (last) b4 = await memory(world, start, gcStart!);
        return { ...r, load, end };
      },
    );
    const samples: B2Sample[] = runs.map(([f, b]) => ({ floor: f.floor, b2Seconds: b.seconds, ratio: b.seconds / f.floor.seconds, phases: b.phases, load: { floor: f.load, b2: b.load, end: b.end } }));
    const w = world!;
    const operatorSeconds = median(samples.map((s) => s.b2Seconds));
    const floor = median(samples.map((s) => s.floor.seconds));
    const direct = await directApply(k, (ns) => expectedNative(ns, apps(ns, nSmi)), c);
    log(`B2 N=${nSmi}: direct (B0) ${direct.objects} native objects in ${direct.seconds.toFixed(2)} s`);
    const ratio = median(samples.map((s) => s.ratio));
    log(`B2 N=${nSmi}: ${pairs > 1 ? `median of ${pairs} pairs: ` : ''}B2 ${operatorSeconds.toFixed(2)} s, floor ${floor.toFixed(2)} s, ratio ${ratio.toFixed(2)}`);
    const lastS = samples[samples.length - 1]!;
    return {
      world: w,
      result: {
        smiObjects: w.smiObjects.length,
        nativeObjects: w.expected.length,
        concurrency: c,
        operatorSeconds,
        load: [lastS.load.b2, lastS.load.end, l1()],
        direct,
        ratioToB0: operatorSeconds / direct.seconds,
        workloadFloorSeconds: floor,
        ratioToWorkloadFloor: ratio,
        samples,
        b4: b4!,
      },
    };
  } catch (e) {
    await world?.stop();
    throw e;
  }
}

/** B4: the operator's memory once it has converged and been quiet long enough for its idle GC. */
async function memory(world: World, start: ReturnType<OperatorProc['usage']>, gcStart: B2Result['b4']['gcStart']): Promise<B2Result['b4']> {
  const op = world.op!;
  await world.settle(3000);
  // Idle RSS is read once the operator has been quiet long enough for its idle GC (10 s quiet).
  await sleep(15_000);
  const end = op.usage();
  const gcEnd = await op.usageAfterGc();
  const cachedObjects = world.smiObjects.length + world.expected.length;
  return {
    rssStartBytes: start.rssBytes,
    rssBytes: end.rssBytes,
    peakRssBytes: end.peakRssBytes,
    cpuSeconds: end.cpuSeconds - start.cpuSeconds,
    cachedObjects,
    bytesPerCachedObject: (end.rssBytes - start.rssBytes) / cachedObjects,
    gcStart,
    gcEnd,
    heapBytesPerCachedObject: (gcEnd.heapUsedBytes - gcStart.heapUsedBytes) / cachedObjects,
    runtime: op.runtime,
  };
}
