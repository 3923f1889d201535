// kube-controller-manager with only the controllers the tests rely on: garbage
// collection (ownerReferences) and namespace deletion.

import { join } from 'node:path';
import { httpGet } from './http.js';
import { startComponent } from './component.js';
import type { ManagedProcess } from './proc.js';

export interface ControllerManagerConfig {
  bin: string;
  kubeconfigPath: string;
  port: number;
  certDir: string;
  logPath: string;
}

export const CONTROLLERS = 'garbagecollector,namespace';

export function controllerManagerArgs(c: ControllerManagerConfig): string[] {
  return [
    `--kubeconfig=${c.kubeconfigPath}`,
    // Same identity for delegated authn/authz of its own /healthz, avoiding in-cluster lookups.
    `--authentication-kubeconfig=${c.kubeconfigPath}`,
    `--authorization-kubeconfig=${c.kubeconfigPath}`,
    `--controllers=${CONTROLLERS}`,
    '--leader-elect=false',
    '--use-service-account-credentials=false',
    `--secure-port=${c.port}`,
    '--bind-address=127.0.0.1',
    `--cert-dir=${c.certDir}`,
  ];
}

export function startControllerManager(c: ControllerManagerConfig, timeoutMs = 60_000): Promise<ManagedProcess> {
  return startComponent({
    name: 'kube-controller-manager',
    bin: join(c.bin, 'kube-controller-manager'),
    args: controllerManagerArgs(c),
    logPath: c.logPath,
    timeoutMs,
    // /healthz is on the always-allowed list; its serving cert is self-signed.
    ready: async () => (await httpGet(`https://127.0.0.1:${c.port}/healthz`, { insecure: true }, 3_000)).status === 200,
  });
}
