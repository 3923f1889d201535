// Consul service names. consul-k8s registers a pod under the name of the Kubernetes
// Service that selects it, and maps a config entry CRD's metadata.name to the Consul
// service it configures: so the names below are not free choices.

import type { ServiceInfo } from '../types.js';
import { pairName } from '../common/names.js';

/** The Consul service a Kubernetes Service is registered as (connect-inject default). */
export function consulServiceName(service: Pick<ServiceInfo, 'name'>): string {
  return service.name;
}

/**
 * The virtual Consul service that carries one A/B split of `root`: the router sends
 * matching requests here and this name's ServiceSplitter spreads them over the backends.
 * It has no instances; only the discovery chain knows it.
 */
export function virtualServiceName(root: Pick<ServiceInfo, 'name'>, splitName: string): string {
  return pairName(root.name, 'smi', splitName);
}
