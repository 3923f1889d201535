// The kinds the operator watches, besides the SMI kinds and the mesh-native kinds.

import { HUB_VERSIONS, SMI_GROUPS, SMI_KINDS, SMI_PLURALS, type SmiKind } from '../../schemas/hub.js';
import type { ResourceKind } from '../cache/informer.js';

export const SERVICE: ResourceKind = { apiVersion: 'v1', kind: 'Service', plural: 'services', namespaced: true };
export const SERVICE_ACCOUNT: ResourceKind = { apiVersion: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true };
export const CONFIG_MAP: ResourceKind = { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true };
export const WORKLOAD_KINDS: ResourceKind[] = [
  { apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments', namespaced: true },
  { apiVersion: 'apps/v1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', plural: 'daemonsets', namespaced: true },
  { apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true },
];

export const smiKind = (kind: SmiKind): ResourceKind => ({
  apiVersion: `${SMI_GROUPS[kind]}/${HUB_VERSIONS[kind]}`,
  kind,
  plural: SMI_PLURALS[kind],
  namespaced: true,
});

export const SMI_RESOURCE_KINDS: ResourceKind[] = SMI_KINDS.map(smiKind);
export const isSmiKind = (k: string): k is SmiKind => (SMI_KINDS as readonly string[]).includes(k);
export const isWorkloadKind = (k: string): boolean => WORKLOAD_KINDS.some((w) => w.kind === k);
