// `make cluster-up` / `make cluster-down`: one long-lived local control plane for
// kubectl and manual runs. `up` forks a detached `serve` process that owns the
// cluster (its children die with it); `down` signals that process.
//
//   node dist/dev/controlplane/cluster-cli.js up|down|status

import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeConfig } from '@kubernetes/client-node';
import { startCluster } from './cluster.js';
import { sleep } from './http.js';
import { until } from '../world/kube.js';
import { kubeRequest } from './kube-request.js';
import { smiCache } from './paths.js';
import { removeOnExit, tail } from './proc.js';

interface State {
  pid: number;
  server: string;
  kubeconfigPath: string;
  runDir: string;
  startedAt: string;
  startMs: number;
}

const stateDir = (): string => process.env.SMI_CLUSTER_DIR ?? join(smiCache(), 'cluster');
const statePath = (): string => join(stateDir(), 'state.json');
const daemonLog = (): string => join(stateDir(), 'daemon.log');
const stableKubeconfig = (): string => join(stateDir(), 'kubeconfig');

function readState(): State | undefined {
  try {
    return JSON.parse(readFileSync(statePath(), 'utf8')) as State;
  } catch {
    return undefined;
  }
}

/** Alive and really our daemon (guards against pid reuse). */
function daemonAlive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('cluster-cli');
  } catch {
    return false;
  }
}

async function serve(): Promise<void> {
  const runDir = join(stateDir(), 'run');
  rmSync(runDir, { recursive: true, force: true });
  removeOnExit(runDir);
  process.on('exit', () => {
    rmSync(statePath(), { force: true });
    rmSync(stableKubeconfig(), { force: true });
  });
  const t0 = Date.now();
  const cluster = await startCluster({ runDir });
  copyFileSync(cluster.kubeconfigPath, stableKubeconfig());
  const state: State = {
    pid: process.pid,
    server: cluster.server,
    kubeconfigPath: stableKubeconfig(),
    runDir,
    startedAt: new Date().toISOString(),
    startMs: Date.now() - t0,
  };
  writeFileSync(statePath(), JSON.stringify(state, null, 2));
  console.log(`serving ${cluster.server}; logs in ${join(runDir, 'logs')}`);
  // Stay alive until signalled; the proc.ts handlers kill the children and exit.
  setInterval(() => undefined, 1 << 30);
}

async function up(): Promise<number> {
  mkdirSync(stateDir(), { recursive: true });
  const existing = readState();
  if (existing && daemonAlive(existing.pid)) {
    console.error(`cluster already running at ${existing.server} (pid ${existing.pid})`);
    console.log(`export KUBECONFIG=${existing.kubeconfigPath}`);
    return 0;
  }
  rmSync(statePath(), { force: true });
  const log = openSync(daemonLog(), 'w');
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [self, 'serve'], { detached: true, stdio: ['ignore', log, log], env: process.env });
  let exited = false;
  child.once('exit', () => (exited = true));
  child.unref();
  try {
    const state = await until('the cluster to start', async () => {
      if (exited) throw new Error('daemon exited');
      return readState();
    }, 5 * 60_000);
    console.error(`cluster up at ${state.server} in ${state.startMs} ms (daemon pid ${state.pid}, log ${daemonLog()})`);
    console.log(`export KUBECONFIG=${state.kubeconfigPath}`);
    return 0;
  } catch (err) {
    console.error(`cluster-up failed: ${err instanceof Error ? err.message : String(err)}\ndaemon log ${daemonLog()}:\n${tail(daemonLog(), 30)}`);
    if (!exited && child.pid) process.kill(child.pid, 'SIGTERM');
    return 1;
  }
}

async function down(): Promise<number> {
  const state = readState();
  if (!state || !daemonAlive(state.pid)) {
    console.error('no cluster running');
    // Leftovers of a daemon that was killed outright.
    for (const p of [statePath(), stableKubeconfig(), join(stateDir(), 'run')]) rmSync(p, { recursive: true, force: true });
    return 0;
  }
  process.kill(state.pid, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  while (daemonAlive(state.pid) && Date.now() < deadline) await sleep(100);
  if (daemonAlive(state.pid)) process.kill(state.pid, 'SIGKILL'); // children follow via pdeathsig
  rmSync(statePath(), { force: true });
  console.error(`cluster at ${state.server} stopped`);
  return 0;
}

async function status(): Promise<number> {
  const state = readState();
  if (!state || !daemonAlive(state.pid)) {
    console.log('down');
    return 1;
  }
  const kc = new KubeConfig();
  kc.loadFromFile(state.kubeconfigPath);
  const ready = await kubeRequest(kc, { method: 'GET', path: '/readyz' }).catch((err: Error) => ({ status: 0, text: err.message }));
  console.log(`up ${state.server} pid=${state.pid} readyz=${ready.status === 200 ? 'ok' : `${ready.status} ${ready.text}`}`);
  console.log(`export KUBECONFIG=${state.kubeconfigPath}`);
  return ready.status === 200 ? 0 : 1;
}

const commands: Record<string, () => Promise<number | void>> = { up, down, status, serve };
const cmd = process.argv[2] ?? '';
const run = commands[cmd];
if (!run) {
  console.error('usage: cluster-cli.js up|down|status');
  process.exit(2);
}
run().then(
  (code) => {
    if (typeof code === 'number') process.exit(code);
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
