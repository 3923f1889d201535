// Istio's own control plane for the xds level: `istio-oracle istiod` (test/istio-oracle) runs istiod's discovery
// server against the cluster's API server, and answers /sync (wait until istiod has seen a state and built a push
// context from it) and /xds (the listeners, routes and clusters of fake sidecars).

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface IstiodOptions {
  /** The `istio-oracle` binary. */
  binary: string;
  /** Admin kubeconfig file of the API server istiod watches. */
  kubeconfigPath: string;
  clusterDomain?: string;
  /** istiod's log goes here (default: a file in the run folder, kept when startup fails). */
  logPath?: string;
  startTimeoutMs?: number;
  /** Istio's log level for every scope (default warn). */
  logLevel?: string;
}

/** A fake sidecar: the workload (pod) it pretends to run in. */
export interface ProxySpec {
  pod: string;
  namespace: string;
  ip: string;
  serviceAccount: string;
  labels: Record<string, string>;
  ports?: Record<string, number>;
  clusterDomain?: string;
}

/** One sidecar's Envoy configuration as istiod generated it (protojson with proto field names). */
export interface ProxyXds {
  pod: string;
  namespace: string;
  versions: Record<string, string>;
  clusters: unknown[];
  listeners: unknown[];
  routes: unknown[];
}

export interface SyncRequest {
  kinds: Array<{ group: string; version: string; kind: string }>;
  namespaces: string[];
  configs: Array<{ group: string; kind: string; namespace: string; name: string; resourceVersion: string }>;
  services: Array<{ host: string; ports: number[] }>;
  timeoutSeconds?: number;
}

export interface Istiod {
  readonly addresses: Record<string, string>;
  readonly logPath: string;
  /** Waits until istiod has seen exactly this state; the returned push version must be passed to `xds`. */
  sync(req: SyncRequest): Promise<number>;
  xds(proxies: ProxySpec[], minVersion: number): Promise<ProxyXds[]>;
  mesh(): Promise<{ trustDomain: string; trustDomainAliases?: string[]; rootNamespace: string }>;
  stop(): Promise<void>;
}

function call<T>(addr: string, method: string, path: string, body?: unknown, timeoutMs = 60_000): Promise<T> {
  const [host, port] = [addr.slice(0, addr.lastIndexOf(':')), Number(addr.slice(addr.lastIndexOf(':') + 1))];
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request({ host, port, method, path, timeout: timeoutMs, headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        if (res.statusCode === 200 && parsed !== undefined) resolve(parsed as T);
        else reject(new Error(`istiod oracle ${method} ${path}: HTTP ${res.statusCode}: ${(parsed as { error?: string } | undefined)?.error ?? text.slice(0, 500)}`));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`istiod oracle ${method} ${path}: no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function httpStatus(addr: string, path: string): Promise<number> {
  const i = addr.lastIndexOf(':');
  return new Promise((resolve) => {
    const req = request({ host: addr.slice(0, i), port: Number(addr.slice(i + 1)), path, timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** Starts istiod; the namespace `istio-system` and Istio's CRDs must exist. */
export async function startIstiod(o: IstiodOptions): Promise<Istiod> {
  if (!existsSync(o.binary)) throw new Error(`istio-oracle binary not found: ${o.binary}`);
  const dir = mkdtempSync(join(tmpdir(), 'smi-istiod-'));
  const readyFile = join(dir, 'ready.json');
  const logPath = o.logPath ?? join(dir, 'istiod.log');
  const log = openSync(logPath, 'a');
  const env = {
    ...process.env,
    // What istiod reads from its Deployment's environment (pilot/pkg/bootstrap and pilot/pkg/features).
    POD_NAMESPACE: 'istio-system',
    POD_NAME: 'istiod-oracle',
    REVISION: 'default',
    PILOT_ENABLE_ANALYSIS: 'false',
    ISTIOD_CUSTOM_HOST: 'localhost',
    KUBECONFIG: o.kubeconfigPath,
  };
  const args = ['istiod', `--kubeconfig=${o.kubeconfigPath}`, `--readyFile=${readyFile}`, `--domain=${o.clusterDomain ?? 'cluster.local'}`, `--logLevel=${o.logLevel ?? 'warn'}`];
  const child: ChildProcess = spawn(o.binary, args, { env, stdio: ['ignore', log, log] });
  let exited: string | undefined;
  child.on('exit', (code, sig) => (exited = `exited (${sig ?? code})`));
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);

  const stop = async (): Promise<void> => {
    process.removeListener('exit', kill);
    if (child.exitCode === null && child.signalCode === null) {
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await done;
      clearTimeout(t);
    }
    if (!o.logPath) rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (o.startTimeoutMs ?? 120_000);
  let addresses: Record<string, string> | undefined;
  try {
    while (!addresses) {
      if (exited) throw new Error(`istiod ${exited}`);
      if (existsSync(readyFile)) addresses = JSON.parse(readFileSync(readyFile, 'utf8')) as Record<string, string>;
      else if (Date.now() > deadline) throw new Error('istiod did not start');
      else await sleep(100);
    }
    while ((await httpStatus(addresses.http!, '/ready')) !== 200) {
      if (exited) throw new Error(`istiod ${exited}`);
      if (Date.now() > deadline) throw new Error(`istiod is not ready (${addresses.http}/ready)`);
      await sleep(100);
    }
  } catch (e) {
    const tail = existsSync(logPath) ? readFileSync(logPath, 'utf8').split('\n').slice(-20).join('\n') : '';
    process.removeListener('exit', kill);
    child.kill('SIGKILL');
    throw new Error(`${(e as Error).message}; log ${logPath}:\n${tail}`);
  }
  const oracle = addresses.oracle!;
  return {
    addresses,
    logPath,
    async sync(req) {
      const r = await call<{ minVersion: number }>(oracle, 'POST', '/sync', req, ((req.timeoutSeconds ?? 30) + 10) * 1000);
      return r.minVersion;
    },
    async xds(proxies, minVersion) {
      const r = await call<{ proxies: ProxyXds[] }>(oracle, 'POST', '/xds', { proxies, minVersion });
      return r.proxies;
    },
    mesh: () => call(oracle, 'GET', '/mesh'),
    stop,
  };
}
