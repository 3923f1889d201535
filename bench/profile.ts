// Profiles the operator child through one bulk apply (the B2 workload), for
// BENCHMARKS.md's "where the time went": starts a control plane and the real
// `smictl operator` with `--cpu-prof` and `--heapsnapshot-signal=SIGUSR1`,
// applies N SMI objects, waits for convergence, then takes a heap snapshot of
// the idle operator and stops it (which writes the CPU profile).
//   node dist/bench/profile.js --n 3000 [--dir /tmp/prof] [--no-heap] [--no-cpu-prof] [--idle 30]
// (--no-cpu-prof for RSS figures: the CPU profiler's own buffers are resident too.)

import { mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startCluster } from '../dev/controlplane/cluster.js';
import { BenchKube, now, sleep } from '../dev/world/kube.js';
import { DEPLOYMENT_NODE_FLAGS } from '../dev/world/operator-proc.js';
import { World } from '../dev/world/world.js';

const { values: a } = parseArgs({ options: { n: { type: 'string', default: '3000' }, dir: { type: 'string', default: '/tmp/smi-prof' }, 'no-heap': { type: 'boolean', default: false }, 'no-cpu-prof': { type: 'boolean', default: false }, c: { type: 'string', default: '16' }, idle: { type: 'string', default: '30' } } });
const dir = a.dir!;
mkdirSync(dir, { recursive: true });
process.env.SMI_BENCH_NODE_FLAGS = `${process.env.SMI_BENCH_NODE_FLAGS ?? DEPLOYMENT_NODE_FLAGS}${a['no-cpu-prof'] ? '' : ` --cpu-prof --cpu-prof-dir=${dir}`} --heapsnapshot-signal=SIGUSR1 --diagnostic-dir=${dir}`;
const log = (s: string): void => void process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${s} (load ${loadavg()[0]!.toFixed(1)})\n`);
const rollup = (pid: number): string =>
  readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8')
    .split('\n')
    .filter((l) => /^(Rss|Anonymous|Private_Dirty|Shared_Clean):/.test(l))
    .join('; ');

/** Resident anonymous memory by mapping: the malloc heap (brk), V8's heap pages, other anonymous mmaps; and file-backed. */
const smaps = (pid: number): string => {
  const acc: Record<string, number> = {};
  let name = '';
  let size = 0;
  for (const l of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(l);
    if (head) {
      name = head[1] ?? '';
      continue;
    }
    if (l.startsWith('Size:')) size = Number(/(\d+)/.exec(l)![1]);
    if (!l.startsWith('Rss:')) continue;
    const kb = Number(/(\d+)/.exec(l)![1]);
    const what = name === '[heap]' ? 'brk' : name.startsWith('/') ? 'file' : name === '' ? (size >= 1 << 20 ? 'anon-reservation>=1G(V8 cage)' : size >= 65536 ? 'anon-64M-1G(malloc arenas)' : size >= 1024 ? 'anon-1-64M' : 'anon<1M') : name;
    acc[what] = (acc[what] ?? 0) + kb;
  }
  return Object.entries(acc)
    .sort(([, a], [, b]) => b - a)
    .map(([k, v]) => `${k} ${(v / 1024).toFixed(1)}`)
    .join(', ');
};

const cluster = await startCluster({ controllerManager: false });
try {
  const k = new BenchKube(cluster.kubeConfig);
  const n = Number(a.n);
  const world = await World.create(k, cluster, n, Number(a.c));
  const op = await world.startOperator();
  await world.track();
  await world.settle(2000);
  log(`operator runs ${op.runtime}`);
  log(`operator idle with the context: ${JSON.stringify(op.usage())}; ${rollup(op.pid)}`);
  log(`resident MiB by mapping: ${smaps(op.pid)}`);
  const v8 = async (): Promise<string> => {
    const m = await op.metrics();
    const get = (n: string, space?: string): string => (m.filter((x) => x.name === n && (!space || x.labels.space === space)).reduce((s, x) => s + x.value, 0) / 2 ** 20).toFixed(1);
    return `heap used ${get('nodejs_heap_size_used_bytes')} of ${get('nodejs_heap_size_total_bytes')} committed (old space ${get('nodejs_heap_space_size_used_bytes', 'old')} of ${get('nodejs_heap_space_size_total_bytes', 'old')}), external ${get('nodejs_external_memory_bytes')} MiB`;
  };
  const t0 = now();
  await k.applyAll(world.smiObjects, Number(a.c));
  log(`applied ${world.smiObjects.length} SMI objects in ${((now() - t0) / 1000).toFixed(1)} s`);
  const t1 = await world.converged(30 * 60_000);
  log(`converged in ${((t1 - t0) / 1000).toFixed(1)} s: ${JSON.stringify(op.usage())}`);
  await world.settle(3000);
  log(`settled: ${JSON.stringify(op.usage())}; ${rollup(op.pid)}`);
  // Idle a while longer: V8's memory reducer (it compacts and releases pages once allocation
  // slows, after ~8 s timers) is what a deployed idle operator gets; the forced GC below is not it.
  await sleep(Number(a.idle) * 1000);
  log(`idle ${a.idle} s more: ${JSON.stringify(op.usage())}; by mapping: ${smaps(op.pid)}`);
  log(`V8 then: ${await v8()}`);
  log(`after a full GC: ${JSON.stringify(await op.usageAfterGc())}; ${rollup(op.pid)}`);
  log(`resident MiB by mapping: ${smaps(op.pid)}`);
  log(`V8 after the forced GC: ${await v8()}`);
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
