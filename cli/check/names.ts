// The names an installation from config/default (or the OLM bundle) uses; the
// checks, describe and uninstall look for these.

export const OPERATOR_NAMESPACE = 'smi-system';
export const OPERATOR_DEPLOYMENT = 'smi-operator';
export const LEADER_LEASE = 'smi-operator-leader';
export const CONFIG_MAP = 'smi-operator-config';
export const VALIDATING_WEBHOOK = 'smi-operator-validating-webhook';
export const METRICS_APISERVICE = 'v1alpha1.metrics.smi-spec.io';
export const PART_OF_LABEL = 'app.kubernetes.io/part-of';

import type { MeshName } from '../../adapters/types.js';

export interface ControlPlane { kind: string; plural: string; name: string; install: string }

/** The workload that is each mesh's control plane, as its own installer names it (gamma: any GAMMA mesh, none fixed). */
export const MESH_CONTROL_PLANE: Partial<Record<MeshName, ControlPlane>> = {
  istio: { kind: 'Deployment', plural: 'deployments', name: 'istiod', install: 'istioctl install --set profile=minimal -y' },
  linkerd: { kind: 'Deployment', plural: 'deployments', name: 'linkerd-destination', install: 'linkerd install --crds | kubectl apply -f - && linkerd install | kubectl apply -f -' },
  consul: { kind: 'StatefulSet', plural: 'statefulsets', name: 'consul-server', install: 'helm install consul hashicorp/consul -n consul --create-namespace -f kind/consul-values.yaml' },
};
