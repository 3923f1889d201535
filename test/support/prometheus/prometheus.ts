// A throwaway Prometheus for tests: its own config, data dir and 127.0.0.1 port,
// scraping the given targets every second. Started and stopped by the test.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpGet } from '../../../dev/controlplane/http.js';
import { until } from '../../../dev/world/kube.js';
import { freePort } from '../../../dev/controlplane/ports.js';

export interface TestPrometheus {
  url: string;
  port: number;
  dir: string;
  /** SIGSTOP/SIGCONT: a Prometheus that accepts connections but never answers. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

export interface PrometheusOptions {
  /** host:port targets scraped every second, with honor_labels (the exporter's labels are the mesh's). */
  targets: string[];
  scrapeIntervalSeconds?: number;
  startTimeoutMs?: number;
}

export const prometheusBin = (): string => process.env.SMI_PROMETHEUS_BIN ?? 'prometheus';

export function prometheusConfig(targets: string[], intervalSeconds: number): string {
  // JSON is valid YAML; no YAML writer needed.
  return JSON.stringify({
    global: { scrape_interval: `${intervalSeconds}s`, scrape_timeout: `${intervalSeconds}s`, evaluation_interval: `${intervalSeconds}s` },
    scrape_configs: [{ job_name: 'smi-test-exporter', honor_labels: true, static_configs: [{ targets }] }],
  });
}

export async function startPrometheus(opts: PrometheusOptions): Promise<TestPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'smi-prom-'));
  const port = await freePort();
  const configPath = join(dir, 'prometheus.yml');
  writeFileSync(configPath, prometheusConfig(opts.targets, opts.scrapeIntervalSeconds ?? 1));
  const logPath = join(dir, 'prometheus.log');
  const log = openSync(logPath, 'a');
  const child: ChildProcess = spawn(
    prometheusBin(),
    [
      `--config.file=${configPath}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1h',
      '--log.level=warn',
    ],
    { stdio: ['ignore', log, log] },
  );
  let exited: string | undefined;
  child.on('exit', (code, signal) => (exited = `exited (code ${code}, signal ${signal})`));
  child.on('error', (err) => (exited = `failed to start: ${err.message}`));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (exited === undefined && child.exitCode === null) {
      child.kill('SIGCONT');
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await done;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await until('prometheus ready', async () => {
      if (exited) throw new Error(`prometheus ${exited}: ${readFileSync(logPath, 'utf8').slice(-2000)}`);
      const r = await httpGet(`${url}/-/ready`, {}, 1_000);
      return r.status === 200 ? true : undefined;
    }, opts.startTimeoutMs ?? 20_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port, dir, stop, pause: () => child.kill('SIGSTOP'), resume: () => child.kill('SIGCONT') };
}
