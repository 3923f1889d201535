// The names an installation from config/default (or the OLM bundle) uses; the
// checks, describe and uninstall look for these.

import { DEFAULT_CONFIG_MAP, DEFAULT_LEASE_NAME } from '../../operator/config/mesh-config.js';
import { APISERVICE, NAMESPACE, OPERATOR, VALIDATING_WEBHOOK as WEBHOOK } from '../../release/names.js';

// One owner each: release/names.ts (what config/ installs) and the operator's own defaults.
export const OPERATOR_NAMESPACE = NAMESPACE;
export const OPERATOR_DEPLOYMENT = OPERATOR;
export const LEADER_LEASE = DEFAULT_LEASE_NAME;
export const CONFIG_MAP = DEFAULT_CONFIG_MAP;
export const VALIDATING_WEBHOOK = WEBHOOK;
export const METRICS_APISERVICE = APISERVICE;
export const PART_OF_LABEL = 'app.kubernetes.io/part-of';

import type { MeshName } from '../../adapters/types.js';
import { BUILTIN_KINDS, type ResourceKind } from '../../kube/rest-mapper.js';

export interface ControlPlane { workload: ResourceKind; name: string; install: string }

/** The workload that is each mesh's control plane, as its own installer names it (gamma: any GAMMA mesh, none fixed). */
export const MESH_CONTROL_PLANE: Partial<Record<MeshName, ControlPlane>> = {
  istio: { workload: BUILTIN_KINDS.Deployment, name: 'istiod', install: 'istioctl install --set profile=minimal -y' },
  linkerd: { workload: BUILTIN_KINDS.Deployment, name: 'linkerd-destination', install: 'linkerd install --crds | kubectl apply -f - && linkerd install | kubectl apply -f -' },
  consul: { workload: BUILTIN_KINDS.StatefulSet, name: 'consul-server', install: 'helm install consul hashicorp/consul -n consul --create-namespace -f kind/consul-values.yaml' },
};
