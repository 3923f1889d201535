// The resource kinds served under metrics.smi-spec.io/v1alpha1, by URL plural.

import { hubApiVersion } from '../schemas/hub.js';

export type ResourcePlural = 'namespaces' | 'pods' | 'deployments' | 'statefulsets' | 'daemonsets' | 'services' | 'trafficsplits';

export interface KindInfo {
  plural: ResourcePlural;
  /** Kind of the measured Kubernetes object (TrafficMetrics.resource.kind). */
  kind: string;
  /** The measured object's apiVersion, for reading it (kube/rest-mapper.ts maps it to its REST path). */
  apiVersion: string;
  namespaced: boolean;
}

export const KINDS: readonly KindInfo[] = [
  { plural: 'namespaces', kind: 'Namespace', apiVersion: 'v1', namespaced: false },
  { plural: 'pods', kind: 'Pod', apiVersion: 'v1', namespaced: true },
  { plural: 'deployments', kind: 'Deployment', apiVersion: 'apps/v1', namespaced: true },
  { plural: 'statefulsets', kind: 'StatefulSet', apiVersion: 'apps/v1', namespaced: true },
  { plural: 'daemonsets', kind: 'DaemonSet', apiVersion: 'apps/v1', namespaced: true },
  { plural: 'services', kind: 'Service', apiVersion: 'v1', namespaced: true },
  { plural: 'trafficsplits', kind: 'TrafficSplit', apiVersion: hubApiVersion('TrafficSplit'), namespaced: true },
];

export function kindByPlural(plural: string): KindInfo | undefined {
  return KINDS.find((k) => k.plural === plural);
}

/** Accepts `deploy`, `deployment`, `Deployment`, `deployments` (CLI convenience). */
export function kindByAlias(alias: string): KindInfo | undefined {
  const a = alias.toLowerCase();
  const short: Record<string, ResourcePlural> = { ns: 'namespaces', po: 'pods', deploy: 'deployments', sts: 'statefulsets', ds: 'daemonsets', svc: 'services', ts: 'trafficsplits' };
  const plural = short[a] ?? a;
  return KINDS.find((k) => k.plural === plural || k.kind.toLowerCase() === plural);
}
