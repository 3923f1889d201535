// etcd for one test cluster: single member, loopback only, no fsync (tests, not durability).

import { join } from 'node:path';
import { httpGet } from './http.js';
import { startComponent } from './component.js';
import type { ManagedProcess } from './proc.js';

export interface EtcdConfig {
  bin: string;
  dataDir: string;
  clientPort: number;
  peerPort: number;
  logPath: string;
}

export const etcdUrl = (c: EtcdConfig): string => `http://127.0.0.1:${c.clientPort}`;

export function etcdArgs(c: EtcdConfig): string[] {
  const client = etcdUrl(c);
  const peer = `http://127.0.0.1:${c.peerPort}`;
  return [
    '--name=default',
    `--data-dir=${c.dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=default=${peer}`,
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ];
}

export function startEtcd(c: EtcdConfig, timeoutMs = 30_000): Promise<ManagedProcess> {
  return startComponent({
    name: 'etcd',
    bin: join(c.bin, 'etcd'),
    args: etcdArgs(c),
    logPath: c.logPath,
    timeoutMs,
    ready: async () => {
      const r = await httpGet(`${etcdUrl(c)}/health`, {}, 2_000);
      return r.status === 200 && (JSON.parse(r.body) as { health?: string }).health === 'true';
    },
  });
}
