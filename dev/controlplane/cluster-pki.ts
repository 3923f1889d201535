// The certificates and keys one test cluster needs, written under <runDir>/pki.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCa, issueCert, newRsaKey, type KeyPair } from './pki.js';

export interface ClusterPki {
  dir: string;
  /** Signs the API server's serving cert and all client certs (--client-ca-file). */
  ca: KeyPair;
  caFile: string;
  /** Separate CA for the aggregation layer's front proxy (--requestheader-client-ca-file). */
  frontProxyCa: KeyPair;
  frontProxyCaFile: string;
  frontProxyClientCertFile: string;
  frontProxyClientKeyFile: string;
  servingCertFile: string;
  servingKeyFile: string;
  saPublicKeyFile: string;
  saPrivateKeyFile: string;
  admin: KeyPair;
  controllerManager: KeyPair;
}

/** CN of the front-proxy client cert; must be in --requestheader-allowed-names. */
export const FRONT_PROXY_CLIENT = 'front-proxy-client';

function write(dir: string, name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
}

export function createClusterPki(runDir: string): ClusterPki {
  const dir = join(runDir, 'pki');
  mkdirSync(dir, { recursive: true });
  const ca = createCa('smi-test-ca');
  const frontProxyCa = createCa('smi-test-front-proxy-ca');
  const serving = issueCert(ca, {
    commonName: 'kube-apiserver',
    dnsNames: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc'],
    // 10.0.0.1: first IP of --service-cluster-ip-range, the in-cluster kubernetes Service.
    ipAddresses: ['127.0.0.1', '10.0.0.1'],
    server: true,
  });
  const frontProxyClient = issueCert(frontProxyCa, { commonName: FRONT_PROXY_CLIENT, client: true });
  const sa = newRsaKey();
  const admin = issueCert(ca, { commonName: 'admin', organizations: ['system:masters'], client: true });
  // GC and namespace deletion touch every resource type, so the controller manager runs as a master.
  const controllerManager = issueCert(ca, {
    commonName: 'system:kube-controller-manager',
    organizations: ['system:masters'],
    client: true,
  });
  return {
    dir,
    ca,
    caFile: write(dir, 'ca.crt', ca.certPem),
    frontProxyCa,
    frontProxyCaFile: write(dir, 'front-proxy-ca.crt', frontProxyCa.certPem),
    frontProxyClientCertFile: write(dir, 'front-proxy-client.crt', frontProxyClient.certPem),
    frontProxyClientKeyFile: write(dir, 'front-proxy-client.key', frontProxyClient.keyPem),
    servingCertFile: write(dir, 'apiserver.crt', serving.certPem),
    servingKeyFile: write(dir, 'apiserver.key', serving.keyPem),
    saPublicKeyFile: write(dir, 'sa.pub', sa.publicPem),
    saPrivateKeyFile: write(dir, 'sa.key', sa.privatePem),
    admin,
    controllerManager,
  };
}
