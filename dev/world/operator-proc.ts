// Runs the real `smictl operator` as a child process for benchmarks and fault
// tests: start it and wait for its ready line, scrape its /metrics,
// read its RSS/CPU from /proc, stop gracefully or kill -9.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONCURRENCY } from '../../operator/config/mesh-config.js';
import { parseProm, sum, type Sample } from './prom.js';

const SMICTL = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'cli', 'smictl.js');

export interface OperatorProcOptions {
  kubeconfigPath: string;
  namespace: string;
  leaderElect?: boolean;
  leaseSeconds?: number;
  leaseRetryMs?: number;
  identity?: string;
  concurrency?: number;
  /** Where the child's stderr goes (operator logs); default: discarded. */
  logLevel?: string;
  /** Resolve start() before the caches are synced (a standby still prints once synced). */
  startTimeoutMs?: number;
}

const CLK_TCK = 100; // Linux USER_HZ
/**
 * The node flags of the manager container: its `command` between `node` and the script
 * (config/manager/manager.yaml, and the image's CMD). On the command line, not in NODE_OPTIONS:
 * node refuses V8 flags such as --max-opt there.
 */
export const DEPLOYMENT_NODE_FLAGS = '--max-semi-space-size=4 --max-opt=2 --memory-saver-mode';
/** Where the image puts jemalloc (Dockerfile), preloaded by the manager container's LD_PRELOAD. */
export const IMAGE_JEMALLOC = '/usr/local/lib/libjemalloc.so.2';
/** The malloc settings of the manager container (config/manager/manager.yaml); a variable set here wins. */
export const DEPLOYMENT_ENV: Readonly<Record<string, string>> = {
  LD_PRELOAD: IMAGE_JEMALLOC,
  MALLOC_CONF: 'background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0,narenas:2',
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '65536',
  MALLOC_TRIM_THRESHOLD_: '131072',
};
/** This machine's copy of the image's jemalloc (Debian's libjemalloc2), if any. */
const LOCAL_JEMALLOC = [IMAGE_JEMALLOC, '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2', '/usr/lib/aarch64-linux-gnu/libjemalloc.so.2'];

/**
 * The container's environment as it applies on this machine: the image's jemalloc path mapped to
 * the local one; without jemalloc here the child runs on glibc malloc (with the glibc settings)
 * and `allocator` says so, for the benchmark to report.
 */
export function deploymentEnv(exists: (p: string) => boolean = existsSync): { env: Record<string, string>; allocator: string } {
  const { LD_PRELOAD: _image, ...rest } = DEPLOYMENT_ENV;
  const local = LOCAL_JEMALLOC.find(exists);
  return local ? { env: { ...rest, LD_PRELOAD: local }, allocator: `jemalloc (${local})` } : { env: rest, allocator: 'glibc malloc (no libjemalloc.so.2 here: apt-get install libjemalloc2)' };
}

// Children die with us, even when a test or benchmark fails half-way.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

export class OperatorProc {
  private child: ChildProcess | undefined;
  port = 0;
  pid = 0;
  identity = '';
  exited: Promise<number | null> = Promise.resolve(null);
  stderr = '';
  /** The child's node flags and malloc (deploymentEnv), for the benchmark to report. */
  runtime = '';

  constructor(private readonly o: OperatorProcOptions) {}

