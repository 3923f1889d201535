// The flags of every smictl command and their parsers: a leaf module that both
// commands/* (which declare the flags) and run/* (which use them) import, so
// neither imports the other.

import { InvalidArgumentError } from 'commander';
import { meshNameProblem, metricsMeshProblem, type MeshName, type MetricsMesh } from '../adapters/types.js';
import type { KubeFlags } from './kube-flags.js';

export function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number 0-65535');
  return n;
}

export function positive(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

export function seconds(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number of seconds');
  return n;
}

export function meshName(v: string): MeshName {
  const problem = meshNameProblem(v);
  if (problem) throw new InvalidArgumentError(problem);
  return v as MeshName;
}

/** A mesh with metrics of its own (gamma has none): --mesh of `metrics` and `metrics-api`. */
export function metricsMeshName(v: string): MetricsMesh {
  const problem = metricsMeshProblem(v);
  if (problem) throw new InvalidArgumentError(problem);
  return v as MetricsMesh;
}

export const meshList = (v: string): MeshName[] => v.split(',').map((s) => meshName(s.trim()));

export interface OperatorFlags {
  kubeconfig?: string;
  context?: string;
  namespace: string;
  watchNamespace: string;
  configMap: string;
  mesh: MeshName;
  logLevel: string;
  healthPort: number;
  metricsPort: number;
  webhookPort: number;
  webhookCertDir?: string;
  leaderElect: boolean;
  leaseName: string;
  leaseDuration: number;
  leaseRetry: number;
  identity?: string;
  concurrency: number;
}

export interface ConformanceFlags {
  mesh: MeshName[];
  level: 'config' | 'xds' | 'traffic';
  istioOracle?: string;
  kubeconfig?: string;
  context?: string;
  operator: 'in-process' | 'external';
  operatorNamespace: string;
  scenario?: string[];
  output: 'table' | 'json' | 'junit';
  json?: string;
  junit?: string;
  timeout: number;
  list?: boolean;
  conversion?: 'serve' | 'cluster' | 'skip';
}

export interface QueryFlags {
  namespace?: string;
  edges?: boolean;
  mesh: MetricsMesh;
  prometheus: string;
  window?: string;
  selector?: string;
  output: string;
  kubeconfig?: string;
  context?: string;
  timeout: string;
}

export interface ServeFlags {
  mesh: MetricsMesh;
  prometheus: string;
  port: string;
  host: string;
  tlsCert?: string;
  tlsKey?: string;
  kubeconfig?: string;
  timeout: string;
  auth: boolean;
  /** namespace/name of the operator's adapter ConfigMap to follow; '' to not follow. */
  configMap: string;
}

export interface CheckFlags extends KubeFlags {
  pre?: boolean;
  namespace: string;
  mesh?: MeshName;
  output: 'text' | 'json' | 'yaml';
}

export interface DescribeFlags extends KubeFlags {
  namespace: string;
  operatorNamespace: string;
  output: 'text' | 'json' | 'yaml';
}

export interface UninstallFlags extends KubeFlags {
  namespace: string;
  keepNative?: boolean;
  yes?: boolean;
}
