// The resource kinds served under metrics.smi-spec.io/v1alpha1, by URL plural: the
// measured kinds' own plurals, from the one REST mapper (kube/rest-mapper.ts).

import { BUILTIN_KINDS, smiResourceKind, type ResourceKind } from '../kube/rest-mapper.js';

export type ResourcePlural = 'namespaces' | 'pods' | 'deployments' | 'statefulsets' | 'daemonsets' | 'services' | 'trafficsplits';

export interface KindInfo {
  plural: ResourcePlural;
  /** Kind of the measured Kubernetes object (TrafficMetrics.resource.kind). */
  kind: string;
  /** The measured object's apiVersion, for reading it (kube/rest-mapper.ts maps it to its REST path). */
  apiVersion: string;
  namespaced: boolean;
}

const served = (k: ResourceKind): KindInfo => ({ plural: k.plural as ResourcePlural, kind: k.kind, apiVersion: k.apiVersion, namespaced: k.namespaced });

export const KINDS: readonly KindInfo[] = [
  BUILTIN_KINDS.Namespace,
  BUILTIN_KINDS.Pod,
  BUILTIN_KINDS.Deployment,
  BUILTIN_KINDS.StatefulSet,
  BUILTIN_KINDS.DaemonSet,
  BUILTIN_KINDS.Service,
  smiResourceKind('TrafficSplit'),
].map(served);

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