  async start(): Promise<this> {
    // One server on a free port for probes and /metrics; the ready line says which.
    const args = [SMICTL, 'operator', '--kubeconfig', this.o.kubeconfigPath, '--namespace', this.o.namespace, '--watch-namespace', this.o.namespace, '--health-port', '0', '--metrics-port', '0', '--concurrency', String(this.o.concurrency ?? DEFAULT_CONCURRENCY), '--log-level', this.o.logLevel ?? (process.env.SMI_BENCH_VERBOSE ? 'info' : 'silent')];
    if (this.o.leaderElect) args.push('--leader-elect', '--lease-duration', String(this.o.leaseSeconds ?? 15), '--lease-retry', String((this.o.leaseRetryMs ?? 2000) / 1000));
    if (this.o.identity) args.push('--identity', this.o.identity);
    // Node flags and allocator for the operator child: by default what config/manager's container
    // runs, so B4 measures the deployed process; SMI_BENCH_NODE_FLAGS overrides ('' for V8's defaults).
    const nodeFlags = (process.env.SMI_BENCH_NODE_FLAGS ?? DEPLOYMENT_NODE_FLAGS).split(/\s+/).filter(Boolean);
    const { env, allocator } = deploymentEnv();
    this.runtime = `node ${nodeFlags.join(' ')}; ${allocator}`;
    const child = spawn(process.execPath, ['--expose-gc', ...nodeFlags, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, ...process.env } });
    this.child = child;
    live.add(child);
    this.exited = new Promise((r) => child.once('exit', (code) => (live.delete(child), r(code))));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      this.stderr = (this.stderr + d).slice(-20_000);
      if (process.env.SMI_BENCH_VERBOSE) process.stderr.write(d);
    });
    const line = await new Promise<string>((resolve, reject) => {
      let buf = '';
      const t = setTimeout(() => reject(new Error(`operator did not start within ${this.o.startTimeoutMs ?? 120_000} ms; stderr: ${this.stderr.slice(-2000)}`)), this.o.startTimeoutMs ?? 120_000);
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (d: string) => {
        buf += d;
        const nl = buf.indexOf('\n');
        if (nl >= 0) {
          clearTimeout(t);
          resolve(buf.slice(0, nl));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(t);
        reject(new Error(`operator exited with ${code} before ready; stderr: ${this.stderr.slice(-2000)}`));
      });
    });
    const info = JSON.parse(line) as { ready: true; metricsPort: number; pid: number; identity: string };
    this.port = info.metricsPort;
    this.pid = info.pid;
    this.identity = info.identity;
    return this;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  async metrics(): Promise<Sample[]> {
    const r = await fetch(`http://127.0.0.1:${this.port}/metrics`);
    return parseProm(await r.text());
  }

  async metric(name: string, pred?: (l: Record<string, string>) => boolean): Promise<number> {
    return sum(await this.metrics(), name, pred);
  }

  /** Resident set (current and peak; anonymous and file-backed, i.e. the binary's text) and CPU seconds (user+system) of the child, from /proc. */
  usage(): { rssBytes: number; peakRssBytes: number; rssAnonBytes: number; rssFileBytes: number; cpuSeconds: number } {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    // Fields 14/15 (utime/stime) after the parenthesised command name.
    const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpu = (Number(f[11]) + Number(f[12])) / CLK_TCK;
    return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM'), rssAnonBytes: kb('RssAnon'), rssFileBytes: kb('RssFile'), cpuSeconds: cpu };
  }

  /** Usage after a full GC in the child: what the operator really retains (RSS shrinks only as far as V8 returns pages). */
  async usageAfterGc(): Promise<{ rssBytes: number; rssAnonBytes: number; rssFileBytes: number; heapUsedBytes: number }> {
    // Done when the child's major-GC count (prom-client's nodejs_gc_duration_seconds, from V8's GC
    // performance entries) has moved past what it was before the signal.
    const majors = (): Promise<number> => this.metric('nodejs_gc_duration_seconds_count', (l) => l.kind === 'major');
    const before = await majors();
    process.kill(this.pid, 'SIGUSR2');
    const deadline = Date.now() + 30_000;
    while ((await majors()) <= before) {
      if (Date.now() > deadline) throw new Error(`operator ${this.pid}: no major GC within 30 s of SIGUSR2 (was it started with --expose-gc?)`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const u = this.usage();
    return { rssBytes: u.rssBytes, rssAnonBytes: u.rssAnonBytes, rssFileBytes: u.rssFileBytes, heapUsedBytes: await this.metric('nodejs_heap_size_used_bytes') };
  }

  /** Graceful stop (SIGTERM: releases the lease). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child!.kill('SIGTERM');
    const t = setTimeout(() => this.child?.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(t);
  }

  /** kill -9: no cleanup, the lease is not released. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child!.kill('SIGKILL');
    await this.exited;
  }
}
