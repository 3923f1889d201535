// Kubeconfigs for test users: a file for kubectl and child processes, and an
// in-memory KubeConfig for @kubernetes/client-node.

import { writeFileSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import yaml from 'js-yaml';
import type { KeyPair } from './pki.js';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

export interface KubeconfigInput {
  server: string;
  caPem: string;
  user: string;
  client: KeyPair;
  contextName?: string;
}

export function kubeconfigYaml(i: KubeconfigInput): string {
  const ctx = i.contextName ?? 'smi-test';
  return yaml.dump({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'smi-test', cluster: { server: i.server, 'certificate-authority-data': b64(i.caPem) } }],
    users: [{ name: i.user, user: { 'client-certificate-data': b64(i.client.certPem), 'client-key-data': b64(i.client.keyPem) } }],
    contexts: [{ name: ctx, context: { cluster: 'smi-test', user: i.user, namespace: 'default' } }],
    'current-context': ctx,
  });
}

export function writeKubeconfig(path: string, i: KubeconfigInput): void {
  writeFileSync(path, kubeconfigYaml(i), { mode: 0o600 });
}

export function kubeConfigFor(i: KubeconfigInput): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(kubeconfigYaml(i));
  return kc;
}
