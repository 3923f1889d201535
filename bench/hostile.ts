// `make bench-hostile`: what hostile but admissible input costs the event loop, in
// process, no control plane. CPU is this thread's (process.threadCpuUsage), so the
// figures hold on a loaded machine better than wall time; each is also compared with
// the reference group measured in the same run. Results: BENCHMARKS.md, "Hostile input".
//   node dist/bench/hostile.js

import { performance } from 'node:perf_hooks';
import { buildSnapshot } from '../adapters/common/snapshot.js';
import { getAdapter } from '../adapters/index.js';
import { DEFAULT_MESH_OPTIONS, MESH_NAMES } from '../adapters/types.js';
import { Offload } from '../operator/offload/offload.js';
import type { KubeObject } from '../schemas/hub.js';
import { validateSmiObject } from '../schemas/validate.js';
import { cpuMs, deployment, MAX_GROUP, REGEX_SHAPES, referenceGroup, routeGroupOf, service, serviceAccount, target } from '../test/unit/fuzz/hostile-corpus.js';

const NS = 'bench';
const out = (s: string): void => void process.stdout.write(`${s}\n`);
const ms = (x: number): string => x.toFixed(0);
/** A Markdown table, first row the header. */
const table = (rows: string[][]): string => [rows[0]!, rows[0]!.map(() => '---'), ...rows.slice(1)].map((r) => `| ${r.join(' | ')} |`).join('\n');

// 1. One admitted object, cold: validation of a maximal group of each shape.
validateSmiObject(referenceGroup(NS, 'warm-up', { matches: 1, headers: 0, bytes: 16 }));
const ref = referenceGroup(NS, 'reference');
const refCost = cpuMs(() => validateSmiObject(ref)).ms;
const rows: string[][] = [['shape (maximal group)', 'KB', 'regexes', 'verdict', 'cold CPU ms', '× reference', 'warm CPU ms']];
rows.push(['reference: plain alternations', ms(JSON.stringify(ref).length / 1024), '-', 'valid', ms(refCost), '1.0', ms(cpuMs(() => validateSmiObject(ref)).ms)]);
for (const s of REGEX_SHAPES) {
  const g = routeGroupOf(NS, 'g', MAX_GROUP, s.make);
  const n = (g.spec as { matches: Array<{ headers: object }> }).matches.reduce((a, m) => a + 1 + Object.keys(m.headers).length, 0);
  const cold = cpuMs(() => validateSmiObject(g));
  const m = cold.value.problems[0]?.message ?? '';
  const verdict = !m ? 'valid' : /ms of CPU/.test(m) ? 'over CPU budget' : /RE2 instructions/.test(m) ? 'over program size' : /bytes long/.test(m) ? 'over 1 KB' : 'not RE2';
  rows.push([s.name, ms(JSON.stringify(g).length / 1024), String(n), verdict, ms(cold.ms), (cold.ms / refCost).toFixed(1), ms(cpuMs(() => validateSmiObject(g)).ms)]);
}
out('\n## 1. Validation of one maximal HTTPRouteGroup (cold: every regex new to the compile cache)\n');
out(table(rows));

// 2. One unit: a destination whose TrafficTarget names k maximal groups, translated inline (regexes compiled).
const world = (k: number): KubeObject[] => {
  const groups = Array.from({ length: k }, (_, i) => referenceGroup(NS, `g${i}`));
  return [
    serviceAccount(NS, 'api'),
    serviceAccount(NS, 'client'),
    service(NS, 'api', { app: 'api' }),
    deployment(NS, 'api', 'api', { app: 'api' }),
    ...groups,
    target(NS, 'tt', 'api', ['client'], groups.map((g) => ({ kind: 'HTTPRouteGroup', name: g.metadata.name, matches: ['m0'] }))),
  ];
};
const unitRows: string[][] = [['k groups', 'SMI KB', ...MESH_NAMES.map((m) => `${m} ms`)]];
for (const k of [1, 2, 4, 8]) {
  const objs = world(k);
  for (const o of objs) validateSmiObject(o); // compiled, as after admission
  const kb = objs.filter((o) => o.apiVersion.includes('smi-spec.io')).reduce((a, o) => a + JSON.stringify(o).length, 0) / 1024;
  unitRows.push([String(k), ms(kb), ...MESH_NAMES.map((m) => ms(cpuMs(() => getAdapter(m).translate(buildSnapshot(objs).snapshot, DEFAULT_MESH_OPTIONS)).ms))]);
}
out('\n## 2. One unit translated inline on the event loop, by the number of maximal groups its TrafficTargets name\n');
out(table(unitRows));

// 3. The same unit through the offload worker: what the event loop pays per turn, and the worker's cost.
const objs = world(8);
const off = new Offload({ idleMs: 60_000 });
const rss0 = process.memoryUsage().rss;
let longest = 0;
let last = performance.now();
const tick = setInterval(() => {
  const now = performance.now();
  longest = Math.max(longest, now - last);
  last = now;
}, 1);
const loopCpu0 = process.threadCpuUsage();
const wall0 = performance.now();
await off.translate('istio', DEFAULT_MESH_OPTIONS, objs);
const first = { wall: performance.now() - wall0, loop: process.threadCpuUsage(loopCpu0) };
const again0 = process.threadCpuUsage();
const wall1 = performance.now();
await off.translate('istio', DEFAULT_MESH_OPTIONS, objs);
const again = { wall: performance.now() - wall1, loop: process.threadCpuUsage(again0) };
clearInterval(tick);
const rss1 = process.memoryUsage().rss;
await off.close();
out('\n## 3. The 8-group unit through the offload worker\n');
out(
  table([
    ['', 'wall ms', 'event-loop CPU ms', 'longest event-loop turn ms'],
    ['first (worker start + objects sent)', ms(first.wall), ms((first.loop.user + first.loop.system) / 1000), ms(longest)],
    ['again (objects already there)', ms(again.wall), ms((again.loop.user + again.loop.system) / 1000), ''],
  ]),
);
out(`\nRSS with the worker running: +${ms((rss1 - rss0) / 1048576)} MiB (it stops after 30 s idle)`);
