// A real, throwaway Kubernetes control plane for tests, the demo and the benchmarks: etcd,
// kube-apiserver and (optionally) kube-controller-manager as child processes.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { startApiServer, apiServerUrl, type ApiServerConfig } from './apiserver.js';
import { controlPlaneBinDir } from './binaries.js';
import { createClusterPki } from './cluster-pki.js';
import { startControllerManager, type ControllerManagerConfig } from './controller-manager.js';
import { collectCrds, installCrds } from './crds.js';
import { etcdUrl, startEtcd, type EtcdConfig } from './etcd.js';
import { kubeConfigFor, writeKubeconfig } from './kubeconfig.js';
import { issueCert } from './pki.js';
import { freePorts } from './ports.js';
import { forgetOnExit, removeOnExit, type ManagedProcess } from './proc.js';

export interface TestCluster {
  server: string;
  kubeconfigPath: string;
  kubeConfig: KubeConfig;
  runDir: string;
  caCertPem: string;
  frontProxyCaPem: string;
  userKubeConfig(user: string, groups?: string[]): KubeConfig;
  restartApiServer(): Promise<void>;
  restartEtcd(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Install SMI and mesh CRDs (default true). */
  installCrds?: boolean;
  /** Run kube-controller-manager for GC and namespace deletion (default true). */
  controllerManager?: boolean;
  /** Use this folder (created if needed, kept on stop) instead of a fresh temp dir. */
  runDir?: string;
  /** Binaries folder; default $SMI_CONTROLPLANE_BIN or test/controlplane/build.sh. */
  binDir?: string;
}

const keepRunDirs = (): boolean => process.env.SMI_KEEP_RUNDIR === '1';

export async function startCluster(opts: StartOptions = {}): Promise<TestCluster> {
  const bin = opts.binDir ?? controlPlaneBinDir();
  const ownRunDir = opts.runDir === undefined;
  const runDir = opts.runDir ?? mkdtempSync(join(tmpdir(), 'smi-cp-'));
  for (const d of ['logs', 'etcd', 'apiserver', 'kcm']) mkdirSync(join(runDir, d), { recursive: true });
  if (ownRunDir && !keepRunDirs()) removeOnExit(runDir);

  const pki = createClusterPki(runDir);
  const [etcdClient, etcdPeer, apiPort, kcmPort] = (await freePorts(4)) as [number, number, number, number];
  const server = apiServerUrl(apiPort);
  const kubeconfigPath = join(runDir, 'admin.kubeconfig');
  const kcmKubeconfigPath = join(runDir, 'kcm.kubeconfig');
  writeKubeconfig(kubeconfigPath, { server, caPem: pki.ca.certPem, user: 'admin', client: pki.admin });
  writeKubeconfig(kcmKubeconfigPath, {
    server,
    caPem: pki.ca.certPem,
    user: 'system:kube-controller-manager',
    client: pki.controllerManager,
  });

  const etcdCfg: EtcdConfig = { bin, dataDir: join(runDir, 'etcd'), clientPort: etcdClient, peerPort: etcdPeer, logPath: join(runDir, 'logs', 'etcd.log') };
  const apiCfg: ApiServerConfig = {
    bin,
    port: apiPort,
    etcdUrl: etcdUrl(etcdCfg),
    pki,
    certDir: join(runDir, 'apiserver'),
    logPath: join(runDir, 'logs', 'kube-apiserver.log'),
    serviceAccountAdmission: false,
  };
  const kcmCfg: ControllerManagerConfig = {
    bin,
    kubeconfigPath: kcmKubeconfigPath,
    port: kcmPort,
    certDir: join(runDir, 'kcm'),
    logPath: join(runDir, 'logs', 'kube-controller-manager.log'),
  };

  let etcd: ManagedProcess | undefined;
  let apiserver: ManagedProcess | undefined;
  let kcm: ManagedProcess | undefined;
  const stopAll = async (): Promise<void> => {
    // Reverse order of start: controllers first, storage last.
    await kcm?.stop();
    await apiserver?.stop();
    await etcd?.stop();
  };

  const kubeConfig = kubeConfigFor({ server, caPem: pki.ca.certPem, user: 'admin', client: pki.admin });
  try {
    etcd = await startEtcd(etcdCfg);
    apiserver = await startApiServer(apiCfg);
    if (opts.controllerManager !== false) kcm = await startControllerManager(kcmCfg);
    if (opts.installCrds !== false) await installCrds(kubeConfig, collectCrds());
  } catch (err) {
    await stopAll();
    // Keep the logs for the post-mortem.
    forgetOnExit(runDir);
    const msg = err instanceof Error ? err.message : String(err);
    throw new Error(`startCluster failed (run dir kept: ${runDir}, logs in ${join(runDir, 'logs')}): ${msg}`);
  }

  let stopped = false;
  return {
    server,
    kubeconfigPath,
    kubeConfig,
    runDir,
    caCertPem: pki.ca.certPem,
    frontProxyCaPem: pki.frontProxyCa.certPem,
    userKubeConfig(user: string, groups: string[] = []): KubeConfig {
      const client = issueCert(pki.ca, { commonName: user, organizations: groups, client: true });
      return kubeConfigFor({ server, caPem: pki.ca.certPem, user, client });
    },
    async restartApiServer() {
      await apiserver?.stop();
      apiserver = await startApiServer(apiCfg);
    },
    async restartEtcd() {
      // A graceful etcd stop waits ~5 s for the API server's open streams; writes are
      // already in the WAL (page cache), so a short grace loses nothing.
      await etcd?.stop(1_000);
      etcd = await startEtcd(etcdCfg);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopAll();
      if (ownRunDir && !keepRunDirs()) {
        rmSync(runDir, { recursive: true, force: true });
        forgetOnExit(runDir);
      }
    },
  };
}
