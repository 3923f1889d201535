// The kinds the operator watches, besides the mesh-native kinds; their REST
// mappings come from the one mapper (kube/rest-mapper.ts).

import { SMI_KINDS, type SmiKind } from '../../schemas/hub.js';
import { BUILTIN_KINDS, smiResourceKind, type ResourceKind } from '../../kube/rest-mapper.js';

export const SERVICE: ResourceKind = BUILTIN_KINDS.Service;
export const SERVICE_ACCOUNT: ResourceKind = BUILTIN_KINDS.ServiceAccount;
export const CONFIG_MAP: ResourceKind = BUILTIN_KINDS.ConfigMap;
export const WORKLOAD_KINDS: ResourceKind[] = [BUILTIN_KINDS.Deployment, BUILTIN_KINDS.StatefulSet, BUILTIN_KINDS.DaemonSet, BUILTIN_KINDS.Pod];

export const smiKind = smiResourceKind;

export const SMI_RESOURCE_KINDS: ResourceKind[] = SMI_KINDS.map(smiKind);
export const isSmiKind = (k: string): k is SmiKind => (SMI_KINDS as readonly string[]).includes(k);
export const isWorkloadKind = (k: string): boolean => WORKLOAD_KINDS.some((w) => w.kind === k);
