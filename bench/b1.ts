// B1 latency: one weight edit of a TrafficSplit (apply call start) until the
// watch shows the VirtualService with the new weights. 200 sequential edits,
// idle, then again while other SMI objects churn at a fixed rate.

import { loadavg } from 'node:os';
import type { KubeObject } from '../schemas/hub.js';
import { now, percentile, pool, sleep } from '../dev/world/kube.js';
import type { World } from '../dev/world/world.js';
import { routeGroup, split, target } from '../dev/world/workload.js';

export interface LatencyStats {
  changes: number;
  p50ms: number;
  p99ms: number;
  maxms: number;
  /** 1-minute load average when the edits ended. */
  load: number;
}
export interface B1Result {
  idle: LatencyStats;
  churn: LatencyStats & { churnObjects: number; churnRatePerSecond: number; churnApplied: number };
}

async function edits(w: World, n: number): Promise<LatencyStats> {
  const a = w.apps[0]!;
  const vs = w.native.get('VirtualService')!;
  const lat: number[] = [];
  for (let i = 0; i < n; i++) {
    const v2 = 1 + (i % 98) + (i % 2); // differs from the previous edit every time
    const weights = `"weight":${100 - v2}},{"destination":{"host":"${a.name}-v2.${w.ns}.svc.cluster.local"},"weight":${v2}}`;
    a.split = split(w.ns, a.name, 100 - v2, v2);
    const t0 = now();
    await w.k.apply(a.split);
    const t1 = await vs.until(`weights ${100 - v2}/${v2}`, (m) => JSON.stringify(m.get(`smi-split-${a.name}`)?.spec ?? {}).includes(weights), 120_000);
    lat.push(t1 - t0);
  }
  w.refreshExpected();
  lat.sort((x, y) => x - y);
  return { changes: n, p50ms: percentile(lat, 50), p99ms: percentile(lat, 99), maxms: lat[lat.length - 1]!, load: loadavg()[0]! };
}

/** A change to any SMI object of the other apps: weights, allowed matches, route paths. */
function churnChange(w: World, i: number, round: number): KubeObject {
  const a = w.apps[1 + (Math.floor(i / 3) % (w.apps.length - 1))]!;
  switch (i % 3) {
    case 0:
      return (a.split = split(w.ns, a.name, 90 - (round % 2) * 10, 10 + (round % 2) * 10));
    case 1:
      return (a.target = target(w.ns, a.name, a.name, `${a.name}-routes`, round % 2 ? ['read', 'write'] : ['read']));
    default:
      return (a.routes = routeGroup(w.ns, `${a.name}-routes`, round % 2 ? '/v2' : '/api'));
  }
}

export async function b1(w: World, n: number, churnObjects: number, churnRate: number, log: (s: string) => void): Promise<B1Result> {
  await w.settle();
  const idle = await edits(w, n);
  log(`B1 idle: p50 ${idle.p50ms.toFixed(0)} ms, p99 ${idle.p99ms.toFixed(0)} ms`);

  const others = Math.min(churnObjects, (w.apps.length - 1) * 3);
  let stop = false;
  let applied = 0;
  const t0 = now();
  const churn = (async () => {
    for (let round = 0; !stop; round++) {
      const batch = Array.from({ length: others }, (_, i) => i);
      // Paced: each worker sleeps so the total rate stays at churnRate.
      await pool(batch, 4, async (i) => {
        if (stop) return;
        const due = t0 + ((round * others + i) * 1000) / churnRate;
        const wait = due - now();
        if (wait > 0) await sleep(wait);
        if (stop) return;
        await w.k.apply(churnChange(w, i, round));
        applied++;
      });
    }
  })();
  await sleep(3000); // let the churn reach its steady state
  const loaded = await edits(w, n);
  stop = true;
  await churn;
  const rate = applied / ((now() - t0) / 1000);
  w.refreshExpected();
  log(`B1 churn (${others} objects, ${rate.toFixed(1)}/s): p50 ${loaded.p50ms.toFixed(0)} ms, p99 ${loaded.p99ms.toFixed(0)} ms`);
  await w.settle();
  return { idle, churn: { ...loaded, churnObjects: others, churnRatePerSecond: rate, churnApplied: applied } };
}
