// B5 fan-out: one HTTPRouteGroup referenced by k TrafficTargets (k distinct
// destinations) among N SMI objects. Editing it must cost reconciles in
// proportion to k, not N: counted from the operator's smi_operator_reconciles_total.

import type { World } from '../dev/world/world.js';
import { routeGroup, target } from '../dev/world/workload.js';

export interface FanoutPoint {
  k: number;
  n: number;
  reconciles: number;
  reconcilesPerReferrer: number;
}

export async function b5(w: World, ks: number[], log: (s: string) => void): Promise<FanoutPoint[]> {
  const name = 'fanout-routes';
  await w.k.apply(routeGroup(w.ns, name, '/fan'));
  const out: FanoutPoint[] = [];
  let have = 0;
  for (const k of ks.filter((x) => x <= w.apps.length)) {
    // Grow the referrers to k: extra targets on the first k apps' destinations.
    const added = [];
    for (let j = have; j < k; j++) added.push(target(w.ns, `fanout-${j}`, w.apps[j]!.name, name, ['read']));
    await w.k.applyAll(added, w.concurrency);
    have = k;
    await w.settle();
    const reconciles = async (): Promise<number> => w.op!.metric('smi_operator_reconciles_total');
    const before = await reconciles();
    await w.k.apply(routeGroup(w.ns, name, `/fan${k}`));
    // Every referrer's AuthorizationPolicy must show the new path before we count.
    const ap = w.native.get('AuthorizationPolicy')!;
    await ap.until(`${k} policies with /fan${k}`, (m) => w.apps.slice(0, k).every((a) => JSON.stringify(m.get(`smi-access-${a.name}`)?.spec ?? {}).includes(`/fan${k}/`)), 120_000);
    await w.settle();
    const n = (await reconciles()) - before;
    out.push({ k, n: w.smiObjects.length, reconciles: n, reconcilesPerReferrer: n / k });
    log(`B5 k=${k} of N=${w.smiObjects.length}: ${n} reconciles (${(n / k).toFixed(2)} per referrer)`);
  }
  for (let j = 0; j < have; j++) await w.k.delete('access.smi-spec.io/v1alpha3', 'TrafficTarget', w.ns, `fanout-${j}`);
  await w.k.delete('specs.smi-spec.io/v1alpha4', 'HTTPRouteGroup', w.ns, name);
  await w.settle();
  return out;
}
