// The consul-k8s config-entry CRDs this adapter emits (consul.hashicorp.com/v1alpha1,
// as served by consul-k8s v2; see /work/shared/crds/consul).

export const CONSUL_API_VERSION = 'consul.hashicorp.com/v1alpha1';

export const CONSUL_KINDS = {
  ServiceDefaults: 'servicedefaults',
  ServiceIntentions: 'serviceintentions',
  ServiceResolver: 'serviceresolvers',
  ServiceRouter: 'servicerouters',
  ServiceSplitter: 'servicesplitters',
} as const;

export type ConsulKind = keyof typeof CONSUL_KINDS;

/** Every kind the renderer may emit, for watches, pruning and RBAC. */
export const NATIVE_KINDS: ReadonlyArray<{ apiVersion: string; kind: ConsulKind; plural: string }> = (
  Object.keys(CONSUL_KINDS) as ConsulKind[]
).map((kind) => ({ apiVersion: CONSUL_API_VERSION, kind, plural: CONSUL_KINDS[kind] }));
