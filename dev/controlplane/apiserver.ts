// kube-apiserver for one test cluster: client-cert auth, RBAC, aggregation layer
// (front-proxy) flags and service-account token signing, bound to 127.0.0.1.

import { join } from 'node:path';
import { httpGet } from './http.js';
import { startComponent } from './component.js';
import { FRONT_PROXY_CLIENT, type ClusterPki } from './cluster-pki.js';
import type { ManagedProcess } from './proc.js';

export interface ApiServerConfig {
  bin: string;
  port: number;
  etcdUrl: string;
  pki: ClusterPki;
  certDir: string;
  logPath: string;
  /** Only when the controller manager mints SA tokens; otherwise the admission plugin demands them. */
  serviceAccountAdmission: boolean;
}

export const apiServerUrl = (port: number): string => `https://127.0.0.1:${port}`;

export function apiServerArgs(c: ApiServerConfig): string[] {
  const p = c.pki;
  const args = [
    `--etcd-servers=${c.etcdUrl}`,
    `--secure-port=${c.port}`,
    '--bind-address=127.0.0.1',
    // Without it, a host with no default route fails with "Unable to find suitable network address".
    '--advertise-address=127.0.0.1',
    `--cert-dir=${c.certDir}`,
    `--tls-cert-file=${p.servingCertFile}`,
    `--tls-private-key-file=${p.servingKeyFile}`,
    `--client-ca-file=${p.caFile}`,
    '--authorization-mode=RBAC',
    '--service-cluster-ip-range=10.0.0.0/24',
    '--allow-privileged=true',
    `--service-account-issuer=${apiServerUrl(c.port)}`,
    `--service-account-key-file=${p.saPublicKeyFile}`,
    `--service-account-signing-key-file=${p.saPrivateKeyFile}`,
    // Aggregation layer. No --enable-aggregator-routing: it needs Endpoints, which reject loopback IPs.
    `--requestheader-client-ca-file=${p.frontProxyCaFile}`,
    `--requestheader-allowed-names=${FRONT_PROXY_CLIENT}`,
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-username-headers=X-Remote-User',
    `--proxy-client-cert-file=${p.frontProxyClientCertFile}`,
    `--proxy-client-key-file=${p.frontProxyClientKeyFile}`,
    '--profiling=false',
  ];
  if (!c.serviceAccountAdmission) args.push('--disable-admission-plugins=ServiceAccount');
  return args;
}

export function startApiServer(c: ApiServerConfig, timeoutMs = 60_000): Promise<ManagedProcess> {
  const tls = { ca: c.pki.ca.certPem, cert: c.pki.admin.certPem, key: c.pki.admin.keyPem };
  return startComponent({
    name: 'kube-apiserver',
    bin: join(c.bin, 'kube-apiserver'),
    args: apiServerArgs(c),
    logPath: c.logPath,
    timeoutMs,
    ready: async () => {
      const r = await httpGet(`${apiServerUrl(c.port)}/readyz`, tls, 3_000);
      if (r.status !== 200) throw new Error(`/readyz ${r.status}: ${r.body.slice(0, 300)}`);
      // The bootstrap controller creates "default" shortly after readyz; tests assume it exists.
      const ns = await httpGet(`${apiServerUrl(c.port)}/api/v1/namespaces/default`, tls, 3_000);
      return ns.status === 200;
    },
  });
}
