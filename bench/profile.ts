// Profiles the operator child through one bulk apply (the B2 workload), for
// BENCHMARKS.md's "where the time went": starts a control plane and the real
// `smictl operator` with `--cpu-prof` and `--heapsnapshot-signal=SIGUSR1`,
// applies N SMI objects, waits for convergence, then takes a heap snapshot of
// the idle operator and stops it (which writes the CPU profile).
//   node dist/bench/profile.js --n 3000 [--dir /tmp/prof] [--no-heap]

import { mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startCluster } from '../dev/controlplane/cluster.js';
import { BenchKube, now, sleep } from '../dev/world/kube.js';
import { DEPLOYMENT_NODE_FLAGS } from '../dev/world/operator-proc.js';
import { World } from '../dev/world/world.js';

const { values: a } = parseArgs({ options: { n: { type: 'string', default: '3000' }, dir: { type: 'string', default: '/tmp/smi-prof' }, 'no-heap': { type: 'boolean', default: false }, c: { type: 'string', default: '16' } } });
const dir = a.dir!;
mkdirSync(dir, { recursive: true });
process.env.SMI_BENCH_NODE_FLAGS = `${process.env.SMI_BENCH_NODE_FLAGS ?? DEPLOYMENT_NODE_FLAGS} --cpu-prof --cpu-prof-dir=${dir} --heapsnapshot-signal=SIGUSR1 --diagnostic-dir=${dir}`;
const log = (s: string): void => void process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${s} (load ${loadavg()[0]!.toFixed(1)})\n`);
const rollup = (pid: number): string =>
  readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8')
    .split('\n')
    .filter((l) => /^(Rss|Anonymous|Private_Dirty|Shared_Clean):/.test(l))
    .join('; ');

const cluster = await startCluster({ controllerManager: false });
try {
  const k = new BenchKube(cluster.kubeConfig);
  const n = Number(a.n);
  const world = await World.create(k, cluster, n, Number(a.c));
  const op = await world.startOperator();
  await world.track();
  await world.settle(2000);
  log(`operator idle with the context: ${JSON.stringify(op.usage())}; ${rollup(op.pid)}`);
  const t0 = now();
  await k.applyAll(world.smiObjects, Number(a.c));
  log(`applied ${world.smiObjects.length} SMI objects in ${((now() - t0) / 1000).toFixed(1)} s`);
  const t1 = await world.converged(30 * 60_000);
  log(`converged in ${((t1 - t0) / 1000).toFixed(1)} s: ${JSON.stringify(op.usage())}`);
  await world.settle(3000);
  log(`settled: ${JSON.stringify(op.usage())}; ${rollup(op.pid)}`);
  log(`after a full GC: ${JSON.stringify(await op.usageAfterGc())}; ${rollup(op.pid)}`);
  if (!a['no-heap']) {
    process.kill(op.pid, 'SIGUSR1');
    await sleep(20_000);
    log('heap snapshot written');
  }
  await world.stop();
  log(`stopped; profiles in ${dir}`);
} finally {
  await cluster.stop();
}
