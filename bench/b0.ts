// B0, the physical limit: server-side apply of the exact native objects the
// operator would write (adapter output + operator decoration), by a minimal
// client straight to the API server, into a fresh namespace. Concurrency sweep
// at one size, then the best concurrency at every size.

import type { KubeObject } from '../schemas/hub.js';
import { BenchKube, now } from '../dev/world/kube.js';
import { apps, expectedNative, SMI_PER_APP } from '../dev/world/workload.js';

export interface DirectRun {
  objects: number;
  concurrency: number;
  seconds: number;
  writesPerSecond: number;
}

/** Apply `objects(ns)` into a fresh namespace at concurrency c; the time of the writes only. */
export async function directApply(k: BenchKube, objects: (ns: string) => KubeObject[], c: number): Promise<DirectRun> {
  const ns = await k.createNamespace('b0');
  const objs = objects(ns);
  const t0 = now();
  await k.applyAll(objs, c, 'smi-operator');
  const seconds = (now() - t0) / 1000;
  return { objects: objs.length, concurrency: c, seconds, writesPerSecond: objs.length / seconds };
}

/** Native objects for about n of them: whole apps (3 per app with Istio). */
export const nativeFor = (n: number) => (ns: string): KubeObject[] => expectedNative(ns, apps(ns, Math.ceil(n / 3) * SMI_PER_APP)).slice(0, n);

export interface B0Result {
  sweep: DirectRun[];
  bestConcurrency: number;
  sizes: DirectRun[];
}

export async function b0(k: BenchKube, sizes: number[], sweepN: number, concurrencies: number[], log: (s: string) => void): Promise<B0Result> {
  const sweep: DirectRun[] = [];
  for (const c of concurrencies) {
    const r = await directApply(k, nativeFor(sweepN), c);
    log(`B0 sweep: ${r.objects} objects at c=${c}: ${r.seconds.toFixed(2)} s, ${r.writesPerSecond.toFixed(0)}/s`);
    sweep.push(r);
  }
  const best = sweep.reduce((a, b) => (b.writesPerSecond > a.writesPerSecond ? b : a)).concurrency;
  const runs: DirectRun[] = [];
  for (const n of sizes) {
    const r = await directApply(k, nativeFor(n), best);
    log(`B0: ${r.objects} objects at c=${best}: ${r.seconds.toFixed(2)} s, ${r.writesPerSecond.toFixed(0)}/s`);
    runs.push(r);
  }
  return { sweep, bestConcurrency: best, sizes: runs };
}
