// `make bench`: starts a dedicated control plane (kube-apiserver + etcd, no
// controller manager) and runs B0-B5 against it; prints a table and writes the
// JSON to bench/results/. Default sizes fit a 2-core machine in minutes;
// --full adds the 10,000-object runs (B0, B2/B4, B5).
// B2 at the smaller size is the median of interleaved pairs (workload floor, B2) - 3 with --full -
// because one ~15 s sample on the shared 2-core machine swings by a third.
//   node dist/bench/run.js [--full] [--only B0,B2,...] [--changes 200] [--n 1000] [--pairs P] [--c C]

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startCluster } from '../dev/controlplane/cluster.js';
import { REPO_ROOT } from '../test/unit/schemas/paths.js';
import { b0, type B0Result } from './b0.js';
import { b1, type B1Result } from './b1.js';
import { b2, type B2Result } from './b2.js';
import { b3, type B3Result } from './b3.js';
import { b5, type FanoutPoint } from './b5.js';
import { BenchKube } from '../dev/world/kube.js';
import { table } from './lib/table.js';

const { values: a } = parseArgs({
  options: {
    full: { type: 'boolean', default: false },
    only: { type: 'string', default: 'B0,B1,B2,B3,B4,B5' },
    changes: { type: 'string', default: '200' },
    n: { type: 'string', default: '1000' },
    /** B2 pairs at --n (default: 3 with --full, else 1); one at 10,000. */
    pairs: { type: 'string' },
    /** Write concurrency when B0 (which picks the best) is not run. */
    c: { type: 'string', default: '4' },
  },
});
const pairsArg = a.pairs === undefined ? undefined : Number(a.pairs);
if (pairsArg !== undefined && !(Number.isInteger(pairsArg) && pairsArg >= 1)) throw new Error(`--pairs: a whole number of at least 1, not ${a.pairs}`);
if (!(Number(a.c) >= 1)) throw new Error(`--c: a concurrency of at least 1, not ${a.c}`);
const only = new Set(a.only!.split(',').map((s) => s.trim().toUpperCase()));
const log = (s: string): void => void process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${s}\n`);

interface Results {
  startedAt: string;
  machine: { cpus: number; model: string; memGiB: number; loadavgAtStart: number[] };
  full: boolean;
  b0?: B0Result;
  worlds: Array<{ n: number; b2?: B2Result; b3?: B3Result; b1?: B1Result; b5?: FanoutPoint[] }>;
  /** A benchmark that failed; the others still ran and their results are kept. */
  errors: string[];
  seconds?: number;
}

const res: Results = {
  startedAt: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '', memGiB: Math.round(totalmem() / 2 ** 30), loadavgAtStart: loadavg() },
  full: a.full!,
  worlds: [],
  errors: [],
};
/** Runs one benchmark; a failure is recorded and the run goes on (a long run must not lose everything). */
async function step<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    const msg = `${name}: ${e instanceof Error ? e.message : String(e)}`;
    log(`FAILED ${msg}`);
    res.errors.push(msg);
    return undefined;
  }
}
const t0 = Date.now();
const cluster = await startCluster({ controllerManager: false });
log(`control plane up at ${cluster.server}`);
try {
  const k = new BenchKube(cluster.kubeConfig);
  let best = Number(a.c);
  if (only.has('B0')) {
    res.b0 = await step('B0', () => b0(k, a.full ? [100, 1000, 10_000] : [100, 1000], 500, [1, 4, 16, 64], log));
    best = res.b0?.bestConcurrency ?? best;
  }
  const sizes = [Number(a.n), ...(a.full ? [10_000] : [])];
  for (const n of sizes) {
    const big = n >= 10_000;
    if (!['B1', 'B2', 'B3', 'B4', 'B5'].some((b) => only.has(b))) break;
    const pairs = big ? 1 : (pairsArg ?? (a.full ? 3 : 1));
    const r = await step(`B2 N=${n}`, () => b2(k, cluster, n, best, log, pairs));
    if (!r) continue;
    const { result, world } = r;
    const entry: Results['worlds'][number] = { n, b2: result };
    res.worlds.push(entry);
    try {
      if (only.has('B3') && !big) entry.b3 = await step('B3', () => b3(world, log));
      // B1 at 10,000 too: its p99 under churn is compared with the 1,000 one (same churn: 1,000 objects at 20/s).
      if (only.has('B1')) entry.b1 = await step('B1', () => b1(world, Number(a.changes), 1000, 20, log));
      if (only.has('B5')) entry.b5 = await step('B5', () => b5(world, [1, 10, 100], log));
    } finally {
      await world.stop();
    }
  }
} finally {
  await cluster.stop();
}
res.seconds = (Date.now() - t0) / 1000;

const dir = join(REPO_ROOT, 'bench', 'results');
mkdirSync(dir, { recursive: true });
const json = JSON.stringify(res, null, 2);
const file = join(dir, `bench-${res.startedAt.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, json);
writeFileSync(join(dir, 'latest.json'), json);
process.stdout.write(table(res));
for (const e of res.errors) process.stdout.write(`FAILED ${e}\n`);
process.stdout.write(`\nJSON: ${file} (also bench/results/latest.json); ${res.seconds.toFixed(0)} s in all\n`);
