// B3 writes: the API server's own count of write requests (apiserver_request_total,
// verbs POST/PUT/PATCH/DELETE/APPLY) to the resources only the operator writes
// (native kinds, SMI status) around three events: re-applying every SMI object
// unchanged, restarting the operator, and one weight edit.

import { apiserverWrites, diffWrites, OPERATOR_RESOURCES } from '../dev/world/prom.js';
import type { World } from '../dev/world/world.js';
import { split } from '../dev/world/workload.js';

export interface WriteDelta {
  total: number;
  by: Record<string, number>;
}
export interface B3Result {
  reapplyUnchanged: WriteDelta;
  restart: WriteDelta;
  oneChange: WriteDelta;
  /** What one weight edit needs: the VirtualService and the TrafficSplit's status (observedGeneration). */
  oneChangeNeeded: number;
}

export async function b3(w: World, log: (s: string) => void): Promise<B3Result> {
  const writes = async (): Promise<WriteDelta> => apiserverWrites(await w.k.metricsText(), OPERATOR_RESOURCES);
  await w.settle();

  let before = await writes();
  await w.k.applyAll(w.smiObjects, w.concurrency);
  await w.settle();
  const reapplyUnchanged = diffWrites(await writes(), before);
  log(`B3 re-apply ${w.smiObjects.length} unchanged: ${reapplyUnchanged.total} writes`);

  before = await writes();
  await w.op!.stop();
  await w.startOperator();
  await w.settle(5000);
  const restart = diffWrites(await writes(), before);
  log(`B3 restart: ${restart.total} writes ${JSON.stringify(restart.by)}`);

  before = await writes();
  const a = w.apps[0]!;
  a.split = split(w.ns, a.name, 70, 30);
  await w.k.apply(a.split);
  w.refreshExpected();
  await w.native.get('VirtualService')!.until('weights 70/30', (m) => JSON.stringify(m.get(`smi-split-${a.name}`)?.spec).includes('"weight":70'), 60_000);
  await w.settle();
  const oneChange = diffWrites(await writes(), before);
  log(`B3 one change: ${oneChange.total} writes ${JSON.stringify(oneChange.by)}`);
  return { reapplyUnchanged, restart, oneChange, oneChangeNeeded: 2 };
}
